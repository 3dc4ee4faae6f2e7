"""Characters → rows → lines: grouping a page's characters into rows by their bottom edge,
dropping characters drawn twice, and spelling a row's text with the spaces its gaps stand for."""

from __future__ import annotations

import math
from itertools import pairwise
from operator import attrgetter

from pipeline.ingest.pdf.chars import Char, Row
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.models import BBox, RawLine

_BOTTOM = attrgetter("bottom")
_SIZE = attrgetter("size")
_X0 = attrgetter("x0")


def rows(chars: list[Char], options: PdfOptions = DEFAULT_OPTIONS) -> list[Row]:
    """Group characters into rows across the page by `bottom`; each row sorted by `x0`, deduped.

    A row starts at its highest character and takes every character whose `bottom` lies
    within `line_tolerance` of it. The PDF's own spaces and line separators are left out: engines
    disagree on them (PDFium drops a line's trailing spaces and U+2028, pdfminer keeps them)
    and the gap a space leaves reads as one space anyway (`row_text`), so both engines give
    the same lines; an ideographic space stays, as text. O(n log n).
    """
    ordered = sorted([char for char in chars if char[0] not in _LAYOUT_SPACES], key=_BOTTOM)
    out: list[Row] = []
    anchor = -math.inf
    for char in ordered:
        if char.bottom - anchor > options.line_tolerance:
            out.append([])
            anchor = char.bottom
        out[-1].append(char)
    return [dedupe(sorted(row, key=_X0), options.dedupe_tolerance) for row in out]


_LAYOUT_SPACES = frozenset(ch for ch in map(chr, range(0x3000)) if ch.isspace())
"""Spaces and line separators a PDF draws for layout: every white space below U+3000; not the
ideographic space, which is text."""


def dedupe(row: Row, tolerance: float = DEFAULT_OPTIONS.dedupe_tolerance) -> Row:
    """Drop characters drawn again over an equal one (fake bold, shadows) from a row.

    The row is sorted by `x0`, so a duplicate lies among the few characters just before it
    whose `x0` is within `tolerance`: linear in the row's length, never pairwise over the page.
    """
    kept: Row = []
    for char in row:
        duplicate = False
        for other in reversed(kept):
            if char.x0 - other.x0 > tolerance:
                break
            if other.text == char.text and abs(other.top - char.top) <= tolerance:
                duplicate = True
                break
        if not duplicate:
            kept.append(char)
    return kept


def row_text(row: Row, options: PdfOptions = DEFAULT_OPTIONS) -> str:
    """The text of characters sorted by `x0`, with a space where a wide gap stands for one."""
    return _spaced(row, options)[0]


def _spaced(row: Row, options: PdfOptions) -> tuple[str, list[BBox]]:
    """A row's text and per-character boxes, with a space (boxed by the gap) where a gap is
    wider than `space_ratio` of the font size beyond the row's letter spacing, and the PDF
    draws no space of its own."""
    texts: list[str] = []
    boxes: list[BBox] = []
    ratio = options.space_ratio
    tracking = _tracking(row, ratio)
    # tuples unpacked, not attributes read: this runs once per character of the document
    p_text, _, p_x1, p_top, p_bottom, p_size = " ", 0.0, math.inf, 0.0, 0.0, 0.0
    for text, x0, x1, top, bottom, size in row:
        if (
            x0 - p_x1 - tracking > ratio * (p_size if p_size > size else size)
            and not p_text.isspace()
            and not text.isspace()
        ):
            texts.append(" ")
            boxes.append(
                (p_x1, p_top if p_top < top else top, x0, p_bottom if p_bottom > bottom else bottom)
            )
        texts.append(text)
        boxes.append((x0, top, x1, bottom))
        p_text, p_x1, p_top, p_bottom, p_size = text, x1, top, bottom, size
    return "".join(texts), boxes


def _tracking(row: Row, ratio: float) -> float:
    """The letter spacing of a row whose characters are set apart (a justified or tracked
    line, a letter-spaced heading), or 0 for a row set solid.

    When most gaps between neighbours are wider than `ratio` of the row's font size, the
    spacing is the lower median gap: only a gap wider again is a word space, so '1 3 時' of a
    justified line reads '13時' while '第 一 章   総   則' keeps the break before its title.
    """
    if len(row) < 3:
        return 0.0
    gaps = sorted([b[1] - a[2] for a, b in pairwise(row)])
    median = gaps[(len(gaps) - 1) // 2]  # wider than the limit only if most gaps are
    return median if median > ratio * max(map(_SIZE, row)) else 0.0


def raw_line(row: Row, page: int, column: int | None, options: PdfOptions) -> RawLine:
    """One row of characters (sorted by `x0`) as a RawLine with its boxes."""
    text, boxes = _spaced(row, options)
    bbox = (
        boxes[0][0],
        min(char.top for char in row),
        max(char.x1 for char in row),
        max(char.bottom for char in row),
    )
    # model_construct: the values are built here with the right types; validating every
    # character box again would cost more than reading the page.
    return RawLine.model_construct(
        text=text,
        page=page,
        bbox=bbox,
        column=column,
        char_boxes=boxes,
    )
