"""Builders: the provisions as they grow while the lines stream in, frozen at the end.

A body (an article, the 附則 or a 別表) holds paragraphs, a paragraph holds items, an item holds
sub-items; the open lists of a body say which numbering styles are open at which level. See
`freeze` for turning the builders into the pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.text.markers import Marker


@dataclass
class NodeBuilder:
    start: int
    text_start: int
    text_end: int
    children: list[ItemBuilder] = field(default_factory=list)

    def end(self) -> int:
        return max([self.text_end, *(child.end() for child in self.children)])


@dataclass
class ItemBuilder(NodeBuilder):
    marker: Marker | None = None
    style: str = ""


@dataclass
class ParagraphBuilder(NodeBuilder):
    number: int = 1
    marker: str | None = None
    indent: int | None = None
    written: int | None = None
    """The number its marker shows, when the document repeats one ('(3)' after '(4)')."""


@dataclass
class OpenList:
    """An open list: its numbering style, its items' owner and the last ordinal seen."""

    style: str
    owner: NodeBuilder
    last: int
    auto: bool = False
    """Every marker so far read '1.': a Markdown list the renderer numbers itself."""
    indent: int = 0


@dataclass
class BodyBuilder:
    """An article or the supplementary provisions: paragraphs with items."""

    start: int
    heading_end: int
    paragraphs: list[ParagraphBuilder] = field(default_factory=list)
    levels: list[OpenList] = field(default_factory=list)
    outline_shift: int = 0
    """1 when the outline numbers '13.1' list items of an unnumbered first paragraph."""
    paragraph_style: str | None = None
    """A style other than '2.' that numbers this body's paragraphs: '(1)' opening a section."""
    restart_ok: bool = False
    """A caption ('〔旅行開始後〕') just stood here: a list may start again at 1."""

    def innermost(self) -> NodeBuilder:
        node: NodeBuilder = self.paragraphs[-1]
        while node.children:
            node = node.children[-1]
        return node

    def end(self) -> int:
        return max([self.heading_end, *(p.end() for p in self.paragraphs)])


@dataclass
class ArticleBuilder(BodyBuilder):
    number: str = ""
    heading: str = ""
    title: str | None = None
    deleted: bool = False
    chapter: int | None = None
    section: int | None = None


@dataclass
class SupplementaryBuilder(BodyBuilder):
    title: str = "附則"


@dataclass
class AppendixBuilder(BodyBuilder):
    """別表: a heading, an optional caption text and items."""

    number: str = "1"
    heading: str = ""
    title: str | None = None
