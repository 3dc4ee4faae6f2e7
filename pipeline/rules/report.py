"""The validation report of a document against a rule model, and the parameter payload read
from it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.models import (
    Document,
    ParameterEntry,
    ParameterPayload,
    ParameterResult,
    StructuralResult,
    ValidationReport,
)
from pipeline.rules.parameters import check_parameter
from pipeline.rules.rule_model import RuleModel
from pipeline.rules.structural import check_structure


def validate(document: Document, model: RuleModel) -> ValidationReport:
    """Check a document against a rule model: every parameter, then every structural rule."""
    parameters = [check_parameter(document, p) for p in model.parameters]
    structure = check_structure(document, model.structure)
    counts = {status: 0 for status in ("passed", "changed", "missing", "ambiguous")}
    for result in parameters:
        counts[result.status] += 1
    return ValidationReport(
        **_document_fields(document),
        rule_model=model.name,
        passed=not failures(parameters, structure),
        counts=counts,
        parameters=parameters,
        structure=structure,
    )


def failures(
    parameters: Iterable[ParameterResult], structure: Iterable[StructuralResult]
) -> list[str]:
    """What fails a report, the one home of its pass/fail: the required parameters that did not
    pass, then the required structural rules with an error finding. A report passes without."""
    failed = [p.name for p in parameters if p.required and p.status != "passed"]
    failed += [
        s.rule for s in structure if s.required and any(f.severity == "error" for f in s.findings)
    ]
    return failed


def report_failures(report: ValidationReport) -> list[str]:
    """What made a report fail (empty when it passed): see `failures`."""
    return failures(report.parameters, report.structure)


_FOUND_FIELDS = ("value", "display", "path", "evidence", "span", "page")
_DOCUMENT_FIELDS = ("document_id", "source", "family", "title", "version", "effective_date")


def _document_fields(document: Document) -> dict[str, Any]:
    """Which document a report or payload is about, as both of them state it."""
    return {
        "document_id": document.id,
        "source": document.source.path,
        "family": document.family,
        "title": document.title,
        "version": document.version,
        "effective_date": document.effective_date,
    }


def parameter_payload(document: Document, report: ValidationReport) -> ParameterPayload:
    """The named parameters and their values as other systems consume them."""
    return ParameterPayload(
        **_document_fields(document),
        rule_model=report.rule_model,
        parameters=parameter_entries(report),
    )


def stored_parameter_payload(report: ValidationReport) -> ParameterPayload:
    """The parameter payload from a stored report alone: the report names its document with the
    same fields the payload does, so the (much larger) Document need not be loaded."""
    return ParameterPayload(
        **{name: getattr(report, name) for name in _DOCUMENT_FIELDS},
        rule_model=report.rule_model,
        parameters=parameter_entries(report),
    )


def parameter_entries(report: ValidationReport) -> dict[str, ParameterEntry]:
    """Each named parameter of the report as a payload entry: the value read, where, and why."""
    entries: dict[str, ParameterEntry] = {}
    for result in report.parameters:
        found = result.found
        entries[result.name] = ParameterEntry(
            status=result.status,
            kind=result.kind,
            description=result.description,
            # What was read, where: the candidate's fields, or none of them when nothing was.
            **{name: getattr(found, name) if found else None for name in _FOUND_FIELDS},
        )
    return entries
