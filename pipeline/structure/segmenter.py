"""The segmenter: reads the logical lines in order and grows the builders of the provisions."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.models import (
    Chapter,
    Diagnostic,
    NormalizedText,
    Section,
    Span,
)
from pipeline.structure import numbering
from pipeline.structure.builders import (
    AppendixBuilder,
    ArticleBuilder,
    BodyBuilder,
    ItemBuilder,
    NodeBuilder,
    OpenList,
    ParagraphBuilder,
    SupplementaryBuilder,
)
from pipeline.structure.layout import Layout, Line, logical_lines
from pipeline.text.headings import (
    Heading,
    is_caption,
    is_note,
    match_heading,
    note_label_end,
    standalone_title,
    title_without_open,
)
from pipeline.text.markers import PARAGRAPH_STYLES, Marker, iroha_variant, match_marker
from pipeline.text.styles import (
    OutlineNumber,
    UnitScanner,
    reads_as_unit_title,
)

_GLUED_PARAGRAPH = re.compile(r"(?<=。)\s*(?P<n>[0-9]{1,2})[.．](?![0-9])(?=\S)")


class Segmenter:
    def __init__(
        self,
        normalized: NormalizedText,
        lines: list[Line] | None = None,
        layout: Layout | None = None,
        prefix: str = "",
    ) -> None:
        self.text = normalized.text
        self.normalized = normalized
        self.lines = lines if lines is not None else list(logical_lines(self.text))
        self.layout = layout or Layout()
        self.prefix = prefix
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
                and isinstance(self.body, ArticleBuilder)
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
                if isinstance(self.body, ArticleBuilder) and self._only_heading_so_far(self.body):
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
                line = Line(line.start + label, line.end, line.text[label:])
            pieces = self.split_glued_paragraphs(line)
            self.on_body_line(index, pieces[0])
            for piece in pieces[1:]:
                marker = match_marker(piece.text)
                assert marker is not None
                self.on_marker(marker, piece)

    def split_glued_paragraphs(self, line: Line) -> list[Line]:
        """A line holding the next '2.' paragraph after its sentence end, split there.

        '…通知しなければなりません。 2.寄託者は…' is cut only where the number continues the
        article's own '1.' paragraph count, so '…とします。2.5倍…' or a cited number stays text.
        """
        body = self.body
        if not isinstance(body, ArticleBuilder) or self.layout.style != "article":
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
                Line(line.start + start, line.start + m.start("n"), line.text[start : m.start("n")])
            )
            start = m.start("n")
            expected += 1
        pieces.append(Line(line.start + start, line.end, line.text[start:]))
        return pieces

    def on_body_line(self, index: int, line: Line) -> None:
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

    def on_unit(self, index: int, line: Line) -> bool:
        """Handle a line that opens a unit, a chapter or a numbered sub-unit; False otherwise."""
        style = self.layout.style
        if style == "heading":
            return self.on_markdown_heading(index, line)
        if self.await_unit_title:
            self.await_unit_title = False
            body = self.body
            if (
                isinstance(body, ArticleBuilder)
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
        if outline is not None and isinstance(self.body, ArticleBuilder):
            self.on_outline(outline, line)
            return True
        return False

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

    def on_outline(self, number: OutlineNumber, line: Line) -> None:
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
                ParagraphBuilder(
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
        owner: NodeBuilder = body.paragraphs[-1]
        for _ in range(depth - 1):
            if owner.children:
                owner = owner.children[-1]
        self.warn(
            numbering.list_start("outline", number.written, ordinal, self.body_path(body), line)
        )
        level = OpenList(style=style, owner=owner, last=ordinal)
        body.levels.append(level)
        self.add_item(body, level, marker, line, text_start)

    def open_plain_paragraph(self, line: Line) -> None:
        """A block after a blank line in a Markdown document: the body's next paragraph."""
        body = self.body
        assert body is not None
        last = body.paragraphs[-1]
        if not last.children and last.text_end == last.text_start:
            self.on_text(line)
            return
        body.levels.clear()
        body.paragraphs.append(
            ParagraphBuilder(
                start=line.start,
                text_start=line.start,
                text_end=line.end,
                number=last.number + 1,
            )
        )

    @staticmethod
    def _only_heading_so_far(body: BodyBuilder) -> bool:
        first = body.paragraphs[0]
        return (
            len(body.paragraphs) == 1 and not first.children and first.text_end == first.text_start
        )

    def on_heading(self, heading: Heading, line: Line) -> None:
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
            suppl = SupplementaryBuilder(
                start=line.start, heading_end=line.end, title=heading.title or "附則"
            )
            suppl.paragraphs.append(
                ParagraphBuilder(start=line.end, text_start=line.end, text_end=line.end)
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
            appendix = AppendixBuilder(
                start=line.start,
                heading_end=line.end,
                number=appendix_number,
                heading=line.text.strip(),
                title=heading.title,
            )
            appendix.paragraphs.append(
                ParagraphBuilder(start=line.end, text_start=line.end, text_end=line.end)
            )
            self.appendices.append(appendix)
            self.body = appendix

    def in_supplementary(self) -> bool:
        """Whether 附則 is open: its own 第1条, 第2条 number its provisions, not the body's."""
        return isinstance(self.body, SupplementaryBuilder)

    def open_supplementary_article(self, heading: Heading, line: Line) -> None:
        """'第1条（施行期日）' inside 附則: a paragraph of the 附則 headed by its article number."""
        body = self.body
        assert isinstance(body, SupplementaryBuilder)
        body.levels.clear()
        first = body.paragraphs[0]
        if len(body.paragraphs) == 1 and not first.children and first.text_end == first.text_start:
            body.paragraphs.clear()
        text_start = line.start + heading.body_start if heading.body_start is not None else line.end
        heading_text = line.text[: heading.body_start].strip() if heading.body_start else line.text
        body.paragraphs.append(
            ParagraphBuilder(
                start=line.start,
                text_start=text_start,
                text_end=line.end,
                number=len(body.paragraphs) + 1,
                marker=heading_text.strip(),
            )
        )

    def open_article(self, heading: Heading, line: Line) -> None:
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
        article = ArticleBuilder(
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
            ParagraphBuilder(start=body_start, text_start=body_start, text_end=body_end)
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
                self.on_marker(marker, Line(body_start, line.end, line.text[heading.body_start :]))

    # -- markers -------------------------------------------------------------------------------

    def indent(self, line: Line) -> int:
        """Leading white space of the line in the raw text (tabs count 4)."""
        raw = self.normalized.raw
        first = self.normalized.offsets[line.start]
        line_start = raw.rfind("\n", 0, first) + 1
        # A form feed opens each page of pdftotext output: not indentation.
        lead = raw[line_start:first].replace("\f", "")
        return sum(4 if ch == "\t" else 1 for ch in lead[: len(lead) - len(lead.lstrip(" \t　"))])

    def open_paragraph(
        self,
        body: BodyBuilder,
        line: Line,
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
            ParagraphBuilder(
                start=line.start,
                text_start=text_start,
                text_end=line.end,
                number=marker.ordinal if number is None else number,
                marker=marker.marker,
                indent=indent,
                written=written,
            )
        )

    def on_marker(self, marker: Marker, line: Line) -> None:
        body = self.body
        assert body is not None
        text_start = line.start + marker.end
        paragraph = body.paragraphs[-1]
        if marker.style == "digit-glued":
            if isinstance(body, AppendixBuilder) or marker.ordinal != paragraph.number + 1:
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
            and isinstance(body, ArticleBuilder)
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
        ) and not isinstance(body, AppendixBuilder):
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
        level = OpenList(
            style=candidate.style,
            owner=owner,
            last=candidate.ordinal,
            auto=candidate.style == "digit-dot" and candidate.ordinal == 1,
            indent=indent,
        )
        body.levels.append(level)
        self.add_item(body, level, candidate, line, text_start)

    def check_sequence(
        self, body: BodyBuilder, level: OpenList, marker: Marker, line: Line
    ) -> None:
        self.warn(
            numbering.item_sequence(
                marker, level.last, restart_ok=body.restart_ok, path=self.body_path(body), line=line
            )
        )

    @staticmethod
    def add_item(
        body: BodyBuilder, level: OpenList, marker: Marker, line: Line, text_start: int
    ) -> None:
        body.restart_ok = False
        item = ItemBuilder(
            start=line.start,
            text_start=text_start,
            text_end=line.end,
            marker=marker,
            style=marker.style,
        )
        level.owner.children.append(item)

    def on_text(self, line: Line) -> None:
        assert self.body is not None
        node = self.body.innermost()
        if node.text_end == node.text_start:
            node.text_start = line.start
        node.text_end = line.end

    def body_path(self, body: BodyBuilder) -> str:
        if isinstance(body, ArticleBuilder):
            return f"{self.prefix}art:{body.number}"
        if isinstance(body, AppendixBuilder):
            return f"{self.prefix}appx:{body.number}"
        return f"{self.prefix}suppl:" + (
            str(self.supplementary.index(body) + 1) if body in self.supplementary else "1"
        )
