"""A processed document as the store's rows: plain tuples, ready for `executemany`.

Building the rows (serializing the Document and its report, flattening the provisions, the
extractions and the report) is most of the cost of storing a document. It is done where the
document was made, so a batch's worker hands the writing process plain values that pickle
cheaply instead of a pydantic Document to rebuild and serialize again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pipeline import models
from pipeline.models import Document, DocumentPart, Node, ValidationReport
from pipeline.rules.report import report_failures
from pipeline.store.schema import pack

Row = tuple[Any, ...]


@dataclass(frozen=True)
class DocumentRows:
    """Every row one document adds to the store, but those that say where and when it was
    stored (its source path, `stored_at`), which the writer adds."""

    document_id: str
    source_path: str
    """The path the document was read from, recorded when the writer is given no other."""
    document: Row
    """The documents row in DOCUMENT_COLUMNS order (`pipeline.store.schema`)."""
    version: Row | None
    """The versions row in VERSION_COLUMNS order; None for a document of no family."""
    provisions: list[Row]
    extractions: list[Row]
    validation_results: list[Row]
    parameters: list[Row]
    failures: list[str]
    """What made the report fail (`report_failures`); [] when it passed or was not validated."""
    pages: int | None


def document_rows(
    document: Document, report: ValidationReport | None = None, *, path: str | None = None
) -> DocumentRows:
    """The rows of a document and its validation report (None: stored unvalidated)."""
    failures = report_failures(report) if report is not None else []
    doc_id = document.id
    effective = _iso(document.effective_date)
    version = None
    if document.family:
        version = (
            doc_id,
            document.family,
            document.version,
            effective,
            document.source.sha256,
            hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
        )
    return DocumentRows(
        document_id=doc_id,
        source_path=path or document.source.path,
        document=(
            doc_id,
            document.family,
            document.title,
            document.version,
            effective,
            document.source.kind,
            document.source.pages,
            len(document.articles),
            len(document.extractions),
            len(document.diagnostics),
            int(report is not None),
            len(failures),
            pack(document.model_dump_json()),
            pack(report.model_dump_json()) if report is not None else None,
        ),
        version=version,
        provisions=[(doc_id, seq, *row) for seq, row in enumerate(provision_rows(document))],
        extractions=[
            (
                doc_id,
                seq,
                ex.kind,
                ex.path,
                ex.text,
                ex.span.start,
                ex.span.end,
                ex.page,
                ex.value.model_dump_json(),
            )
            for seq, ex in enumerate(document.extractions)
        ],
        validation_results=[
            (doc_id, seq, *row) for seq, row in enumerate(validation_rows(report) if report else [])
        ],
        parameters=[(doc_id, *row) for row in (parameter_rows(report) if report else [])],
        failures=failures,
        pages=document.source.pages,
    )


def provision_rows(document: Document) -> list[Row]:
    """The document's provisions flattened for the provisions table: chapters and sections,
    then the preamble, articles (with paragraphs and items), 附則, 別表 and the closing in
    reading order; a bundle's parts one after another (their paths start 'part:N/').

    Each row is (path, kind, number, title, text, start, end, page).
    """
    rows: list[Row] = []
    holders: list[Document | DocumentPart] = [*document.parts] or [document]
    for holder in holders:
        for chapter in holder.chapters:
            rows.append(
                (
                    chapter.path,
                    "chapter",
                    chapter.path.rsplit(":", 1)[1],
                    chapter.title,
                    chapter.title or "",
                    chapter.span.start,
                    chapter.span.end,
                    None,
                )
            )
            rows.extend(
                (
                    section.path,
                    "section",
                    str(section.number),
                    section.title,
                    section.title or "",
                    section.span.start,
                    section.span.end,
                    None,
                )
                for section in chapter.sections
            )
        rows.extend(_node_row(node) for node in holder.iter_nodes())
    return rows


PROVISION_KINDS: dict[type[BaseModel], str] = {
    models.Chapter: "chapter",
    models.Section: "section",
    models.Preamble: "preamble",
    models.Article: "article",
    models.Paragraph: "paragraph",
    models.Item: "item",
    models.SupplementaryProvisions: "supplementary",
    models.Appendix: "appendix",
    models.Closing: "closing",
    models.DocumentPart: "part",
}
"""The `kind` of a provision as the provisions table and the service name it."""


def _node_row(node: Node) -> Row:
    """(path, kind, number, title, text, start, end, page) of one provision node."""
    number: Any = None
    title: str | None = None
    match node:
        case models.Article() | models.Appendix():
            number, title = node.number, node.title
        case models.Paragraph():
            number = str(node.number)
        case models.Item():
            number = node.label
        case models.SupplementaryProvisions():
            title = node.title
    return (
        node.path,
        PROVISION_KINDS[type(node)],
        number,
        title,
        node.text,
        node.span.start,
        node.span.end,
        node.page,
    )


def validation_rows(report: ValidationReport) -> list[Row]:
    """(category, rule, status, required, message, detail_json) per parameter and rule."""
    rows: list[Row] = [
        ("parameter", p.name, p.status, int(p.required), p.message, p.model_dump_json())
        for p in report.parameters
    ]
    rows += [
        (
            "structure",
            s.rule,
            "passed" if s.passed else "failed",
            int(s.required),
            "; ".join(f.message for f in s.findings) or s.description,
            s.model_dump_json(),
        )
        for s in report.structure
    ]
    return rows


def parameter_rows(report: ValidationReport) -> list[Row]:
    """One row per named parameter: (name, kind, status, required, expected, display, path,
    text, start, end, page, value_json, evidence)."""
    rows: list[Row] = []
    for p in report.parameters:
        found = p.found
        rows.append(
            (
                p.name,
                p.kind,
                p.status,
                int(p.required),
                p.expected_display,
                found.display if found else None,
                found.path if found else None,
                found.text if found else None,
                found.span.start if found else None,
                found.span.end if found else None,
                found.page if found else None,
                found.value.model_dump_json() if found else None,
                found.evidence if found else None,
            )
        )
    return rows


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
