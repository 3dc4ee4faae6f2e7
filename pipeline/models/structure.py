"""The structure of a terms document: 章 / 節 / 条 / 項 / 号 / 附則, the parts of a bundle, and the
`Document` that holds them with its extractions; `iter_nodes` walks its provisions in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from pipeline.models.base import Diagnostic, Model, SourceInfo, Span
from pipeline.models.values import Extraction

# --------------------------------------------------------------------------------------------
# Structure: 章 / 節 / 条 / 項 / 号 / 附則
# --------------------------------------------------------------------------------------------


NumberingStyle = Literal["article", "numbered-section", "decimal-outline", "heading"]


class Node(Model):
    """Common fields of every provision node."""

    path: str = Field(description="stable address, e.g. 'art:13/para:1/item:1'")
    span: Span = Field(description="the whole node, heading/marker and children included")
    text: str = Field(description="the node's own text, without its marker and its children")
    text_span: Span = Field(description="where `text` stands in the normalized text")
    page: int | None = Field(None, description="1-based PDF page where the node starts")


class Item(Node):
    """A numbered item (号) or sub-item under an item: (1), 一, ①, ア, (ア), ・."""

    label: str = Field(description="the marker ASCII-normalized without brackets: '1', 'ア', '①'")
    marker: str = Field(description="the marker as it stands in the normalized text: '(1)'")
    style: str = Field(description="numbering style, e.g. 'paren-digit', 'circled', 'katakana'")
    ordinal: int = Field(description="the number the label stands for (ア → 1, ③ → 3)")
    items: list[Item] = Field(default_factory=list, description="sub-items")


class Paragraph(Node):
    """A paragraph (項). The first paragraph of an article is usually unnumbered."""

    number: int
    marker: str | None = Field(None, description="'2.' as it stands; None when unnumbered")
    items: list[Item] = Field(default_factory=list)


class Article(Node):
    """An article (条): 第13条, 第5条の2 (number '5-2')."""

    number: str = Field(description="'13', or '5-2' for 第5条の2")
    heading: str = Field(description="the heading as it stands, e.g. '第13条(利用の停止)'")
    title: str | None = Field(None, description="見出し without brackets, e.g. '利用の停止'")
    deleted: bool = Field(False, description="the article reads only 削除")
    chapter: int | None = None
    section: int | None = None
    paragraphs: list[Paragraph] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """第13条, 第5条の2: the article as a 第N条 document cites it (see `article_label`)."""
        return article_label(self.number)


def article_label(number: str, numbering_style: NumberingStyle = "article") -> str:
    """How a document names its article `number`, the one home of that rule.

    In a 第N条 document '13' → '第13条' and '5-2' → '第5条の2' (every branch: '5-2-3' →
    '第5条の2の3'); a document numbered by sections or an outline keeps the number as it is
    numbered ('3' → '3.', '1.2' → '1.2.').
    """
    main, *branches = number.split("-")
    if numbering_style == "article":
        return f"第{main}条" + "".join(f"の{b}" for b in branches)
    return "の".join([main, *branches]) + "."


class Section(Model):
    """A section (節) of a chapter."""

    number: int
    title: str | None = None
    path: str
    span: Span
    articles: list[str] = Field(default_factory=list, description="article numbers")


class Chapter(Model):
    """A chapter (章)."""

    number: int
    branch: int | None = Field(None, description="2 for 第3章の2 (path 'ch:3-2'), else None")
    title: str | None = None
    path: str
    span: Span
    sections: list[Section] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list, description="article numbers")

    @property
    def label(self) -> str:
        """第3章, 第3章の2."""
        return f"第{self.number}章" + (f"の{self.branch}" if self.branch else "")


class SupplementaryProvisions(Node):
    """附則: the supplementary provisions after the main body."""

    title: str = Field(description="the heading as it stands, e.g. '附則'")
    paragraphs: list[Paragraph] = Field(default_factory=list)


class Preamble(Node):
    """Title block and preamble before the first article (or chapter)."""


class Closing(Node):
    """Text after the last provision: 以上, 制定日/最終更新日/改定日 lines, the operator's name.

    It starts at 以上 or at a dated trailer line ('2020年8月1日改正', '【2023年2月1日制定】').
    """


class Appendix(Node):
    """別表 or 別紙 (an appended table or list): '別表第二' → number '2'; a lone '別表' → '1'.

    Its `text` is the caption or body before its items; path 'appx:2', items 'appx:2/item:1'.
    """

    number: str = Field(description="'2' for 別表第二; '1' for a document's only 別表")
    heading: str = Field(description="the heading as it stands, e.g. '別表第二'")
    title: str | None = Field(None, description="the caption after the heading, if any")
    items: list[Item] = Field(default_factory=list)


class DocumentPart(Model):
    """One document of a bundle (a file holding several terms documents one after another).

    Every provision path inside part N starts with 'part:N/', so no two provisions of the bundle
    share a path; each part is checked, resolved, validated and diffed as a document of its own.
    """

    number: int = Field(ge=1, description="1-based position of the part in the file")
    path: str = Field(description="'part:2'")
    span: Span
    title: str | None = None
    numbering_style: NumberingStyle = "article"
    preamble: Preamble | None = None
    chapters: list[Chapter] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    supplementary: list[SupplementaryProvisions] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list)
    closing: Closing | None = None

    def iter_nodes(self) -> Iterator[Node]:
        """Every provision node of the part in document order (see `iter_nodes`)."""
        return iter_nodes(self)


class VersionEntry(Model):
    """One entry of a document's version history, as its 附則 states it."""

    version: str = Field(description="e.g. 'Ver1.0'")
    effective_date: dt.date | None = None
    evidence: str = Field(description="the sentence it was read from")
    span: Span | None = None


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------


class Document(Model):
    """A terms document: its structure, extractions and diagnostics.

    A bundle (one file holding several documents, `parts` non-empty) keeps every provision in
    exactly one part: its own `preamble`, `chapters`, `articles`, `supplementary`, `appendices`
    and `closing` stay empty, `title`/`version`/`effective_date`/`family` are read from the
    first part, and `extractions` and `diagnostics` hold those of all parts (paths 'part:N/…').
    `pipeline.structure.parts.part_documents` gives each part as a Document of its own.
    """

    id: str = Field(description="content id: the sha256 of the source bytes")
    family: str | None = Field(None, description="document family, e.g. 'nas', 'nec'")
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    source: SourceInfo
    text: str = Field(description="the normalized text all spans index")
    numbering_style: NumberingStyle = Field(
        "article",
        description="how top-level units are numbered: 第N条 ('article'), '1.'/'１．' sections "
        "('numbered-section'), 1 / 1.1 / 1.1.1 ('decimal-outline') or unnumbered headings "
        "('heading'); the units are `articles` in every style",
    )
    preamble: Preamble | None = None
    chapters: list[Chapter] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    supplementary: list[SupplementaryProvisions] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list, description="別表, path 'appx:2'")
    closing: Closing | None = Field(
        None, description="text after the last provision, path 'closing'"
    )
    parts: list[DocumentPart] = Field(
        default_factory=list,
        description="a bundle's documents, each with its own structure (paths 'part:N/...'); "
        "empty for a single document",
    )
    version_history: list[VersionEntry] = Field(default_factory=list)
    extractions: list[Extraction] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)

    def article(self, number: str) -> Article | None:
        """The article with this number ('13', '5-2'), if any."""
        return next((a for a in self.articles if a.number == number), None)

    def iter_nodes(self) -> Iterator[Node]:
        """Every provision node in document order (see `iter_nodes`)."""
        return iter_nodes(self)


def iter_nodes(holder: Document | DocumentPart) -> Iterator[Node]:
    """Walk a document's provisions in document order, the one home of that walk.

    Yields the preamble, then each article followed by its paragraphs, each paragraph by its
    items and each item by its sub-items (depth first), then each 附則 and its paragraphs and
    items, each 別表/別紙 and its items, and the closing. A bundle Document yields each part's
    nodes in turn (its own structural fields are empty). Callers pick the node types they need
    with `isinstance`; a node's path says where it stands ('appx:1/item:2', 'part:2/art:3').
    """
    if isinstance(holder, Document):
        for part in holder.parts:
            yield from iter_nodes(part)
    if holder.preamble is not None:
        yield holder.preamble
    for article in holder.articles:
        yield article
        yield from _paragraph_nodes(article.paragraphs)
    for supplementary in holder.supplementary:
        yield supplementary
        yield from _paragraph_nodes(supplementary.paragraphs)
    for appendix in holder.appendices:
        yield appendix
        yield from _item_nodes(appendix.items)
    if holder.closing is not None:
        yield holder.closing


def _paragraph_nodes(paragraphs: list[Paragraph]) -> Iterator[Node]:
    for paragraph in paragraphs:
        yield paragraph
        yield from _item_nodes(paragraph.items)


def _item_nodes(items: list[Item]) -> Iterator[Node]:
    for item in items:
        yield item
        yield from _item_nodes(item.items)
