"""Version diff: align two Documents provision by provision (新旧対照) and mark what changed.

Alignment runs the same three passes at every level (articles, paragraphs, items):

1. an order-preserving alignment maximising content similarity, with a bonus for the same title
   and a smaller one for the same number, so an insertion or a deletion shifts the numbering of
   everything after it without turning into a cascade of changes;
2. in each gap between aligned pairs, equal runs of leftovers pair up in order when they share a
   number or a title (a provision rewritten in place);
3. leftovers that match out of order are moves; leftovers whose text is contained in another
   provision are the parts of a split (one old, several new) or a merge (several old, one new).

Everything on the page is compared: 前文, 条, 附則 (its heading too), 別表, the closing lines,
each document of a bundle (aligned by title), and any text the segmenter left between them
(notes beside the articles), compared as the text of the provision it follows.

Text changes come from difflib over the words as a reader sees them: lines first (the line
breaks left after wrapped lines were joined are real), then characters, since Japanese has no
word spaces. Typesetting never makes a token: characters compare in NFKC (width), spaces and
Markdown marks (headings, quotes, bullets, rules, emphasis, link targets) are left out, and
list markers are not text at all (a paragraph or item renumbers only when an insertion or a
deletion shifted it). An explicit article reference (第13条) is one token keyed by the article
it points to after alignment, so a reference renumbered along with its target is no change; a
number is one token. Each change is then widened to whole words (Sudachi tokens of the changed
sentences only), and a sentence rewritten for the most part shows as one replaced sentence.
A pair whose text differs in typesetting only is counted (DocumentDiff.typesetting_only).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from pipeline.models import (
    Appendix,
    Article,
    ChangedSpan,
    Closing,
    DiffLevel,
    DiffSide,
    DiffStatus,
    Document,
    DocumentDiff,
    Edit,
    Extraction,
    Item,
    NumberingStyle,
    Paragraph,
    ParameterChange,
    Preamble,
    ProvisionDiff,
    Span,
    SupplementaryProvisions,
)
from pipeline.text.numerals import NUMERAL_PATTERN, parse_number

MATCH_THRESHOLD = 0.5
"""Bigram similarity at which two provisions are the same provision, whatever their number."""
TITLE_MATCH_THRESHOLD = 0.25
"""Lower similarity accepted when the titles (見出し) are equal."""
REWRITE_THRESHOLD = 0.15
"""Similarity at which leftovers in the same gap pair as one rewritten provision."""
MOVE_THRESHOLD = 0.6
"""Similarity at which an out-of-order leftover pair is a move."""
CONTAINMENT_THRESHOLD = 0.75
"""Share of a part's bigrams found in the whole for a split or merge."""
MIN_PART_CHARS = 10
"""Parts shorter than this are never taken for a split or merge."""
TITLE_BONUS = 0.3
NUMBER_BONUS = 0.1
SHORT_EQUAL_ABSORBED = 1
"""Equal runs this short between two changes are marked as part of one change."""

PARAMETER_KINDS = ("period", "percentage", "fraction", "amount", "date")
"""Extraction kinds compared as parameters (references and defined terms are not values)."""

_WS = re.compile(r"\s+")
_ARTICLE_REF = re.compile(
    rf"第\s*(?P<num>{NUMERAL_PATTERN})\s*条(?:\s*の\s*(?P<branch>{NUMERAL_PATTERN}))?"
)
_NUMBER = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*(?P<dot>[.．](?![0-9０-９]))?")
"""A number is one token: 14.6 → 14.5 is one replacement, not a changed last digit. A dot
right after it is notation of the number (14.に定める as 14に定める), not a word."""
_EXTERNAL_BEFORE = re.compile(r"(?:」|(?<!本)(?:規約|規程|規定|約款|法|令))\s*$")
"""Text right before 第N条 that makes it a reference into another document (利用規約第8条)."""


# --------------------------------------------------------------------------------------------
# A uniform view of the provisions of one document
# --------------------------------------------------------------------------------------------


@dataclass
class _Node:
    """One provision as the aligner sees it."""

    level: DiffLevel
    path: str
    label: str
    number: str | None
    title: str | None
    own: Span | None
    deleted: bool
    children: list[_Node]
    content: str = ""
    bigrams: Counter[str] = field(default_factory=Counter)
    outline: bool = False  # numbered in a decimal outline (1.2, 1.1.3): its label says where


def _squash(text: str) -> str:
    return _WS.sub("", text)


# Typesetting that never makes an edit: Markdown decoration (headings, quotes, bullets, rules,
# emphasis, a link's target beside its text) and, through NFKC, full/half width.
_LINE_DECORATION = re.compile(
    r"^[ \t\u3000]*(?:#{1,6}(?=[ \t\u3000])|>|[*+\-・●■◆◇○](?=[ \t\u3000]))", re.MULTILINE
)
_RULE = re.compile(
    r"(?:^|(?<=[。.]))[ \t\u3000]*([-*_=―─━])(?:[ \t\u3000]*\1){2,}[ \t\u3000]*$", re.MULTILINE
)
"""A rule (----) on its own line, or glued after a sentence by the joining of wrapped lines."""
_EMPHASIS = re.compile(r"\*+|_{2,}")
_LINK = re.compile(r"(\[)[^\]\n]*(\]\([^)\n]*\))")


def decoration(text: str) -> list[tuple[int, int]]:
    """Ranges of `text` that are typesetting only: Markdown marks, bullets, rules, link targets."""
    found = [m.span() for m in _LINE_DECORATION.finditer(text)]
    found += [m.span() for m in _RULE.finditer(text)]
    found += [m.span() for m in _EMPHASIS.finditer(text)]
    for m in _LINK.finditer(text):
        found += [m.span(1), m.span(2)]
    return found


def _plain(text: str) -> str:
    """The words of `text` without typesetting: decoration removed, NFKC, no whitespace."""
    keep = [True] * len(text)
    for lo, hi in decoration(text):
        keep[lo:hi] = [False] * (hi - lo)
    words = "".join(ch for ch, k in zip(text, keep, strict=True) if k)
    return _squash(unicodedata.normalize("NFKC", words))


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _finish(node: _Node, text: str) -> _Node:
    own = _plain(text[node.own.start : node.own.end]) if node.own else ""
    title = _plain(node.title or "")
    node.content = title + own + "".join(child.content for child in node.children)
    node.bigrams = _bigrams(node.content)
    return node


def article_label(number: str) -> str:
    """'13' → '第13条', '5-2' → '第5条の2'."""
    main, _, branch = number.partition("-")
    return f"第{main}条" + (f"の{branch}" if branch else "")


def _item_node(item: Item, text: str, outline: bool) -> _Node:
    children = [_item_node(sub, text, outline) for sub in item.items]
    label = item.marker.rstrip(".．") if outline else item.marker
    node = _Node("item", item.path, label, str(item.ordinal), None, item.text_span, False, children)
    node.outline = outline
    return _finish(node, text)


def _paragraph_node(paragraph: Paragraph, text: str, outline: bool) -> _Node:
    children = [_item_node(item, text, outline) for item in paragraph.items]
    # In a decimal outline a paragraph is called by its number (1.2), elsewhere 第2項.
    label = f"第{paragraph.number}項"
    if outline and paragraph.marker:
        label = paragraph.marker.rstrip(".．")
    node = _Node(
        "paragraph",
        paragraph.path,
        label,
        str(paragraph.number),
        None,
        paragraph.text_span,
        False,
        children,
    )
    node.outline = outline and paragraph.marker is not None
    return _finish(node, text)


def _article_node(article: Article, text: str, style: NumberingStyle) -> _Node:
    outline = style == "decimal-outline"
    children = [_paragraph_node(p, text, outline) for p in article.paragraphs]
    # 第N条 only where the document numbers its units so; '1.' sections and outlines by
    # their number, unnumbered headings by their title.
    if style == "article":
        label = article_label(article.number)
    elif style == "heading":
        label = article.title or article.heading
    else:
        label = f"{article.number.replace('-', '.')}."
    node = _Node(
        "article",
        article.path,
        label,
        article.number,
        article.title,
        None,  # an article's own text is its heading: number and title are compared apart
        article.deleted,
        children,
    )
    return _finish(node, text)


def _leaf(level: DiffLevel, path: str, label: str, own: Span, text: str) -> _Node:
    return _finish(_Node(level, path, label, None, None, own, False, []), text)


_DIVISION_HEADING = re.compile(rf"^第(?:{NUMERAL_PATTERN})[章節]")
"""A 章/節 heading line: structure the segmenter keeps apart, not text of a provision."""


def _loose_text(text: str, lo: int, hi: int, next_title: str | None) -> Span | None:
    """The words in `text[lo:hi]` that belong to no provision, or None.

    Skipped: blank lines and typesetting, 章/節 headings, and the next article's own title
    standing on the line above it ((目的) before 第1条). What stays is what the segmenter left
    outside the tree, such as notes beside the articles ('> …'); it is compared all the same.
    """
    kept: list[tuple[int, int]] = []
    pos = lo
    for line in text[lo:hi].split("\n"):
        start, pos = pos, pos + len(line) + 1
        plain = _plain(line)
        if (
            not plain
            or _DIVISION_HEADING.match(plain)
            or (next_title and plain == f"({_plain(next_title)})")
        ):
            continue
        kept.append((start + len(line) - len(line.lstrip()), start + len(line.rstrip())))
    return Span(start=kept[0][0], end=kept[-1][1]) if kept else None


def _body_nodes(
    text: str,
    style: NumberingStyle,
    extent: Span,
    preamble: Preamble | None,
    articles: Sequence[Article],
    supplementary: Sequence[SupplementaryProvisions],
    appendices: Sequence[Appendix],
    closing: Closing | None,
) -> list[_Node]:
    """Everything on the page in reading order: 前文, 条, 附則, 別表, the closing text, and
    any text between them that the segmenter placed in none (see `_loose_text`)."""
    placed: list[tuple[_Node, Span]] = []
    if preamble is not None:
        placed.append(
            (_leaf("preamble", preamble.path, "前文", preamble.text_span, text), preamble.span)
        )
    placed.extend((_article_node(a, text, style), a.span) for a in articles)
    for supp in supplementary:
        children = [_paragraph_node(p, text, False) for p in supp.paragraphs]
        # The heading line is compared as the 附則's own text: it often carries the date
        # (付則（2024.9.1）) that the version turns on.
        node = _Node(
            "supplementary", supp.path, supp.title, None, None, supp.text_span, False, children
        )
        placed.append((_finish(node, text), supp.span))
    for appx in appendices:
        children = [_item_node(item, text, False) for item in appx.items]
        own = appx.text_span if appx.text_span.end > appx.text_span.start else None
        label = appx.heading  # 別表第二, its caption apart as the title
        if appx.title and label.endswith(appx.title) and len(label) > len(appx.title):
            label = label[: -len(appx.title)].rstrip()
        node = _Node("appendix", appx.path, label, appx.number, appx.title, own, False, children)
        placed.append((_finish(node, text), appx.span))
    if closing is not None:
        placed.append(
            (_leaf("closing", closing.path, "末尾", closing.text_span, text), closing.span)
        )
    placed.sort(key=lambda pair: pair[1].start)
    nodes = [node for node, _ in placed]
    prefix = _part_prefix(nodes)
    lead_end = placed[0][1].start if placed else extent.end
    lead = _loose_text(text, extent.start, lead_end, nodes[0].title if nodes else None)
    if lead is not None:
        if nodes and nodes[0].level == "preamble" and nodes[0].own is not None:
            nodes[0].own = Span(start=lead.start, end=nodes[0].own.end)
            _finish(nodes[0], text)
        else:
            nodes.insert(0, _leaf("preamble", f"{prefix}preamble", "前文", lead, text))
    for k, (node, span) in enumerate(placed):
        following = placed[k + 1] if k + 1 < len(placed) else None
        hi = following[1].start if following else extent.end
        loose = _loose_text(text, span.end, hi, following[0].title if following else None)
        if loose is None:
            continue
        if following is None and node.level != "closing":
            nodes.append(_leaf("closing", f"{prefix}closing", "末尾", loose, text))
        elif node.own is None or not node.children:
            start = node.own.start if node.own is not None else loose.start
            node.own = Span(start=start, end=loose.end)
            _finish(node, text)
    return nodes


def _all_paths(nodes: Sequence[_Node]) -> set[str]:
    """Paths of `nodes` and of every provision under them."""
    found: set[str] = set()
    for node in nodes:
        found.add(node.path)
        found |= _all_paths(node.children)
    return found


def _article_paths(nodes: Sequence[_Node]) -> set[str]:
    """Paths of the articles among `nodes` and inside the documents of a bundle."""
    found: set[str] = set()
    for node in nodes:
        if node.level == "article":
            found.add(node.path)
        elif node.level == "part":
            found |= _article_paths(node.children)
    return found


def _part_of(path: str) -> str:
    """'part:2/' for a path inside part 2 of a bundle, else ''."""
    return path.split("/", 1)[0] + "/" if path.startswith("part:") else ""


def _part_prefix(nodes: Sequence[_Node]) -> str:
    """'part:2/' when the nodes belong to a part of a bundle, else ''."""
    if nodes and nodes[0].path.startswith("part:"):
        return nodes[0].path.split("/", 1)[0] + "/"
    return ""


def _top_nodes(doc: Document) -> list[_Node]:
    """The document's top-level provisions; for a bundle, one node per part (文書) holding them."""
    text = doc.text
    if not doc.parts:
        whole = Span(start=0, end=len(text))
        return _body_nodes(
            text,
            doc.numbering_style,
            whole,
            doc.preamble,
            doc.articles,
            doc.supplementary,
            doc.appendices,
            doc.closing,
        )
    nodes = []
    for part in doc.parts:
        children = _body_nodes(
            text,
            part.numbering_style,
            part.span,
            part.preamble,
            part.articles,
            part.supplementary,
            part.appendices,
            part.closing,
        )
        label = part.title or f"第{part.number}文書"
        node = _Node("part", part.path, label, str(part.number), part.title, None, False, children)
        nodes.append(_finish(node, text))
    return nodes


# --------------------------------------------------------------------------------------------
# Similarity and alignment
# --------------------------------------------------------------------------------------------


def similarity(a: _Node, b: _Node) -> float:
    """Dice coefficient of the character bigrams of the two provisions' whole text."""
    if not a.content and not b.content:
        return 1.0
    total = sum(a.bigrams.values()) + sum(b.bigrams.values())
    common = sum((a.bigrams & b.bigrams).values())
    return 2 * common / total if total else 0.0


def _containment(part: _Node, whole: _Node) -> float:
    size = sum(part.bigrams.values())
    return sum((part.bigrams & whole.bigrams).values()) / size if size else 0.0


def _same_title(a: _Node, b: _Node) -> bool:
    return bool(a.title and b.title and _plain(a.title) == _plain(b.title))


def _pair_score(a: _Node, b: _Node) -> float | None:
    """How well old `a` and new `b` align in order, or None when they must not pair."""
    if a.level != b.level:
        return None
    if b.deleted or a.deleted:
        # 第N条 削除 keeps its number: only the number can pair it.
        return 1.0 if a.number == b.number else None
    sim = similarity(a, b)
    same_title = _same_title(a, b)
    if sim < MATCH_THRESHOLD and not (same_title and sim >= TITLE_MATCH_THRESHOLD):
        return None
    return (
        sim + (TITLE_BONUS if same_title else 0.0) + (NUMBER_BONUS if a.number == b.number else 0.0)
    )


def _lcs_align(
    old: Sequence[_Node], new: Sequence[_Node], score: Callable[[_Node, _Node], float | None]
) -> list[tuple[int, int]]:
    """Order-preserving pairs maximising the total score (gaps cost nothing)."""
    n, m = len(old), len(new)
    scores = [[score(old[i], new[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            value = max(below[j], row[j + 1])
            s = scores[i][j]
            if s is not None:
                value = max(value, s + below[j + 1])
            row[j] = value
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        s = scores[i][j]
        if s is not None and best[i][j] == s + best[i + 1][j + 1]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass
class _Alignment:
    """The result of aligning two sibling lists: pairs with their status hints."""

    pairs: dict[int, int] = field(default_factory=dict)  # old index → new index (in order)
    moved: set[int] = field(default_factory=set)  # old indices paired out of order
    split: dict[int, list[int]] = field(default_factory=dict)  # old → extra new parts
    merged: dict[int, list[int]] = field(default_factory=dict)  # new → extra old parts


def _rewritten(a: _Node, b: _Node) -> bool:
    if b.deleted:
        # An article reduced to 削除 where it stood, its number shifted along with its neighbours.
        return not a.deleted
    if a.deleted:
        return False
    return a.number == b.number or _same_title(a, b) or similarity(a, b) >= REWRITE_THRESHOLD


def align(old: Sequence[_Node], new: Sequence[_Node]) -> _Alignment:
    """Align two sibling lists of provisions (see the module docstring for the passes)."""
    result = _Alignment()
    for i, j in _lcs_align(old, new, _pair_score):
        result.pairs[i] = j
    # Pass 2: leftovers of equal count in the same gap are provisions rewritten in place.
    anchors = [(-1, -1), *sorted(result.pairs.items()), (len(old), len(new))]
    for (i0, j0), (i1, j1) in itertools.pairwise(anchors):
        olds, news = list(range(i0 + 1, i1)), list(range(j0 + 1, j1))
        if (
            olds
            and len(olds) == len(news)
            and all(_rewritten(old[i], new[j]) for i, j in zip(olds, news, strict=True))
        ):
            result.pairs.update(zip(olds, news, strict=True))
    # Pass 3a: moves, best first.
    free_old = [i for i in range(len(old)) if i not in result.pairs]
    matched_new = set(result.pairs.values())
    free_new = [j for j in range(len(new)) if j not in matched_new]
    candidates = sorted(
        (
            (similarity(old[i], new[j]), i, j)
            for i in free_old
            for j in free_new
            if old[i].level == new[j].level and not old[i].deleted and not new[j].deleted
        ),
        reverse=True,
    )
    for sim, i, j in candidates:
        if sim < MOVE_THRESHOLD:
            break
        if i in result.pairs or j in matched_new:
            continue
        result.pairs[i] = j
        result.moved.add(i)
        matched_new.add(j)
    # Pass 3b: splits (a free new part contained in an old article) and merges, articles only:
    # below them a provision contained in another is too common to mean anything.
    if not any(node.level == "article" for node in old):
        return result
    new_to_old = {j: i for i, j in result.pairs.items()}
    for j in range(len(new)):
        if j in new_to_old or new[j].level != "article" or len(new[j].content) < MIN_PART_CHARS:
            continue
        whole = _best_container(new[j], old)
        if whole is not None:
            result.split.setdefault(whole, []).append(j)
    for i in range(len(old)):
        if i in result.pairs or old[i].level != "article" or len(old[i].content) < MIN_PART_CHARS:
            continue
        whole = _best_container(old[i], new)
        if whole is not None:
            result.merged.setdefault(whole, []).append(i)
    # A split of an old provision nobody else took: its first part is its partner.
    for i, parts in list(result.split.items()):
        if i not in result.pairs and len(parts) >= 2:
            result.pairs[i] = parts.pop(0)
        elif i not in result.pairs:
            del result.split[i]
    new_to_old = {j: i for i, j in result.pairs.items()}
    for j, parts in list(result.merged.items()):
        if j not in new_to_old and len(parts) >= 2:
            result.pairs[parts.pop(0)] = j
        elif j not in new_to_old:
            del result.merged[j]
    return result


def _best_container(part: _Node, candidates: Sequence[_Node]) -> int | None:
    scored = [
        (_containment(part, whole), k)
        for k, whole in enumerate(candidates)
        if whole.level == part.level and not whole.deleted
    ]
    if not scored:
        return None
    value, k = max(scored)
    return k if value >= CONTAINMENT_THRESHOLD else None


# --------------------------------------------------------------------------------------------
# Character-level changes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    key: Hashable
    start: int
    end: int


def _ref_number(match: re.Match[str]) -> str | None:
    try:
        number = str(parse_number(match.group("num")))
        if match.group("branch"):
            number += f"-{parse_number(match.group('branch'))}"
    except ValueError:
        return None
    return number


def _tokens(text: str, span: Span, ref_key: Callable[[str], Hashable]) -> list[_Token]:
    """The words of `text[span]` as diff tokens: one per character, keyed in NFKC so width is
    no change, with spaces and typesetting (see `decoration`) left out; an article reference
    or a number is one token.

    An explicit 第N条 is keyed by `ref_key(number)`, so that it compares by the article it
    points to; one into another document (利用規約第8条) by its words.
    """
    own = text[span.start : span.end]
    taken = [False] * len(own)
    refs: dict[int, tuple[int, Hashable]] = {}
    for lo, hi in decoration(own):
        taken[lo:hi] = [True] * (hi - lo)
    skipped = set(i for i, t in enumerate(taken) if t)

    def claim(lo: int, hi: int, key: Hashable) -> None:
        if lo < hi and not any(taken[lo:hi]):
            taken[lo:hi] = [True] * (hi - lo)
            refs[span.start + lo] = (span.start + hi, key)

    for match in _ARTICLE_REF.finditer(own):
        number = _ref_number(match)
        if number is None:
            continue
        external = _EXTERNAL_BEFORE.search(own[: match.start()]) is not None
        key: Hashable = ("ext", _plain(match.group())) if external else ("ref", ref_key(number))
        claim(match.start(), match.end(), key)
    for match in _NUMBER.finditer(own):
        number = match.group()[: len(match.group()) - len(match.group("dot") or "")]
        claim(match.start(), match.end(), unicodedata.normalize("NFKC", number))
    tokens: list[_Token] = []
    pos = span.start
    while pos < span.end:
        if pos in refs:
            end, key = refs[pos]
            tokens.append(_Token(key, pos, end))
            pos = end
            continue
        if pos - span.start not in skipped and not text[pos].isspace():
            tokens.append(_Token(unicodedata.normalize("NFKC", text[pos]), pos, pos + 1))
        pos += 1
    return tokens


Opcode = tuple[str, int, int, int, int]


def _cleanup(ops: Sequence[Opcode]) -> list[Opcode]:
    """Absorb one-character equal runs between two changes into one change (傍線 readability)."""
    merged: list[Opcode] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        absorbed = tag == "equal" and 0 < k < len(ops) - 1 and i2 - i1 <= SHORT_EQUAL_ABSORBED
        if tag == "equal" and not absorbed:
            merged.append((tag, i1, i2, j1, j2))
        elif merged and merged[-1][0] != "equal":
            _, pi1, _, pj1, _ = merged[-1]
            merged[-1] = ("change", pi1, i2, pj1, j2)
        else:
            merged.append(("change", i1, i2, j1, j2))
    return merged


def _op_tag(i1: int, i2: int, j1: int, j2: int) -> str:
    if i1 == i2:
        return "insert"
    if j1 == j2:
        return "delete"
    return "replace"


def _span_of(tokens: list[_Token], lo: int, hi: int, fallback: int) -> Span:
    if hi > lo:
        return Span(start=tokens[lo].start, end=tokens[hi - 1].end)
    if lo < len(tokens):
        return Span(start=tokens[lo].start, end=tokens[lo].start)
    if tokens:
        return Span(start=tokens[-1].end, end=tokens[-1].end)
    return Span(start=fallback, end=fallback)


Reference = tuple[int, int, tuple[Hashable, ...]]
"""A resolved cross-reference: its span in Document.text and its targets (as new paths)."""


_SENTENCE_END = "。\n"


def _sentence(text: str, span: Span, pos: int) -> tuple[int, int]:
    """The sentence of `text[span]` (cut after 。 and at line ends) holding position `pos`."""
    lo = max(text.rfind(ch, span.start, pos) for ch in _SENTENCE_END) + 1
    ends = [k for k in (text.find(ch, pos, span.end) for ch in _SENTENCE_END) if k >= 0]
    hi = min(ends) + 1 if ends else span.end
    return max(lo, span.start), min(hi, span.end)


def _sudachi() -> Any:
    """The SudachiPy tokenizer inside the process's one spaCy Language (mode A, as the
    extractors use), called directly: ten times faster than spaCy's Doc for word bounds."""
    from pipeline.extract.runner import get_nlp  # built lazily: only a changed text needs words

    tokenizer: Any = get_nlp().tokenizer  # spaCy's JapaneseTokenizer, holding SudachiPy's
    return tokenizer.tokenizer


class _WordBounds:
    """Where words (Sudachi tokens) begin in one provision's text, tokenizing on demand only the
    sentences a change touches: a long document is never tokenized whole for a small edit."""

    def __init__(self, text: str, span: Span, tokens: list[_Token]) -> None:
        self.text, self.span, self.tokens = text, span, tokens
        self.sentences: list[tuple[int, int, set[int]]] = []

    def before(self, k: int) -> bool:
        """Whether a word boundary lies before diff token `k` (0..len)."""
        if k <= 0 or k >= len(self.tokens):
            return True
        prev, cur = self.tokens[k - 1], self.tokens[k]
        if prev.end != cur.start or self.text[prev.start] in _SENTENCE_END:
            return True  # spaces, typesetting or a sentence end stand between them
        return cur.start in self._bounds(cur.start)

    def _bounds(self, pos: int) -> set[int]:
        for lo, hi, bounds in self.sentences:
            if lo <= pos < hi:
                return bounds
        lo, hi = _sentence(self.text, self.span, pos)
        words = _sudachi().tokenize(self.text[lo:hi])
        bounds = {lo + m.begin() for m in words} | {lo + m.end() for m in words}
        self.sentences.append((lo, hi, bounds))
        return bounds


Change = tuple[int, int, int, int]
"""A changed run: old tokens [i1, i2) became new tokens [j1, j2)."""


def _merge_touching(changes: list[Change]) -> list[Change]:
    merged: list[Change] = []
    for i1, i2, j1, j2 in changes:
        if merged and (i1 <= merged[-1][1] or j1 <= merged[-1][3]):
            p1, p2, q1, q2 = merged[-1]
            merged[-1] = (p1, max(p2, i2), q1, max(q2, j2))
        else:
            merged.append((i1, i2, j1, j2))
    return merged


def _widen(changes: list[Change], old: _WordBounds, new: _WordBounds) -> list[Change]:
    """Widen each change to whole words on both sides (コンピュータ → コンピューター, not 「ー」).

    Between two changes the tokens are equal one for one, so a change grows by the same count
    of tokens on each side, until a word boundary stands on both sides at once. Two changes
    with a single word between them are one change around it (接触 → 近接（接触を含む。）),
    not two insertions on either side of an unchanged word.
    """
    widened: list[Change] = []
    for k, (i1, i2, j1, j2) in enumerate(changes):
        lo_i, lo_j = (widened[-1][1], widened[-1][3]) if widened else (0, 0)
        while i1 > lo_i and j1 > lo_j and not (old.before(i1) and new.before(j1)):
            i1, j1 = i1 - 1, j1 - 1
        hi_i, hi_j = (
            (changes[k + 1][0], changes[k + 1][2])
            if k + 1 < len(changes)
            else (len(old.tokens), len(new.tokens))
        )
        while i2 < hi_i and j2 < hi_j and not (old.before(i2) and new.before(j2)):
            i2, j2 = i2 + 1, j2 + 1
        widened = _merge_touching([*widened, (i1, i2, j1, j2)])
    joined = widened[:1]
    for i1, i2, j1, j2 in widened[1:]:
        if _one_word(new, joined[-1][3], j1):
            joined[-1] = (joined[-1][0], i2, joined[-1][2], j2)
        else:
            joined.append((i1, i2, j1, j2))
    return joined


def _one_word(words: _WordBounds, lo: int, hi: int) -> bool:
    """Whether tokens [lo, hi) are one word of one sentence (no boundary inside them)."""
    return (
        hi - lo > 0
        and all(not words.before(k) for k in range(lo + 1, hi))
        and not any(words.text[words.tokens[k].start] in _SENTENCE_END for k in range(lo, hi))
    )


REWRITTEN_SENTENCE_SHARE = 0.5
"""Share of a sentence's words changed above which it shows as one replaced sentence."""


def _sentence_ids(tokens: list[_Token], text: str) -> list[int]:
    ids, current = [], 0
    for k, token in enumerate(tokens):
        if k and (
            text[tokens[k - 1].start] in _SENTENCE_END
            or "\n" in text[tokens[k - 1].end : token.start]
        ):
            current += 1
        ids.append(current)
    return ids


def _whole_sentences(changes: list[Change], b: list[_Token], new_text: str) -> list[Change]:
    """A sentence rewritten for the most part becomes one replacement of the whole sentence,
    so a long rewrite reads as old sentence → new sentence rather than scattered fragments."""
    if not changes or not b:
        return changes
    sid = _sentence_ids(b, new_text)
    out = list(changes)
    for sentence in sorted(set(sid)):
        members = [k for k in range(len(b)) if sid[k] == sentence]
        s, e = members[0], members[-1] + 1
        inside = [
            n
            for n, (_, _, j1, j2) in enumerate(out)
            if (j1 < e and j2 > s) or (j1 == j2 and s <= j1 < e)
        ]
        if not inside:
            continue
        changed_new = sum(min(out[n][3], e) - max(out[n][2], s) for n in inside)
        changed_old = sum(out[n][1] - out[n][0] for n in inside)
        total = 2 * (e - s) - changed_new + changed_old
        if total == 0 or (changed_new + changed_old) / total <= REWRITTEN_SENTENCE_SHARE:
            continue
        first, last = out[inside[0]], out[inside[-1]]
        i1, j1 = first[0], first[2]
        if j1 > s:
            i1, j1 = i1 - (j1 - s), s
        i2, j2 = last[1], last[3]
        if j2 < e:
            i2, j2 = i2 + (e - j2), e
        out = _merge_touching(
            sorted([*(c for n, c in enumerate(out) if n not in inside), (i1, i2, j1, j2)])
        )
    return out


def _lines(tokens: list[_Token], text: str) -> list[tuple[int, int]]:
    """Token ranges of the lines of a text (lines left after wrapped lines were joined)."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(tokens) + 1):
        if k == len(tokens) or "\n" in text[tokens[k - 1].end : tokens[k].start]:
            ranges.append((start, k))
            start = k
    return ranges


def _token_ops(a: Sequence[_Token], b: Sequence[_Token], i0: int, j0: int) -> list[Opcode]:
    matcher = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    return [
        (tag, i1 + i0, i2 + i0, j1 + j0, j2 + j0) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _opcodes(a: list[_Token], b: list[_Token], old_text: str, new_text: str) -> list[Opcode]:
    """Opcodes over the two token lists, lines first: the lines that survive normalization
    are real breaks (rows of a flattened table, lines of a list), so where both versions have
    the same number of changed lines they pair line by line and no word matches across them
    (980円 in one row is not 980円 in the next)."""
    la, lb = _lines(a, old_text), _lines(b, new_text)
    if len(la) <= 1 or len(lb) <= 1:
        return _token_ops(a, b, 0, 0)
    keys_a = [tuple(t.key for t in a[s:e]) for s, e in la]
    keys_b = [tuple(t.key for t in b[s:e]) for s, e in lb]

    def bounds(lines: list[tuple[int, int]], lo: int, hi: int, size: int) -> tuple[int, int]:
        if lo < hi:
            return lines[lo][0], lines[hi - 1][1]
        at = lines[lo][0] if lo < len(lines) else size
        return at, at

    ops: list[Opcode] = []
    line_ops = SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in line_ops:
        (x1, x2), (y1, y2) = bounds(la, i1, i2, len(a)), bounds(lb, j1, j2, len(b))
        if tag == "equal":
            ops.append(("equal", x1, x2, y1, y2))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for (p1, p2), (q1, q2) in zip(la[i1:i2], lb[j1:j2], strict=True):
                ops.extend(_token_ops(a[p1:p2], b[q1:q2], p1, q1))
        else:
            ops.extend(_token_ops(a[x1:x2], b[y1:y2], x1, y1))
    # Adjacent runs of one kind (two equal lines) become one, as difflib would give them.
    merged: list[Opcode] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0] == "equal":
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    return merged


def _target_label(target: Hashable) -> str:
    """A reference's target for a reader: 第6条, or 旧第6条 for one the new version lost."""
    if isinstance(target, tuple):
        return "旧" + path_label(str(target[-1]))
    return path_label(str(target))


def char_changes(
    old_text: str,
    old_span: Span,
    new_text: str,
    new_span: Span,
    old_ref: Callable[[str], Hashable],
    new_ref: Callable[[str], Hashable],
    old_refs: Sequence[Reference] = (),
    new_refs: Sequence[Reference] = (),
    lang: str = "ja",
) -> list[ChangedSpan]:
    """Changes between two provisions' own texts in whole words, typesetting ignored.

    `old_refs`/`new_refs` are the resolved references in each text: one whose words are
    unchanged but whose target differs (前条 after an inserted article) is a change too.
    """
    a = _tokens(old_text, old_span, old_ref)
    b = _tokens(new_text, new_span, new_ref)
    opcodes = _opcodes(a, b, old_text, new_text)
    found = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in _cleanup(opcodes) if tag != "equal"]
    if found:
        found = _widen(
            found, _WordBounds(old_text, old_span, a), _WordBounds(new_text, new_span, b)
        )
        found = _whole_sentences(found, b, new_text)
    changes: list[ChangedSpan] = []
    for i1, i2, j1, j2 in found:
        o = _span_of(a, i1, i2, old_span.start)
        n = _span_of(b, j1, j2, new_span.start)
        changes.append(
            ChangedSpan(
                op=_op_tag(i1, i2, j1, j2),
                old=o,
                new=n,
                old_text=old_text[o.start : o.end],
                new_text=new_text[n.start : n.end],
            )
        )
    # Same words, other target: pair references whose first tokens the diff kept equal.
    moved_to = {
        a[i1 + k].start: b[j1 + k].start
        for tag, i1, i2, j1, _ in opcodes
        if tag == "equal"
        for k in range(i2 - i1)
    }
    new_at = {start: (end, targets) for start, end, targets in new_refs}
    for start, end, targets in old_refs:
        there = moved_to.get(start)
        if there is None or there not in new_at:
            continue
        new_end, new_targets = new_at[there]
        if set(targets) != set(new_targets):
            was = "、".join(_target_label(t) for t in targets)
            now = "、".join(_target_label(t) for t in new_targets)
            changes.append(
                ChangedSpan(
                    op="replace",
                    old=Span(start=start, end=end),
                    new=Span(start=there, end=new_end),
                    old_text=old_text[start:end],
                    new_text=new_text[there:new_end],
                    note=f"参照先 {was} → {now}"
                    if lang == "ja"
                    else f"refers to {now} instead of {was}",
                )
            )
    return sorted(changes, key=lambda c: c.new.start)


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


def _extractions_in(doc: Document, span: Span | None) -> list[Extraction]:
    if span is None:
        return []
    return sorted(
        (
            e
            for e in doc.extractions
            if e.kind in PARAMETER_KINDS
            and span.start <= e.span.start < max(span.end, span.start + 1)
        ),
        key=lambda e: e.span.start,
    )


def _value_key(extraction: Extraction) -> str:
    return extraction.value.model_dump_json()


def parameter_changes(
    old: Document,
    old_node: _Node | None,
    new: Document,
    new_node: _Node | None,
    label: str,
    lang: str = "ja",
) -> list[ParameterChange]:
    """Extracted values of one aligned pair (own text only) that differ, kind by kind."""
    olds = _extractions_in(old, old_node.own if old_node else None)
    news = _extractions_in(new, new_node.own if new_node else None)
    old_path, new_path = old_node.path if old_node else None, new_node.path if new_node else None
    return compare_values(olds, news, label, old_path, new_path, lang)


def _subtree_extractions(doc: Document, node: _Node) -> list[Extraction]:
    found = _extractions_in(doc, node.own)
    for child in node.children:
        found.extend(_subtree_extractions(doc, child))
    return found


def compare_values(
    olds: list[Extraction],
    news: list[Extraction],
    label: str,
    old_path: str | None,
    new_path: str | None,
    lang: str = "ja",
) -> list[ParameterChange]:
    """Pair old and new values kind by kind and report the pairs that differ."""
    changes: list[ParameterChange] = []
    for kind in PARAMETER_KINDS:
        a = [e for e in olds if e.kind == kind]
        b = [e for e in news if e.kind == kind]
        if not a and not b:
            continue
        # The same count means the values kept their places: pair them in order. Otherwise
        # unchanged values anchor the pairing and the rest pair in order between them.
        matcher = SequenceMatcher(
            None, [_value_key(e) for e in a], [_value_key(e) for e in b], autojunk=False
        )
        opcodes = [("replace", 0, len(a), 0, len(b))] if len(a) == len(b) else matcher.get_opcodes()
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                x = left[k] if k < len(left) else None
                y = right[k] if k < len(right) else None
                if x is not None and y is not None and _value_key(x) == _value_key(y):
                    continue
                changes.append(_parameter_change(kind, label, x, y, old_path, new_path, lang))
    return changes


def _parameter_change(
    kind: str,
    label: str,
    a: Extraction | None,
    b: Extraction | None,
    old_path: str | None,
    new_path: str | None,
    lang: str,
) -> ParameterChange:
    old_text = a.text if a else None
    new_text = b.text if b else None
    words = _WORDS[lang]
    return ParameterChange(
        kind=kind,
        label=label,
        old_path=a.path if a else old_path,
        new_path=b.path if b else new_path,
        old_text=old_text,
        new_text=new_text,
        old_span=a.span if a else None,
        new_span=b.span if b else None,
        old_value=a.value if a else None,
        new_value=b.value if b else None,
        summary=f"{label}: {words[kind]} {old_text or words['none']} → {new_text or words['none']}",
    )


# --------------------------------------------------------------------------------------------
# Building the DocumentDiff
# --------------------------------------------------------------------------------------------


class _Differ:
    """Holds the two documents and the article number map while the tree is compared."""

    def __init__(self, old: Document, new: Document, lang: str = "ja") -> None:
        self.old = old
        self.new = new
        self.lang = lang
        self.typesetting_only = 0
        self.old_articles: set[str] = set()
        self.old_paths: set[str] = set()
        self.part_labels: dict[str, dict[str, str]] = {"old": {}, "new": {}}
        self.new_articles: set[str] = set()
        self.path_map: dict[str, str] = {}
        self._alignments: dict[tuple[int, int], _Alignment] = {}

    def _align(self, old: list[_Node], new: list[_Node]) -> _Alignment:
        key = (id(old), id(new))
        if key not in self._alignments:
            self._alignments[key] = align(old, new)
        return self._alignments[key]

    def _map_paths(self, old: list[_Node], new: list[_Node]) -> None:
        """Old path → new path of every aligned provision (a split's whole → its first part)."""
        alignment = self._align(old, new)
        for i, j in alignment.pairs.items():
            if new[j].deleted:
                continue
            self.path_map[old[i].path] = new[j].path
            self._map_paths(old[i].children, new[j].children)

    # References are keyed by what they point to, old targets translated to new paths, so a
    # reference renumbered along with its target is no change, and one that now points
    # elsewhere (前条 after an insertion) is one even though its words are the same.
    # A 第N条 written inside one document of a bundle points into that document (part).
    # A 第N条 that is no article of its document (a statute's, in a note) is the same words
    # on both sides.
    def old_ref(self, within: str) -> Callable[[str], Hashable]:
        prefix = _part_of(within)

        def key(number: str) -> Hashable:
            target = f"{prefix}art:{number}"
            return self._map_target(target) if target in self.old_articles else ("none", target)

        return key

    def new_ref(self, within: str) -> Callable[[str], Hashable]:
        prefix = _part_of(within)

        def key(number: str) -> Hashable:
            target = f"{prefix}art:{number}"
            return target if target in self.new_articles else ("none", target)

        return key

    def _map_target(self, target: str) -> Hashable:
        parts = target.split("/")
        for k in range(len(parts), 0, -1):
            mapped = self.path_map.get("/".join(parts[:k]))
            if mapped is not None:
                return "/".join([mapped, *parts[k:]])
        if any("/".join(parts[:k]) in self.old_paths for k in range(1, len(parts) + 1)):
            return ("gone", target)  # a provision of the old version the new one lost
        return target  # not a provision the versions are aligned by (a 章): its path as is

    def _resolved_refs(self, side: str, span: Span) -> list[Reference]:
        """Resolved references in `span`; old targets as the new paths they became."""
        doc = self.old if side == "old" else self.new
        found: list[Reference] = []
        for e in doc.extractions:
            value = e.value
            if (
                value.kind == "crossref"
                and not value.external
                and value.resolved
                and value.targets
                and span.start <= e.span.start
                and e.span.end <= span.end
            ):
                targets = tuple(self._map_target(t) if side == "old" else t for t in value.targets)
                found.append((e.span.start, e.span.end, targets))
        return found

    def run(self) -> DocumentDiff:
        old_nodes = _top_nodes(self.old)
        new_nodes = _top_nodes(self.new)
        self.old_paths = _all_paths(old_nodes)
        self.part_labels = {
            side: {f"{node.path}/": node.label for node in nodes if node.level == "part"}
            for side, nodes in (("old", old_nodes), ("new", new_nodes))
        }
        self.old_articles = _article_paths(old_nodes)
        self.new_articles = _article_paths(new_nodes)
        self._map_paths(old_nodes, new_nodes)
        alignment = self._align(old_nodes, new_nodes)
        rows = self._rows(old_nodes, new_nodes, alignment, context=None)
        edits = _edits(rows, _WORDS[self.lang])
        parameters = [p for row in rows for p in _all_parameters(row)]
        return DocumentDiff(
            old=_side(self.old),
            new=_side(self.new),
            provisions=rows,
            edits=edits,
            parameter_changes=parameters,
            typesetting_only=self.typesetting_only,
        )

    def _rows(
        self,
        old: Sequence[_Node],
        new: Sequence[_Node],
        alignment: _Alignment,
        context: tuple[_Node | None, _Node | None] | None,
    ) -> list[ProvisionDiff]:
        """The aligned pairs in reading order: new order, old-only ones where they stood."""
        new_to_old = {j: i for i, j in alignment.pairs.items()}
        split_of = {j: i for i, parts in alignment.split.items() for j in parts}
        merged_into = {i: j for j, parts in alignment.merged.items() for i in parts}
        rows: list[ProvisionDiff] = []
        next_old = 0

        def flush_old(upto: int) -> None:
            nonlocal next_old
            while next_old <= upto and next_old < len(old):
                if next_old not in alignment.pairs and next_old not in merged_into:
                    rows.append(self._pair(old[next_old], None, "deleted", context))
                next_old += 1

        for j, node in enumerate(new):
            i = new_to_old.get(j)
            if i is not None and i not in alignment.moved:
                flush_old(i)
            if i is not None:
                status = self._status(old[i], node, i in alignment.moved, i != j)
                row = self._pair(old[i], node, status, context)
                if i in alignment.split:
                    row.status = "split"
                    row.related = [new[k].path for k in alignment.split[i]]
                if j in alignment.merged:
                    row.status = "merged"
                    row.related = [old[k].path for k in alignment.merged[j]]
                group = [(i, row)]
                for k in alignment.merged.get(j, []):
                    extra = self._pair(old[k], None, "deleted", context)
                    _regroup(extra, "merged", new=node)
                    extra.related = [old[x].path for x in (i, *alignment.merged[j]) if x != k]
                    group.append((k, extra))
                rows.extend(r for _, r in sorted(group, key=lambda g: g[0]))  # in old order
                if i in alignment.split or j in alignment.merged:
                    olds = [old[i], *(old[k] for k in alignment.merged.get(j, []))]
                    news = [node, *(new[k] for k in alignment.split.get(i, []))]
                    self._group_parameters(row, olds, news)
            elif j in split_of:
                whole = split_of[j]
                row = self._pair(None, node, "added", context)
                _regroup(row, "split", old=old[whole])
                row.related = [
                    new[k].path for k in (alignment.pairs[whole], *alignment.split[whole]) if k != j
                ]
                rows.append(row)
            else:
                rows.append(self._pair(None, node, "added", context))
        flush_old(len(old) - 1)
        return rows

    def _group_parameters(self, row: ProvisionDiff, olds: list[_Node], news: list[_Node]) -> None:
        """A split or merge compares the values of all its parts at once, on its first row."""
        _strip_parameters(row)
        old_values = [e for n in olds for e in _subtree_extractions(self.old, n)]
        new_values = [e for n in news for e in _subtree_extractions(self.new, n)]
        row.parameter_changes = compare_values(
            old_values, new_values, row.label, row.old_path, row.new_path, self.lang
        )

    def _status(self, a: _Node, b: _Node, moved: bool, shifted: bool) -> DiffStatus:
        """How an aligned pair relates; `shifted`: it stands at another place among siblings."""
        if b.deleted and not a.deleted:
            return "deleted"
        if moved:
            return "moved"
        # Articles and 別表 are cited by number, so their number is what counts. Below them the
        # marker is typesetting (1. / 一 / (1) / ⑴ / ① at one level, or Markdown's '1.' for
        # every item): a pair renumbers only when an insertion or deletion shifted it and its
        # number differs (an item numbered 1.1.2 in both, under a new 1.1.1, keeps its number).
        if a.level in ("article", "appendix"):
            return "renumbered" if a.number != b.number else "modified"
        # A document of a bundle is known by its title, not its place: none renumbers.
        if a.level in ("paragraph", "item") and shifted and a.number != b.number:
            return "renumbered"
        return "modified"  # downgraded to unchanged in _pair when nothing changed

    def _restyled(self, a: _Node, b: _Node) -> bool:
        """Whether the pair's own text or title reads differently on the page."""
        own_a = self.old.text[a.own.start : a.own.end] if a.own else ""
        own_b = self.new.text[b.own.start : b.own.end] if b.own else ""
        return _squash(own_a) != _squash(own_b) or _squash(a.title or "") != _squash(b.title or "")

    def _pair(
        self,
        a: _Node | None,
        b: _Node | None,
        status: DiffStatus,
        context: tuple[_Node | None, _Node | None] | None,
    ) -> ProvisionDiff:
        node = b or a
        assert node is not None
        article_a = a if node.level == "article" else (context[0] if context else None)
        article_b = b if node.level == "article" else (context[1] if context else None)
        row = ProvisionDiff(
            level=node.level,
            status=status,
            old_path=a.path if a else None,
            new_path=b.path if b else None,
            old_label=a.label if a else None,
            new_label=b.label if b else None,
            old_title=a.title if a else None,
            new_title=b.title if b else None,
            similarity=round(similarity(a, b), 4) if a and b else 0.0,
        )
        if status == "deleted":
            label = _label(a, None, article_a, None)
        else:
            label = _label(a, b, article_a, article_b)
        if b is not None and status != "deleted":
            part = self.part_labels["new"].get(_part_of(b.path))
        else:
            part = self.part_labels["old"].get(_part_of(node.path if a is None else a.path))
        if part and node.level != "part":
            label = f"〔{part}〕{label}"  # which document of the bundle
        row.label = label
        if a is not None and a.own is not None:
            row.old_text, row.old_text_span = self.old.text[a.own.start : a.own.end], a.own
        if b is not None and b.own is not None:
            row.new_text, row.new_text_span = self.new.text[b.own.start : b.own.end], b.own
        if a is not None and b is not None and status != "deleted":
            row.title_changed = _plain(a.title or "") != _plain(b.title or "")
            if a.own is not None and b.own is not None:
                row.spans = char_changes(
                    self.old.text,
                    a.own,
                    self.new.text,
                    b.own,
                    self.old_ref(a.path),
                    self.new_ref(b.path),
                    self._resolved_refs("old", a.own),
                    self._resolved_refs("new", b.own),
                    self.lang,
                )
            row.text_changed = bool(row.spans)
            if self._restyled(a, b) and not row.spans and not row.title_changed:
                self.typesetting_only += 1
            if row.text_changed:
                row.parameter_changes = parameter_changes(
                    self.old, a, self.new, b, label, self.lang
                )
            child_context = (
                (a, b)
                if node.level != "paragraph" and node.level != "item"
                else (context if context else (None, None))
            )
            row.children = self._rows(
                a.children, b.children, self._align(a.children, b.children), child_context
            )
            changed = (
                row.title_changed
                or row.text_changed
                or any(c.status != "unchanged" for c in row.children)
            )
            if status == "modified" and not changed:
                row.status = "unchanged"
        elif status == "added" and b is not None:
            row.parameter_changes = parameter_changes(self.old, None, self.new, b, label, self.lang)
            inner = (None, b) if node.level not in ("paragraph", "item") else context
            row.children = [self._pair(None, c, "added", inner) for c in b.children]
        elif a is not None:
            row.parameter_changes = parameter_changes(self.old, a, self.new, None, label, self.lang)
            inner = (a, None) if node.level not in ("paragraph", "item") else context
            row.children = [self._pair(c, None, "deleted", inner) for c in a.children]
        return row


def _strip_parameters(row: ProvisionDiff) -> None:
    row.parameter_changes = []
    for child in row.children:
        _strip_parameters(child)


def _regroup(
    row: ProvisionDiff, status: DiffStatus, *, old: _Node | None = None, new: _Node | None = None
) -> None:
    """Make a one-sided row a part of a split (its old whole) or of a merge (its new whole)."""
    row.status = status
    _strip_parameters(row)
    if old is not None:
        row.old_path, row.old_label, row.old_title = old.path, old.label, old.title
    if new is not None:
        row.new_path, row.new_label, row.new_title = new.path, new.label, new.title


def _label(a: _Node | None, b: _Node | None, art_a: _Node | None, art_b: _Node | None) -> str:
    """'第24条 遅延損害金', '第6条第2項 利用契約の成立', '第13条第1項(3) 利用の停止'."""
    node = b or a
    article = art_b if b is not None else art_a
    assert node is not None
    if node.level in ("preamble", "supplementary", "closing", "part"):
        return node.label
    if article is None or node.level == "article":
        head = node.label
        title = node.title
    elif node.outline:
        head, title = node.label, article.title  # 1.1.3 says where it stands by itself
    else:
        head = article.label + _sub_label(article, node)
        title = article.title if article.title != article.label else None
    return f"{head} {title}" if title else head


def _sub_label(article: _Node, node: _Node) -> str:
    for paragraph in article.children:
        if paragraph is node:
            return paragraph.label if len(article.children) > 1 else ""
        trail = _find_item(paragraph, node)
        if trail is not None:
            head = paragraph.label if len(article.children) > 1 else ""
            return head + "".join(trail)
    return ""


def _find_item(parent: _Node, target: _Node) -> list[str] | None:
    for child in parent.children:
        if child is target:
            return [child.label]
        deeper = _find_item(child, target)
        if deeper is not None:
            return [child.label, *deeper]
    return None


def _side(doc: Document) -> DiffSide:
    return DiffSide(
        id=doc.id,
        path=doc.source.path,
        title=doc.title,
        version=doc.version,
        effective_date=doc.effective_date,
    )


def _all_parameters(row: ProvisionDiff) -> Iterable[ParameterChange]:
    yield from row.parameter_changes
    for child in row.children:
        yield from _all_parameters(child)


# --------------------------------------------------------------------------------------------
# Edits: each change reported once
# --------------------------------------------------------------------------------------------

_STRUCTURAL = ("added", "deleted", "moved", "split", "merged")

_WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "added": "追加",
        "deleted": "削除",
        "modified": "変更",
        "renumbered": "条番号変更",
        "renumbered:paragraph": "項番号変更",
        "renumbered:item": "号番号変更",
        "renumbered:appendix": "別表番号変更",
        "moved": "移動",
        "split": "分割",
        "merged": "統合",
        "retitled": "見出し変更",
        "rewritten": "全文変更",
        "insert": "「{}」を追加",
        "delete": "「{}」を削除",
        "none": "(なし)",
        "deleted_as": "（{} 削除）",
        "period": "期間",
        "percentage": "割合",
        "fraction": "分数",
        "amount": "金額",
        "date": "日付",
        "to": "〜",
    },
    "en": {
        "added": "added",
        "deleted": "deleted",
        "modified": "modified",
        "renumbered": "renumbered",
        "renumbered:paragraph": "paragraphs renumbered",
        "renumbered:item": "items renumbered",
        "renumbered:appendix": "appendices renumbered",
        "moved": "moved",
        "split": "split",
        "merged": "merged",
        "retitled": "retitled",
        "rewritten": "rewritten",
        "insert": "「{}」 added",
        "delete": "「{}」 deleted",
        "none": "(none)",
        "deleted_as": " ({} deleted)",
        "period": "period",
        "percentage": "percentage",
        "fraction": "fraction",
        "amount": "amount",
        "date": "date",
        "to": "–",
    },
}
"""The words of summaries, by language; labels from the document (第7条, 見出し) stay as written."""


def _where(row: ProvisionDiff) -> str:
    old, new = row.old_label, row.new_label
    if old and new and old != new and row.level == "article" and row.status != "deleted":
        return f"{old} → {row.label}"
    return row.label


def _span_summary(change: ChangedSpan, words: dict[str, str]) -> str:
    if change.note:
        return f"「{change.new_text}」({change.note})"
    if change.op == "insert":
        return words["insert"].format(change.new_text)
    if change.op == "delete":
        return words["delete"].format(change.old_text)
    return f"「{change.old_text}」→「{change.new_text}」"


def _describe(row: ProvisionDiff, words: dict[str, str]) -> str:
    parts = [_span_summary(s, words) for s in row.spans[:3]]
    more = f" (+{len(row.spans) - 3})" if len(row.spans) > 3 else ""
    none = words["none"]
    values = "".join(
        f"; {words[p.kind]} {p.old_text or none} → {p.new_text or none}"
        for p in row.parameter_changes
    )
    return f"{_where(row)}: " + ", ".join(parts) + more + values


def _renumbering_runs(rows: list[ProvisionDiff]) -> list[list[int]]:
    """Maximal runs of consecutive renumbered pairs (an article reduced to 削除 under a shifted
    number included: the run goes on through it)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for k, row in enumerate(rows):
        both = row.old_path is not None and row.new_path is not None
        if row.status == "renumbered" or (
            both and row.status == "deleted" and row.old_label != row.new_label
        ):
            current.append(k)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def path_label(path: str) -> str:
    """'art:37' → '第37条'; other paths as they are."""
    return article_label(path[4:]) if path.startswith("art:") and "/" not in path else path


_POSITION_UNIT = {"paragraph": "項", "item": "号"}
_OUTLINE_NUMBER = re.compile(r"\d+(?:\.\d+)+")


def _number_label(row: ProvisionDiff, side: str) -> str:
    """A provision's number for a renumbering: articles as numbered (第7条); paragraphs and
    items by position (第3号), since their markers may be typesetting (Markdown's '1.')."""
    label = row.old_label if side == "old" else row.new_label
    path = row.old_path if side == "old" else row.new_path
    unit = _POSITION_UNIT.get(row.level)
    if unit is None or path is None or (label and _OUTLINE_NUMBER.fullmatch(label)):
        return label or ""
    return f"第{path.rsplit(':', 1)[-1]}{unit}"


def _renumbering_span(rows: list[ProvisionDiff], words: dict[str, str]) -> str:
    """'第7条〜第14条 → 第8条〜第15条', or '第7条 → 第8条' for one."""
    first, last = rows[0], rows[-1]

    def side(name: str) -> str:
        a, b = _number_label(first, name), _number_label(last, name)
        return a if first is last else f"{a}{words['to']}{b}"

    return f"{side('old')} → {side('new')}"


def _renumbering_word(level: str, words: dict[str, str]) -> str:
    return words.get(f"renumbered:{level}", words["renumbered"])


def _structural_edit(row: ProvisionDiff, words: dict[str, str]) -> Edit:
    where = _where(row)
    if row.status == "split":
        parts = [row.new_path or "", *row.related]
        where = f"{row.label} → " + "、".join(path_label(p) for p in parts)
    elif row.status == "merged":
        parts = [row.old_path or "", *row.related]
        where = "、".join(path_label(p) for p in sorted(parts, key=_path_order)) + f" → {row.label}"
    deleted_as = (
        words["deleted_as"].format(row.new_label)
        if row.status == "deleted" and row.new_label
        else ""
    )
    return Edit(
        status=row.status,
        level=row.level,
        old_path=row.old_path,
        new_path=row.new_path,
        related=row.related,
        summary=f"{where}: {words[row.status]}{deleted_as}",
    )


def _path_order(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def _edits(rows: list[ProvisionDiff], words: dict[str, str], within: str = "") -> list[Edit]:
    """Each edit among sibling pairs once, then the edits inside each pair, in reading order.

    `within` names the parent provision, so that a renumbering below an article names it.
    """
    structural: dict[int, Edit] = {}
    for k, row in enumerate(rows):
        if row.status not in _STRUCTURAL:
            continue
        if row.status in ("split", "merged") and any(
            e.status == row.status
            and {e.old_path, e.new_path} & {row.old_path, row.new_path, *row.related}
            for e in structural.values()
        ):
            continue
        structural[k] = _structural_edit(row, words)
    # A renumbering is the consequence of the insertion, deletion or move nearest before it.
    standalone: dict[int, Edit] = {}
    for run in _renumbering_runs(rows):
        pairs = [(rows[k].old_path or "", rows[k].new_path or "") for k in run]
        first = rows[run[0]]
        span = _renumbering_span([rows[k] for k in run], words)
        word = _renumbering_word(first.level, words)
        before = [k for k in structural if k < run[0]]
        after = [k for k in structural if k > run[-1]]
        if before or after:
            cause = structural[before[-1] if before else after[0]]
            cause.renumbered.extend(pairs)
            cause.summary += f"; {word} {within}{span}"
        else:
            standalone[run[0]] = Edit(
                status="renumbered",
                level=first.level,
                old_path=first.old_path,
                new_path=first.new_path,
                renumbered=pairs,
                summary=f"{word} {within}{span}",
            )
    edits: list[Edit] = []
    for k, row in enumerate(rows):
        edits.extend(e for e in (structural.get(k), standalone.get(k)) if e is not None)
        if (
            row.old_path is None
            or row.new_path is None
            or row.status in ("deleted", "split", "merged")
        ):
            continue
        if row.title_changed:
            edits.append(
                Edit(
                    status="retitled",
                    level=row.level,
                    old_path=row.old_path,
                    new_path=row.new_path,
                    summary=f"{_where(row)}: （{row.old_title}） → （{row.new_title}）",
                )
            )
        # Every old part gone and every new part new: one rewrite, not a list of parts.
        rewritten = (
            any(c.old_path is None for c in row.children)
            and any(c.new_path is None for c in row.children)
            and all(c.old_path is None or c.new_path is None for c in row.children)
        )
        if row.text_changed or rewritten:
            summary = f"{_where(row)}: {words['rewritten']}" if rewritten else _describe(row, words)
            edits.append(
                Edit(
                    status="modified",
                    level=row.level,
                    old_path=row.old_path,
                    new_path=row.new_path,
                    summary=summary,
                )
            )
        if not rewritten:
            inner = (row.new_label or "") if row.level in ("article", "supplementary") else within
            found = _edits(row.children, words, inner)
            edits.extend(found)
    return edits


def named_parameter_changes(old: Document, new: Document, rules: str | None = None) -> list[str]:
    """Names of the rule model's parameters whose value differs between the versions (the
    model named by `rules`, else the new version's family model). In a bundle each document
    is checked against its counterpart of the same title, and a name says which document
    ('メディカルレスキュー利用規約: late_fee')."""
    from pipeline.rules import parameter_payload, rules_for, validate
    from pipeline.structure.parts import part_documents

    def payloads(document: Document) -> dict[str, dict[str, str | None]]:
        found: dict[str, dict[str, str | None]] = {}
        for part in part_documents(document):
            payload = parameter_payload(part, validate(part, rules_for(part, rules)))
            found[(part.title or "") if document.parts else ""] = {
                name: entry.value.model_dump_json() if entry.value else None
                for name, entry in payload.parameters.items()
            }
        return found

    before, after = payloads(old), payloads(new)
    changed = []
    for document in sorted(set(before) | set(after)):
        a, b = before.get(document, {}), after.get(document, {})
        where = f"{document}: " if document else ""
        changed += [where + name for name in sorted(set(a) | set(b)) if a.get(name) != b.get(name)]
    return changed


def diff(old: Document, new: Document, lang: str = "ja") -> DocumentDiff:
    """Align `old` and `new` provision by provision and report what changed (新旧対照).

    `lang` ('ja' or 'en') is the language of the summaries; the JSON keys never change.
    """
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r} (use ja or en)")
    return _Differ(old, new, lang).run()
