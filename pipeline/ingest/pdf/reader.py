"""`read_pdf`: the PDF reading stage, from the engine's characters to the lines of every page
in reading order (see the package's docstring for the steps)."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.ingest.pdf.chars import CharSource, PageChars, page_chars
from pipeline.ingest.pdf.checks import check_container, check_text_layer
from pipeline.ingest.pdf.columns import (
    find_gutter,
    has_ink,
    inherited_gutter,
    layout_page,
    row_ink,
)
from pipeline.ingest.pdf.headers import running_rows
from pipeline.ingest.pdf.lines import page_rows as rows_of
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.ingest.pdf.pdfium_chars import pdfium_page_chars
from pipeline.ingest.pdf.pdfplumber_chars import pdfplumber_pages
from pipeline.models import RawDocument, RawLine, SourceInfo


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration, then restore it.

    Reading allocates a tuple per character and per box, hundreds of thousands for a long PDF,
    none of them in a reference cycle; the collector still wakes every few hundred allocations
    and walks the young ones (a third of the reading time of a 40-page PDF). Reference counting
    frees them as before (Mercurial's `nogc` does the same when it builds large containers).
    A concurrent reader may resume the collector early: that costs only speed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pdfplumber_page_chars(data: bytes, name: str) -> Iterator[PageChars]:
    """pdfplumber's pages, column by column."""
    return map(page_chars, pdfplumber_pages(data, name))


CHAR_SOURCES = {"pdfplumber": _pdfplumber_page_chars, "pdfium": pdfium_page_chars}
"""Each engine's reader of a PDF's pages and their characters, column by column."""


def read_pdf(
    data: bytes,
    name: str,
    *,
    char_source: CharSource = "pdfium",
    options: PdfOptions = DEFAULT_OPTIONS,
) -> RawDocument:
    """Read a PDF's text lines in reading order; raise IngestError when it has no usable text."""
    check_container(data, name)
    with collector_paused():
        return _read(data, name, char_source, options)


def _read(data: bytes, name: str, char_source: CharSource, options: PdfOptions) -> RawDocument:
    """`read_pdf` once the container is known to be a whole PDF."""
    pages = list(CHAR_SOURCES[char_source](data, name))
    check_text_layer(pages, name, options)
    page_rows = [rows_of(page, options) for page in pages]
    furniture = running_rows(pages, page_rows, options)
    bodies = [
        [
            row
            for index, row in enumerate(page_row_list)
            if (page.number, index) not in furniture and has_ink(row)
        ]
        for page, page_row_list in zip(pages, page_rows, strict=True)
    ]
    segments = [[row_ink(row, options.min_gutter_width) for row in body] for body in bodies]
    gutters = [
        find_gutter(page_segments, page.width, options)
        for page, page_segments in zip(pages, segments, strict=True)
    ]
    found = [gutter for gutter in gutters if gutter is not None]
    lines: list[RawLine] = []
    for page, body, page_segments, gutter in zip(pages, bodies, segments, gutters, strict=True):
        if gutter is None and found:
            gutter = inherited_gutter(page_segments, found)
        lines.extend(layout_page(page, body, page_segments, gutter, options))
    source = SourceInfo(
        path=name, sha256=hashlib.sha256(data).hexdigest(), kind="pdf", pages=len(pages)
    )
    return RawDocument(source=source, lines=lines)
