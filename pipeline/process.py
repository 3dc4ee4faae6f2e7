"""The whole pipeline for one input: ingest → normalize → segment → metadata → extract → resolve."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest import DEFAULT_PDF_ENGINE, PdfEngine, ingest_bytes, read_input
from pipeline.metadata import annotate
from pipeline.models import Document, RawDocument
from pipeline.normalize import Locator, normalize
from pipeline.segment import segment
from pipeline.versions import annotate_versions


def parse_file(
    path: str | Path, *, extract: bool = True, pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE
) -> Document:
    """Parse a terms document (PDF or text) from a path."""
    return parse_bytes(read_input(path), str(path), extract=extract, pdf_engine=pdf_engine)


def parse_bytes(
    data: bytes, name: str, *, extract: bool = True, pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE
) -> Document:
    """Parse a terms document from its bytes; `name` labels it in messages and in the source."""
    return parse_raw(ingest_bytes(data, name, pdf_engine=pdf_engine), extract=extract)


def parse_raw(raw: RawDocument, *, extract: bool = True) -> Document:
    """Run every stage after ingestion on a RawDocument."""
    normalized = normalize(raw)
    locator = Locator(raw, normalized)
    document = segment(normalized, raw.source, locator)
    document = annotate(document)
    document = annotate_versions(document)
    if extract:
        document = _extract(document, locator)
    return document


def _extract(document: Document, locator: Locator) -> Document:
    """Run the extractors and resolve cross-references; pages come from the source."""
    # Imported here: building spaCy is the slow part, and `--no-extract` never needs it.
    from pipeline.extract import extract
    from pipeline.resolve import resolve

    return resolve(extract(document, locator))
