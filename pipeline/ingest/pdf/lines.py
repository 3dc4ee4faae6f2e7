"""Characters → rows → lines: grouping a page's characters into rows by their bottom edge,
dropping characters drawn twice, and spelling a row's text with the spaces its gaps stand for."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from itertools import pairwise, repeat
from operator import attrgetter, sub
from typing import Any

from pipeline.ingest.pdf.chars import (
    Char,
    CharRow,
    Page,
    PageChars,
    Row,
    char_row,
    page_chars,
    row_chars,
)
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.ingest.pdf.rowstats import RowStats, row_stats
from pipeline.models import BBox, RawLine

_X0 = attrgetter("x0")


def rows(chars: list[Char], options: PdfOptions = DEFAULT_OPTIONS) -> list[Row]:
    """`page_rows` of a list of characters, each row as `Char`s."""
    page = page_chars(Page(0, 0.0, 0.0, chars))
    return list(map(row_chars, page_rows(page, options)))


def page_rows(page: PageChars, options: PdfOptions = DEFAULT_OPTIONS) -> list[CharRow]:
    """`rows_and_stats` without the stats."""
    return rows_and_stats(page, options)[0]


def rows_and_stats(
    page: PageChars, options: PdfOptions = DEFAULT_OPTIONS
) -> tuple[list[CharRow], list[RowStats | None]]:
    """Group a page's characters into rows across the page by `bottom`; each row sorted by
    `x0`, deduped.

    A row starts at its highest character and takes every character whose `bottom` lies
    within `line_tolerance` of it. The PDF's own spaces and line separators are left out: engines
    disagree on them (PDFium drops a line's trailing spaces and U+2028, pdfminer keeps them)
    and the gap a space leaves reads as one space anyway (`row_text`), so both engines give
    the same lines; an ideographic space stays, as text. O(n log n).

    The order is that of Python's stable `sorted`, found with numpy (see `_numpy_order`) but
    for a page with a NaN or infinite coordinate, which Python sorts itself. Each row comes
    with its `RowStats` where numpy finds them as Python would (see `row_stats`), else None.
    """
    import numpy as np

    values = page.values
    keys = values if values.dtype == np.float64 else values.astype(np.float64)
    lefts, bottoms = keys[0], keys[3]
    codes = page.codes if page.codes is not None else single_codes(page.texts)
    spaces = (
        np.fromiter(map(_LAYOUT_SPACES.__contains__, page.texts), dtype=bool, count=len(page))
        if codes is None
        else space_table()[np.minimum(codes, 0x3000)]
    )
    kept = np.flatnonzero(~spaces)
    if not math.isfinite(lefts.sum() + bottoms.sum()):
        at, starts = _python_order(kept.tolist(), values, options)
        picked: Any = at
        deduped: Iterable[int] = range(len(starts) - 1)  # `dedupe` looks at every row itself
    else:
        order, starts = _numpy_order(kept, lefts, bottoms, options.line_tolerance)
        deduped = close_rows(lefts, order, starts, options.dedupe_tolerance)
        at, picked = order.tolist(), order
    if codes is None:
        chosen = list(map(page.texts.__getitem__, at))
    else:  # one character per code, a lone surrogate too
        chosen = list(codes[picked].tobytes().decode("utf-32-le", "surrogatepass"))
    ordered = values[:, picked]
    columns = [chosen, *(ordered.tolist() if at else ([],) * 5)]
    found = None if codes is None else row_stats(ordered, codes[picked] == 0x3000, starts)
    stats: list[RowStats | None] = [None] * (len(starts) - 1) if found is None else found
    return cut_rows(columns, starts, deduped, stats, options.dedupe_tolerance), stats


def close_rows(lefts: Any, order: Any, starts: list[int], tolerance: float) -> set[int]:
    """The rows (indices) with two neighbours whose `x0` lie within `tolerance`: only these
    can hold a character drawn twice (the rest go through `dedupe` unchanged)."""
    import numpy as np

    close = np.flatnonzero(np.diff(lefts[order]) <= tolerance) + 1
    row_of = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    return set(row_of[close[row_of[close] == row_of[close - 1]]].tolist())


def cut_rows(
    columns: list[Any],
    starts: list[int],
    deduped: Iterable[int],
    stats: list[RowStats | None],
    tolerance: float,
) -> list[CharRow]:
    """The rows of a page's columns in row order, each between two `starts` (every row's
    slices taken by one `map` a column); a row in `deduped` goes through `dedupe`, and its
    `stats` become None."""
    spans = list(map(slice, starts, starts[1:]))
    sliced = [list(map(column.__getitem__, spans)) for column in columns]
    out: list[CharRow] = list(map(tuple.__new__, repeat(CharRow), zip(*sliced, strict=True)))
    for index in deduped:
        out[index] = char_row(dedupe(row_chars(out[index]), tolerance))
        stats[index] = None
    return out


def _numpy_order(kept: Any, lefts: Any, bottoms: Any, tolerance: float) -> tuple[Any, list[int]]:
    """The characters `kept` (indices) sorted into rows and each row by `x0`, and where each
    row starts: the order Python's stable sorts give, for finite coordinates (see
    `sorted_rows`)."""
    import numpy as np

    order = kept[np.argsort(bottoms[kept], kind="stable")]
    starts = row_starts(bottoms[order], tolerance)
    return sorted_rows(order, starts, lefts), starts


def sorted_rows(order: Any, starts: list[int], lefts: Any) -> Any:
    """Characters sorted stably by `bottom` (`order`, indices, sorted in place) with each row
    (between two `starts`) sorted stably by `x0`.

    Sorted stably by `bottom`, a row's characters stand in the order the PDF draws them,
    mostly left to right already: only the rows where some `x0` is less than its
    predecessor's are sorted again, stably by `x0` and then stably by row, which keeps each
    row in place and orders it as Python's `sorted` would (for finite values, where the
    order of floats is total and two equal ones keep their order).
    """
    import numpy as np

    rows_of = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    back = np.flatnonzero(np.diff(lefts[order]) < 0) + 1
    unsorted = np.zeros(len(starts) - 1, dtype=bool)
    unsorted[rows_of[back[rows_of[back] == rows_of[back - 1]]]] = True
    if unsorted.any():
        at = np.flatnonzero(unsorted[rows_of])  # the characters of the rows to sort again
        by_x0 = np.argsort(lefts[order[at]], kind="stable")
        by_row = by_x0[np.argsort(rows_of[at][by_x0], kind="stable")]
        order[at] = order[at][by_row]
    return order


def row_starts(bottoms: Any, tolerance: float, apart: Any = None) -> list[int]:
    """Where each row starts among characters sorted by `bottom` (a numpy array), and their
    count at the end: a row starts at a character lower than `tolerance` below the row's
    first one, and wherever `apart` (a boolean array, one less than the characters, if
    given) holds between a character and the next (on another page).

    A character more than `tolerance` below the one before it starts a row, for it lies
    lower still below the row's first (floating-point subtraction keeps that order); between
    two such, more rows start only when the run spans more than `tolerance` from its first
    character to its last: only such runs are walked character by character.
    """
    import numpy as np

    count = len(bottoms)
    if not count:
        return [0]
    steps = np.diff(bottoms) > tolerance
    breaks = np.flatnonzero(steps if apart is None else steps | apart) + 1
    firsts = np.concatenate(([0], breaks))
    lasts = np.concatenate((breaks - 1, [count - 1]))
    wide = np.flatnonzero(bottoms[lasts] - bottoms[firsts] > tolerance)
    starts: list[int] = firsts.tolist()
    if len(wide):
        values = bottoms.tolist()
        for run in reversed(wide.tolist()):  # from the end, so inserting keeps runs in place
            first, last = starts[run], int(lasts[run])
            more: list[int] = []
            anchor = values[first]
            for index in range(first + 1, last + 1):
                if values[index] - anchor > tolerance:
                    more.append(index)
                    anchor = values[index]
            starts[run + 1 : run + 1] = more
    starts.append(count)
    return starts


def _python_order(kept: list[int], values: Any, options: PdfOptions) -> tuple[list[int], list[int]]:
    """`page_rows`' order of the characters `kept` (indices), and where each row starts, by
    Python's sorts of the very values (as `sorted` orders a NaN)."""
    lefts, bottoms = values[0].tolist(), values[3].tolist()
    ordered = sorted(kept, key=bottoms.__getitem__)
    starts: list[int] = []
    anchor = -math.inf
    for index, bottom in enumerate(map(bottoms.__getitem__, ordered)):
        # A NaN joins the row before it; the first character starts a row whatever its
        # bottom (a NaN, or -inf), and a number after a row a NaN started starts its own.
        if (
            not starts
            or bottom - anchor > options.line_tolerance
            or (anchor != anchor and bottom == bottom)
        ):
            starts.append(index)
            anchor = bottom
    starts.append(len(ordered))
    order = [
        index
        for start, end in pairwise(starts)
        for index in sorted(ordered[start:end], key=lefts.__getitem__)
    ]
    return order, starts


_LAYOUT_SPACES = frozenset(ch for ch in map(chr, range(0x3000)) if ch.isspace())
"""Spaces and line separators a PDF draws for layout: every white space below U+3000; not the
ideographic space, which is text."""


def single_codes(texts: list[str]) -> Any:
    """The texts' codes as a numpy array, when each is one character (all of PDFium's, but
    '(cid:NN)'), else None."""
    import numpy as np

    joined = "".join(texts)
    if len(joined) != len(texts):
        return None
    return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def space_table() -> Any:
    """For every code up to U+3000, whether its character is one of `_LAYOUT_SPACES`."""
    import numpy as np

    return np.array([chr(code) in _LAYOUT_SPACES for code in range(0x3001)], dtype=bool)


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
    return spaced(char_row(row), options)[0]


def spaced(
    row: CharRow, options: PdfOptions, stats: RowStats | None = None
) -> tuple[str, list[BBox], BBox]:
    """A row's text, per-character boxes and box, with a space (boxed by the gap) where a gap
    is wider than `space_ratio` of the font size beyond the row's letter spacing, and the PDF
    draws no space of its own; `stats`, the row's `RowStats` if known, spare walking it."""
    texts, lefts, rights, tops, bottoms, sizes = row
    if not texts:
        return "", [], (0.0, 0.0, 0.0, 0.0)
    boxes: list[BBox] = list(zip(lefts, tops, rights, bottoms, strict=True))
    gaps: list[float] | None = None
    if stats is None:
        top, right, bottom = min(tops), max(rights), max(bottoms)
    else:
        top, right, bottom, widest, largest, smallest, _ = stats
    bbox = (lefts[0], top, right, bottom)
    if len(texts) == 1:
        return texts[0], boxes, bbox
    ratio = options.space_ratio
    if stats is None:
        gaps = list(map(sub, lefts[1:], rights))
        widest, largest, smallest = max(gaps), max(sizes), min(sizes)
    tracking = 0.0
    if len(texts) > 2 and not widest <= ratio * largest:  # else a row set solid (NaN: not)
        if gaps is None:
            gaps = list(map(sub, lefts[1:], rights))
        tracking = _tracking(gaps, ratio * largest)
    # a gap that is no space at the row's smallest size is none at the pair's larger size:
    # only the few gaps wider than that need looking at (in most rows, none); the widest
    # tells whether there is any (unless it is NaN, as a first NaN makes it)
    least = ratio * smallest
    if not (widest - tracking > least or widest != widest):
        return "".join(texts), boxes, bbox
    if gaps is None:
        gaps = list(map(sub, lefts[1:], rights))
    wide = [index for index, gap in enumerate(gaps, 1) if gap - tracking > least]
    if wide:
        texts = texts.copy()  # the row's own list stays as it is
    for index in reversed(wide):  # from the right, so inserting keeps the indices valid
        p_size, size = sizes[index - 1], sizes[index]
        if (
            gaps[index - 1] - tracking > ratio * (p_size if p_size > size else size)
            and not texts[index - 1].isspace()
            and not texts[index].isspace()
        ):
            p_top, top = tops[index - 1], tops[index]
            p_bottom, bottom = bottoms[index - 1], bottoms[index]
            high, low = p_top if p_top < top else top, p_bottom if p_bottom > bottom else bottom
            texts.insert(index, " ")
            boxes.insert(index, (rights[index - 1], high, lefts[index], low))
    return "".join(texts), boxes, bbox


def _tracking(gaps: list[float], limit: float) -> float:
    """The letter spacing of a row whose characters are set apart (a justified or tracked
    line, a letter-spaced heading), or 0 for a row set solid, from the gaps between
    neighbours (two or more, the widest wider than `limit`: `space_ratio` of the row's
    largest font size).

    When most gaps between neighbours are wider than the limit, the spacing is the lower
    median gap: only a gap wider again is a word space, so '1 3 時' of a justified line reads
    '13時' while '第 一 章   総   則' keeps the break before its title.
    """
    median = sorted(gaps)[(len(gaps) - 1) // 2]  # wider than the limit only if most gaps are
    return median if median > limit else 0.0


def raw_line(row: Row, page: int, column: int | None, options: PdfOptions) -> RawLine:
    """One row of characters (sorted by `x0`) as a RawLine with its boxes."""
    return line_of(char_row(row), page, column, options)


def line_of(
    row: CharRow,
    page: int,
    column: int | None,
    options: PdfOptions,
    stats: RowStats | None = None,
) -> RawLine:
    """`raw_line` of a row given column by column (with its `RowStats`, if known)."""
    text, boxes, bbox = spaced(row, options, stats)
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
