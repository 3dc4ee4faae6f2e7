"""Version diff: align two Documents provision by provision (新旧対照) and mark what changed.

Alignment runs the same three passes at every level (articles, paragraphs, items):

1. an order-preserving alignment maximising content similarity, with a bonus for the same title
   and a smaller one for the same number, so an insertion or a deletion shifts the numbering of
   everything after it without turning into a cascade of changes;
2. in each gap between aligned pairs, equal runs of leftovers pair up in order when they share a
   number or a title (a provision rewritten in place);
3. leftovers that match out of order are moves; leftovers whose text is contained in another
   provision are the parts of a split (one old, several new) or a merge (several old, one new).

Character-level changes come from difflib on characters (Japanese has no word spaces),
whitespace ignored, and an explicit article reference (第13条) counts as one token keyed by the
article it points to after alignment: a reference renumbered along with its target is no change.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from extractors.numerals import NUMERAL_PATTERN, parse_number
from pipeline.models import (
    Article,
    ChangedSpan,
    DiffLevel,
    DiffSide,
    DiffStatus,
    Document,
    DocumentDiff,
    Edit,
    Extraction,
    Item,
    Paragraph,
    ParameterChange,
    ProvisionDiff,
    Span,
)
from pipeline.parts import part_documents

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
_NUMBER = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*")
"""A number is one token: 14.6 → 14.5 is one replacement, not a changed last digit."""
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


def _squash(text: str) -> str:
    return _WS.sub("", text)


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _finish(node: _Node, text: str) -> _Node:
    own = _squash(text[node.own.start : node.own.end]) if node.own else ""
    title = _squash(node.title or "")
    node.content = title + own + "".join(child.content for child in node.children)
    node.bigrams = _bigrams(node.content)
    return node


def article_label(number: str) -> str:
    """'13' → '第13条', '5-2' → '第5条の2'."""
    main, _, branch = number.partition("-")
    return f"第{main}条" + (f"の{branch}" if branch else "")


def _item_node(item: Item, text: str) -> _Node:
    children = [_item_node(sub, text) for sub in item.items]
    node = _Node(
        "item", item.path, item.marker, str(item.ordinal), None, item.text_span, False, children
    )
    return _finish(node, text)


def _paragraph_node(paragraph: Paragraph, text: str) -> _Node:
    children = [_item_node(item, text) for item in paragraph.items]
    node = _Node(
        "paragraph",
        paragraph.path,
        f"第{paragraph.number}項",
        str(paragraph.number),
        None,
        paragraph.text_span,
        False,
        children,
    )
    return _finish(node, text)


def _article_node(article: Article, text: str) -> _Node:
    children = [_paragraph_node(p, text) for p in article.paragraphs]
    node = _Node(
        "article",
        article.path,
        article_label(article.number),
        article.number,
        article.title,
        None,  # an article's own text is its heading: number and title are compared apart
        article.deleted,
        children,
    )
    return _finish(node, text)


def _top_nodes(document: Document) -> list[_Node]:
    # A bundle's parts are aligned one after another, each with its own provisions.
    return [node for part in part_documents(document) for node in _document_nodes(part)]


def _document_nodes(doc: Document) -> list[_Node]:
    text = doc.text
    nodes: list[_Node] = []
    if doc.preamble is not None:
        nodes.append(
            _finish(
                _Node(
                    "preamble",
                    doc.preamble.path,
                    "前文",
                    None,
                    None,
                    doc.preamble.text_span,
                    False,
                    [],
                ),
                text,
            )
        )
    nodes.extend(_article_node(a, text) for a in doc.articles)
    for supp in doc.supplementary:
        children = [_paragraph_node(p, text) for p in supp.paragraphs]
        nodes.append(
            _finish(
                _Node(
                    "supplementary",
                    supp.path,
                    supp.title,
                    None,
                    None,
                    None,
                    False,
                    children,
                ),
                text,
            )
        )
    for appendix in doc.appendices:
        items = [_item_node(item, text) for item in appendix.items]
        node = _Node(
            "appendix",
            appendix.path,
            appendix.heading,
            appendix.number,
            appendix.title,
            appendix.text_span,
            False,
            items,
        )
        nodes.append(_finish(node, text))
    if doc.closing is not None:
        closing = _Node(
            "closing", doc.closing.path, "末尾", None, None, doc.closing.text_span, False, []
        )
        nodes.append(_finish(closing, text))
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
    return bool(a.title and b.title and _squash(a.title) == _squash(b.title))


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
    """Non-space characters of `text[span]`; an article reference or a number is one token.

    An explicit 第N条 is keyed by `ref_key(number)`, so that it compares by the article it
    points to; one into another document (利用規約第8条) by its words.
    """
    own = text[span.start : span.end]
    taken = [False] * len(own)
    refs: dict[int, tuple[int, Hashable]] = {}

    def claim(lo: int, hi: int, key: Hashable) -> None:
        if lo < hi and not any(taken[lo:hi]):
            taken[lo:hi] = [True] * (hi - lo)
            refs[span.start + lo] = (span.start + hi, key)

    for match in _ARTICLE_REF.finditer(own):
        number = _ref_number(match)
        if number is None:
            continue
        external = _EXTERNAL_BEFORE.search(own[: match.start()]) is not None
        key: Hashable = ("ext", _squash(match.group())) if external else ("ref", ref_key(number))
        claim(match.start(), match.end(), key)
    for match in _NUMBER.finditer(own):
        claim(match.start(), match.end(), match.group())
    tokens: list[_Token] = []
    pos = span.start
    while pos < span.end:
        if pos in refs:
            end, key = refs[pos]
            tokens.append(_Token(key, pos, end))
            pos = end
            continue
        if not text[pos].isspace():
            tokens.append(_Token(text[pos], pos, pos + 1))
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


def char_changes(
    old_text: str,
    old_span: Span,
    new_text: str,
    new_span: Span,
    old_ref: Callable[[str], Hashable],
    new_ref: Callable[[str], Hashable],
    old_refs: Sequence[Reference] = (),
    new_refs: Sequence[Reference] = (),
) -> list[ChangedSpan]:
    """Character-level changes between two provisions' own texts (whitespace ignored).

    `old_refs`/`new_refs` are the resolved references in each text: one whose words are
    unchanged but whose target differs (前条 after an inserted article) is a change too.
    """
    a = _tokens(old_text, old_span, old_ref)
    b = _tokens(new_text, new_span, new_ref)
    matcher = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    ops = _cleanup(matcher.get_opcodes())
    changes: list[ChangedSpan] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
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
        for tag, i1, i2, j1, _ in ops
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
            changes.append(
                ChangedSpan(
                    op="replace",
                    old=Span(start=start, end=end),
                    new=Span(start=there, end=new_end),
                    old_text=old_text[start:end],
                    new_text=new_text[there:new_end],
                    note="refers to "
                    + ", ".join(map(str, new_targets))
                    + " instead of "
                    + ", ".join(map(str, targets)),
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
    old: Document, old_node: _Node | None, new: Document, new_node: _Node | None, label: str
) -> list[ParameterChange]:
    """Extracted values of one aligned pair (own text only) that differ, kind by kind."""
    olds = _extractions_in(old, old_node.own if old_node else None)
    news = _extractions_in(new, new_node.own if new_node else None)
    return compare_values(
        olds, news, label, old_node.path if old_node else None, new_node.path if new_node else None
    )


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
                changes.append(_parameter_change(kind, label, x, y, old_path, new_path))
    return changes


def _parameter_change(
    kind: str,
    label: str,
    a: Extraction | None,
    b: Extraction | None,
    old_path: str | None,
    new_path: str | None,
) -> ParameterChange:
    old_text = a.text if a else None
    new_text = b.text if b else None
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
        summary=f"{label}: {old_text or '(none)'} → {new_text or '(none)'}",
    )


# --------------------------------------------------------------------------------------------
# Building the DocumentDiff
# --------------------------------------------------------------------------------------------


class _Differ:
    """Holds the two documents and the article number map while the tree is compared."""

    def __init__(self, old: Document, new: Document) -> None:
        self.old = old
        self.new = new
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
    def old_ref(self, number: str) -> Hashable:
        return self._map_target(f"art:{number}")

    def new_ref(self, number: str) -> Hashable:
        return f"art:{number}"

    def _map_target(self, target: str) -> Hashable:
        parts = target.split("/")
        for k in range(len(parts), 0, -1):
            mapped = self.path_map.get("/".join(parts[:k]))
            if mapped is not None:
                return "/".join([mapped, *parts[k:]])
        return ("gone", target)

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
        self._map_paths(old_nodes, new_nodes)
        alignment = self._align(old_nodes, new_nodes)
        rows = self._rows(old_nodes, new_nodes, alignment, context=None)
        edits = _edits(rows)
        parameters = [p for row in rows for p in _all_parameters(row)]
        return DocumentDiff(
            old=_side(self.old),
            new=_side(self.new),
            provisions=rows,
            edits=edits,
            parameter_changes=parameters,
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
                status = self._status(old[i], node, i in alignment.moved)
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
            old_values, new_values, row.label, row.old_path, row.new_path
        )

    def _status(self, a: _Node, b: _Node, moved: bool) -> DiffStatus:
        if b.deleted and not a.deleted:
            return "deleted"
        if moved:
            return "moved"
        if a.number != b.number and a.level in ("article", "paragraph", "item"):
            return "renumbered"
        return "modified"  # downgraded to unchanged in _pair when nothing changed

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
        row.label = label
        if a is not None and a.own is not None:
            row.old_text, row.old_text_span = self.old.text[a.own.start : a.own.end], a.own
        if b is not None and b.own is not None:
            row.new_text, row.new_text_span = self.new.text[b.own.start : b.own.end], b.own
        if a is not None and b is not None and status != "deleted":
            row.title_changed = (a.title or "") != (b.title or "") and (
                _squash(a.title or "") != _squash(b.title or "")
            )
            if a.own is not None and b.own is not None:
                row.spans = char_changes(
                    self.old.text,
                    a.own,
                    self.new.text,
                    b.own,
                    self.old_ref,
                    self.new_ref,
                    self._resolved_refs("old", a.own),
                    self._resolved_refs("new", b.own),
                )
            row.text_changed = bool(row.spans)
            if row.text_changed:
                row.parameter_changes = parameter_changes(self.old, a, self.new, b, label)
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
            row.parameter_changes = parameter_changes(self.old, None, self.new, b, label)
            inner = (None, b) if node.level not in ("paragraph", "item") else context
            row.children = [self._pair(None, c, "added", inner) for c in b.children]
        elif a is not None:
            row.parameter_changes = parameter_changes(self.old, a, self.new, None, label)
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
    if node.level in ("preamble", "supplementary", "appendix", "closing"):
        return node.label
    if article is None or node.level == "article":
        head = node.label
        title = node.title
    else:
        head = article.label + _sub_label(article, node)
        title = article.title
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


def _where(row: ProvisionDiff) -> str:
    old, new = row.old_label, row.new_label
    if old and new and old != new and row.level == "article" and row.status != "deleted":
        return f"{old} → {row.label}"
    return row.label


def _span_summary(change: ChangedSpan) -> str:
    if change.note:
        return f"「{change.new_text}」{change.note}"
    if change.op == "insert":
        return f"「{change.new_text}」added"
    if change.op == "delete":
        return f"「{change.old_text}」deleted"
    return f"「{change.old_text}」→「{change.new_text}」"


def _describe(row: ProvisionDiff) -> str:
    if row.parameter_changes:
        return "; ".join(p.summary for p in row.parameter_changes)
    parts = [_span_summary(s) for s in row.spans[:3]]
    more = f" (+{len(row.spans) - 3})" if len(row.spans) > 3 else ""
    return f"{_where(row)}: " + ", ".join(parts) + more


def _renumbering_runs(rows: list[ProvisionDiff]) -> list[list[int]]:
    """Maximal runs of pairs whose number changed; a pair missing a side ends a run."""
    runs: list[list[int]] = []
    current: list[int] = []
    for k, row in enumerate(rows):
        both = row.old_path is not None and row.new_path is not None
        shifted = both and row.old_label != row.new_label and row.status not in _STRUCTURAL[2:]
        if shifted:
            current.append(k)
        elif current and (
            not both or row.status in _STRUCTURAL[2:] or row.old_label == row.new_label
        ):
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def path_label(path: str) -> str:
    """'art:37' → '第37条'; other paths as they are."""
    return article_label(path[4:]) if path.startswith("art:") and "/" not in path else path


def _structural_edit(row: ProvisionDiff) -> Edit:
    where = _where(row)
    if row.status == "split":
        parts = [row.new_path or "", *row.related]
        where = f"{row.label} → " + "、".join(path_label(p) for p in parts)
    elif row.status == "merged":
        parts = [row.old_path or "", *row.related]
        where = "、".join(path_label(p) for p in sorted(parts, key=_path_order)) + f" → {row.label}"
    deleted_as = f" ({row.new_label} 削除)" if row.status == "deleted" and row.new_label else ""
    return Edit(
        status=row.status,
        level=row.level,
        old_path=row.old_path,
        new_path=row.new_path,
        related=row.related,
        summary=f"{where}: {row.status}{deleted_as}",
    )


def _path_order(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def _edits(rows: list[ProvisionDiff]) -> list[Edit]:
    """Each edit among sibling pairs once, then the edits inside each pair, in reading order."""
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
        structural[k] = _structural_edit(row)
    # A renumbering is the consequence of the insertion, deletion or move nearest before it.
    standalone: dict[int, Edit] = {}
    for run in _renumbering_runs(rows):
        pairs = [(rows[k].old_path or "", rows[k].new_path or "") for k in run]
        first, last = rows[run[0]], rows[run[-1]]
        span = f"{first.old_label}–{last.old_label} → {first.new_label}–{last.new_label}"
        before = [k for k in structural if k < run[0]]
        after = [k for k in structural if k > run[-1]]
        if before or after:
            cause = structural[before[-1] if before else after[0]]
            cause.renumbered.extend(pairs)
            cause.summary += f"; renumbered {span}"
        else:
            standalone[run[0]] = Edit(
                status="renumbered",
                level=first.level,
                old_path=first.old_path,
                new_path=first.new_path,
                renumbered=pairs,
                summary=f"renumbered {span}",
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
                    summary=f"{_where(row)}: ({row.old_title}) → ({row.new_title})",
                )
            )
        # Every old part gone and every new part new: one rewrite, not a list of parts.
        rewritten = (
            any(c.old_path is None for c in row.children)
            and any(c.new_path is None for c in row.children)
            and all(c.old_path is None or c.new_path is None for c in row.children)
        )
        if row.text_changed or rewritten:
            summary = f"{_where(row)}: rewritten" if rewritten else _describe(row)
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
            edits.extend(_edits(row.children))
    return edits


def diff(old: Document, new: Document) -> DocumentDiff:
    """Align `old` and `new` provision by provision and report what changed (新旧対照)."""
    return _Differ(old, new).run()
