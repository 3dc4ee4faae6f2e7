"""Normalize: `RawDocument` → `NormalizedText`, with an offset map back to every raw character.

Lines that are layout go first (running headers and footers, centred page numbers, HTML
comments, a bracket pushed alone onto the next line); then three passes, each recording where
every output character came from:

1. `characters`: fold each character (ＮＥＣ → NEC, ｶﾞ → ガ, ⽤ → 用); drop Markdown marks.
2. `joining`: join the lines that layout broke; keep the breaks that are structural.
3. `spaces`: drop the spaces that layout put between Japanese characters ('しま す').

`Locator` maps a span of the result back to raw offsets, PDF pages and boxes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from pipeline.models import NormalizedText, RawDocument, SourceRef, Span
from pipeline.structure.characters import mapped_lines
from pipeline.structure.joining import RawLayout, join_lines
from pipeline.structure.spaces import drop_layout_spaces
from pipeline.text.styles import detect_numbering_style, markdown_level

_CLOSERS = ")）」』】]］〕。、"
_CLOSERS_ONLY = re.compile(rf"^[{re.escape(_CLOSERS)}]+$")
_PAGE_NUMBER = re.compile(r"^\f?[ \t　]{8,}[-－‐]?\s*[0-9０-９]{1,3}\s*[-－‐]?\s*\f?$")
"""A page number centred on its own line by a PDF-to-text tool ('                 2'): layout."""
_PAGE_NUMBER_FIRST = "\f \t　"
"""The characters a centred page number's line opens with: other lines skip the pattern."""


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
    texts: list[str] = []
    offsets: list[Sequence[int]] = []
    layout: list[RawLayout] = []
    blank_before = in_comment = False
    raw_lines = raw.split("\n")
    running = running_lines(raw_lines)
    # Without '<!--' or '#' anywhere, no line opens a comment or is a Markdown heading: the
    # checks of each line are skipped.
    comments = "<!--" in raw
    marked = "#" in raw
    # Nor is any line a table row without '|' or a tab anywhere (see `is_table_row`).
    tables = "|" in raw or "\t" in raw
    for number, (raw_line, (text, line_offsets)) in enumerate(
        zip(raw_lines, mapped_lines(raw, raw_lines), strict=True)
    ):
        if number in running:
            blank_before = True
            continue
        if in_comment or (comments and raw_line.lstrip().startswith("<!--")):
            # An HTML comment ('<!-- 附則 … -->') is not shown to the reader: not the text.
            in_comment = "-->" not in raw_line
            blank_before = True
            continue
        if not text or (raw_line[:1] in _PAGE_NUMBER_FIRST and _PAGE_NUMBER.match(raw_line)):
            blank_before = True
            continue
        if texts and text[0] in _CLOSERS and _CLOSERS_ONLY.match(text):
            # '第1条（目的' then '）' alone: layout pushed the bracket down; it ends the line above.
            texts[-1] += text
            offsets[-1] = [*offsets[-1], *line_offsets]  # a new list: the last may be a range
            continue
        texts.append(text)
        offsets.append(line_offsets)
        level = markdown_level(raw_line) if marked else 0
        layout.append(RawLayout(level, blank_before, tables and is_table_row(raw_line)))
        blank_before = False
    style = detect_numbering_style(texts, [entry.markdown_level for entry in layout])
    joined = join_lines(texts, offsets, raw, layout, style)
    text, text_offsets = drop_layout_spaces(joined, style)
    text_offsets.append(len(raw))
    # Built here to fit (one offset per character and the raw length): not validated again.
    return NormalizedText.model_construct(raw=raw, text=text, offsets=text_offsets)


# --------------------------------------------------------------------------------------------
# From normalized offsets back to the source
# --------------------------------------------------------------------------------------------


class PageLocator:
    """The PDF page of each character of the normalized text: what the stages after segment
    ask of a `Locator` (`page`), without holding the raw document.

    A parse hands extraction one of these (`Locator.pages`) and lets the raw lines go before
    the garbage collector resumes: held until the parse ends, every line and character box
    would be walked by the collector's first pass for nothing (`pipeline.process`).
    """

    __slots__ = ("_last", "_line_starts", "_offsets", "_paged", "_pages")

    def __init__(
        self,
        line_starts: list[int],
        pages: list[int | None],
        offsets: list[int],
        last: int,
        paged: bool,
    ) -> None:
        self._line_starts = line_starts  # where each raw line starts in the raw text
        self._pages = pages  # each raw line's page
        self._offsets = offsets  # each normalized character's raw offset
        self._last = last  # the last normalized character
        # Text input has no pages (nor an empty text a character): `page` answers None
        # without looking the line up.
        self._paged = paged

    def _line_of(self, raw_offset: int) -> int:
        return max(bisect_right(self._line_starts, raw_offset) - 1, 0)

    def page(self, offset: int) -> int | None:
        """The PDF page of the normalized character at `offset` (None for text input)."""
        if not self._paged:
            return None
        # `_line_of` inline: the segmenter asks for every provision's page, the extractors
        # for every extraction's.
        raw_offset = self._offsets[min(max(offset, 0), self._last)]
        return self._pages[max(bisect_right(self._line_starts, raw_offset) - 1, 0)]


class Locator(PageLocator):
    """Maps spans of the normalized text to raw offsets, PDF pages and boxes."""

    __slots__ = ("normalized", "raw")

    def __init__(self, raw: RawDocument, normalized: NormalizedText) -> None:
        self.raw = raw
        self.normalized = normalized
        line_starts: list[int] = []
        pages: list[int | None] = []
        start = 0
        for line in raw.lines:
            line_starts.append(start)
            pages.append(line.page)
            start += len(line.text) + 1
        paged = any(page is not None for page in pages) and bool(normalized.text)
        super().__init__(line_starts, pages, normalized.offsets, len(normalized.text) - 1, paged)

    def pages(self) -> PageLocator:
        """The pages of the characters alone, apart from the raw document."""
        return PageLocator(
            self._line_starts, self._pages, self._offsets, self._last, self._paged
        )

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
