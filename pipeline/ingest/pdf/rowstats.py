"""The extremes of every row of a page at once, with numpy: the numbers `spaced` and `row_ink`
would otherwise find by walking each row's lists in Python, several passes a row."""

from __future__ import annotations

from itertools import pairwise, repeat
from typing import Any, NamedTuple


class RowStats(NamedTuple):
    """A row's extremes, as `min` and `max` find them over its lists (`CharRow`)."""

    top: float
    """min(tops)"""
    right: float
    """max(rights)"""
    bottom: float
    """max(bottoms)"""
    widest: float
    """The widest gap between neighbours (left minus the previous right); -inf for a row of
    one character."""
    largest: float
    """max(sizes)"""
    smallest: float
    """min(sizes)"""
    solid: bool
    """No character of the row is a space (an ideographic one: the rest are left out)."""


_BOUND = 1e100
"""Coordinates within this bound: no sum of a row's gaps overflows, as `row_ink` checks."""


def row_stats(ordered: Any, spaces: Any, starts: list[int]) -> list[RowStats | None] | None:
    """Each row's `RowStats`, from the page's characters in row order (`ordered`: the five
    columns of `PageChars.values`, a float64 numpy array), which of them are spaces, and where
    each row starts (with the count at the end); None when numpy's numbers could differ from
    Python's: a coordinate that is not finite (Python's `max` keeps a first NaN, numpy's
    any), a negative zero (of two equal zeros, numpy may pick another than Python's first),
    or a huge one.
    """
    import numpy as np

    if ordered.dtype != np.float64 or len(starts) < 2:
        return None
    if not np.abs(ordered).max() < _BOUND or (np.signbit(ordered) & (ordered == 0)).any():
        return None
    lefts, rights, tops, bottoms, sizes = ordered
    firsts = np.array(starts[:-1], dtype=np.intp)
    gaps = np.empty(len(lefts))
    np.subtract(lefts[1:], rights[:-1], out=gaps[1:])
    gaps[firsts] = -np.inf  # no gap before a row's first character
    columns = (
        np.minimum.reduceat(tops, firsts).tolist(),
        np.maximum.reduceat(rights, firsts).tolist(),
        np.maximum.reduceat(bottoms, firsts).tolist(),
        np.maximum.reduceat(gaps, firsts).tolist(),
        np.maximum.reduceat(sizes, firsts).tolist(),
        np.minimum.reduceat(sizes, firsts).tolist(),
        (~np.logical_or.reduceat(spaces, firsts)).tolist(),
    )
    return list(map(tuple.__new__, repeat(RowStats), zip(*columns, strict=True)))


def pages_row_stats(
    ordered: Any, spaces: Any, starts: list[int], page_starts: list[int]
) -> list[RowStats | None]:
    """`row_stats` of several pages' rows found together (`ordered`, `spaces` and `starts` as
    `row_stats` takes them, the pages one after another; `page_starts`: the row each page
    starts at, and the count of rows at the end): each page's rows have their `RowStats`, or
    all None where `row_stats` of that page alone would give None."""
    found = row_stats(ordered, spaces, starts)
    if found is not None or len(starts) < 2:
        return found or []
    # a page has numbers numpy could read otherwise than Python: each page on its own
    out: list[RowStats | None] = []
    for first, end in pairwise(page_starts):
        begin = starts[first]
        within = slice(begin, starts[end])
        page = row_stats(
            ordered[:, within], spaces[within], [start - begin for start in starts[first : end + 1]]
        )
        out.extend([None] * (end - first) if page is None else page)
    return out
