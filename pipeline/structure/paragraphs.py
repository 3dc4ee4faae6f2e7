"""Placing a numbering marker in a body: the next paragraph (項), an item (号) or a sub-item.

The decision comes from the document's usage, never from indentation alone: a marker continuing
a list already open is its next sibling (closing the lists inside it), a paragraph marker
continuing the paragraph count opens the next paragraph, and a marker of a new pattern starting
at 1 opens a list one level deeper. Numbering problems go to `warn` as `numbering` diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.models import Diagnostic, NumberingStyle
from pipeline.structure import numbering
from pipeline.structure.builders import (
    AppendixBuilder,
    ArticleBuilder,
    BodyBuilder,
    NodeBuilder,
    OpenList,
)
from pipeline.structure.layout import Line
from pipeline.text.markers import PARAGRAPH_STYLES, Marker, iroha_variant
from pipeline.text.styles import OutlineNumber

Warn = Callable[[Diagnostic | None], None]
"""Where a numbering finding goes (None: nothing to report)."""


@dataclass(frozen=True)
class _Marked:
    """A line opening with a marker, about to be placed in `body`."""

    body: BodyBuilder
    marker: Marker
    line: Line
    indent: int
    """Leading white space of the line in the raw text."""
    style: NumberingStyle
    """How the document numbers its top-level units."""
    warn: Warn

    @property
    def text_start(self) -> int:
        """Where the text after the marker starts."""
        return self.line.start + self.marker.end

    @property
    def implicit_empty(self) -> bool:
        """The body has only its unnumbered first paragraph, still empty."""
        return self.body.only_heading_so_far() and self.body.paragraphs[0].marker is None


def place_marker(
    body: BodyBuilder,
    marker: Marker,
    line: Line,
    *,
    indent: int,
    style: NumberingStyle,
    warn: Warn,
) -> None:
    """Place the marker opening `line`: each decision below either places it or passes."""
    at = _Marked(body, marker, line, indent, style, warn)
    if marker.style == "digit-glued":
        _glued_paragraph(at)
    elif not (_markdown_list_mark(at) or _continues_open_list(at)):
        _adopt_paragraph_style(at)
        if not _opens_paragraph(at):
            _opens_list(at)


def _glued_paragraph(at: _Marked) -> None:
    """'２当社は…': the next paragraph only when it continues the count, else running text."""
    paragraph = at.body.paragraphs[-1]
    if isinstance(at.body, AppendixBuilder) or at.marker.ordinal != paragraph.number + 1:
        at.body.add_text(at.line)
    else:
        at.body.open_paragraph(at.line, at.text_start, at.marker.ordinal, at.marker.marker)


def _markdown_list_mark(at: _Marked) -> bool:
    """'* 本文…' right under the heading: Markdown's list mark on a plain paragraph."""
    if not (at.implicit_empty and at.marker.style == "bullet" and at.marker.label in "*-"):
        return False
    paragraph = at.body.paragraphs[-1]
    paragraph.text_start = at.text_start
    paragraph.text_end = at.line.end
    return True


def _continues_open_list(at: _Marked) -> bool:
    """The marker continues a list already open, innermost first: its next item."""
    body, marker = at.body, at.marker
    for depth in range(len(body.levels) - 1, -1, -1):
        level = body.levels[depth]
        candidate = marker
        if marker.style == "katakana" and level.style == "iroha":
            candidate = iroha_variant(marker) or marker
        if level.style != candidate.style:
            continue
        if at.indent < level.indent:
            # '2.' at the margin after '    1.'…'    7.' indented under '1.': the list
            # it continues is an outer one (the paragraphs), not the indented items.
            continue
        if level.auto and candidate.ordinal == 1:
            # Markdown numbers every entry '1.'; only its indentation tells the level.
            if at.indent > level.indent:
                return False
            candidate = candidate._replace(ordinal=level.last + 1)
        else:
            level.auto = False
        del body.levels[depth + 1 :]
        _next_item(body, level, candidate, at.line, at.text_start, at.warn)
        return True
    return False


def _adopt_paragraph_style(at: _Marked) -> None:
    """'第1条（目的）' then '①本規約は…' with no text between: ① numbers the paragraphs.

    So does '（１）' opening a section of a document numbered '１．'. (Items need a sentence
    that introduces them: '次の各号に…'.)
    """
    marker = at.marker
    if (
        at.implicit_empty
        and marker.ordinal == 1
        and isinstance(at.body, ArticleBuilder)
        and (
            marker.style == "circled"
            or (marker.style == "paren-digit" and at.style == "numbered-section")
        )
    ):
        at.body.paragraph_style = marker.style


def _opens_paragraph(at: _Marked) -> bool:
    """A paragraph marker ('2.', or the body's own paragraph style) opening a paragraph."""
    body, marker, line = at.body, at.marker, at.line
    paragraph = body.paragraphs[-1]
    numbers_paragraphs = marker.style in PARAGRAPH_STYLES or marker.style == body.paragraph_style
    if not numbers_paragraphs or isinstance(body, AppendixBuilder):
        return False
    if (
        marker.ordinal == 1
        and paragraph.marker == marker.marker
        and paragraph.indent == at.indent
        and at.indent < min((lv.indent for lv in body.levels), default=at.indent + 1)
    ):
        # Markdown's '1.' again at the paragraph's own indentation: the next paragraph.
        body.open_paragraph(
            line, at.text_start, paragraph.number + 1, marker.marker, indent=at.indent
        )
        return True
    if at.implicit_empty and marker.ordinal == 1:
        paragraph.indent = at.indent
        paragraph.marker = marker.marker
        paragraph.start = line.start
        paragraph.text_start = at.text_start
        paragraph.text_end = line.end
        return True
    shown = paragraph.written or paragraph.number
    if marker.style == body.paragraph_style and (marker.ordinal <= shown or paragraph.written):
        # '(3)' again after '(4)': the document repeats a number; the paragraph is still the
        # next one (its own path), and the repeat is reported once.
        at.warn(numbering.paragraph_sequence(marker.label, marker.ordinal, shown, body.path, line))
        body.open_paragraph(
            line, at.text_start, paragraph.number + 1, marker.marker, written=marker.ordinal
        )
        return True
    if marker.ordinal > paragraph.number:
        at.warn(
            numbering.paragraph_sequence(
                marker.label, marker.ordinal, paragraph.number, body.path, line
            )
        )
        body.open_paragraph(line, at.text_start, marker.ordinal, marker.marker)
        return True
    return False


def _opens_list(at: _Marked) -> None:
    """A marker of a new pattern: it opens a list under the innermost node."""
    candidate = at.marker
    if candidate.style == "katakana" and candidate.ordinal != 1:
        candidate = iroha_variant(candidate) or candidate
    at.warn(
        numbering.list_start(
            candidate.style, candidate.label, candidate.ordinal, at.body.path, at.line
        )
    )
    level = OpenList(
        style=candidate.style,
        owner=at.body.innermost(),
        last=candidate.ordinal,
        auto=candidate.style == "digit-dot" and candidate.ordinal == 1,
        indent=at.indent,
    )
    at.body.levels.append(level)
    at.body.add_item(level, candidate, at.line, at.text_start)


def _next_item(
    body: BodyBuilder, level: OpenList, marker: Marker, line: Line, text_start: int, warn: Warn
) -> None:
    """The marker's item as the next one of the open list `level`."""
    warn(
        numbering.item_sequence(
            marker, level.last, restart_ok=body.restart_ok, path=body.path, line=line
        )
    )
    level.last = marker.ordinal
    body.add_item(level, marker, line, text_start)


def place_outline(body: BodyBuilder, number: OutlineNumber, line: Line, warn: Warn) -> None:
    """'1.2' opens paragraph 2 of unit 1; '1.2.3' item 3 of it; deeper numbers sub-items."""
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
        _outline_paragraph(body, number, line, warn)
    else:
        _outline_item(body, number, depth, line, warn)


def _outline_paragraph(body: BodyBuilder, number: OutlineNumber, line: Line, warn: Warn) -> None:
    """'1.2': the unit's paragraph 2; a repeated '1.2' keeps its marker, not its path."""
    text_start = line.start + number.end
    ordinal = number.parts[-1]
    paragraph = body.paragraphs[-1]
    body.levels.clear()
    if body.only_heading_so_far() and ordinal == 1:
        paragraph.start, paragraph.text_start = line.start, text_start
        paragraph.text_end, paragraph.marker = line.end, number.written
        return
    warn(numbering.paragraph_sequence(number.written, ordinal, paragraph.number, body.path, line))
    body.open_paragraph(line, text_start, max(ordinal, paragraph.number + 1), number.written)


def _outline_item(
    body: BodyBuilder, number: OutlineNumber, depth: int, line: Line, warn: Warn
) -> None:
    """'1.2.3' (depth 1) or deeper: the next item of its depth's list, or a new list."""
    text_start = line.start + number.end
    ordinal = number.parts[-1]
    marker = Marker("decimal", str(ordinal), ordinal, number.end, number.written)
    style = f"decimal-{depth}"
    for position, level in enumerate(body.levels):
        if level.style == style:
            del body.levels[position + 1 :]
            _next_item(body, level, marker, line, text_start, warn)
            return
    body.levels = [lv for lv in body.levels if lv.style.startswith("decimal-")]
    owner: NodeBuilder = body.paragraphs[-1]
    for _ in range(depth - 1):
        if owner.children:
            owner = owner.children[-1]
    warn(numbering.list_start("outline", number.written, ordinal, body.path, line))
    level = OpenList(style=style, owner=owner, last=ordinal)
    body.levels.append(level)
    body.add_item(level, marker, line, text_start)


def open_plain_paragraph(body: BodyBuilder, line: Line) -> None:
    """A block after a blank line in a Markdown document: the body's next paragraph."""
    last = body.paragraphs[-1]
    if not last.children and last.text_end == last.text_start:
        body.add_text(line)
        return
    body.open_paragraph(line, line.start, last.number + 1)


_GLUED_PARAGRAPH = re.compile(r"(?<=。)\s*(?P<n>[0-9]{1,2})[.．](?![0-9])(?=\S)")
"""A '2.' glued after a sentence's end: '…なりません。 2.寄託者は…'."""


def split_glued_paragraphs(body: ArticleBuilder, line: Line, marker: Marker | None) -> list[Line]:
    """A line holding the next '2.' paragraph after its sentence end, split there.

    '…通知しなければなりません。 2.寄託者は…' is cut only where the number continues the
    article's own '1.' paragraph count, so '…とします。2.5倍…' or a cited number stays text.
    `marker` is the one the line opens with (`match_marker` of its text).
    """
    paragraph = body.paragraphs[-1]
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
        cut = m.start("n")
        pieces.append(Line(line.start + start, line.start + cut, line.text[start:cut]))
        start = cut
        expected += 1
    if not pieces:
        return [line]  # no cut (most lines): the line itself, not a copy
    pieces.append(Line(line.start + start, line.end, line.text[start:]))
    return pieces
