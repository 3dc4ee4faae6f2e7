"""The whole pipeline for one input: ingest → normalize → segment → metadata → extract → resolve."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.versions import annotate_versions
from pipeline.ingest.sources import (
    DEFAULT_MAX_BYTES,
    DEFAULT_PDF_ENGINE,
    PdfEngine,
    ingest_bytes,
    read_input,
)
from pipeline.models import Document, RawDocument
from pipeline.structure.metadata import annotate
from pipeline.structure.normalize import Locator, normalize
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
    from pipeline.extract.runner import extract
    from pipeline.refs.resolve import resolve

    # Each part of a bundle is extracted and resolved as a document of its own, so 前条 and
    # 第3条 resolve inside their part; a document that is not a bundle is its only part.
    before = part_documents(document)
    views = [resolve(extract(view, locator)) for view in before]
    return merge_parts(document, views, before)
