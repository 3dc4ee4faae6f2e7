"""What yakkan hands to other systems: batch records, export rows and the HTTP service's answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from pipeline.models.base import Model, SourceKind, Span
from pipeline.models.reports import ParameterStatus, ValidationReport
from pipeline.models.structure import Document
from pipeline.models.values import Extraction, ExtractionKind, ExtractionValue

# --------------------------------------------------------------------------------------------
# Batch results and exports (machinery in pipeline/store/: batch.py, sqlite.py, export.py)
#
# A BatchRecord is what one unit of batch work returns for one file; an ExportRow is one value
# (a named parameter or an extraction) of one stored document, flattened for other systems.
# --------------------------------------------------------------------------------------------


class BatchRecord(Model):
    """The outcome of processing one file's bytes: the document and its report, or the reason."""

    name: str = Field(description="the file name the bytes came from")
    sha256: str = Field(description="hex digest of the bytes")
    document: Document | None = None
    report: ValidationReport | None = Field(None, description="None when no rule model applies")
    error: str | None = Field(None, description="why the file could not be processed")
    seconds: float = Field(0.0, description="processing time in the worker")


ExportRecord = Literal["parameter", "extraction", "document"]


class ExportRow(Model):
    """One value of one stored document: a named parameter or an extraction."""

    record: ExportRecord = Field(
        description="parameter: read by a rule model; extraction: raw; document: a stored"
        " document with no value at all (one row, so no stored document is left out)"
    )
    document_id: str = Field(description="sha256 of the source bytes")
    family: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    source: str = Field(description="file name of the source")
    name: str | None = Field(None, description="the parameter's stable name (parameters only)")
    status: ParameterStatus | None = Field(None, description="validation status (parameters only)")
    kind: ExtractionKind | None = Field(None, description="the value's kind; None for a document")
    path: str | None = Field(None, description="provision path; None for a missing parameter")
    text: str | None = Field(None, description="the surface in the normalized text")
    start: int | None = None
    end: int | None = None
    page: int | None = None
    value: float | str | None = Field(
        None, description="the principal value: a number, an ISO date, a term, target paths"
    )
    unit: str | None = Field(None, description="'month', '%', 'JPY', 'ratio', ...")
    qualifier: str | None = Field(None, description="bound, rate basis, or what a fraction is of")
    detail: ExtractionValue | None = Field(None, description="the full typed value")


class ExportPayload(Model):
    """The JSON export: every value of the selected stored documents, one row per value."""

    format: Literal["yakkan-export"] = "yakkan-export"
    format_version: int = 1
    families: list[str] = Field(default_factory=list, description="the family filter; [] = all")
    documents: int = Field(description="number of documents exported")
    rows: list[ExportRow]


# --------------------------------------------------------------------------------------------
# The HTTP service (owner: serve; machinery in pipeline/service/)
#
# What `yakkan serve` answers besides the Document, ValidationReport, ParameterPayload and
# DocumentDiff above: the families and versions in the store, one provision with its values,
# and errors. Other systems code against these as against the rest of the schemas.
# --------------------------------------------------------------------------------------------


class FamilySummary(Model):
    """One document family in the store and its newest version."""

    family: str = Field(description="e.g. 'nas'")
    title: str | None = None
    documents: int = Field(description="stored documents (a PDF and its text count twice)")
    versions: int = Field(description="distinct versions (renditions of one version count once)")
    latest_version: str | None = Field(None, description="label of the newest version: 'Ver1.6'")
    latest_effective_date: dt.date | None = None
    latest_document_id: str = Field(description="the document /families/{family}/parameters reads")


class FamilyList(Model):
    """GET /families: every family with at least one stored version."""

    families: list[FamilySummary]


class VersionSummary(Model):
    """One stored document of a family: one rendition (text or PDF) of one version."""

    document_id: str = Field(description="sha256 of the source bytes; the key of /documents/{id}")
    version: str | None = Field(None, description="'Ver1.6' as the title block states it")
    effective_date: dt.date | None = None
    source: str = Field(description="file name the document was read from")
    source_kind: SourceKind
    stored_at: str = Field(description="when it entered the store (ISO 8601, UTC)")
    validated: bool = Field(description="a rule model was applied: it has parameters and a report")


class VersionList(Model):
    """GET /families/{family}/versions: oldest first, a text rendition before its PDF."""

    family: str
    versions: list[VersionSummary]


class ProvisionView(Model):
    """GET /documents/{id}/provisions/{path}: one provision, its text, values and references."""

    document_id: str
    path: str = Field(description="the provision's stable address, e.g. 'art:24/para:1'")
    kind: str = Field(description="article, paragraph, item, chapter, section, supplementary, ...")
    label: str | None = Field(None, description="number or label as numbered: '24', '1', 'ア'")
    title: str | None = Field(None, description="見出し, where the provision has one")
    heading: str | None = Field(None, description="the heading as it stands: '第24条(遅延損害金)'")
    text: str = Field(description="the provision's own text, without its marker and children")
    full_text: str = Field(description="the whole provision, heading and children included")
    span: Span = Field(description="where the whole provision stands in Document.text")
    page: int | None = None
    children: list[str] = Field(default_factory=list, description="paths of the direct children")
    values: list[Extraction] = Field(
        default_factory=list, description="periods, rates, amounts, dates, terms inside it"
    )
    references: list[Extraction] = Field(
        default_factory=list, description="cross-references inside it, with resolved targets"
    )
    referenced_by: list[Extraction] = Field(
        default_factory=list, description="cross-references elsewhere that target it"
    )


class ApiError(Model):
    """The body of every error the service answers: a stable code and one line for people."""

    code: str = Field(description="stable machine code, e.g. 'family_not_found'")
    message: str
