"""The whole pipeline for one input: ingest → normalize → segment → metadata → extract → resolve."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.versions import annotate_versions
from pipeline.ingest.collector import collector_paused
from pipeline.ingest.sources import (
    DEFAULT_MAX_BYTES,
    DEFAULT_PDF_ENGINE,
    PdfEngine,
    ingest_bytes,
    read_input,
)
from pipeline.models import Document, RawDocument
from pipeline.structure.metadata import annotate
from pipeline.structure.normalize import Locator, PageLocator, normalize
from pipeline.structure.parts import merge_parts, part_documents
from pipeline.structure.segment import segment


def parse_file(
    path: str | Path,
    *,
    extract: bool = True,
    pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Parse a terms document (PDF or text) from a path; larger than `max_bytes` is an error."""
    data = read_input(path, max_bytes=max_bytes)
    return parse_bytes(data, str(path), extract=extract, pdf_engine=pdf_engine)


def parse_bytes(
    data: bytes, name: str, *, extract: bool = True, pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE
) -> Document:
    """Parse a terms document from its bytes; `name` labels it in messages and in the source.

    Python's cyclic garbage collector is held off from ingestion to the end of the structure
    stages: a PDF's RawDocument comes out of `read_pdf` (which pauses the collector itself) as
    hundreds of thousands of young objects, lines and boxes, and normalize and segment allocate
    enough to wake the collector, which then walks all of them, although reference counting
    frees them once the parse is done (a tenth to a fifth of what the stages cost without
    extraction). The stages make no reference cycles that need collecting in between. The
    collector is resumed only if it was running (`collector_paused`).
    """
    with collector_paused():
        document, locator = _structure(ingest_bytes(data, name, pdf_engine=pdf_engine))
        # Extraction asks only for pages: the raw lines (held by the Locator) are dropped
        # before the collector wakes, so reference counting frees them, never walked by it.
        pages = locator.pages()
        del locator
        if not extract:
            return document
    return _extract(document, pages)


def parse_raw(raw: RawDocument, *, extract: bool = True) -> Document:
    """Run every stage after ingestion on a RawDocument."""
    document, locator = _structure(raw)
    return _extract(document, locator) if extract else document


def _structure(raw: RawDocument) -> tuple[Document, Locator]:
    """Normalize, segment and annotate a RawDocument; the Locator maps the result back."""
    normalized = normalize(raw)
    locator = Locator(raw, normalized)
    document = segment(normalized, raw.source, locator)
    document = annotate(document)
    return annotate_versions(document), locator


def _extract(document: Document, locator: PageLocator) -> Document:
    """Run the extractors and resolve cross-references; pages come from the source."""
    # Imported here: building spaCy is the slow part, and `--no-extract` never needs it.
    from pipeline.extract.runner import extract
    from pipeline.refs.resolve import resolve

    # Each part of a bundle is extracted and resolved as a document of its own, so 前条 and
    # 第3条 resolve inside their part; a document that is not a bundle is its only part.
    before = part_documents(document)
    views = [resolve(extract(view, locator)) for view in before]
    return merge_parts(document, views, before)
