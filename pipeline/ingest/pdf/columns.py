"""Columns and reading order: a page's column gutter, and its rows read band by band and,
within a band, column by column."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from itertools import compress, repeat
from operator import not_, sub
from typing import Any

from pipeline.ingest.pdf.chars import CharRow, PageChars, Row, char_row
from pipeline.ingest.pdf.lines import line_of
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.ingest.pdf.rowstats import RowStats
from pipeline.models import RawLine


def has_ink(row: CharRow) -> bool:
    """A row with something besides spaces: a row of spaces alone is no line."""
    return not all(map(str.isspace, row.texts))


def ink_segments(row: Row, min_gap: float) -> list[tuple[float, float]]:
    """The x extents of a row's ink, merging gaps narrower than `min_gap`; spaces are no ink."""
    return row_ink(char_row(row), min_gap)


def row_ink(
    row: CharRow, min_gap: float, stats: RowStats | None = None
) -> list[tuple[float, float]]:
    """`ink_segments` of a row given column by column (with its `RowStats`, if known)."""
    texts, lefts, rights = row.texts, row.lefts, row.rights
    if stats is not None and stats.solid:
        if stats.widest < min_gap:
            return [(lefts[0], stats.right)]  # no space, no gap that wide: the usual row
        # no space, finite numbers and a gap that wide: the ink parts at such gaps alone
        return _parted(lefts, rights, list(map(sub, lefts[1:], rights)), min_gap)
    if any(map(str.isspace, texts)):
        inked = list(map(not_, map(str.isspace, texts)))
        lefts = list(compress(lefts, inked))
        rights = list(compress(rights, inked))
    if not lefts:
        return []
    # the ink reaches at least as far right as the character before a gap: only a gap that is
    # wide beside that character can part the ink (in most rows none, in a row across two
    # columns one)
    gaps = list(map(sub, lefts[1:], rights))
    if not gaps or (max(gaps) < min_gap and math.isfinite(sum(gaps))):
        return [(lefts[0], max(rights))]  # no gap that wide (nor a NaN, which counts as wide)
    return _parted(lefts, rights, gaps, min_gap)


def _parted(
    lefts: list[float], rights: list[float], gaps: list[float], min_gap: float
) -> list[tuple[float, float]]:
    """`row_ink` of inked characters, parted where a gap (`gaps`: each left less the previous
    right) is at least `min_gap` wide beyond every character before it."""
    wide = [i for i, gap in enumerate(gaps, 1) if not gap < min_gap]
    out: list[tuple[float, float]] = []
    start = 0
    for index in wide:
        end = max(rights[start:index])
        if lefts[index] - end < min_gap:
            continue  # a wider character before it reaches over the gap
        out.append((lefts[start], end))
        start = index
    out.append((lefts[start], max(rights[start:])))
    return out


def find_gutter(
    row_segments: list[list[tuple[float, float]]],
    page_width: float,
    options: PdfOptions = DEFAULT_OPTIONS,
) -> tuple[float, float] | None:
    """The page's column gutter as (x0, x1), or None for a single column.

    In 1-point slices across the page, count the rows whose ink covers the slice, the rows
    with ink entirely left of it and those with ink entirely right of it. The gutter is the
    run of slices covered by the fewest rows, where at least `min_column_rows` rows stand on
    each side and more rows stand on each side than cross it, whose sides read as columns
    (`_columns_hold`); of equals, the one nearest the middle of the ink, for the gap between
    the list numbers and the text of a hanging indent in the right column is a gutter too.
    """
    import numpy as np

    width = int(page_width) + 2
    inked = [x for segments in row_segments for s in segments for x in s]
    cover, left, right = _slice_counts(row_segments, inked, width)
    if width < 1:
        return None  # a page without width has no slice to search
    crossing = np.cumsum(cover[:width])
    sides = np.minimum(np.cumsum(left[:width]), np.cumsum(right[::-1])[::-1][:width])
    # a slice is usable when at least `min_column_rows` rows stand on each side of it and
    # more rows stand on each side than cross it
    usable = (sides >= options.min_column_rows) & (sides > crossing)
    if not usable.any():
        return None  # no slice with rows enough on each side (most pages of one column)
    centre = (min(inked) + max(inked)) / 2 if inked else page_width / 2
    # runs of usable slices crossed by as many rows: (rows crossing, distance from the middle
    # of the ink, first slice, end)
    changes = np.flatnonzero((usable[1:] != usable[:-1]) | (crossing[1:] != crossing[:-1])) + 1
    firsts = np.concatenate(([0], changes))
    ends = np.concatenate((changes, [width]))
    runs = np.flatnonzero(usable[firsts] & (ends - firsts >= options.min_gutter_width - 2))
    candidates: list[tuple[int, float, int, int]] = [
        (count, abs((start + end) / 2 - centre), start, end)
        for count, start, end in zip(
            crossing[firsts[runs]].tolist(),
            firsts[runs].tolist(),
            ends[runs].tolist(),
            strict=True,
        )
    ]
    page_ink = max(inked) - min(inked) if candidates else 0.0
    for _, _, start, end in sorted(candidates):
        if _columns_hold(row_segments, (float(start), float(end)), options, page_ink):
            return float(start), float(end)
    return None


def _slice_counts(
    row_segments: list[list[tuple[float, float]]], inked: list[float], width: int
) -> tuple[Any, Any, Any]:
    """Per slice (0 to `width`), numpy arrays of the rows whose ink starts less ends there
    (`cover`: its running sum counts the rows crossing a slice), whose first ink ends there
    (`left`) and whose last ink starts just after (`right`).

    A row stands left of slice x when its first ink ends by x; right when its last starts
    after x + 1. Counted with numpy for finite coordinates; Python counts others (and fails
    as `int` and `math.ceil` fail on them).
    """
    import numpy as np

    inked_rows = [segments for segments in row_segments if segments]
    edges = np.array(inked, dtype=np.float64).reshape(-1, 2)
    if not np.isfinite(edges).all():
        return _python_slice_counts(inked_rows, width)
    firsts = np.array([segments[0][1] for segments in inked_rows], dtype=np.float64)
    lasts = np.array([segments[-1][0] for segments in inked_rows], dtype=np.float64)
    size = max(width + 1, 0)
    # the four kinds of slice (where ink starts, where it ends, where a row's first ink ends,
    # where its last starts) in one array, each kind counted in `size` bins of its own: one
    # count for the page; each slice taken as min(max(slice, 0), width), as
    # `_python_slice_counts` takes it
    slices = np.concatenate(
        (np.trunc(edges[:, 0]), np.ceil(edges[:, 1]), np.ceil(firsts), np.trunc(lasts) - 1)
    )
    at = np.minimum(np.maximum(slices, 0), width).astype(np.intp)
    at += np.repeat(np.arange(4) * size, (len(edges), len(edges), len(firsts), len(lasts)))
    counts = np.bincount(at, minlength=4 * size)[: 4 * size].reshape(4, size)
    return counts[0] - counts[1], counts[2], counts[3]


def _python_slice_counts(
    inked_rows: list[list[tuple[float, float]]], width: int
) -> tuple[Any, Any, Any]:
    """`_slice_counts` by Python, for any coordinates."""
    import numpy as np

    cover = [0] * (width + 1)
    left = [0] * (width + 1)
    right = [0] * (width + 1)
    for segments in inked_rows:
        for x0, x1 in segments:
            cover[min(max(int(x0), 0), width)] += 1
            cover[min(max(math.ceil(x1), 0), width)] -= 1
        left[min(max(math.ceil(segments[0][1]), 0), width)] += 1
        right[min(max(int(segments[-1][0]) - 1, 0), width)] += 1
    return (
        np.array(cover, dtype=np.int64),
        np.array(left, dtype=np.int64),
        np.array(right, dtype=np.int64),
    )


def _columns_hold(
    row_segments: list[list[tuple[float, float]]],
    gutter: tuple[float, float],
    options: PdfOptions,
    page_ink: float,
) -> bool:
    """Whether the rows on each side of a gutter read as columns of prose (`page_ink`: the
    inked width of the page).

    Each side must hold more rows than cross the gutter (a table's wrapped cells and merged
    rows cross it all the time), span `min_column_share` of the inked width, and its median
    row must reach `min_column_fill` of the way across the side.
    """
    g0, g1 = gutter
    middle = (g0 + g1) / 2
    sides: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    crossing = 0
    for segments in row_segments:
        if len(segments) == 1:  # most rows: one run of ink, on one side or across
            x0, x1 = segments[0]
            if x0 < g1 and x1 > g0:
                crossing += 1
            elif x0 < middle:
                sides[0].append((x0, x1))
            elif x0 >= middle:
                sides[1].append((x0, x1))
            continue
        if not segments:
            continue
        if any(x0 < g1 and x1 > g0 for x0, x1 in segments):
            crossing += 1
            continue
        left = [s for s in segments if s[0] < middle]
        right = [s for s in segments if s[0] >= middle]
        for side, part in ((0, left), (1, right)):
            if part:
                sides[side].append((part[0][0], part[-1][1]))
    for parts in sides:
        if len(parts) <= crossing:
            return False
        edge = min(p[0] for p in parts)
        span = max(p[1] for p in parts) - edge
        if span < options.min_column_share * page_ink:
            return False
        reach = sorted((x1 - edge) / span for _, x1 in parts)
        if reach[(len(reach) - 1) // 2] < options.min_column_fill:
            return False
    return True


def inherited_gutter(
    row_segments: list[list[tuple[float, float]]], gutters: list[tuple[float, float]]
) -> tuple[float, float] | None:
    """The gutter of the document's other pages, where a page has too few rows to show its own.

    The last page's right column may hold a line or two: the columns still stand there if no
    row crosses the gutter the other pages have and some row stands on each side of it. The
    gutter most pages share is tried first.
    """
    for gutter, _ in Counter(gutters).most_common():
        g0, g1 = gutter
        left = right = False
        for segments in row_segments:
            if any(x0 < g1 and x1 > g0 for x0, x1 in segments):
                break
            left = left or segments[0][0] < g0
            right = right or segments[-1][1] > g1
        else:
            if left and right:
                return gutter
    return None


def layout_page(
    page: PageChars,
    page_rows: list[CharRow],
    row_segments: list[list[tuple[float, float]]],
    gutter: tuple[float, float] | None,
    options: PdfOptions = DEFAULT_OPTIONS,
    stats: list[RowStats | None] | None = None,
) -> list[RawLine]:
    """A page's rows (each sorted by `x0`, as `page_rows` gives them, with their `row_ink` and
    `RowStats` if known) as lines in reading order: band by band, column by column on either
    side of `gutter`."""
    row_stats = [None] * len(page_rows) if stats is None else stats
    if gutter is None:
        lines_of = map(
            line_of, page_rows, repeat(page.number), repeat(0), repeat(options), row_stats
        )
        return list(lines_of)
    g0, g1 = gutter
    middle = (g0 + g1) / 2
    lines: list[RawLine] = []
    band: list[tuple[CharRow, RowStats | None]] = []

    def flush() -> None:
        # each row of the band splits at the gutter (its characters from `middle` on are the
        # right half); the left halves are read first
        splits = [bisect_left(row.lefts, middle) for row, _ in band]
        for column in (0, 1):
            for (row, whole), split in zip(band, splits, strict=True):
                half = _half(row, split, column)
                if half is not None and has_ink(half):
                    part = whole if half is row else None  # a part has extremes of its own
                    lines.append(line_of(half, page.number, column, options, part))
        band.clear()

    for row, segments, known in zip(page_rows, row_segments, row_stats, strict=True):
        if any(x0 < g1 and x1 > g0 for x0, x1 in segments):
            flush()
            lines.append(line_of(row, page.number, None, options, known))
        else:
            band.append((row, known))
    flush()
    return lines


def _half(row: CharRow, split: int, column: int) -> CharRow | None:
    """The left (column 0) or right (1) part of a row split before character `split`; None
    when it is empty, the row itself when it is whole (a row within one column)."""
    if split == (len(row.texts) if column else 0):
        return None
    if split == (0 if column else len(row.texts)):
        return row
    part = slice(split, None) if column else slice(split)
    return CharRow(
        row.texts[part],
        row.lefts[part],
        row.rights[part],
        row.tops[part],
        row.bottoms[part],
        row.sizes[part],
    )
