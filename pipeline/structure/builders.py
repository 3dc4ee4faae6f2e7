"""Builders: the provisions as they grow while the lines stream in, frozen at the end.

A body (an article, the 附則 or a 別表) holds paragraphs, a paragraph holds items, an item holds
sub-items; the open lists of a body say which numbering styles are open at which level. See
`freeze` for turning the builders into the pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.structure.layout import Line
from pipeline.text.markers import Marker


@dataclass
class NodeBuilder:
    """A paragraph or an item: where it starts, its own text and its items."""

    start: int
    text_start: int
    text_end: int
    children: list[ItemBuilder] = field(default_factory=list)

    def end(self) -> int:
        """Where the node ends: its own text or its last item's, whichever is later."""
        if not self.children:
            return self.text_end  # most nodes: no list and generator to build
        return max([self.text_end, *(child.end() for child in self.children)])


@dataclass
class ItemBuilder(NodeBuilder):
    """An item (号) or a sub-item, with the marker that opened it."""

    marker: Marker | None = None
    style: str = ""


@dataclass
class ParagraphBuilder(NodeBuilder):
    """A paragraph (項)."""

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
    """An article, the supplementary provisions or an appendix: paragraphs with items."""

    start: int
    heading_end: int
    path: str = ""
    """The path its numbering diagnostics name ('art:5'; freezing may add '#2' to a repeat)."""
    paragraphs: list[ParagraphBuilder] = field(default_factory=list)
    levels: list[OpenList] = field(default_factory=list)
    outline_shift: int = 0
    """1 when the outline numbers '13.1' list items of an unnumbered first paragraph."""
    paragraph_style: str | None = None
    """A style other than '2.' that numbers this body's paragraphs: '(1)' opening a section."""
    restart_ok: bool = False
    """A caption ('〔旅行開始後〕') just stood here: a list may start again at 1."""

    def __post_init__(self) -> None:
        # Every body starts with an unnumbered, empty paragraph right after its heading.
        if not self.paragraphs:
            end = self.heading_end
            self.paragraphs.append(ParagraphBuilder(start=end, text_start=end, text_end=end))

    def innermost(self) -> NodeBuilder:
        """The node the next line of running text belongs to: the deepest last one."""
        node: NodeBuilder = self.paragraphs[-1]
        while node.children:
            node = node.children[-1]
        return node

    def end(self) -> int:
        """Where the body ends: its heading or its last paragraph, whichever is later."""
        return max([self.heading_end, *(p.end() for p in self.paragraphs)])

    def only_heading_so_far(self) -> bool:
        """Nothing but the heading yet: one empty paragraph without items."""
        first = self.paragraphs[0]
        return (
            len(self.paragraphs) == 1 and not first.children and first.text_end == first.text_start
        )

    def add_text(self, line: Line) -> None:
        """A line of running text: it extends the innermost node's own text."""
        node = self.innermost()
        if node.text_end == node.text_start:
            node.text_start = line.start
        node.text_end = line.end

    def open_paragraph(
        self,
        line: Line,
        text_start: int,
        number: int,
        marker: str | None = None,
        *,
        indent: int | None = None,
        written: int | None = None,
    ) -> None:
        """Open the next paragraph at this line; the open lists end with the one before."""
        self.levels.clear()
        self.paragraphs.append(
            ParagraphBuilder(
                start=line.start,
                text_start=text_start,
                text_end=line.end,
                number=number,
                marker=marker,
                indent=indent,
                written=written,
            )
        )

    def add_item(self, level: OpenList, marker: Marker, line: Line, text_start: int) -> None:
        """Add an item to the open list `level`; a caption's licence to restart is used up."""
        self.restart_ok = False
        item = ItemBuilder(
            start=line.start,
            text_start=text_start,
            text_end=line.end,
            marker=marker,
            style=marker.style,
        )
        level.owner.children.append(item)


@dataclass
class ArticleBuilder(BodyBuilder):
    """An article (条), or a top-level unit of a document without 第N条."""

    number: str = ""
    heading: str = ""
    title: str | None = None
    deleted: bool = False
    chapter: int | None = None
    section: int | None = None


@dataclass
class SupplementaryBuilder(BodyBuilder):
    """The supplementary provisions (附則)."""

    title: str = "附則"


@dataclass
class AppendixBuilder(BodyBuilder):
    """別表: a heading, an optional caption text and items."""

    number: str = "1"
    heading: str = ""
    title: str | None = None
