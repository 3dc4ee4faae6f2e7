"""Characters → rows → lines: grouping a page's characters into rows by their bottom edge,
dropping characters drawn twice, and spelling a row's text with the spaces its gaps stand for."""

from __future__ import annotations

import math
from itertools import pairwise
from operator import attrgetter, sub

from pipeline.ingest.pdf.chars import Char, Row
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.models import BBox, RawLine

_BOTTOM = attrgetter("bottom")
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
    starts: list[int] = []
    anchor = -math.inf
    for index, bottom in enumerate(map(_BOTTOM, ordered)):
        if bottom - anchor > options.line_tolerance:
            starts.append(index)
            anchor = bottom
    starts.append(len(ordered))
    return [
        dedupe(sorted(ordered[start:end], key=_X0), options.dedupe_tolerance)
        for start, end in pairwise(starts)
    ]


_LAYOUT_SPACES = frozenset(ch for ch in map(chr, range(0x3000)) if ch.isspace())
"""Spaces and line separators a PDF draws for layout: every white space below U+3000; not the
ideographic space, which is text."""


def dedupe(row: Row, tolerance: float = DEFAULT_OPTIONS.dedupe_tolerance) -> Row:
    """Drop characters drawn again over an equal one (fake bold, shadows) from a row.

    The row is sorted by `x0`, so a duplicate lies among the few characters just before it
    whose `x0` is within `tolerance`: linear in the row's length, never pairwise over the page.
    """
    lefts = list(map(_X0, row))
    if min(map(sub, lefts[1:], lefts), default=math.inf) > tolerance:
        return row  # no two characters close enough to be one drawn twice: the usual row
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


def _spaced(row: Row, options: PdfOptions) -> tuple[str, list[BBox], BBox]:
    """A row's text, per-character boxes and box, with a space (boxed by the gap) where a gap
    is wider than `space_ratio` of the font size beyond the row's letter spacing, and the PDF
    draws no space of its own."""
    if not row:
        return "", [], (0.0, 0.0, 0.0, 0.0)
    texts, lefts, rights, tops, bottoms, sizes = map(list, zip(*row, strict=True))
    boxes: list[BBox] = list(zip(lefts, tops, rights, bottoms, strict=True))
    bbox = (lefts[0], min(tops), max(rights), max(bottoms))
    ratio = options.space_ratio
    gaps = list(map(sub, lefts[1:], rights))
    tracking = _tracking(gaps, sizes, ratio)
    # a gap that is no space at the row's smallest size is none at the pair's larger size:
    # only the few gaps wider than that need looking at (in most rows, none)
    least = ratio * min(sizes)
    wide = [index for index, gap in enumerate(gaps, 1) if gap - tracking > least]
    for index in reversed(wide):  # from the right, so inserting keeps the indices valid
        p_size, size = sizes[index - 1], sizes[index]
        if (
            gaps[index - 1] - tracking > ratio * (p_size if p_size > size else size)
            and not texts[index - 1].isspace()
            and not texts[index].isspace()
        ):
            p_top, top, p_bottom, bottom = (
                tops[index - 1],
                tops[index],
                bottoms[index - 1],
                bottoms[index],
            )
            texts.insert(index, " ")
            boxes.insert(
                index,
                (
                    rights[index - 1],
                    p_top if p_top < top else top,
                    lefts[index],
                    p_bottom if p_bottom > bottom else bottom,
                ),
            )
    return "".join(texts), boxes, bbox


def _tracking(gaps: list[float], sizes: list[float], ratio: float) -> float:
    """The letter spacing of a row whose characters are set apart (a justified or tracked
    line, a letter-spaced heading), or 0 for a row set solid, from the gaps between
    neighbours and the characters' sizes.

    When most gaps between neighbours are wider than `ratio` of the row's font size, the
    spacing is the lower median gap: only a gap wider again is a word space, so '1 3 時' of a
    justified line reads '13時' while '第 一 章   総   則' keeps the break before its title.
    """
    if len(gaps) < 2:
        return 0.0
    limit = ratio * max(sizes)
    if max(gaps) <= limit:
        return 0.0  # no gap wider than the limit: a row set solid, and no sort needed
    median = sorted(gaps)[(len(gaps) - 1) // 2]  # wider than the limit only if most gaps are
    return median if median > limit else 0.0


def raw_line(row: Row, page: int, column: int | None, options: PdfOptions) -> RawLine:
    """One row of characters (sorted by `x0`) as a RawLine with its boxes."""
    text, boxes, bbox = _spaced(row, options)
    return built_line(text, page, bbox, column, boxes)


_FIELDS = frozenset(RawLine.model_fields)
_new = RawLine.__new__
_set = object.__setattr__


def built_line(text: str, page: int, bbox: BBox, column: int | None, boxes: list[BBox]) -> RawLine:
    """A `RawLine` of values built here with the right types, as `RawLine.model_construct`
    makes it (the same `__dict__`, fields set, no extra, no private attributes).

    Validating every character box again would cost more than reading the page, and
    `model_construct`'s general walk over the fields and their aliases costs three times
    these four assignments: with ten thousand lines a document, a tenth of the reading.
    """
    line = _new(RawLine)
    _set(
        line,
        "__dict__",
        {"text": text, "page": page, "bbox": bbox, "column": column, "char_boxes": boxes},
    )
    _set(line, "__pydantic_fields_set__", set(_FIELDS))
    _set(line, "__pydantic_extra__", None)
    _set(line, "__pydantic_private__", None)
    return line
