"""Normalize: `RawDocument` → `NormalizedText`, with an offset map back to every raw character.

Three passes, each recording where every output character came from:

1. characters: full-width ASCII → half-width (ＮＥＣ → NEC, １３ → 13, （１） → (1)), ideographic
   space → space, half-width kana → full-width (ｶﾞ → ガ), Kangxi radicals → ideographs (⽤ → 用),
   control and zero-width characters dropped, Markdown emphasis and heading marks dropped.
   Circled digits, 〜, ー and the month counters ヶ/ヵ are left as they are: they carry meaning.
2. lines: blank lines are dropped (layout, as in the NEC text's blank line after every line) and
   lines are joined unless the break is structural — before a heading, a plausible paragraph or
   item marker, a standalone title; after a heading; between title lines of the preamble.
   Joining inserts nothing between Japanese characters, a space between two Latin words.
3. spaces: a space with Japanese on one side and Japanese or a digit on the other is layout
   ('しま す', '第 13 条', '平成 29 年') and goes, except right after a line's heading number
   or marker ('第1条 本文', '2 本文', '一 「接触」'), where it separates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.models import NormalizedText, NumberingStyle, RawDocument, SourceRef, Span
from pipeline.text.headings import (
    glued_heading_splits,
    is_caption,
    match_heading,
    note_label_end,
    standalone_title,
    title_without_open,
)
from pipeline.text.markers import NumberingState, match_marker
from pipeline.text.styles import (
    UnitScanner,
    detect_numbering_style,
    markdown_article_level,
    markdown_level,
    match_outline,
    reads_as_unit_title,
    sections_titled,
)

Char = tuple[str, int]
"""A normalized character and the raw offset it came from."""

_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ 　]+")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_HEADING_TOKEN = re.compile(
    r"第\s*[0-9〇一二三四五六七八九十百千]+\s*[条章節](?:\s*の\s*[0-9〇一二三四五六七八九十]+)?"
)
_SENTENCE_PUNCT = re.compile("[、。]")
_CLOSERS_ONLY = re.compile(r"^[)）」』】\]］〕。、]+$")
_PAGE_NUMBER = re.compile(r"^\f?[ \t　]{8,}[-－‐]?\s*[0-9０-９]{1,3}\s*[-－‐]?\s*\f?$")
"""A page number centred on its own line by a PDF-to-text tool ('                 2'): layout."""


@dataclass(frozen=True)
class _RawLayout:
    """What a raw line shows before its characters are mapped."""

    markdown_level: int
    blank_before: bool
    table_row: bool


def is_table_row(raw_line: str) -> bool:
    """A row of a table: Markdown ('| 1 | 用語 |') or tab-separated ('1\tAPIキー\t…')."""
    stripped = raw_line.strip(" ")
    return stripped.startswith("|") or stripped.count("\t") >= 2


MIN_RUNNING_REPEATS = 3
"""A page's first or last line is a running header or footer when this many pages share it."""
MAX_RUNNING_CHARS = 60


def running_lines(raw_lines: list[str]) -> set[int]:
    """Indices of running headers and footers in text with form feeds (pdftotext output).

    The first and last non-blank line of each page are compared across pages: a short line
    repeated on several pages ('旅行業約款（受注型企画旅行契約の部）') is layout, not text.
    """
    pages: list[list[int]] = [[]]
    for index, line in enumerate(raw_lines):
        if "\f" in line:
            pages.append([])
        if line.replace("\f", "").strip():
            pages[-1].append(index)
    edges = [(page[0], page[-1]) for page in pages if page]
    if len(edges) < MIN_RUNNING_REPEATS:
        return set()
    found: set[int] = set()
    for side in (0, 1):
        key = [raw_lines[e[side]].replace("\f", "").strip() for e in edges]
        counts: dict[str, int] = {}
        for text in key:
            counts[text] = counts.get(text, 0) + 1
        found.update(
            e[side]
            for e, text in zip(edges, key, strict=True)
            if counts[text] >= MIN_RUNNING_REPEATS and len(text) <= MAX_RUNNING_CHARS
        )
    return found


def normalize(raw: RawDocument) -> NormalizedText:
    """Normalize a raw document's text, keeping an offset map to the raw characters."""
    return normalize_text(raw.text)


def normalize_text(raw: str) -> NormalizedText:
    """Normalize a raw string (the lines of a document joined by newlines)."""
    lines: list[list[Char]] = []
    layout: list[_RawLayout] = []
    blank_before = in_comment = False
    raw_lines = raw.split("\n")
    running = running_lines(raw_lines)
    for number, (raw_line, chars) in enumerate(zip(raw_lines, _mapped_lines(raw), strict=True)):
        if number in running:
            blank_before = True
            continue
        if in_comment or raw_line.lstrip().startswith("<!--"):
            # An HTML comment ('<!-- 附則 … -->') is not shown to the reader: not the text.
            in_comment = "-->" not in raw_line
            blank_before = True
            continue
        if not chars or _PAGE_NUMBER.match(raw_line):
            blank_before = True
            continue
        if lines and _CLOSERS_ONLY.match("".join(ch for ch, _ in chars)):
            # '第1条（目的' then '）' alone: layout pushed the bracket down; it ends the line above.
            lines[-1].extend(chars)
            continue
        lines.append(chars)
        layout.append(_RawLayout(markdown_level(raw_line), blank_before, is_table_row(raw_line)))
        blank_before = False
    texts = ["".join(ch for ch, _ in chars) for chars in lines]
    style = detect_numbering_style(texts, [entry.markdown_level for entry in layout])
    joined = _join_lines(lines, raw, layout, style, texts)
    chars = _drop_layout_spaces(joined, style)
    return NormalizedText(
        raw=raw,
        text="".join(ch for ch, _ in chars),
        offsets=[index for _, index in chars] + [len(raw)],
    )


# --------------------------------------------------------------------------------------------
# Pass 1: characters
# --------------------------------------------------------------------------------------------


def map_char(ch: str) -> str:
    """The normalized form of one character ('' to drop it)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch in "\u3000\u00a0\t":
        return " "
    if 0x2E80 <= code <= 0x2FDF:
        # CJK radicals and Kangxi radicals that PDFs emit in place of ideographs (⽤ → 用).
        return unicodedata.normalize("NFKC", ch)
    if 0xFF61 <= code <= 0xFF9F:
        return unicodedata.normalize("NFKC", ch)
    if ch in "\u200b\u200c\u200d\u2060\ufeff" or (unicodedata.category(ch) == "Cc" and ch != "\n"):
        return ""
    return ch


_VOICED_MARKS = {"\uff9e": "\u3099", "\uff9f": "\u309a"}


def _map_line(line: str, start: int) -> list[Char]:
    """Map the characters of one raw line; strip its edge spaces and Markdown marks."""
    out: list[Char] = []
    for offset, ch in enumerate(line):
        if ch in _VOICED_MARKS and out:
            # ｶﾞ → ガ: the half-width voiced mark composes with the kana before it.
            prev, index = out[-1]
            composed = unicodedata.normalize("NFC", prev + _VOICED_MARKS[ch])
            if len(composed) == 1:
                out[-1] = (composed, index)
                continue
        for mapped in map_char(ch):
            out.append((mapped, start + offset))
    text = "".join(ch for ch, _ in out)
    out = _strip_markdown(out, text)
    while out and out[0][0] == " ":
        out.pop(0)
    while out and out[-1][0] == " ":
        out.pop()
    return out


def _strip_markdown(chars: list[Char], text: str) -> list[Char]:
    """Drop Markdown heading marks, ** emphasis and lines of HTML tags (formatting).

    A Markdown quote ('> …', an editorial note beside a clause) keeps its '>' so that the
    segmenter can leave it out of the clauses.
    """
    drop: set[int] = set()
    m = _MARKDOWN_HEADING.match(text)
    if m:
        drop.update(range(m.start(), m.end()))
    for m in re.finditer(r"\*\*", text):
        drop.update(range(m.start(), m.end()))
    tag = _HTML_TAG.fullmatch(text.strip())
    if tag:
        # A line that is only a tag ('<div style=…>') wraps text; a tag inside a sentence is
        # the document's own text and stays.
        drop.update(range(len(text)))
    if not drop:
        return chars
    return [c for i, c in enumerate(chars) if i not in drop]


def _mapped_lines(raw: str) -> Iterable[list[Char]]:
    start = 0
    for line in raw.split("\n"):
        yield _map_line(line, start)
        start += len(line) + 1


# --------------------------------------------------------------------------------------------
# Pass 2: lines
# --------------------------------------------------------------------------------------------


@dataclass
class _LineInfo:
    chars: list[Char]
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


def _classify(
    lines: list[list[Char]],
    layout: list[_RawLayout],
    style: NumberingStyle,
    texts: list[str],
) -> list[_LineInfo]:
    state = NumberingState()
    infos: list[_LineInfo] = []
    scanner = UnitScanner(style, sections_titled(texts))
    article_level = markdown_article_level([entry.markdown_level for entry in layout])
    for chars, entry in zip(lines, layout, strict=True):
        text = "".join(ch for ch, _ in chars)
        md_level, blank_before = entry.markdown_level, entry.blank_before
        if entry.table_row:
            # A table's rows continue the text that introduces it: no markers, no breaks.
            infos.append(
                _LineInfo(
                    chars=chars,
                    text=text,
                    heading_kind=None,
                    heading_has_body=False,
                    marker_ok=False,
                    table_row=True,
                )
            )
            continue
        if style != "article":
            unit: tuple[str, bool] | None = None
            if style == "heading":
                unit = ("article", False) if md_level and article_level else None
            else:
                unit = _unit_line(scanner, text, infos[-1] if infos else None)
            if unit is not None:
                state.reset()
                kind, has_body = unit
                bare = kind == "article" and (
                    style == "decimal-outline"
                    and (n := match_outline(text)) is not None
                    and not n.rest.strip()
                )
                infos.append(
                    _LineInfo(
                        chars=chars,
                        text=text,
                        heading_kind=kind,
                        heading_has_body=has_body,
                        marker_ok=False,
                        bare_article=bare,
                        blank_before=blank_before,
                    )
                )
                continue
        heading = match_heading(text)
        glued = [match_heading(text[cut:]) for cut in glued_heading_splits(text)]
        ends_with_heading = bool(glued and glued[-1] and glued[-1].body_start is None)
        if ends_with_heading and glued[-1] and glued[-1].kind == "article":
            state.reset()
        marker_ok = False
        if heading is not None:
            if heading.kind in ("article", "supplementary"):
                state.reset()
        else:
            label = note_label_end(text)
            marker = match_marker(text[label:])
            if label and marker is not None:
                state.open_lists.pop(marker.style, None)  # '備考 (一)': a list of its own
            if marker is not None and marker.style == "digit-dot" and style == "decimal-outline":
                marker = None  # the outline numbers the units (see segment)
            after_sentence = bool(infos) and infos[-1].text.endswith("。")
            marker_ok = marker is not None and state.accept(
                marker, after_sentence=after_sentence, rest=text[marker.end :]
            )
        infos.append(
            _LineInfo(
                chars=chars,
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
                blank_before=blank_before and style == "heading",
            )
        )
    return infos


def _latin_word_char(char: Char, raw: str) -> bool:
    """A letter that was half-width in the raw text (digits split by a break join whole)."""
    ch, index = char
    return ch.isascii() and ch.isalpha() and raw[index] == ch


def _join_lines(
    lines: list[list[Char]],
    raw: str,
    layout: list[_RawLayout],
    style: NumberingStyle,
    texts: list[str],
) -> list[list[Char]]:
    """Group lines into logical lines: a new one starts only where the break is structural."""
    infos = _classify(lines, layout, style, texts)
    logical: list[list[Char]] = []

    in_preamble = True
    for i, info in enumerate(infos):
        if info.heading_kind in ("chapter", "article"):
            in_preamble = False
        if i and infos[i - 1].heading_kind == "end":
            # After 以上 a closing or the next document's title block: title lines stand alone.
            in_preamble = True
        if i == 0 or _structural_break(infos, i, in_preamble):
            logical.append(list(info.chars))
            continue
        current = logical[-1]
        if _latin_word_char(current[-1], raw) and _latin_word_char(info.chars[0], raw):
            # Two half-width Latin words broken by layout: the break stood for a space
            # (full-width letters are written as Japanese: ＮＥ|Ｃ joins without one).
            newline_offset = info.chars[0][1] - 1
            current.append((" ", max(newline_offset, current[-1][1])))
        current.extend(info.chars)
    return logical


def _title_after_sentence(infos: list[_LineInfo], i: int) -> bool:
    """A title alone on its line right after a finished sentence."""
    line = infos[i].text
    return infos[i - 1].text.endswith("。") and bool(
        standalone_title(line) or title_without_open(line)
    )


def is_note(line: str) -> bool:
    """A Markdown quote line: an editorial note beside the clauses, not part of them."""
    return line.startswith(">")


def _structural_break(infos: list[_LineInfo], i: int, in_preamble: bool) -> bool:
    prev, line = infos[i - 1], infos[i]
    if line.table_row:
        return prev.heading_kind is not None and not prev.heading_has_body
    if line.heading_kind is not None or line.marker_ok or line.blank_before:
        return True
    if is_note(line.text) or is_note(prev.text):
        return True
    if is_caption(line.text) or is_caption(prev.text) or note_label_end(line.text):
        return True
    if _title_after_sentence(infos, i) or (i >= 2 and _title_after_sentence(infos, i - 1)):
        # '…供託しておりません。' then '（苦情の申出）': a titled block of its own.
        return True
    if (prev.heading_kind is not None and not prev.heading_has_body) or prev.ends_with_heading:
        return True
    if (
        standalone_title(line.text)
        and i + 1 < len(infos)
        and infos[i + 1].heading_kind == "article"
    ):
        return True
    if i >= 2 and infos[i - 2].bare_article and standalone_title(prev.text):
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


# --------------------------------------------------------------------------------------------
# Pass 3: spaces
# --------------------------------------------------------------------------------------------


def is_japanese(ch: str) -> bool:
    """Kana, ideographs, CJK punctuation and the full-width forms that remain after pass 1."""
    code = ord(ch)
    return (
        0x3000 <= code <= 0x30FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x2460 <= code <= 0x24FF
        or 0x3200 <= code <= 0x32FF
    )


def _protected_spaces(text: str, style: NumberingStyle = "article") -> set[int]:
    """Offsets of the space runs that separate a heading number or marker from its text.

    That is the space after a line's leading '第N条' or marker, and after a heading glued inside
    the line ('…利用契約第1節 通則', '…準用します。第8条 権利の譲渡…'); in a decimal outline,
    the space after '1.2'.
    """
    protected: set[int] = set()
    if style == "decimal-outline" and (number := match_outline(text)) is not None:
        protected.add(len(text[: number.end].rstrip()))
    for start in [0, *glued_heading_splits(text)]:
        m = _HEADING_TOKEN.match(text, start)
        if m:
            protected.add(m.end())
    marker = match_marker(text)
    if marker is not None:
        protected.add(len(marker.marker))
        if marker.style == "bullet":
            # '・利用契約 本サービスの…': in a definition list the space parts term and meaning.
            first_space = text.find(" ", len(marker.marker) + 1)
            if first_space > 0:
                protected.add(first_space)
    return protected


def _drop_layout_spaces(lines: list[list[Char]], style: NumberingStyle) -> list[Char]:
    out: list[Char] = []
    for number, chars in enumerate(lines):
        if number:
            # The newline maps to the raw newline just before the line's first character.
            out.append(("\n", max(chars[0][1] - 1, out[-1][1])))
        text = "".join(ch for ch, _ in chars)
        protected = _protected_spaces(text, style)
        i = 0
        while i < len(chars):
            ch = chars[i][0]
            if ch != " ":
                out.append(chars[i])
                i += 1
                continue
            j = i
            while j < len(chars) and chars[j][0] == " ":
                j += 1
            left = chars[i - 1][0] if i else ""
            right = chars[j][0] if j < len(chars) else ""
            layout = bool(left and right) and (
                (is_japanese(left) and (is_japanese(right) or right.isdigit()))
                or (is_japanese(right) and left.isdigit())
            )
            if not layout or i in protected:
                out.extend(chars[i:j])
            i = j
    return out


# --------------------------------------------------------------------------------------------
# From normalized offsets back to the source
# --------------------------------------------------------------------------------------------


class Locator:
    """Maps spans of the normalized text to raw offsets, PDF pages and boxes."""

    def __init__(self, raw: RawDocument, normalized: NormalizedText) -> None:
        self.raw = raw
        self.normalized = normalized
        self._line_starts: list[int] = []
        start = 0
        for line in raw.lines:
            self._line_starts.append(start)
            start += len(line.text) + 1

    def _line_of(self, raw_offset: int) -> int:
        from bisect import bisect_right

        return max(bisect_right(self._line_starts, raw_offset) - 1, 0)

    def page(self, offset: int) -> int | None:
        """The PDF page of the normalized character at `offset` (None for text input)."""
        if not self.normalized.text:
            return None
        offset = min(max(offset, 0), len(self.normalized.text) - 1)
        raw_offset = self.normalized.offsets[offset]
        return self.raw.lines[self._line_of(raw_offset)].page

    def ref(self, span: Span) -> SourceRef:
        """Where a span of the normalized text stands in the raw text and on the page."""
        raw_start, raw_end = self.normalized.raw_span(span.start, span.end)
        first = self._line_of(raw_start)
        line = self.raw.lines[first]
        bbox = None
        if line.char_boxes:
            boxes = []
            for index in range(first, self._line_of(max(raw_end - 1, raw_start)) + 1):
                candidate = self.raw.lines[index]
                if candidate.page != line.page or not candidate.char_boxes:
                    continue
                lo = max(raw_start - self._line_starts[index], 0)
                hi = min(raw_end - self._line_starts[index], len(candidate.char_boxes))
                boxes.extend(candidate.char_boxes[lo:hi])
            if boxes:
                bbox = (
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
        return SourceRef(page=line.page, bbox=bbox, raw_start=raw_start, raw_end=raw_end)
