"""The logical lines of a normalized text, and how the document lays them out.

`normalize` leaves one logical line per structural unit; a heading glued inside a line is cut
off here. The layout (numbering style, Markdown levels, blank lines) is decided once from all
the lines, before any of them is read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from pipeline.models import NormalizedText, NumberingStyle
from pipeline.text.headings import glued_heading_splits
from pipeline.text.styles import (
    detect_numbering_style,
    markdown_article_level,
    markdown_level,
    sections_titled,
)

_BLANK_LINE = re.compile(r"[^\S\n]*\n")
"""A raw line of white space alone (`str.isspace`, as `\\s`), from its start to its newline."""


@dataclass
class Line:
    """A logical line: its offsets in the normalized text and its text."""

    start: int
    end: int
    text: str


def logical_lines(text: str) -> Iterator[Line]:
    """The text's lines with their offsets, split again where a heading is glued inside a line."""
    start = 0
    for raw_line in text.split("\n"):
        splits = glued_heading_splits(raw_line)
        if not splits:
            # Most lines hold no glued heading: the line is the only piece. A piece is kept
            # unless blank (`isspace` is what `strip` removes: no stripped copy is built).
            if raw_line and not raw_line.isspace():
                yield Line(start, start + len(raw_line), raw_line)
            start += len(raw_line) + 1
            continue
        for lo, hi in pairwise([0, *splits, len(raw_line)]):
            piece = raw_line[lo:hi]
            if piece and not piece.isspace():
                yield Line(start + lo, start + hi, piece)
        start += len(raw_line) + 1


@dataclass
class Layout:
    """How the document is laid out, decided once from all its lines."""

    style: NumberingStyle = "article"
    titled: bool = True
    """Numbered sections carry titles ('1. 概要'); read only in a numbered-section document."""
    markdown_levels: list[int] = field(default_factory=list)
    blank_before: list[bool] = field(default_factory=list)

    def part(self, lo: int, hi: int) -> Layout:
        """The layout of a bundle's part, lines lo..hi: the same style, those lines' levels."""
        return Layout(
            self.style, self.titled, self.markdown_levels[lo:hi], self.blank_before[lo:hi]
        )

    # Cached: the segmenter asks at every Markdown heading, and the levels never change.
    @cached_property
    def article_level(self) -> int | None:
        """The Markdown heading level that marks articles ('###' → 3), if any."""
        return markdown_article_level(self.markdown_levels)

    @cached_property
    def chapter_level(self) -> int | None:
        """The deepest level above the articles' that is used more than once: chapters."""
        article = self.article_level
        if article is None:
            return None
        counts = Counter(lv for lv in self.markdown_levels if 0 < lv < article)
        repeated = [lv for lv, count in counts.items() if count >= 2]
        return max(repeated) if repeated else None


def layout_of(normalized: NormalizedText, lines: list[Line]) -> Layout:
    """The document's numbering style, and per line its Markdown level and a blank line before."""
    raw = normalized.raw
    marked = "#" in raw  # else no line is a Markdown heading: level 0 without a look
    levels: list[int] = []
    blank: list[bool] = []
    for line in lines:
        first = normalized.offsets[line.start]
        line_start = raw.rfind("\n", 0, first) + 1
        if marked:
            line_end = raw.find("\n", first)
            raw_line = raw[line_start : line_end if line_end >= 0 else len(raw)]
            levels.append(markdown_level(raw_line))
        else:
            levels.append(0)
        before = raw.rfind("\n", 0, max(line_start - 1, 0)) + 1
        # The raw line before is blank: white space alone up to its newline (no copy of it).
        blank.append(line_start > 0 and _BLANK_LINE.match(raw, before) is not None)
    texts = [line.text for line in lines]
    style = detect_numbering_style(texts, levels)
    # Only numbered sections read `titled`: other styles skip the scan of every line.
    titled = style != "numbered-section" or sections_titled(texts)
    return Layout(style, titled, levels, blank)
