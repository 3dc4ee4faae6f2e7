"""Pass 2 of `normalize`: join the lines that layout broke, keep the structural breaks.

Blank lines are dropped (layout, as in the NEC text's blank line after every line) and lines are
joined unless the break is structural — before a heading, a plausible paragraph or item marker,
a standalone title; after a heading or a marker's caption; between title lines of the preamble.
Joining inserts nothing between Japanese characters, a space between two Latin words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.models import NumberingStyle
from pipeline.structure.characters import MappedLine
from pipeline.text import headings
from pipeline.text.markers import MARKER_FIRST, NumberingState, match_marker
from pipeline.text.styles import (
    UnitScanner,
    markdown_article_level,
    match_outline,
    reads_as_unit_title,
    sections_titled,
)

_SENTENCE_PUNCT = re.compile("[、。]")
_CAPTION_MAX = 20
"""The longest caption after a marker ('(1) 補償対象事故'), in characters."""
_CAPTION_SHARE = 0.6
"""A caption line is shorter than this share of the document's long lines: a line that layout
wrapped runs (nearly) to the measure."""
_CAPTION_BREAK = re.compile(r"[、。,，.．:：;；「」『』]|[ぁ-ゖ]$")
_CONTINUES_PHRASE = frozenset("はがをにのでとへやも(（「『[［【〔")
"""First characters of a line that goes on with the phrase before it: a particle ('3. 契約者'
then 'は、第13条…') or an opening bracket ('(3) ホスティングサービス' then '(「…利用規程」)')."""
_MAY_OPEN_UNIT = frozenset(headings.HEADING_FIRST + headings.NOTE_LABEL_FIRST + MARKER_FIRST)
"""The first characters a line can open a heading, a note label or a marker with (but white
space and decimal digits): see `running_text`."""
_MAY_BE_TITLE = frozenset(
    headings.NOTE_FIRST + headings.CAPTION_FIRST + headings.NOTE_LABEL_FIRST + headings.TITLE_OPEN
)
"""The first characters of a note, a caption, a note label and a bracketed title (but white
space): a line opening otherwise is none of them."""


class RawLayout(NamedTuple):
    """What a raw line shows before its characters are mapped (a tuple: one is built for every
    line, at half the cost of a frozen dataclass)."""

    markdown_level: int
    blank_before: bool
    table_row: bool


@dataclass(slots=True)
class _LineInfo:
    text: str
    heading_kind: str | None
    heading_has_body: bool
    marker_ok: bool
    ends_with_heading: bool = False
    """A heading glued at the line's end ('…準用します。第8条 権利の譲渡…')."""
    bare_article: bool = False
    """An article heading with neither title nor body: '第1条', its title may follow."""
    blank_before: bool = False
    """A blank line stands before it: a paragraph break in a Markdown document."""
    table_row: bool = False
    note: bool = False
    """A Markdown quote (`headings.is_note`)."""
    caption: bool = False
    """A caption alone on its line (`headings.is_caption`)."""
    label: bool = False
    """Opens with a note label (`headings.note_label_end`)."""
    title: bool = False
    """A bracketed title alone on its line (`headings.standalone_title`, not empty)."""
    cut_title: bool = False
    """A bracketed title that lost its opening bracket (`headings.title_without_open`)."""
    captioned: bool = False
    """A marker with only a caption after it, '(1) 補償対象事故': its text starts on the next
    line (`_caption`)."""

    def read_titles(self) -> None:
        """Set what the line reads as among notes, captions, labels and titles: once for each
        line, where the breaks before and after it both ask."""
        text = self.text
        first = text[:1]
        if first in _MAY_BE_TITLE or first.isspace():
            self.note = headings.is_note(text)
            self.caption = headings.is_caption(text)
            self.label = bool(headings.note_label_end(text))
            self.title = bool(headings.standalone_title(text))
        self.cut_title = headings.title_without_open(text)


def _unit_line(
    scanner: UnitScanner, text: str, previous: _LineInfo | None
) -> tuple[str, bool] | None:
    """(heading kind, has body) for a line that opens or names a unit without 第N条."""
    if scanner.unit(text) is not None:
        has_body = not scanner.titled and scanner.style == "numbered-section"
        rest = match_outline(text) if scanner.style == "decimal-outline" else None
        if rest is not None and rest.rest.strip():
            has_body = not reads_as_unit_title(rest.rest)
        return "article", has_body
    number = scanner.sub(text)
    if number is not None:
        return "outline", bool(number.rest.strip())
    if (
        previous is not None
        and previous.heading_kind == "article"
        and previous.bare_article
        and reads_as_unit_title(text)
    ):
        # '1' alone on its line, then '利用申込・承諾': the title line ends there.
        return "title", False
    return None


def _classify(texts: list[str], layout: list[RawLayout], style: NumberingStyle) -> list[_LineInfo]:
    """What each physical line is: a table row, a unit or heading, a plausible marker, or text."""
    # Only numbered sections read `titled`: other styles skip the scan of every line.
    titled = style != "numbered-section" or sections_titled(texts)
    classifier = _Classifier(style, titled, layout, _caption_limit(texts))
    for text, entry in zip(texts, layout, strict=True):
        classifier.add(text, entry)
    return classifier.infos


class _Classifier:
    """Reads the physical lines in order, keeping the numbering seen in the current article."""

    def __init__(
        self, style: NumberingStyle, titled: bool, layout: list[RawLayout], caption_limit: int = 0
    ) -> None:
        self.style = style
        self.caption_limit = caption_limit
        self.state = NumberingState()
        self.scanner = UnitScanner(style, titled)
        self.article_level = markdown_article_level([entry.markdown_level for entry in layout])
        self.infos: list[_LineInfo] = []

    def add(self, text: str, entry: RawLayout) -> None:
        """Classify the next line."""
        if entry.table_row:
            # A table's rows continue the text that introduces it: no markers, no breaks.
            info = _LineInfo(text, None, False, False, table_row=True)
        else:
            info = self.unit(text, entry) or self.heading_or_marker(text, entry)
        info.read_titles()
        self.infos.append(info)

    def unit(self, text: str, entry: RawLayout) -> _LineInfo | None:
        """A line opening a unit of a document without 第N条 (numbered, outline, Markdown)."""
        if self.style == "article":
            return None
        unit: tuple[str, bool] | None = None
        if self.style == "heading":
            unit = ("article", False) if entry.markdown_level and self.article_level else None
        else:
            unit = _unit_line(self.scanner, text, self.infos[-1] if self.infos else None)
        if unit is None:
            return None
        self.state.reset()
        kind, has_body = unit
        bare = kind == "article" and (
            self.style == "decimal-outline"
            and (n := match_outline(text)) is not None
            and not n.rest.strip()
        )
        return _LineInfo(
            text, kind, has_body, False, bare_article=bare, blank_before=entry.blank_before
        )

    def heading_or_marker(self, text: str, entry: RawLayout) -> _LineInfo:
        """A 第N条 document's line: a heading, a line opening with a plausible marker, or text."""
        if running_text(text):
            # What `read_line` finds for it, without the look.
            blank_before = entry.blank_before and self.style == "heading"
            return _LineInfo(text, None, False, False, blank_before=blank_before)
        return self.read_line(text, entry)

    def read_line(self, text: str, entry: RawLayout) -> _LineInfo:
        """`heading_or_marker` for any line: its heading, glued heading and marker read."""
        heading = headings.match_heading(text)
        # Only the last heading glued inside the line matters: it may end the line.
        cuts = headings.glued_heading_splits(text)
        glued = headings.match_heading(text[cuts[-1] :]) if cuts else None
        ends_with_heading = glued is not None and glued.body_start is None
        if ends_with_heading and glued is not None and glued.kind == "article":
            self.state.reset()
        marker_ok = captioned = False
        if heading is not None:
            if heading.kind in ("article", "supplementary"):
                self.state.reset()
        else:
            after_marker = self.accepted_marker(text)
            marker_ok = after_marker is not None
            captioned = (
                after_marker is not None
                and len(text) < self.caption_limit
                and _caption(after_marker)
            )
        return _LineInfo(
            text=text,
            heading_kind=heading.kind if heading else None,
            heading_has_body=bool(heading and heading.body_start is not None),
            marker_ok=marker_ok,
            ends_with_heading=ends_with_heading,
            bare_article=heading is not None
            and heading.kind == "article"
            and heading.title is None
            and heading.body_start is None
            and not heading.deleted,
            blank_before=entry.blank_before and self.style == "heading",
            captioned=captioned,
        )

    def accepted_marker(self, text: str) -> str | None:
        """What follows the marker the line opens with, if that marker is plausible here (see
        `NumberingState`); None for a line with no such marker."""
        label = headings.note_label_end(text)
        marker = match_marker(text[label:])
        if marker is None:
            return None  # most lines
        if label:
            self.state.open_lists.pop(marker.style, None)  # '備考 (一)': a list of its own
        if marker.style == "digit-dot" and self.style == "decimal-outline":
            return None  # the outline numbers the units (see segment)
        after_sentence = bool(self.infos) and self.infos[-1].text.endswith("。")
        if not self.state.accept(marker, after_sentence=after_sentence, rest=text[marker.end :]):
            return None
        return text[label + marker.end :]


def _caption_limit(texts: list[str]) -> int:
    """The length a caption line stays under: a share of the document's long lines (the upper
    quartile of the line lengths), 0 (no captions) in a document of a few lines."""
    if len(texts) < 8:
        return 0
    lengths = sorted(map(len, texts))
    return int(lengths[len(lengths) * 3 // 4] * _CAPTION_SHARE)


def _caption(after_marker: str) -> bool:
    """What follows a marker is a caption alone, '補償対象事故' in '(1) 補償対象事故' (or
    '保険金額:'): a short phrase with Japanese in it, no punctuation or quotes and no hiragana
    at its end (a line that layout broke mid-phrase ends on a particle or an inflection:
    '(1) 契約者が第10条に定める')."""
    rest = after_marker.strip().removesuffix(":").removesuffix("：")
    return (
        0 < len(rest) <= _CAPTION_MAX
        and not _CAPTION_BREAK.search(rest)
        and any(ch >= "\u3040" for ch in rest)
    )


def _body_after_caption(text: str) -> bool:
    """A line that can follow a caption as the text under it: prose (it has 、 or 。) that does
    not go on with the caption's phrase (`_CONTINUES_PHRASE`)."""
    return text[:1] not in _CONTINUES_PHRASE and _SENTENCE_PUNCT.search(text) is not None


def running_text(text: str) -> bool:
    """A line that opens neither a heading nor a marker, nor holds a glued heading: its first
    character opens none of them and it has no 第 (half the lines)."""
    first = text[:1]
    return (
        first not in _MAY_OPEN_UNIT
        and not first.isspace()
        and not first.isdecimal()
        and "第" not in text
    )


def _latin_word_char(ch: str, index: int, raw: str) -> bool:
    """A letter that was half-width in the raw text (digits split by a break join whole)."""
    return ch.isascii() and ch.isalpha() and raw[index] == ch


def join_lines(
    texts: list[str],
    offsets: list[Sequence[int]],
    raw: str,
    layout: list[RawLayout],
    style: NumberingStyle,
) -> list[MappedLine]:
    """Group lines into logical lines: a new one starts only where the break is structural."""
    infos = _classify(texts, layout, style)
    logical: list[tuple[list[str], list[int]]] = []

    in_preamble = True
    for i, info in enumerate(infos):
        if info.heading_kind in ("chapter", "article"):
            in_preamble = False
        if i and infos[i - 1].heading_kind == "end":
            # After 以上 a closing or the next document's title block: title lines stand alone.
            in_preamble = True
        line_offsets = offsets[i]
        if i == 0 or _structural_break(infos, i, in_preamble):
            logical.append(([info.text], list(line_offsets)))
            continue
        pieces, current = logical[-1]
        if _latin_word_char(pieces[-1][-1], current[-1], raw) and _latin_word_char(
            info.text[0], line_offsets[0], raw
        ):
            # Two half-width Latin words broken by layout: the break stood for a space
            # (full-width letters are written as Japanese: ＮＥ|Ｃ joins without one).
            pieces.append(" ")
            current.append(max(line_offsets[0] - 1, current[-1]))
        pieces.append(info.text)
        current.extend(line_offsets)
    return [("".join(pieces), line_offsets) for pieces, line_offsets in logical]


def _title_after_sentence(before: _LineInfo, line: _LineInfo) -> bool:
    """A title alone on its line right after a finished sentence."""
    return (line.title or line.cut_title) and before.text.endswith("。")


def _structural_break(infos: list[_LineInfo], i: int, in_preamble: bool) -> bool:
    prev, line = infos[i - 1], infos[i]
    if line.table_row:
        return prev.heading_kind is not None and not prev.heading_has_body
    if line.heading_kind is not None or line.marker_ok or line.blank_before:
        return True
    if prev.captioned and _body_after_caption(line.text):
        # '(1) 補償対象事故' then '上記3.「補償期間」中に…': no sentence starts with a caption.
        return True
    if line.note or prev.note or line.caption or prev.caption or line.label:
        return True
    if _title_after_sentence(prev, line) or (i >= 2 and _title_after_sentence(infos[i - 2], prev)):
        # '…供託しておりません。' then '（苦情の申出）': a titled block of its own.
        return True
    if (prev.heading_kind is not None and not prev.heading_has_body) or prev.ends_with_heading:
        return True
    if line.title and i + 1 < len(infos) and infos[i + 1].heading_kind == "article":
        return True
    if i >= 2 and infos[i - 2].bare_article and prev.title:
        # '第1条' then '(目的)' on a line of its own: the title line ends there.
        return True
    if in_preamble:
        # Title lines (no 、 or 。) stand alone; sentences broken by layout are joined.
        joins = (
            _SENTENCE_PUNCT.search(prev.text) is not None
            and not prev.text.endswith("。")
            and _SENTENCE_PUNCT.search(line.text) is not None
        )
        return not joins
    return False
