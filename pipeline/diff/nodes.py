"""The comparable view of a Document: one `DiffNode` per provision, in reading order.

Everything on the page is a node: 前文, 条, 附則 (its heading too), 別表, the closing lines,
each document of a bundle (a `part` node holding its provisions), and any text the segmenter
left between them (notes beside the articles), taken as text of the provision it follows.
A node carries its label as a reader cites it, its own text span, its children, and its
whole text without typesetting as character bigrams, which alignment compares.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.diff.typesetting import plain
from pipeline.models import (
    Appendix,
    Article,
    DiffLevel,
    Document,
    DocumentPart,
    Item,
    NumberingStyle,
    Paragraph,
    Span,
    SupplementaryProvisions,
    article_label,
)
from pipeline.text.numerals import NUMERAL_PATTERN
from pipeline.text.titles import same_title


@dataclass
class DiffNode:
    """One provision as the aligner sees it: its label as a reader cites it, its number and
    title, its own text (`own`, None when it has none), its children, and its whole text
    without typesetting (`content`, title and children included) as character `bigrams`."""

    level: DiffLevel
    path: str
    label: str
    number: str | None
    title: str | None
    own: Span | None
    deleted: bool
    children: list[DiffNode]
    content: str = ""
    bigrams: Counter[str] = field(default_factory=Counter)
    outline: bool = False  # numbered in a decimal outline (1.2, 1.1.3): its label says where


def bigrams(text: str) -> Counter[str]:
    """The character bigrams of `text` (the text itself when shorter than two)."""
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _finish(node: DiffNode, text: str) -> DiffNode:
    own = plain(text[node.own.start : node.own.end]) if node.own else ""
    title = plain(node.title or "")
    node.content = title + own + "".join(child.content for child in node.children)
    node.bigrams = bigrams(node.content)
    return node


def _item_node(item: Item, text: str, outline: bool) -> DiffNode:
    children = [_item_node(sub, text, outline) for sub in item.items]
    label = item.marker.rstrip(".．") if outline else item.marker
    node = DiffNode(
        "item", item.path, label, str(item.ordinal), None, item.text_span, False, children
    )
    node.outline = outline
    return _finish(node, text)


def _paragraph_node(paragraph: Paragraph, text: str, outline: bool) -> DiffNode:
    children = [_item_node(item, text, outline) for item in paragraph.items]
    # In a decimal outline a paragraph is called by its number (1.2), elsewhere 第2項.
    label = f"第{paragraph.number}項"
    if outline and paragraph.marker:
        label = paragraph.marker.rstrip(".．")
    node = DiffNode(
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


def _article_node(article: Article, text: str, style: NumberingStyle) -> DiffNode:
    outline = style == "decimal-outline"
    children = [_paragraph_node(p, text, outline) for p in article.paragraphs]
    # Unnumbered headings are known by their title; numbered units as the document numbers
    # them (第N条, or '1.' sections and outlines by their number).
    if style == "heading":
        label = article.title or article.heading
    else:
        label = article_label(article.number, style)
    node = DiffNode(
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


def _leaf(level: DiffLevel, path: str, label: str, own: Span, text: str) -> DiffNode:
    return _finish(DiffNode(level, path, label, None, None, own, False, []), text)


_DIVISION_HEADING = re.compile(rf"^第(?:{NUMERAL_PATTERN})[章節]")
"""A 章/節 heading line: structure the segmenter keeps apart, not text of a provision."""


def _loose_text(text: str, lo: int, hi: int, next_title: str | None) -> Span | None:
    """The words in `text[lo:hi]` that belong to no provision, or None.

    Skipped: blank lines and typesetting, 章/節 headings, and the next article's own title
    standing on the line above it ((目的) before 第1条, in any brackets: `same_title`). What
    stays is what the segmenter left outside the tree, such as notes beside the articles
    ('> …'); it is compared all the same.
    """
    kept: list[tuple[int, int]] = []
    pos = lo
    for line in text[lo:hi].split("\n"):
        start, pos = pos, pos + len(line) + 1
        words = plain(line)
        if not words or _DIVISION_HEADING.match(words) or same_title(words, next_title):
            continue
        kept.append((start + len(line) - len(line.lstrip()), start + len(line.rstrip())))
    return Span(start=kept[0][0], end=kept[-1][1]) if kept else None


def _body_nodes(text: str, holder: Document | DocumentPart, extent: Span) -> list[DiffNode]:
    """Everything on the page in reading order: 前文, 条, 附則, 別表, the closing text, and
    any text between them that the segmenter placed in none (see `_loose_text`)."""
    placed: list[tuple[DiffNode, Span]] = []
    if holder.preamble is not None:
        preamble = holder.preamble
        leaf = _leaf("preamble", preamble.path, "前文", preamble.text_span, text)
        placed.append((leaf, preamble.span))
    placed.extend((_article_node(a, text, holder.numbering_style), a.span) for a in holder.articles)
    placed.extend((_supplementary_node(s, text), s.span) for s in holder.supplementary)
    placed.extend((_appendix_node(a, text), a.span) for a in holder.appendices)
    if holder.closing is not None:
        closing = holder.closing
        placed.append(
            (_leaf("closing", closing.path, "末尾", closing.text_span, text), closing.span)
        )
    placed.sort(key=lambda pair: pair[1].start)
    return _with_loose_text(text, placed, extent)


def _supplementary_node(supp: SupplementaryProvisions, text: str) -> DiffNode:
    children = [_paragraph_node(p, text, False) for p in supp.paragraphs]
    # The heading line is compared as the 附則's own text: it often carries the date
    # (付則（2024.9.1）) that the version turns on.
    node = DiffNode(
        "supplementary", supp.path, supp.title, None, None, supp.text_span, False, children
    )
    return _finish(node, text)


def _appendix_node(appx: Appendix, text: str) -> DiffNode:
    children = [_item_node(item, text, False) for item in appx.items]
    own = appx.text_span if appx.text_span.end > appx.text_span.start else None
    label = appx.heading  # 別表第二, its caption apart as the title
    if appx.title and label.endswith(appx.title) and len(label) > len(appx.title):
        label = label[: -len(appx.title)].rstrip()
    node = DiffNode("appendix", appx.path, label, appx.number, appx.title, own, False, children)
    return _finish(node, text)


def _with_loose_text(
    text: str, placed: list[tuple[DiffNode, Span]], extent: Span
) -> list[DiffNode]:
    """The placed nodes (in reading order, with their spans) and the loose text of `extent`:
    before the first node it is the 前文, after the last one the closing text, between two
    nodes the text of the one before (unless that one has children of its own)."""
    nodes = [node for node, _ in placed]
    prefix = part_of(nodes[0].path) if nodes else ""
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


def all_paths(nodes: Sequence[DiffNode]) -> set[str]:
    """Paths of `nodes` and of every provision under them."""
    found: set[str] = set()
    for node in nodes:
        found.add(node.path)
        found |= all_paths(node.children)
    return found


def part_of(path: str) -> str:
    """'part:2/' for a path inside part 2 of a bundle, else ''."""
    return path.split("/", 1)[0] + "/" if path.startswith("part:") else ""


def top_nodes(doc: Document) -> list[DiffNode]:
    """The document's top-level provisions; for a bundle, one node per part (文書) holding them."""
    text = doc.text
    if not doc.parts:
        return _body_nodes(text, doc, Span(start=0, end=len(text)))
    nodes = []
    for part in doc.parts:
        children = _body_nodes(text, part, part.span)
        label = part.title or f"第{part.number}文書"
        node = DiffNode(
            "part", part.path, label, str(part.number), part.title, None, False, children
        )
        nodes.append(_finish(node, text))
    return nodes
