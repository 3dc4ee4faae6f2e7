"""`read_pdf`: the PDF reading stage, from the engine's characters to the lines of every page
in reading order (see the package's docstring for the steps)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from itertools import repeat

from pipeline.ingest.collector import collector_paused
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
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.ingest.pdf.pagerows import document_rows
from pipeline.ingest.pdf.pdfium_chars import pdfium_page_chars
from pipeline.ingest.pdf.pdfplumber_chars import pdfplumber_pages
from pipeline.models import RawDocument, RawLine, SourceInfo


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
    source = SourceInfo(
        path=name, sha256=hashlib.sha256(data).hexdigest(), kind="pdf", pages=len(pages)
    )
    return RawDocument(source=source, lines=layout_lines(pages, options))


def layout_lines(pages: list[PageChars], options: PdfOptions) -> list[RawLine]:
    """The lines of a document's pages: rows, running headers and footers left out, columns."""
    found_rows = document_rows(pages, options)
    page_rows = [rows for rows, _ in found_rows]
    page_stats = [stats for _, stats in found_rows]
    furniture = running_rows(pages, page_rows, options, page_stats)
    kept = [
        [
            index
            for index, row in enumerate(page_row_list)
            if (page.number, index) not in furniture and has_ink(row)
        ]
        for page, page_row_list in zip(pages, page_rows, strict=True)
    ]
    bodies = [list(map(rows.__getitem__, at)) for rows, at in zip(page_rows, kept, strict=True)]
    stats = [list(map(known.__getitem__, at)) for known, at in zip(page_stats, kept, strict=True)]
    segments = [
        list(map(row_ink, body, repeat(options.min_gutter_width), body_stats))
        for body, body_stats in zip(bodies, stats, strict=True)
    ]
    gutters = [
        find_gutter(page_segments, page.width, options)
        for page, page_segments in zip(pages, segments, strict=True)
    ]
    found = [gutter for gutter in gutters if gutter is not None]
    lines: list[RawLine] = []
    for page, body, page_segments, gutter, body_stats in zip(
        pages, bodies, segments, gutters, stats, strict=True
    ):
        if gutter is None and found:
            gutter = inherited_gutter(page_segments, found)
        lines.extend(layout_page(page, body, page_segments, gutter, options, body_stats))
    return lines
