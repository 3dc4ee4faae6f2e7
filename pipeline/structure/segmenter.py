"""The segmenter: reads the logical lines in order and grows the builders of the provisions.

Each line is a heading (章, 節, 条, 附則, 別表, 以上), a standalone title, a line opening with a
numbering marker, or running text. Headings open bodies here; where a marker goes inside a body
is decided in `paragraphs`.
"""

from __future__ import annotations

from pipeline.models import Chapter, Diagnostic, NormalizedText, Section, Span
from pipeline.structure import numbering
from pipeline.structure.builders import (
    AppendixBuilder,
    ArticleBuilder,
    BodyBuilder,
    SupplementaryBuilder,
)
from pipeline.structure.layout import Layout, Line
from pipeline.structure.paragraphs import (
    open_plain_paragraph,
    place_marker,
    place_outline,
    split_glued_paragraphs,
)
from pipeline.text.headings import (
    CAPTION_FIRST,
    NOTE_FIRST,
    NOTE_LABEL_FIRST,
    Heading,
    is_caption,
    is_note,
    match_heading,
    note_label_end,
    standalone_title,
    title_without_open,
)
from pipeline.text.markers import MARKER_FIRST, Marker, match_marker
from pipeline.text.styles import UnitScanner, reads_as_unit_title

_MAY_OPEN_BODY_LINE = frozenset(NOTE_FIRST + CAPTION_FIRST + NOTE_LABEL_FIRST + MARKER_FIRST)


def plain_body_line(text: str) -> bool:
    """A line that is no note, caption or note label and opens with no marker: its first
    character opens none of them (`_MAY_OPEN_BODY_LINE`) and is no white space."""
    first = text[:1]
    return first not in _MAY_OPEN_BODY_LINE and not first.isspace()


class Segmenter:
    """Reads the lines of one document (or one part of a bundle) into builders."""

    def __init__(
        self,
        normalized: NormalizedText,
        lines: list[Line],
        layout: Layout,
        prefix: str = "",
        headings: list[Heading | None] | None = None,
    ) -> None:
        self.normalized = normalized
        self.lines = lines
        self.layout = layout
        self.prefix = prefix
        """'part:2/' in a bundle's second part: every path starts with it."""
        self.diagnostics: list[Diagnostic] = []
        self.preamble_lines: list[Line] = []
        self.closing_lines: list[Line] = []
        self.chapters: list[Chapter] = []
        self.articles: list[ArticleBuilder] = []
        self.supplementary: list[SupplementaryBuilder] = []
        self.appendices: list[AppendixBuilder] = []
        self.body: BodyBuilder | None = None
        self.chapter: Chapter | None = None
        self.section: Section | None = None
        self.pending_title: str | None = None
        self.ended = False
        self.scanner = UnitScanner(self.layout.style, self.layout.titled)
        self.await_unit_title = False
        self.headings: list[Heading | None] = (
            [match_heading(line.text) for line in lines] if headings is None else headings
        )
        """Each line read as a heading (None: not one), once for the whole loop."""

    def warn(self, diagnostic: Diagnostic | None) -> None:
        """Keep a numbering problem noticed while reading a marker (see `numbering`)."""
        if diagnostic is not None:
            self.diagnostics.append(diagnostic)

    # -- the line loop -------------------------------------------------------------------------

    def run(self) -> None:
        """Read every line in order; the builders hold the provisions at the end."""
        last_heading = max(
            (i for i, h in enumerate(self.headings) if h is not None and h.kind != "end"),
            default=-1,
        )
        for index, line in enumerate(self.lines):
            if self.layout.style != "article" and self.on_unit(index, line):
                continue
            if index > last_heading and self.closes_document(line):
                self.body = None
                self.ended = True
            heading = self.headings[index]
            if heading is not None and (
                heading.kind != "article" or self.layout.style == "article"
            ):
                self.on_heading(heading, line)
            elif not self.on_title(index, line):
                self.on_running_line(index, line)

    def closes_document(self, line: Line) -> bool:
        """'（苦情の申出）' after the last article: a boxed notice, text that closes the
        document rather than part of the last paragraph."""
        return (
            self.layout.style == "article"
            and isinstance(self.body, ArticleBuilder)
            and not self.body.only_heading_so_far()
            and bool(standalone_title(line.text) or title_without_open(line.text))
        )

    def on_title(self, index: int, line: Line) -> bool:
        """A bracketed title alone on its line: the next article's, or the one just opened."""
        title = standalone_title(line.text)
        if title is None:
            return False
        next_heading = self.headings[index + 1] if index + 1 < len(self.headings) else None
        if next_heading and next_heading.kind == "article" and not next_heading.title:
            self.pending_title = title
            return True
        if isinstance(self.body, ArticleBuilder) and self.body.only_heading_so_far():
            self.body.title = self.body.title or title
            self.body.heading_end = line.end
            return True
        return False

    def on_running_line(self, index: int, line: Line) -> None:
        """A line that is neither heading nor title: preamble, closing or the open body's."""
        if self.body is None:
            (self.closing_lines if self.ended else self.preamble_lines).append(line)
        else:
            self.on_body_line(index, line, self.body)

    def on_body_line(self, index: int, line: Line, body: BodyBuilder) -> None:
        """A line inside an article, 附則 or 別表 that is not a heading: a marker or text."""
        marker: Marker | None = None  # a plain line opens with none (see `plain_body_line`)
        if not plain_body_line(line.text):
            if is_note(line.text):
                return
            if is_caption(line.text):
                body.add_text(line)
                body.restart_ok = True
                return
            if label := note_label_end(line.text):
                # '備考 (一) …': the label is a caption and the list under it starts again.
                body.restart_ok = True
                line = Line(line.start + label, line.end, line.text[label:])
            marker = match_marker(line.text)
        pieces = [line]
        if isinstance(body, ArticleBuilder) and self.layout.style == "article":
            pieces = split_glued_paragraphs(body, line, marker)
            if len(pieces) > 1:
                marker = match_marker(pieces[0].text)  # the line's head before the cut
        if (
            marker is not None
            and marker.style == "digit-dot"
            and self.layout.style == "decimal-outline"
        ):
            # Where '14.' numbers the units, a '14.' that is not the next unit is a
            # citation ('14.に定める禁止行為…') or a wrap, not a paragraph.
            marker = None
        if marker is not None:
            self.on_marker(marker, pieces[0])
        elif self.layout.style == "heading" and self.layout.blank_before[index]:
            open_plain_paragraph(body, pieces[0])
        else:
            body.add_text(pieces[0])
        for piece in pieces[1:]:
            glued = match_marker(piece.text)
            assert glued is not None
            self.on_marker(glued, piece)

    def on_marker(self, marker: Marker, line: Line) -> None:
        """A line opening with a marker: a paragraph, an item or a sub-item of the body."""
        assert self.body is not None
        place_marker(
            self.body,
            marker,
            line,
            indent=self.indent(line),
            style=self.layout.style,
            warn=self.warn,
        )

    def indent(self, line: Line) -> int:
        """Leading white space of the line in the raw text (tabs count 4)."""
        raw = self.normalized.raw
        first = self.normalized.offsets[line.start]
        line_start = raw.rfind("\n", 0, first) + 1
        if line_start == first:
            return 0  # nothing before the line's first character (most lines)
        # A form feed opens each page of pdftotext output: not indentation.
        lead = raw[line_start:first].replace("\f", "")
        return sum(4 if ch == "\t" else 1 for ch in lead[: len(lead) - len(lead.lstrip(" \t　"))])

    # -- documents without 第N条 -----------------------------------------------------------

    def on_unit(self, index: int, line: Line) -> bool:
        """Handle a line that opens a unit, a chapter or a numbered sub-unit; False otherwise."""
        if self.layout.style == "heading":
            return self.on_markdown_heading(index, line)
        if self.await_unit_title:
            self.await_unit_title = False
            if self.on_unit_title(line):
                return True
        unit = self.scanner.unit(line.text)
        if unit is not None:
            number, rest, offset = unit
            title: str | None = rest.strip() or None
            body_start: int | None = None
            if (title is not None and not reads_as_unit_title(title)) or (
                self.layout.style == "numbered-section" and not self.layout.titled
            ):
                title, body_start = None, offset
            self.ended = False
            self.open_article(Heading("article", str(number), title, body_start), line)
            self.await_unit_title = not rest.strip()
            return True
        outline = self.scanner.sub(line.text)
        if outline is not None and isinstance(self.body, ArticleBuilder):
            place_outline(self.body, outline, line, self.warn)
            return True
        return False

    def on_unit_title(self, line: Line) -> bool:
        """'1' alone on its line, then '利用申込・承諾': the unit's title on the next line."""
        body = self.body
        if not (
            isinstance(body, ArticleBuilder)
            and body.only_heading_so_far()
            and reads_as_unit_title(line.text)
        ):
            return False
        body.title = line.text.strip()
        body.heading_end = line.end
        for paragraph in body.paragraphs:
            paragraph.start = paragraph.text_start = paragraph.text_end = line.end
        return True

    def on_markdown_heading(self, index: int, line: Line) -> bool:
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

    # -- headings ------------------------------------------------------------------------------

    def on_heading(self, heading: Heading, line: Line) -> None:
        """A heading line: it ends the body open so far and opens what it names."""
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
            self.open_chapter(heading, line)
        elif heading.kind == "section":
            self.open_section(heading, line)
        elif heading.kind == "article" and isinstance(self.body, SupplementaryBuilder):
            self.open_supplementary_article(self.body, heading, line)
        elif heading.kind == "article":
            self.open_article(heading, line)
        elif heading.kind == "supplementary":
            self.open_supplementary(heading, line)
        elif heading.kind == "appendix" and not self.articles:
            # '別紙' above the title: the document's label within another, part of its preamble.
            self.preamble_lines.append(line)
        elif heading.kind == "appendix":
            self.open_appendix(heading, line)

    def open_chapter(self, heading: Heading, line: Line) -> None:
        """第3章, or 第3章の2 (number '3-2'): the articles that follow are its own."""
        main, _, branch = (heading.number or "0").partition("-")
        self.body = None
        self.chapter = Chapter(
            number=int(main),
            branch=int(branch) if branch else None,
            title=heading.title,
            path=f"{self.prefix}ch:{heading.number or 0}",
            span=Span(start=line.start, end=line.end),
        )
        self.section = None
        self.chapters.append(self.chapter)

    def open_section(self, heading: Heading, line: Line) -> None:
        """第1節: a section of the open chapter (or of the document, when none is open)."""
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

    def open_supplementary(self, heading: Heading, line: Line) -> None:
        """附則: the provisions after the main body; chapters and sections end here."""
        self.chapter = None
        self.section = None
        self.body = SupplementaryBuilder(
            start=line.start,
            heading_end=line.end,
            path=f"{self.prefix}suppl:{len(self.supplementary) + 1}",
            title=heading.title or "附則",
        )
        self.supplementary.append(self.body)

    def open_supplementary_article(
        self, body: SupplementaryBuilder, heading: Heading, line: Line
    ) -> None:
        """'第1条（施行期日）' inside 附則: a paragraph of the 附則 headed by its article number."""
        body.levels.clear()
        if body.only_heading_so_far():
            body.paragraphs.clear()
        text_start = line.start + heading.body_start if heading.body_start is not None else line.end
        heading_text = line.text[: heading.body_start].strip() if heading.body_start else line.text
        body.open_paragraph(line, text_start, len(body.paragraphs) + 1, heading_text.strip())

    def open_appendix(self, heading: Heading, line: Line) -> None:
        """別表第二, 【別表】 料金表: a repeated number is reported and renumbered by position."""
        number = heading.number or "1"
        if any(a.number == number for a in self.appendices):
            self.warn(
                numbering.appendix_repeat(
                    number, f"{self.prefix}appx:{number}", line.start, line.end
                )
            )
            number = str(len(self.appendices) + 1)
        self.body = AppendixBuilder(
            start=line.start,
            heading_end=line.end,
            path=f"{self.prefix}appx:{number}",
            number=number,
            heading=line.text.strip(),
            title=heading.title,
        )
        self.appendices.append(self.body)

    def open_article(self, heading: Heading, line: Line) -> None:
        """第N条 (or a unit of a document without 第N条), with its title and any body text."""
        number = heading.number or ""
        title = heading.title or self.pending_title
        self.pending_title = None
        if heading.body_start is not None:
            heading_end = line.start + heading.body_start
            heading_text = line.text[: heading.body_start].rstrip()
        else:
            heading_end = line.end
            heading_text = line.text.strip()
        article = ArticleBuilder(
            start=line.start,
            heading_end=heading_end,
            path=f"{self.prefix}art:{number}",
            number=number,
            heading=heading_text,
            title=title,
            deleted=heading.deleted,
            chapter=self.chapter.number if self.chapter else None,
            section=self.section.number if self.section else None,
        )
        self.articles.append(article)
        self.body = article
        if self.chapter is not None:
            self.chapter.articles.append(number)
        if self.section is not None:
            self.section.articles.append(number)
        if heading.body_start is not None:
            article.paragraphs[0].text_end = line.end
            # '第1条 (1)…' would put a marker right after the number.
            marker = match_marker(line.text[heading.body_start :])
            if marker is not None:
                article.paragraphs[0].text_end = heading_end
                self.on_marker(marker, Line(heading_end, line.end, line.text[heading.body_start :]))
