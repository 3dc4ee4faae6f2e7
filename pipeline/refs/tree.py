"""The tree a reference is resolved against: provisions by path, their sibling lists, and where
a reference stands.

Resolution only ever looks provisions up here (by path, by number, by position among their
siblings); it never computes a number. 附則 are not part of the tree: 前条 or 第3条 in a 附則 names
a provision of the main body, which is what the tree holds.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.models import (
    Appendix,
    Article,
    Chapter,
    Document,
    Extraction,
    Item,
    Paragraph,
    Section,
    iter_nodes,
)

Target = Article | Paragraph | Item | Chapter | Section | Appendix
"""A provision a reference can name."""

_SUPPLEMENTARY = "suppl:"
"""The path segment of a 附則 (its paragraphs and items carry it too)."""


class Unresolved(Exception):
    """A reference that cannot be resolved; `dangling` when a named target does not exist."""

    def __init__(self, reason: str, *, dangling: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.dangling = dangling


@dataclass
class Where:
    """The provisions a reference stands in."""

    article: Article | None = None
    paragraph: Paragraph | None = None
    item: Item | None = None

    @property
    def scope(self) -> str | None:
        """Where 同条/同項/同号 look back: the paragraph the reference stands in, items included."""
        holder = self.paragraph or self.article
        return None if holder is None else holder.path


@dataclass
class Memory:
    """What earlier references in the same paragraph pointed at, for 同条, 同項 and 同号."""

    article: dict[str, str] = field(default_factory=dict)
    paragraph: dict[str, str] = field(default_factory=dict)
    item: dict[str, str] = field(default_factory=dict)

    def remember(
        self, tree: Tree, where: Where, targets: list[str], articles: list[Article]
    ) -> None:
        """Note the last article, paragraph and item a resolved reference cited."""
        key = where.scope
        if key is None:
            return
        if articles:
            self.article[key] = articles[-1].path
        remembered = (("para:", self.paragraph, Paragraph), ("item:", self.item, Item))
        for level, cited, kind in remembered:
            prefixes = [path_through(t, level) for t in targets]
            prefixes = [p for p in prefixes if isinstance(tree.nodes.get(p), kind)]
            if prefixes:
                cited[key] = prefixes[-1]


@dataclass
class Context:
    """A reference being resolved: the tree, where the reference stands, and what its paragraph
    cited before it."""

    tree: Tree
    memory: Memory
    where: Where


def path_through(target: str, level: str) -> str:
    """The path up to its `level` segment: 'part:2/art:3/para:1/item:2', 'para:' → '…/para:1'."""
    # Found in the string, not by splitting it into segments: resolution asks it twice for
    # every target it remembers.
    if target.startswith(level):
        end = target.find("/")
    else:
        at = target.find("/" + level)  # the first segment after the first that starts so
        if at < 0:
            return target
        end = target.find("/", at + 1)
    return target if end < 0 else target[:end]


def _children(node: object) -> list[Target]:
    """The provisions directly under a node: an article's paragraphs, the items of the rest."""
    if isinstance(node, Article):
        return list(node.paragraphs)
    if isinstance(node, Paragraph | Item | Appendix):
        return list(node.items)
    return []


class Tree:
    """The document's provisions in order, looked up by path."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.articles = list(document.articles)
        self.chapters = list(document.chapters)
        self.appendices = list(document.appendices)
        self.nodes: dict[str, Target] = {}
        self.siblings: dict[str, list[Target]] = {}
        self._add(list(self.chapters))
        for chapter in self.chapters:
            self._add(list(chapter.sections))
        self._add(list(self.articles))
        self._add(list(self.appendices))
        for node in iter_nodes(document):
            if _SUPPLEMENTARY not in node.path:
                self._add(_children(node))
        # Sorted by start, for a binary search: a scan per reference was quadratic.
        self.headings = sorted(
            (a.span.start, a.span.start + len(a.heading))
            for a in self.articles
            if document.text.startswith(a.heading, a.span.start)
        )
        self.heading_starts = [start for start, _ in self.headings]
        self.article_positions: dict[str, int] = {}
        for index, article in enumerate(self.articles):
            self.article_positions.setdefault(article.path, index)  # the first, as a scan would

    def _add(self, siblings: list[Target]) -> None:
        for node in siblings:
            self.nodes[node.path] = node
            self.siblings[node.path] = siblings

    @cached_property
    def _by_number(self) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for article in self.articles:
            found.setdefault(article.number, article)  # the first, as Document.article finds it
        return found

    def article(self, number: str) -> Article | None:
        """The article with this number, as `Document.article` finds it but without a scan
        per reference (a long document has thousands of both)."""
        return self._by_number.get(number)

    def article_index(self, article: Article) -> int:
        """The position of `article` among the document's articles (the first of a path)."""
        return self.article_positions[article.path]

    def chapter_of(self, article: Article | None) -> Chapter:
        """The chapter holding `article` (本章, 前章 count from it)."""
        found = next(
            (c for c in self.chapters if article is not None and article.number in c.articles),
            None,
        )
        if found is None:
            raise Unresolved("a chapter reference outside any chapter")
        return found

    def section_of(self, article: Article | None) -> Section:
        """The section holding `article`."""
        for chapter in self.chapters:
            for section in chapter.sections:
                if article is not None and article.number in section.articles:
                    return section
        raise Unresolved("a section reference outside any section")

    def in_heading(self, offset: int) -> bool:
        """Whether `offset` falls in an article's heading ('第13条(利用の停止)')."""
        # Headings do not overlap: only the last one starting at or before offset can hold it.
        index = bisect.bisect_right(self.heading_starts, offset) - 1
        return index >= 0 and offset < self.headings[index][1]

    def where(self, extraction: Extraction) -> Where:
        """The article, paragraph and item an extraction stands in (by its path, else its span)."""
        parts = extraction.path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        nodes = [self.nodes[p] for p in prefixes if p in self.nodes]
        if not nodes:
            nodes = [n for n in self.nodes.values() if n.span.contains(extraction.span)]
        where = Where()
        for node in nodes:
            if isinstance(node, Article):
                where.article = node
            elif isinstance(node, Paragraph):
                where.paragraph = node
            elif isinstance(node, Item) and where.item is None:
                where.item = node  # the item, not a sub-item under it
        return where
