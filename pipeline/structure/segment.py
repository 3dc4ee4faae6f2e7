"""Segment: `NormalizedText` → `Document` tree of 章 / 節 / 条 / 項 / 号 and 附則.

The text arrives with one logical line per structural unit (see `normalize`). Each line is a
heading, a numbering marker or running text. Nesting is decided from the numbering pattern, never
from indentation: a marker continuing a list already open is its next sibling (popping back to
that list's level), a paragraph marker continuing the paragraph count starts a new paragraph, and
a marker of a new pattern starting at 1 opens a list one level deeper. What does not fit becomes
a diagnostic, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from pipeline.models import (
    Appendix,
    Article,
    Chapter,
    Closing,
    Diagnostic,
    Document,
    DocumentPart,
    Item,
    NormalizedText,
    NumberingStyle,
    Paragraph,
    Preamble,
    Section,
    SegmentError,
    SourceInfo,
    Span,
    SupplementaryProvisions,
)
from pipeline.structure import numbering
from pipeline.structure.normalize import Locator, is_note
from pipeline.text.grammar import (
    PARAGRAPH_STYLES,
    Heading,
    Marker,
    OutlineNumber,
    UnitScanner,
    detect_numbering_style,
    glued_heading_splits,
    iroha_variant,
    is_caption,
    is_comparison_table,
    markdown_article_level,
    markdown_level,
    match_heading,
    match_marker,
    note_label_end,
    reads_as_unit_title,
    sections_titled,
    standalone_title,
    title_without_open,
)

_GLUED_PARAGRAPH = re.compile(r"(?<=。)\s*(?P<n>[0-9]{1,2})[.．](?![0-9])(?=\S)")


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
    written: int | None = None
    """The number its marker shows, when the document repeats one ('(3)' after '(4)')."""


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
    outline_shift: int = 0
    """1 when the outline numbers '13.1' list items of an unnumbered first paragraph."""
    paragraph_style: str | None = None
    """A style other than '2.' that numbers this body's paragraphs: '(1)' opening a section."""
    restart_ok: bool = False
    """A caption ('〔旅行開始後〕') just stood here: a list may start again at 1."""

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


@dataclass
class _AppendixB(_BodyB):
    """別表: a heading, an optional caption text and items."""

    number: str = "1"
    heading: str = ""
    title: str | None = None


@dataclass
class _Layout:
    """How the document is laid out, decided once from all its lines."""

    style: NumberingStyle = "article"
    titled: bool = True
    markdown_levels: list[int] = field(default_factory=list)
    blank_before: list[bool] = field(default_factory=list)

    @property
    def article_level(self) -> int | None:
        return markdown_article_level(self.markdown_levels)

    @property
    def chapter_level(self) -> int | None:
        article = self.article_level
        if article is None:
            return None
        shallower = [lv for lv in self.markdown_levels if 0 < lv < article]
        repeated = {lv for lv in shallower if shallower.count(lv) >= 2}
        return max(repeated) if repeated else None


class _Segmenter:
    def __init__(
        self,
        normalized: NormalizedText,
        lines: list[_Line] | None = None,
        layout: _Layout | None = None,
        prefix: str = "",
    ) -> None:
        self.text = normalized.text
        self.normalized = normalized
        self.lines = lines if lines is not None else list(logical_lines(self.text))
        self.layout = layout or _Layout()
        self.prefix = prefix
        self.diagnostics: list[Diagnostic] = []
        self.preamble_lines: list[_Line] = []
        self.closing_lines: list[_Line] = []
        self.chapters: list[Chapter] = []
        self.articles: list[_ArticleB] = []
        self.supplementary: list[_SupplB] = []
        self.appendices: list[_AppendixB] = []
        self.body: _BodyB | None = None
        self.chapter: Chapter | None = None
        self.section: Section | None = None
        self.pending_title: str | None = None
        self.ended = False
        self.scanner = UnitScanner(self.layout.style, self.layout.titled)
        self.await_unit_title = False

    # -- diagnostics ---------------------------------------------------------------------------

    def warn(self, diagnostic: Diagnostic | None) -> None:
        """Keep a numbering problem noticed while reading a marker (see `numbering`)."""
        if diagnostic is not None:
            self.diagnostics.append(diagnostic)

    # -- the line loop -------------------------------------------------------------------------

    def run(self) -> None:
        lines = self.lines
        last_heading = max(
            (
                i
                for i, line in enumerate(lines)
                if (h := match_heading(line.text)) is not None and h.kind != "end"
            ),
            default=-1,
        )
        for index, line in enumerate(lines):
            if self.layout.style != "article" and self.on_unit(index, line):
                continue
            if (
                index > last_heading
                and self.layout.style == "article"
                and isinstance(self.body, _ArticleB)
                and not self._only_heading_so_far(self.body)
                and (standalone_title(line.text) or title_without_open(line.text))
            ):
                # '（苦情の申出）' after the last article: a boxed notice, text that closes
                # the document rather than part of the last paragraph.
                self.body = None
                self.ended = True
            heading = match_heading(line.text)
            if heading is not None and (
                heading.kind != "article" or self.layout.style == "article"
            ):
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
                if self.ended:
                    self.closing_lines.append(line)
                else:
                    self.preamble_lines.append(line)
                continue
            if is_note(line.text):
                continue
            if is_caption(line.text):
                self.on_text(line)
                self.body.restart_ok = True
                continue
            if label := note_label_end(line.text):
                # '備考 (一) …': the label is a caption and the list under it starts again.
                self.body.restart_ok = True
                line = _Line(line.start + label, line.end, line.text[label:])
            pieces = self.split_glued_paragraphs(line)
            self.on_body_line(index, pieces[0])
            for piece in pieces[1:]:
                marker = match_marker(piece.text)
                assert marker is not None
                self.on_marker(marker, piece)

    def split_glued_paragraphs(self, line: _Line) -> list[_Line]:
        """A line holding the next '2.' paragraph after its sentence end, split there.

        '…通知しなければなりません。 2.寄託者は…' is cut only where the number continues the
        article's own '1.' paragraph count, so '…とします。2.5倍…' or a cited number stays text.
        """
        body = self.body
        if not isinstance(body, _ArticleB) or self.layout.style != "article":
            return [line]
        paragraph = body.paragraphs[-1]
        marker = match_marker(line.text)
        expected = paragraph.number + 1
        if marker is not None and marker.style == "digit-dot":
            expected = marker.ordinal + 1
        elif paragraph.marker is None or not paragraph.marker.rstrip(".").isdigit():
            return [line]
        pieces = []
        start = 0
        for m in _GLUED_PARAGRAPH.finditer(line.text):
            if int(m["n"]) != expected:
                continue
            pieces.append(
                _Line(
                    line.start + start, line.start + m.start("n"), line.text[start : m.start("n")]
                )
            )
            start = m.start("n")
            expected += 1
        pieces.append(_Line(line.start + start, line.end, line.text[start:]))
        return pieces

    def on_body_line(self, index: int, line: _Line) -> None:
        """A line inside an article, 附則 or 別表 that is not a heading: a marker or text."""
        marker = match_marker(line.text)
        if (
            marker is not None
            and marker.style == "digit-dot"
            and self.layout.style == "decimal-outline"
        ):
            # Where '14.' numbers the units, a '14.' that is not the next unit is a
            # citation ('14.に定める禁止行為…') or a wrap, not a paragraph.
            marker = None
        if marker is not None:
            self.on_marker(marker, line)
        elif self.layout.style == "heading" and self.layout.blank_before[index]:
            self.open_plain_paragraph(line)
        else:
            self.on_text(line)

    # -- documents without 第N条 -----------------------------------------------------------

    def on_unit(self, index: int, line: _Line) -> bool:
        """Handle a line that opens a unit, a chapter or a numbered sub-unit; False otherwise."""
        style = self.layout.style
        if style == "heading":
            return self.on_markdown_heading(index, line)
        if self.await_unit_title:
            self.await_unit_title = False
            body = self.body
            if (
                isinstance(body, _ArticleB)
                and self._only_heading_so_far(body)
                and reads_as_unit_title(line.text)
            ):
                body.title = line.text.strip()
                body.heading_end = line.end
                for paragraph in body.paragraphs:
                    paragraph.start = paragraph.text_start = paragraph.text_end = line.end
                return True
        unit = self.scanner.unit(line.text)
        if unit is not None:
            number, rest, offset = unit
            title: str | None = rest.strip() or None
            body_start: int | None = None
            if (title is not None and not reads_as_unit_title(title)) or (
                style == "numbered-section" and not self.layout.titled
            ):
                title, body_start = None, offset
            self.ended = False
            self.open_article(Heading("article", str(number), title, body_start), line)
            self.await_unit_title = not rest.strip()
            return True
        outline = self.scanner.sub(line.text)
        if outline is not None and isinstance(self.body, _ArticleB):
            self.on_outline(outline, line)
            return True
        return False

    def on_markdown_heading(self, index: int, line: _Line) -> bool:
        """'### 本規約の目的' opens an article (numbered by position), '## 総則' a chapter."""
        level = self.layout.markdown_levels[index]
        if not level:
            return False
        heading = line.text.strip()
        if level == self.layout.article_level:
            self.ended = False
            self.open_article(Heading("article", str(len(self.articles) + 1), heading), line)
            return True
        if level == self.layout.chapter_level:
            self.on_heading(Heading("chapter", str(len(self.chapters) + 1), heading), line)
            return True
        return False

    def on_outline(self, number: OutlineNumber, line: _Line) -> None:
        """'1.2' opens paragraph 2 of unit 1; '1.2.3' item 3 of it; deeper numbers sub-items."""
        body = self.body
        assert body is not None
        text_start = line.start + number.end
        depth = len(number.parts) - 2 + body.outline_shift
        ordinal = number.parts[-1]
        first = body.paragraphs[0]
        if (
            depth == 0
            and ordinal == 1
            and len(body.paragraphs) == 1
            and first.marker is None
            and first.text_end > first.text_start
        ):
            # An unnumbered paragraph ('…以下の事項に該当する場合…') then '13.1', '13.2': the
            # numbers list that paragraph's items, one level below where they would stand.
            body.outline_shift = 1
            depth = 1
        if depth == 0:
            paragraph = body.paragraphs[-1]
            body.levels.clear()
            if len(body.paragraphs) == 1 and self._only_heading_so_far(body) and ordinal == 1:
                paragraph.start, paragraph.text_start = line.start, text_start
                paragraph.text_end, paragraph.marker = line.end, number.written
                return
            self.warn(
                numbering.paragraph_sequence(
                    number.written, ordinal, paragraph.number, self.body_path(body), line
                )
            )
            body.paragraphs.append(
                _ParagraphB(
                    start=line.start,
                    text_start=text_start,
                    text_end=line.end,
                    # A repeated '1.2' keeps its marker but not its path: the next number.
                    number=max(ordinal, paragraph.number + 1),
                    marker=number.written,
                )
            )
            return
        marker = Marker("decimal", str(ordinal), ordinal, number.end, number.written)
        style = f"decimal-{depth}"
        for position, level in enumerate(body.levels):
            if level.style == style:
                del body.levels[position + 1 :]
                self.check_sequence(body, level, marker, line)
                level.last = ordinal
                self.add_item(body, level, marker, line, text_start)
                return
        body.levels = [lv for lv in body.levels if lv.style.startswith("decimal-")]
        owner: _Node = body.paragraphs[-1]
        for _ in range(depth - 1):
            if owner.children:
                owner = owner.children[-1]
        self.warn(
            numbering.list_start("outline", number.written, ordinal, self.body_path(body), line)
        )
        level = _Level(style=style, owner=owner, last=ordinal)
        body.levels.append(level)
        self.add_item(body, level, marker, line, text_start)

    def open_plain_paragraph(self, line: _Line) -> None:
        """A block after a blank line in a Markdown document: the body's next paragraph."""
        body = self.body
        assert body is not None
        last = body.paragraphs[-1]
        if not last.children and last.text_end == last.text_start:
            self.on_text(line)
            return
        body.levels.clear()
        body.paragraphs.append(
            _ParagraphB(
                start=line.start,
                text_start=line.start,
                text_end=line.end,
                number=last.number + 1,
            )
        )

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
            self.closing_lines.append(line)
            return
        if self.ended:
            # 以上, then 別表 or 附則 after it: the closing is what follows the last provision.
            self.closing_lines.clear()
        self.ended = False
        if heading.kind == "chapter":
            main, _, branch = (heading.number or "0").partition("-")
            number = int(main)
            self.body = None
            self.chapter = Chapter(
                number=number,
                branch=int(branch) if branch else None,
                title=heading.title,
                path=f"{self.prefix}ch:{heading.number or 0}",
                span=Span(start=line.start, end=line.end),
            )
            self.section = None
            self.chapters.append(self.chapter)
        elif heading.kind == "section":
            number = int(heading.number or 0)
            self.body = None
            parent = self.chapter.path if self.chapter else ""
            self.section = Section(
                number=number,
                title=heading.title,
                path=f"{parent}/sec:{number}" if parent else f"{self.prefix}sec:{number}",
                span=Span(start=line.start, end=line.end),
            )
            if self.chapter is not None:
                self.chapter.sections.append(self.section)
        elif heading.kind == "article" and self.in_supplementary():
            self.open_supplementary_article(heading, line)
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
        elif heading.kind == "appendix" and not self.articles:
            # '別紙' above the title: the document's label within another, part of its preamble.
            self.preamble_lines.append(line)
        elif heading.kind == "appendix":
            appendix_number = heading.number or "1"
            if any(a.number == appendix_number for a in self.appendices):
                self.warn(
                    numbering.appendix_repeat(
                        appendix_number,
                        f"{self.prefix}appx:{appendix_number}",
                        line.start,
                        line.end,
                    )
                )
                appendix_number = str(len(self.appendices) + 1)
            appendix = _AppendixB(
                start=line.start,
                heading_end=line.end,
                number=appendix_number,
                heading=line.text.strip(),
                title=heading.title,
            )
            appendix.paragraphs.append(
                _ParagraphB(start=line.end, text_start=line.end, text_end=line.end)
            )
            self.appendices.append(appendix)
            self.body = appendix

    def in_supplementary(self) -> bool:
        """Whether 附則 is open: its own 第1条, 第2条 number its provisions, not the body's."""
        return isinstance(self.body, _SupplB)

    def open_supplementary_article(self, heading: Heading, line: _Line) -> None:
        """'第1条（施行期日）' inside 附則: a paragraph of the 附則 headed by its article number."""
        body = self.body
        assert isinstance(body, _SupplB)
        body.levels.clear()
        first = body.paragraphs[0]
        if len(body.paragraphs) == 1 and not first.children and first.text_end == first.text_start:
            body.paragraphs.clear()
        text_start = line.start + heading.body_start if heading.body_start is not None else line.end
        heading_text = line.text[: heading.body_start].strip() if heading.body_start else line.text
        body.paragraphs.append(
            _ParagraphB(
                start=line.start,
                text_start=text_start,
                text_end=line.end,
                number=len(body.paragraphs) + 1,
                marker=heading_text.strip(),
            )
        )

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
        self.articles.append(article)
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

    # -- markers -------------------------------------------------------------------------------

    def indent(self, line: _Line) -> int:
        """Leading white space of the line in the raw text (tabs count 4)."""
        raw = self.normalized.raw
        first = self.normalized.offsets[line.start]
        line_start = raw.rfind("\n", 0, first) + 1
        # A form feed opens each page of pdftotext output: not indentation.
        lead = raw[line_start:first].replace("\f", "")
        return sum(4 if ch == "\t" else 1 for ch in lead[: len(lead) - len(lead.lstrip(" \t　"))])

    def open_paragraph(
        self,
        body: _BodyB,
        line: _Line,
        text_start: int,
        marker: Marker,
        *,
        number: int | None = None,
        indent: int | None = None,
        written: int | None = None,
    ) -> None:
        """Open the next paragraph of `body` at this marker's line; its open lists end."""
        body.levels.clear()
        body.paragraphs.append(
            _ParagraphB(
                start=line.start,
                text_start=text_start,
                text_end=line.end,
                number=marker.ordinal if number is None else number,
                marker=marker.marker,
                indent=indent,
                written=written,
            )
        )

    def on_marker(self, marker: Marker, line: _Line) -> None:
        body = self.body
        assert body is not None
        text_start = line.start + marker.end
        paragraph = body.paragraphs[-1]
        if marker.style == "digit-glued":
            if isinstance(body, _AppendixB) or marker.ordinal != paragraph.number + 1:
                self.on_text(line)
                return
            self.open_paragraph(body, line, text_start, marker)
            return
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
            if level.style == candidate.style and indent < level.indent:
                # '2.' at the margin after '    1.'…'    7.' indented under '1.': the list
                # it continues is an outer one (the paragraphs), not the indented items.
                continue
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
        if (
            implicit_empty
            and marker.ordinal == 1
            and isinstance(body, _ArticleB)
            and (
                marker.style == "circled"
                or (marker.style == "paren-digit" and self.layout.style == "numbered-section")
            )
        ):
            # '第1条（目的）' then '①本規約は…' with no text between: ① numbers the article's
            # paragraphs; so does '（１）' opening a section of a document numbered '１．'.
            # (Items need a sentence that introduces them: '次の各号に…'.)
            body.paragraph_style = marker.style
        if (
            marker.style in PARAGRAPH_STYLES or marker.style == body.paragraph_style
        ) and not isinstance(body, _AppendixB):
            auto_paragraph = (
                marker.ordinal == 1
                and paragraph.marker == marker.marker
                and paragraph.indent == indent
                and indent < min((lv.indent for lv in body.levels), default=indent + 1)
            )
            if auto_paragraph:
                self.open_paragraph(
                    body, line, text_start, marker, number=paragraph.number + 1, indent=indent
                )
                return
            if implicit_empty and marker.ordinal == 1:
                paragraph.indent = indent
                paragraph.marker = marker.marker
                paragraph.start = line.start
                paragraph.text_start = text_start
                paragraph.text_end = line.end
                return
            shown = paragraph.written or paragraph.number
            if marker.style == body.paragraph_style and (
                marker.ordinal <= shown or paragraph.written
            ):
                # '(3)' again after '(4)': the document repeats a number; the paragraph is
                # still the next one (its own path), and the repeat is reported once.
                self.warn(
                    numbering.paragraph_sequence(
                        marker.label, marker.ordinal, shown, self.body_path(body), line
                    )
                )
                self.open_paragraph(
                    body,
                    line,
                    text_start,
                    marker,
                    number=paragraph.number + 1,
                    written=marker.ordinal,
                )
                return
            if marker.ordinal > paragraph.number:
                self.warn(
                    numbering.paragraph_sequence(
                        marker.label, marker.ordinal, paragraph.number, self.body_path(body), line
                    )
                )
                self.open_paragraph(body, line, text_start, marker)
                return
        candidate = marker
        if marker.style == "katakana" and marker.ordinal != 1:
            candidate = iroha_variant(marker) or marker
        self.warn(
            numbering.list_start(
                candidate.style, candidate.label, candidate.ordinal, self.body_path(body), line
            )
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
        self.warn(
            numbering.item_sequence(
                marker, level.last, restart_ok=body.restart_ok, path=self.body_path(body), line=line
            )
        )

    @staticmethod
    def add_item(body: _BodyB, level: _Level, marker: Marker, line: _Line, text_start: int) -> None:
        body.restart_ok = False
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
            return f"{self.prefix}art:{body.number}"
        if isinstance(body, _AppendixB):
            return f"{self.prefix}appx:{body.number}"
        return f"{self.prefix}suppl:" + (
            str(self.supplementary.index(body) + 1) if body in self.supplementary else "1"
        )


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
    def __init__(self, text: str, locator: Locator | None, prefix: str = "") -> None:
        self.text = text
        self.locator = locator
        self.prefix = prefix
        self.seen: dict[str, int] = {}

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
        path = f"{self.prefix}art:{node.number}"
        self.seen[path] = self.seen.get(path, 0) + 1
        if self.seen[path] > 1:
            # Two articles share a number (reported as numbering.article.repeat): the second
            # keeps its number but gets a path of its own, so no path names two provisions.
            path = f"{path}#{self.seen[path]}"
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
        path = f"{self.prefix}suppl:{index + 1}"
        paragraphs = [p for p in self.paragraphs(node, path) if p.text or p.items]
        return SupplementaryProvisions(
            **self.heading_fields(node, path, node.title),
            title=node.title,
            paragraphs=paragraphs,
        )

    def appendix(self, node: _AppendixB) -> Appendix:
        path = f"{self.prefix}appx:{node.number}"
        fields = self.heading_fields(node, path, node.heading)
        items: list[Item] = []
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
            fields["text_span"] = Span(start=node.heading_end, end=node.heading_end)
        return Appendix(
            **fields, number=node.number, heading=node.heading, title=node.title, items=items
        )

    def block(self, lines: list[_Line], kind: type[Preamble] | type[Closing]) -> Any:
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

NOT_TERMS = (
    "not a terms document: no structure found (no 第N条 articles, numbered sections, "
    "decimal outline or headings)"
)
COMPARISON_TABLE = (
    "a comparison table (新旧対照表: 改正後/現行 columns side by side), not a terms document"
)


def segment(
    normalized: NormalizedText, source: SourceInfo, locator: Locator | None = None
) -> Document:
    """Build the document tree from normalized text; numbering problems become diagnostics.

    A file holding several documents (第1条 again after a document's articles) becomes a bundle:
    each document is a `DocumentPart`, and the Document's own structure fields stay empty.
    """
    text = normalized.text
    lines = list(logical_lines(text))
    if is_comparison_table([line.text for line in lines]):
        raise SegmentError(source.path, COMPARISON_TABLE)
    layout = _layout_of(normalized, lines)
    ranges = _part_ranges(lines) if layout.style == "article" else [(0, len(lines))]
    if len(ranges) == 1:
        fields = _build(normalized, lines, layout, "", locator)
        if not fields["articles"]:
            raise SegmentError(source.path, NOT_TERMS)
        diagnostics = fields.pop("diagnostics")
        return Document(
            id=source.sha256,
            source=source,
            text=text,
            numbering_style=layout.style,
            **fields,
            diagnostics=diagnostics,
        )
    parts: list[DocumentPart] = []
    diagnostics = []
    for number, (lo, hi) in enumerate(ranges, start=1):
        sub = _Layout(
            layout.style,
            layout.titled,
            layout.markdown_levels[lo:hi],
            layout.blank_before[lo:hi],
        )
        fields = _build(normalized, lines[lo:hi], sub, f"part:{number}/", locator)
        diagnostics += fields.pop("diagnostics")
        parts.append(
            DocumentPart(
                number=number,
                path=f"part:{number}",
                span=Span(start=lines[lo].start, end=lines[hi - 1].end),
                numbering_style=sub.style,
                **fields,
            )
        )
    return Document(
        id=source.sha256,
        source=source,
        text=text,
        numbering_style=layout.style,
        parts=parts,
        diagnostics=diagnostics,
    )


def _build(
    normalized: NormalizedText,
    lines: list[_Line],
    layout: _Layout,
    prefix: str,
    locator: Locator | None,
) -> dict[str, Any]:
    """Segment some lines into the structure fields of a document (or of a bundle's part)."""
    segmenter = _Segmenter(normalized, lines, layout, prefix)
    segmenter.run()
    freezer = _Freezer(normalized.text, locator, prefix)
    articles = [freezer.article(a) for a in segmenter.articles]
    return {
        "preamble": freezer.block(segmenter.preamble_lines, Preamble),
        "chapters": _close_spans(segmenter.chapters, articles),
        "articles": articles,
        "supplementary": [
            freezer.supplementary(s, i) for i, s in enumerate(segmenter.supplementary)
        ],
        "appendices": [freezer.appendix(a) for a in segmenter.appendices],
        "closing": freezer.block(segmenter.closing_lines, Closing),
        "diagnostics": numbering.segment_diagnostics(
            articles,
            segmenter.chapters,
            {line.start: line.end for line in lines},
            segmenter.diagnostics,
        ),
    }


def _layout_of(normalized: NormalizedText, lines: list[_Line]) -> _Layout:
    """The document's numbering style, and per line its Markdown level and a blank line before."""
    raw = normalized.raw
    levels: list[int] = []
    blank: list[bool] = []
    for line in lines:
        first = normalized.offsets[line.start]
        line_start = raw.rfind("\n", 0, first) + 1
        line_end = raw.find("\n", first)
        levels.append(markdown_level(raw[line_start : line_end if line_end >= 0 else len(raw)]))
        before = raw.rfind("\n", 0, max(line_start - 1, 0)) + 1
        blank.append(line_start > 0 and not raw[before : line_start - 1].strip())
    texts = [line.text for line in lines]
    style = detect_numbering_style(texts, levels)
    return _Layout(style, sections_titled(texts), levels, blank)


_DOCUMENT_TITLE = re.compile(
    r"(約款|規約|規程|規定|条件書?|ポリシー|契約書|約定書|ガイドライン|特約)\s*[」』)）]?\s*$"
)
MAX_TITLE_LOOKBACK = 3
"""How many lines before a restarting 第1条 may hold the next document's title."""


def _part_ranges(lines: list[_Line]) -> list[tuple[int, int]]:
    """Line ranges of the documents in a file: a new one starts where 第1条 comes again.

    The new document starts after the previous one's last 以上, else at its title line just
    before 第1条. A 第1条 inside 附則 (its own numbering) starts nothing unless a title or an
    以上 stands between.
    """
    starts = [0]
    articles = 0
    last_end: int | None = None
    in_supplementary = False
    for index, line in enumerate(lines):
        heading = match_heading(line.text)
        if heading is None:
            continue
        if heading.kind == "end":
            last_end = index
        elif heading.kind == "supplementary":
            in_supplementary = True
            last_end = None
        elif heading.kind == "article":
            if heading.number == "1" and articles >= 2:
                title_at = next(
                    (
                        k
                        for k in range(
                            index - 1, max(index - 1 - MAX_TITLE_LOOKBACK, starts[-1]), -1
                        )
                        if len(lines[k].text) <= 60
                        and "。" not in lines[k].text
                        and _DOCUMENT_TITLE.search(lines[k].text)
                    ),
                    None,
                )
                start = last_end + 1 if last_end is not None else title_at
                if start is None and not in_supplementary:
                    start = index
                if start is not None and start > starts[-1]:
                    starts.append(start)
                    articles = 0
                    in_supplementary = False
                    last_end = None
            articles += 1
    bounds = [*starts, len(lines)]
    return list(pairwise(bounds))
