"""Segment: `NormalizedText` → `Document` tree of 章 / 節 / 条 / 項 / 号 and 附則.

The text arrives with one logical line per structural unit (see `normalize`). Each line is a
heading, a numbering marker or running text. Nesting is decided from the numbering pattern, never
from indentation: a marker continuing a list already open is its next sibling (popping back to
that list's level), a paragraph marker continuing the paragraph count starts a new paragraph, and
a marker of a new pattern starting at 1 opens a list one level deeper. What does not fit becomes
a diagnostic, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from pipeline.grammar import (
    PARAGRAPH_STYLES,
    Heading,
    Marker,
    glued_heading_splits,
    iroha_variant,
    match_heading,
    match_marker,
    standalone_title,
)
from pipeline.models import (
    Article,
    Chapter,
    Diagnostic,
    Document,
    Item,
    NormalizedText,
    Paragraph,
    Preamble,
    Section,
    SegmentError,
    SourceInfo,
    Span,
    SupplementaryProvisions,
)
from pipeline.normalize import Locator, is_note


@dataclass
class _Line:
    start: int
    end: int
    text: str


def logical_lines(text: str) -> Iterator[_Line]:
    """The text's lines with their offsets, split again where a heading is glued inside a line."""
    start = 0
    for raw_line in text.split("\n"):
        cuts = [0, *glued_heading_splits(raw_line), len(raw_line)]
        for lo, hi in pairwise(cuts):
            piece = raw_line[lo:hi]
            if piece.strip():
                yield _Line(start + lo, start + hi, piece)
        start += len(raw_line) + 1


# --------------------------------------------------------------------------------------------
# Builders: mutable while the lines stream in, frozen into the pydantic models at the end
# --------------------------------------------------------------------------------------------


@dataclass
class _Node:
    start: int
    text_start: int
    text_end: int
    children: list[_ItemB] = field(default_factory=list)

    def end(self) -> int:
        return max([self.text_end, *(child.end() for child in self.children)])


@dataclass
class _ItemB(_Node):
    marker: Marker | None = None
    style: str = ""


@dataclass
class _ParagraphB(_Node):
    number: int = 1
    marker: str | None = None
    indent: int | None = None


@dataclass
class _Level:
    """An open list: its numbering style, its items' owner and the last ordinal seen."""

    style: str
    owner: _Node
    last: int
    auto: bool = False
    """Every marker so far read '1.': a Markdown list the renderer numbers itself."""
    indent: int = 0


@dataclass
class _BodyB:
    """An article or the supplementary provisions: paragraphs with items."""

    start: int
    heading_end: int
    paragraphs: list[_ParagraphB] = field(default_factory=list)
    levels: list[_Level] = field(default_factory=list)

    def innermost(self) -> _Node:
        node: _Node = self.paragraphs[-1]
        while node.children:
            node = node.children[-1]
        return node

    def end(self) -> int:
        return max([self.heading_end, *(p.end() for p in self.paragraphs)])


@dataclass
class _ArticleB(_BodyB):
    number: str = ""
    heading: str = ""
    title: str | None = None
    deleted: bool = False
    chapter: int | None = None
    section: int | None = None


@dataclass
class _SupplB(_BodyB):
    title: str = "附則"


class _Segmenter:
    def __init__(self, normalized: NormalizedText) -> None:
        self.text = normalized.text
        self.normalized = normalized
        self.diagnostics: list[Diagnostic] = []
        self.preamble_lines: list[_Line] = []
        self.chapters: list[Chapter] = []
        self.articles: list[_ArticleB] = []
        # The numbers seen so far: a repeat check against the list was quadratic in articles.
        self.article_numbers: set[str] = set()
        self.supplementary: list[_SupplB] = []
        self.body: _BodyB | None = None
        self.chapter: Chapter | None = None
        self.section: Section | None = None
        self.pending_title: str | None = None
        self.ended = False

    # -- diagnostics ---------------------------------------------------------------------------

    def warn(self, code: str, message: str, path: str | None, start: int, end: int) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code,
                severity="warning",
                message=message,
                path=path,
                span=Span(start=start, end=end),
            )
        )

    # -- the line loop -------------------------------------------------------------------------

    def run(self) -> None:
        lines = list(logical_lines(self.text))
        for index, line in enumerate(lines):
            heading = match_heading(line.text)
            if heading is not None:
                self.on_heading(heading, line)
                continue
            title = standalone_title(line.text)
            if title is not None:
                following = lines[index + 1] if index + 1 < len(lines) else None
                next_heading = match_heading(following.text) if following else None
                if next_heading and next_heading.kind == "article" and not next_heading.title:
                    self.pending_title = title
                    continue
                if isinstance(self.body, _ArticleB) and self._only_heading_so_far(self.body):
                    self.body.title = self.body.title or title
                    self.body.heading_end = line.end
                    continue
            if self.body is None:
                if not self.ended:
                    self.preamble_lines.append(line)
                continue
            if is_note(line.text):
                continue
            marker = match_marker(line.text)
            if marker is not None:
                self.on_marker(marker, line)
            else:
                self.on_text(line)

    @staticmethod
    def _only_heading_so_far(body: _BodyB) -> bool:
        first = body.paragraphs[0]
        return (
            len(body.paragraphs) == 1 and not first.children and first.text_end == first.text_start
        )

    def on_heading(self, heading: Heading, line: _Line) -> None:
        if heading.kind == "end":
            self.body = None
            self.ended = True
            return
        self.ended = False
        if heading.kind == "chapter":
            number = int(heading.number or 0)
            self.body = None
            self.chapter = Chapter(
                number=number,
                title=heading.title,
                path=f"ch:{number}",
                span=Span(start=line.start, end=line.end),
            )
            self.section = None
            if self.chapters and number != self.chapters[-1].number + 1:
                self.warn(
                    "numbering.chapter",
                    f"第{number}章 follows 第{self.chapters[-1].number}章",
                    self.chapter.path,
                    line.start,
                    line.end,
                )
            self.chapters.append(self.chapter)
        elif heading.kind == "section":
            number = int(heading.number or 0)
            self.body = None
            parent = self.chapter.path if self.chapter else ""
            self.section = Section(
                number=number,
                title=heading.title,
                path=f"{parent}/sec:{number}".lstrip("/"),
                span=Span(start=line.start, end=line.end),
            )
            if self.chapter is not None:
                previous = self.chapter.sections[-1].number if self.chapter.sections else 0
                if number != previous + 1:
                    self.warn(
                        "numbering.section",
                        f"第{number}節 follows 第{previous}節 in 第{self.chapter.number}章",
                        self.section.path,
                        line.start,
                        line.end,
                    )
                self.chapter.sections.append(self.section)
        elif heading.kind == "article":
            self.open_article(heading, line)
        elif heading.kind == "supplementary":
            self.chapter = None
            self.section = None
            suppl = _SupplB(start=line.start, heading_end=line.end, title=heading.title or "附則")
            suppl.paragraphs.append(
                _ParagraphB(start=line.end, text_start=line.end, text_end=line.end)
            )
            self.supplementary.append(suppl)
            self.body = suppl

    def open_article(self, heading: Heading, line: _Line) -> None:
        number = heading.number or ""
        title = heading.title or self.pending_title
        self.pending_title = None
        if heading.body_start is not None:
            heading_end = line.start + heading.body_start
            heading_text = line.text[: heading.body_start].rstrip()
            body_start, body_end = heading_end, line.end
        else:
            heading_end = line.end
            heading_text = line.text.strip()
            body_start = body_end = line.end
        article = _ArticleB(
            start=line.start,
            heading_end=heading_end,
            number=number,
            heading=heading_text,
            title=title,
            deleted=heading.deleted,
            chapter=self.chapter.number if self.chapter else None,
            section=self.section.number if self.section else None,
        )
        article.paragraphs.append(
            _ParagraphB(start=body_start, text_start=body_start, text_end=body_end)
        )
        self.check_article_number(article, line)
        self.articles.append(article)
        self.article_numbers.add(article.number)
        self.body = article
        if self.chapter is not None:
            self.chapter.articles.append(number)
        if self.section is not None:
            self.section.articles.append(number)
        if heading.body_start is not None:
            # '第1条 (1)…' would put a marker right after the number.
            marker = match_marker(line.text[heading.body_start :])
            if marker is not None:
                article.paragraphs[0].text_start = article.paragraphs[0].text_end = body_start
                self.on_marker(marker, _Line(body_start, line.end, line.text[heading.body_start :]))

    def check_article_number(self, article: _ArticleB, line: _Line) -> None:
        if not self.articles:
            if article.number != "1":
                self.warn(
                    "numbering.article",
                    f"the first article is 第{article.number}条, not 第1条",
                    f"art:{article.number}",
                    line.start,
                    line.end,
                )
            return
        previous = self.articles[-1].number
        if article.number in self.article_numbers:
            self.warn(
                "numbering.article.repeat",
                f"第{article.number}条 appears twice",
                f"art:{article.number}",
                line.start,
                line.end,
            )
            return
        main, _, branch = previous.partition("-")
        expected = {str(int(main) + 1)}
        expected.add(f"{main}-{int(branch) + 1 if branch else 2}")
        if article.number not in expected:
            self.warn(
                "numbering.article.gap",
                f"第{_kanji_free(article.number)}条 follows 第{_kanji_free(previous)}条",
                f"art:{article.number}",
                line.start,
                line.end,
            )

    # -- markers -------------------------------------------------------------------------------

    def indent(self, line: _Line) -> int:
        """Leading white space of the line in the raw text (tabs count 4)."""
        raw = self.normalized.raw
        first = self.normalized.offsets[line.start]
        line_start = raw.rfind("\n", 0, first) + 1
        lead = raw[line_start:first]
        return sum(4 if ch == "\t" else 1 for ch in lead[: len(lead) - len(lead.lstrip(" \t　"))])

    def on_marker(self, marker: Marker, line: _Line) -> None:
        body = self.body
        assert body is not None
        text_start = line.start + marker.end
        paragraph = body.paragraphs[-1]
        indent = self.indent(line)
        implicit_empty = (
            len(body.paragraphs) == 1
            and paragraph.marker is None
            and not paragraph.children
            and paragraph.text_end == paragraph.text_start
        )
        if implicit_empty and marker.style == "bullet" and marker.label in "*-":
            # '* 本文…' right under the heading: Markdown's list mark on a plain paragraph.
            paragraph.text_start = text_start
            paragraph.text_end = line.end
            return
        for depth in range(len(body.levels) - 1, -1, -1):
            level = body.levels[depth]
            candidate = marker
            if marker.style == "katakana" and level.style == "iroha":
                candidate = iroha_variant(marker) or marker
            if level.style == candidate.style and level.auto and candidate.ordinal == 1:
                # Markdown numbers every entry '1.'; only its indentation tells the level.
                if indent > level.indent:
                    break
                if indent < level.indent:
                    continue
            if level.style == candidate.style:
                del body.levels[depth + 1 :]
                if level.auto and candidate.ordinal == 1:
                    candidate = replace(candidate, ordinal=level.last + 1)
                else:
                    level.auto = False
                self.check_sequence(body, level, candidate, line)
                level.last = candidate.ordinal
                self.add_item(body, level, candidate, line, text_start)
                return
        if marker.style in PARAGRAPH_STYLES:
            auto_paragraph = (
                marker.ordinal == 1
                and paragraph.marker == marker.marker
                and paragraph.indent == indent
                and indent < min((lv.indent for lv in body.levels), default=indent + 1)
            )
            if auto_paragraph:
                body.levels.clear()
                body.paragraphs.append(
                    _ParagraphB(
                        start=line.start,
                        text_start=text_start,
                        text_end=line.end,
                        number=paragraph.number + 1,
                        marker=marker.marker,
                        indent=indent,
                    )
                )
                return
            if implicit_empty and marker.ordinal == 1:
                paragraph.indent = indent
                paragraph.marker = marker.marker
                paragraph.start = line.start
                paragraph.text_start = text_start
                paragraph.text_end = line.end
                return
            if marker.ordinal > paragraph.number:
                if marker.ordinal != paragraph.number + 1:
                    self.warn(
                        "numbering.paragraph",
                        f"paragraph {marker.label} follows paragraph {paragraph.number}",
                        self.body_path(body),
                        line.start,
                        line.end,
                    )
                body.levels.clear()
                body.paragraphs.append(
                    _ParagraphB(
                        start=line.start,
                        text_start=text_start,
                        text_end=line.end,
                        number=marker.ordinal,
                        marker=marker.marker,
                    )
                )
                return
        candidate = marker
        if marker.style == "katakana" and marker.ordinal != 1:
            candidate = iroha_variant(marker) or marker
        if candidate.ordinal not in (0, 1):
            self.warn(
                "numbering.item.start",
                f"a list of {candidate.style} items starts at {candidate.label!r}, not at 1",
                self.body_path(body),
                line.start,
                line.end,
            )
        owner = body.innermost()
        level = _Level(
            style=candidate.style,
            owner=owner,
            last=candidate.ordinal,
            auto=candidate.style == "digit-dot" and candidate.ordinal == 1,
            indent=indent,
        )
        body.levels.append(level)
        self.add_item(body, level, candidate, line, text_start)

    def check_sequence(self, body: _BodyB, level: _Level, marker: Marker, line: _Line) -> None:
        if marker.style == "bullet" or marker.ordinal == level.last + 1:
            return
        kind = "repeat" if marker.ordinal <= level.last else "gap"
        self.warn(
            f"numbering.item.{kind}",
            f"item {marker.label!r} follows item number {level.last}",
            self.body_path(body),
            line.start,
            line.end,
        )

    @staticmethod
    def add_item(body: _BodyB, level: _Level, marker: Marker, line: _Line, text_start: int) -> None:
        item = _ItemB(
            start=line.start,
            text_start=text_start,
            text_end=line.end,
            marker=marker,
            style=marker.style,
        )
        level.owner.children.append(item)

    def on_text(self, line: _Line) -> None:
        assert self.body is not None
        node = self.body.innermost()
        if node.text_end == node.text_start:
            node.text_start = line.start
        node.text_end = line.end

    def body_path(self, body: _BodyB) -> str:
        if isinstance(body, _ArticleB):
            return f"art:{body.number}"
        return (
            f"suppl:{self.supplementary.index(body) + 1}" if body in self.supplementary else "suppl"
        )


def _kanji_free(number: str) -> str:
    return number.replace("-", "の")


# --------------------------------------------------------------------------------------------
# Freezing the builders into the document model
# --------------------------------------------------------------------------------------------

_ITEM_KANA_STYLES = {"katakana", "paren-katakana", "iroha"}


def _item_segment(item: _ItemB, index: int) -> str:
    marker = item.marker
    assert marker is not None
    if marker.style == "bullet":
        return str(index + 1)
    if marker.style in _ITEM_KANA_STYLES:
        return marker.label
    return str(marker.ordinal)


class _Freezer:
    def __init__(self, text: str, locator: Locator | None) -> None:
        self.text = text
        self.locator = locator

    def page(self, offset: int) -> int | None:
        return self.locator.page(offset) if self.locator else None

    def own_text(self, node: _Node) -> tuple[str, Span]:
        start, end = node.text_start, node.text_end
        while start < end and self.text[start] in " \n":
            start += 1
        while end > start and self.text[end - 1] in " \n":
            end -= 1
        return self.text[start:end], Span(start=start, end=end)

    def items(self, nodes: list[_ItemB], parent: str, depth: int) -> list[Item]:
        frozen = []
        prefix = "item" if depth == 0 else "sub"
        for index, node in enumerate(nodes):
            assert node.marker is not None
            path = f"{parent}/{prefix}:{_item_segment(node, index)}"
            text, text_span = self.own_text(node)
            frozen.append(
                Item(
                    path=path,
                    span=Span(start=node.start, end=node.end()),
                    text=text,
                    text_span=text_span,
                    page=self.page(node.start),
                    label=node.marker.label,
                    marker=node.marker.marker,
                    style=node.style,
                    ordinal=node.marker.ordinal,
                    items=self.items(node.children, path, depth + 1),
                )
            )
        return frozen

    def paragraphs(self, body: _BodyB, parent: str) -> list[Paragraph]:
        frozen = []
        for node in body.paragraphs:
            path = f"{parent}/para:{node.number}"
            text, text_span = self.own_text(node)
            start = min(node.start, text_span.start)
            frozen.append(
                Paragraph(
                    path=path,
                    span=Span(start=start, end=max(node.end(), start)),
                    text=text,
                    text_span=text_span,
                    page=self.page(start),
                    number=node.number,
                    marker=node.marker,
                    items=self.items(node.children, path, 0),
                )
            )
        return frozen

    def heading_fields(self, node: _BodyB, path: str, heading: str) -> dict[str, Any]:
        """The node fields of an article or 附則: its own text is its heading."""
        return {
            "path": path,
            "span": Span(start=node.start, end=node.end()),
            "text": heading,
            "text_span": Span(start=node.start, end=node.heading_end),
            "page": self.page(node.start),
        }

    def article(self, node: _ArticleB) -> Article:
        path = f"art:{node.number}"
        return Article(
            **self.heading_fields(node, path, node.heading),
            number=node.number,
            heading=node.heading,
            title=node.title,
            deleted=node.deleted,
            chapter=node.chapter,
            section=node.section,
            paragraphs=[] if node.deleted else self.paragraphs(node, path),
        )

    def supplementary(self, node: _SupplB, index: int) -> SupplementaryProvisions:
        path = f"suppl:{index + 1}"
        paragraphs = [p for p in self.paragraphs(node, path) if p.text or p.items]
        return SupplementaryProvisions(
            **self.heading_fields(node, path, node.title),
            title=node.title,
            paragraphs=paragraphs,
        )


def _close_spans(chapters: list[Chapter], articles: list[Article]) -> list[Chapter]:
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


MIN_STRUCTURE = 1
"""A terms document has at least this many articles (or numbered top-level clauses)."""


def segment(
    normalized: NormalizedText, source: SourceInfo, locator: Locator | None = None
) -> Document:
    """Build the document tree from normalized text; numbering problems become diagnostics."""
    text = normalized.text
    segmenter = _Segmenter(normalized)
    segmenter.run()
    if len(segmenter.articles) < MIN_STRUCTURE:
        raise SegmentError(source.path, "not a terms document: no article headings (第N条) found")
    freezer = _Freezer(text, locator)
    articles = [freezer.article(a) for a in segmenter.articles]
    supplementary = [freezer.supplementary(s, i) for i, s in enumerate(segmenter.supplementary)]
    preamble = None
    if segmenter.preamble_lines:
        first, last = segmenter.preamble_lines[0], segmenter.preamble_lines[-1]
        preamble = Preamble(
            path="preamble",
            span=Span(start=first.start, end=last.end),
            text=text[first.start : last.end],
            text_span=Span(start=first.start, end=last.end),
            page=freezer.page(first.start),
        )
    return Document(
        id=source.sha256,
        source=source,
        text=text,
        preamble=preamble,
        chapters=_close_spans(segmenter.chapters, articles),
        articles=articles,
        supplementary=supplementary,
        diagnostics=segmenter.diagnostics + _paragraph_diagnostics(articles),
    )


def _paragraph_diagnostics(articles: list[Article]) -> list[Diagnostic]:
    """Paragraph numbers must run 1, 2, 3… within each article."""
    found = []
    for article in articles:
        for expected, paragraph in enumerate(article.paragraphs, start=1):
            if paragraph.number != expected:
                found.append(
                    Diagnostic(
                        code="numbering.paragraph",
                        severity="warning",
                        message=(
                            f"第{_kanji_free(article.number)}条: paragraph {paragraph.number}"
                            f" where {expected} was expected"
                        ),
                        path=paragraph.path,
                        span=paragraph.span,
                    )
                )
                break
    return found
