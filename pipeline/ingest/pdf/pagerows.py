"""Every page's rows at once: `rows_and_stats` of a document's pages in one pass of numpy
calls over all their characters, instead of one pass a page.

A numpy call costs a few microseconds whatever its size, and `rows_and_stats` makes some
fifty a page: for a terms document, whose pages hold a thousand characters or so, that is
more than the work on the characters. Together, the pages are sorted by page and then by
`bottom` (one stable sort by both keys is the stable sort by `bottom` of each page), and a
row never runs on from one page onto the next: each page's rows are exactly those
`rows_and_stats` finds for it alone.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

from pipeline.ingest.pdf.chars import CharRow, PageChars
from pipeline.ingest.pdf.lines import (
    close_rows,
    cut_rows,
    row_starts,
    rows_and_stats,
    single_codes,
    sorted_rows,
    space_table,
)
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.ingest.pdf.rowstats import RowStats, pages_row_stats

PageRows = tuple[list[CharRow], list[RowStats | None]]

_TOGETHER = 1 << 16
"""Pages are found together up to about this many characters (some fifty pages of a terms
document): the numpy calls are few, and a long document's copies of its numbers stay small."""


def document_rows(pages: list[PageChars], options: PdfOptions = DEFAULT_OPTIONS) -> list[PageRows]:
    """`rows_and_stats` of every page: the pages whose texts are one character each and
    whose numbers are finite floats (those numpy orders as Python does) together, any other
    on its own."""
    import numpy as np

    found: list[PageRows | None] = [None] * len(pages)
    groups: list[list[tuple[int, Any]]] = [[]]  # (page index, codes) of pages found together
    held = 0
    for index, page in enumerate(pages):
        values = page.values
        codes = page.codes if page.codes is not None else single_codes(page.texts)
        if (
            codes is None
            or values.dtype != np.float64
            or not math.isfinite(values[0].sum() + values[3].sum())
        ):
            found[index] = rows_and_stats(page, options)
            continue
        if held >= _TOGETHER:
            groups.append([])
            held = 0
        groups[-1].append((index, codes))
        held += len(codes)
    for group in filter(None, groups):
        at = [index for index, _ in group]
        together = _rows_together([pages[index] for index in at], [c for _, c in group], options)
        for index, rows in zip(at, together, strict=True):
            found[index] = rows
    return [rows for rows in found if rows is not None]


def _rows_together(pages: list[PageChars], codes: list[Any], options: PdfOptions) -> list[PageRows]:
    """`rows_and_stats` of pages with finite float64 numbers and one character per text (its
    code in `codes`), found together (see the module's docstring)."""
    import numpy as np

    values = np.concatenate([page.values for page in pages], axis=1)
    every_code = np.concatenate(codes)
    lefts, bottoms = values[0], values[3]
    page_of = np.repeat(np.arange(len(pages)), [len(page) for page in pages])
    kept = np.flatnonzero(~space_table()[np.minimum(every_code, 0x3000)])
    # stable by page, then by bottom: each page's characters as its stable sort by bottom
    order = kept[np.lexsort((bottoms[kept], page_of[kept]))]
    pages_in_order = page_of[order]
    starts = row_starts(bottoms[order], options.line_tolerance, np.diff(pages_in_order) != 0)
    order = sorted_rows(order, starts, lefts)
    deduped = close_rows(lefts, order, starts, options.dedupe_tolerance)
    # one character per code, a lone surrogate too
    chosen = list(every_code[order].tobytes().decode("utf-32-le", "surrogatepass"))
    ordered = values[:, order]
    columns = [chosen, *(ordered.tolist() if len(order) else ([],) * 5)]
    row_pages = pages_in_order[np.array(starts[:-1], dtype=np.intp)]
    page_starts = np.searchsorted(row_pages, np.arange(len(pages) + 1)).tolist()
    stats = pages_row_stats(ordered, every_code[order] == 0x3000, starts, page_starts)
    rows = cut_rows(columns, starts, deduped, stats, options.dedupe_tolerance)
    return [
        (rows[first:end], stats[first:end])
        for first, end in pairwise(page_starts)
    ]
