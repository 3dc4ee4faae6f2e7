"""Freezing the builders into the document model: paths, spans, own texts and pages.

Each article, 附則 and 別表 is built as plain data and validated into its model once, the tree
under it with it: pydantic then builds the paragraphs, items and spans in one call, where each
model built by its constructor costs a call of its own (about three times the time in all).
"""

from __future__ import annotations

from typing import Any

from pipeline.models import (
    Appendix,
    Article,
    Chapter,
    Closing,
    Preamble,
    Span,
    SupplementaryProvisions,
)
from pipeline.structure.builders import (
    AppendixBuilder,
    ArticleBuilder,
    BodyBuilder,
    ItemBuilder,
    NodeBuilder,
    SupplementaryBuilder,
)
from pipeline.structure.layout import Line
from pipeline.structure.normalize import Locator

_ITEM_KANA_STYLES = {"katakana", "paren-katakana", "iroha"}


def _item_segment(item: ItemBuilder, index: int) -> str:
    marker = item.marker
    assert marker is not None
    if marker.style == "bullet":
        return str(index + 1)
    if marker.style in _ITEM_KANA_STYLES:
        return marker.label
    return str(marker.ordinal)


class Freezer:
    """Turns the builders of one document (or bundle part) into the pydantic nodes."""

    def __init__(self, text: str, locator: Locator | None, prefix: str = "") -> None:
        self.text = text
        self.locator = locator
        self.prefix = prefix
        self.seen: dict[str, int] = {}

    def page(self, offset: int) -> int | None:
        """The PDF page of a normalized offset (None for text input)."""
        return self.locator.page(offset) if self.locator else None

    def own_text(self, node: NodeBuilder) -> tuple[str, dict[str, int]]:
        """The node's own text (before its items) without edge spaces and newlines, and its
        span (as the data of a `Span`)."""
        start, end = node.text_start, node.text_end
        while start < end and self.text[start] in " \n":
            start += 1
        while end > start and self.text[end - 1] in " \n":
            end -= 1
        return self.text[start:end], {"start": start, "end": end}

    def items(self, nodes: list[ItemBuilder], parent: str, depth: int) -> list[dict[str, Any]]:
        """Items (depth 0) or sub-items under `parent`, each path named by its label (the data
        of each `Item`)."""
        frozen = []
        prefix = "item" if depth == 0 else "sub"
        seen: dict[str, int] = {}
        for index, node in enumerate(nodes):
            assert node.marker is not None
            path = f"{parent}/{prefix}:{_item_segment(node, index)}"
            seen[path] = seen.get(path, 0) + 1
            if seen[path] > 1:
                # A label the list repeats (reported as numbering.item.repeat): its own path.
                path = f"{path}#{seen[path]}"
            text, text_span = self.own_text(node)
            frozen.append(
                {
                    "path": path,
                    "span": {"start": node.start, "end": node.end()},
                    "text": text,
                    "text_span": text_span,
                    "page": self.page(node.start),
                    "label": node.marker.label,
                    "marker": node.marker.marker,
                    "style": node.style,
                    "ordinal": node.marker.ordinal,
                    "items": self.items(node.children, path, depth + 1),
                }
            )
        return frozen

    def paragraphs(self, body: BodyBuilder, parent: str) -> list[dict[str, Any]]:
        """The paragraphs of a body, each path named by its number (the data of each
        `Paragraph`)."""
        frozen = []
        for node in body.paragraphs:
            path = f"{parent}/para:{node.number}"
            text, text_span = self.own_text(node)
            start = min(node.start, text_span["start"])
            frozen.append(
                {
                    "path": path,
                    "span": {"start": start, "end": max(node.end(), start)},
                    "text": text,
                    "text_span": text_span,
                    "page": self.page(start),
                    "number": node.number,
                    "marker": node.marker,
                    "items": self.items(node.children, path, 0),
                }
            )
        return frozen

    def heading_fields(self, node: BodyBuilder, path: str, heading: str) -> dict[str, Any]:
        """The node fields of an article or 附則: its own text is its heading."""
        return {
            "path": path,
            "span": {"start": node.start, "end": node.end()},
            "text": heading,
            "text_span": {"start": node.start, "end": node.heading_end},
            "page": self.page(node.start),
        }

    def article(self, node: ArticleBuilder) -> Article:
        """An article; a deleted one (削除) has no paragraphs."""
        path = f"{self.prefix}art:{node.number}"
        self.seen[path] = self.seen.get(path, 0) + 1
        if self.seen[path] > 1:
            # Two articles share a number (reported as numbering.article.repeat): the second
            # keeps its number but gets a path of its own, so no path names two provisions.
            path = f"{path}#{self.seen[path]}"
        return Article.model_validate(
            {
                **self.heading_fields(node, path, node.heading),
                "number": node.number,
                "heading": node.heading,
                "title": node.title,
                "deleted": node.deleted,
                "chapter": node.chapter,
                "section": node.section,
                "paragraphs": [] if node.deleted else self.paragraphs(node, path),
            }
        )

    def supplementary(self, node: SupplementaryBuilder, index: int) -> SupplementaryProvisions:
        """The `index`-th 附則; its empty paragraphs are dropped."""
        path = f"{self.prefix}suppl:{index + 1}"
        paragraphs = [p for p in self.paragraphs(node, path) if p["text"] or p["items"]]
        return SupplementaryProvisions.model_validate(
            {
                **self.heading_fields(node, path, node.title),
                "title": node.title,
                "paragraphs": paragraphs,
            }
        )

    def appendix(self, node: AppendixBuilder) -> Appendix:
        """A 別表: its caption texts joined, its items directly under it."""
        path = f"{self.prefix}appx:{node.number}"
        fields = self.heading_fields(node, path, node.heading)
        items: list[dict[str, Any]] = []
        texts: list[str] = []
        for paragraph in node.paragraphs:
            text, span = self.own_text(paragraph)
            if text:
                texts.append(text)
                if len(texts) == 1:
                    fields["text_span"] = span
            items += self.items(paragraph.children, path, 0)
        fields["text"] = "\n".join(texts)
        if not texts:
            fields["text_span"] = {"start": node.heading_end, "end": node.heading_end}
        return Appendix.model_validate(
            {
                **fields,
                "number": node.number,
                "heading": node.heading,
                "title": node.title,
                "items": items,
            }
        )

    def block(self, lines: list[Line], kind: type[Preamble] | type[Closing]) -> Any:
        """The preamble or the closing: the lines as one node."""
        if not lines:
            return None
        first, last = lines[0], lines[-1]
        name = "preamble" if kind is Preamble else "closing"
        return kind(
            path=f"{self.prefix}{name}",
            span=Span(start=first.start, end=last.end),
            text=self.text[first.start : last.end],
            text_span=Span(start=first.start, end=last.end),
            page=self.page(first.start),
        )


def close_spans(chapters: list[Chapter], articles: list[Article]) -> list[Chapter]:
    """Extend each chapter's and section's span to the end of its last article."""
    ends = {a.number: a.span.end for a in articles}
    closed = []
    for chapter in chapters:
        sections = [
            section.model_copy(
                update={
                    "span": Span(
                        start=section.span.start,
                        end=max([section.span.end, *(ends[n] for n in section.articles)]),
                    )
                }
            )
            for section in chapter.sections
        ]
        end = max([chapter.span.end, *(ends[n] for n in chapter.articles)])
        closed.append(
            chapter.model_copy(
                update={"sections": sections, "span": Span(start=chapter.span.start, end=end)}
            )
        )
    return closed
