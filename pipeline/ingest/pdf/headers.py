"""Running headers, footers and page numbers: edge rows that repeat across pages, and edge
rows holding only the page's own number."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict

from pipeline.ingest.pdf.chars import CharRow, PageChars
from pipeline.ingest.pdf.lines import spaced
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.ingest.pdf.rowstats import RowStats


def _masked(text: str) -> str:
    """Row text with digits masked and spaces dropped, so 'Page 3' and 'Page 4' compare equal."""
    return "".join("#" if ch.isdecimal() else ch for ch in text if not ch.isspace())


_PAGE_NUMBER = re.compile(
    r"[-‐–—―(\[<|・.]*(?:page|p\.?)?(\d{1,4})(?:(?:/|of)\d{1,4})?(?:頁|ページ)?[-‐–—―)\]>|・.]*"
)


def is_page_number(text: str, number: int) -> bool:
    """'3', '- 3 -', '－ ３ －', '3/10', 'p. 3', 'Page 3 of 9', '3頁': page `number`, decorated."""
    compact = "".join(unicodedata.normalize("NFKC", text).lower().split())
    m = _PAGE_NUMBER.fullmatch(compact)
    return m is not None and int(m[1]) == number


def running_rows(
    pages: list[PageChars],
    page_rows: list[list[CharRow]],
    options: PdfOptions = DEFAULT_OPTIONS,
    stats: list[list[RowStats | None]] | None = None,
) -> set[tuple[int, int]]:
    """(page number, row index) of every running header, footer and page number row (`stats`:
    the rows' `RowStats`, where known)."""
    edge: dict[str, list[tuple[int, int, float, str]]] = defaultdict(list)
    found: set[tuple[int, int]] = set()
    for number, (page, page_row_list) in enumerate(zip(pages, page_rows, strict=True)):
        top_edge = page.height * options.edge_zone
        bottom_edge = page.height * (1 - options.edge_zone)
        last = len(page_row_list) - options.edge_rows
        for index, row in enumerate(page_row_list):
            if options.edge_rows <= index < last:
                continue
            known = None if stats is None else stats[number][index]
            top = min(row.tops) if known is None else known.top
            if (
                top > top_edge
                and (max(row.bottoms) if known is None else known.bottom) < bottom_edge
            ):
                continue
            text = spaced(row, options, known)[0]
            if is_page_number(text, page.number):
                found.add((page.number, index))
            masked = _masked(text)
            if masked:
                edge[masked].append((page.number, index, top, "".join(text.split())))
    for occurrences in edge.values():
        if len({o[0] for o in occurrences}) < 2:
            continue
        tops = sorted(o[2] for o in occurrences)
        usual = tops[len(tops) // 2]
        same_place = [o for o in occurrences if abs(o[2] - usual) < options.edge_tolerance]
        # Masking digits makes '第1234条' on one page equal '第1235条' on the next: a running
        # row repeats its text exactly, or its digits change with the page number.
        common = Counter(o[3] for o in same_place).most_common(1)[0][0]
        running = [o for o in same_place if o[3] == common or _names_page(o[3], o[0])]
        numbers = {o[0] for o in running}
        # facing pages (a book's layout) carry one header on the left-hand pages and another
        # on the right-hand ones: a header on pages of one parity repeats among those
        parities = {number % 2 for number in numbers}
        among = len(pages) if len(parities) > 1 else (len(pages) + parities.pop()) // 2
        if len(numbers) >= max(2, math.ceil(options.min_repeat_share * among)):
            found.update((number, index) for number, index, _, _ in running)
    return found


def _names_page(text: str, number: int) -> bool:
    """True when one of the row's numbers is the page number ('- 3 -', 'p.3/10', '3頁')."""
    return str(number) in re.findall(r"\d+", unicodedata.normalize("NFKC", text))
