"""The validation report of a document against a rule model, and the parameter payload read
from it."""

from __future__ import annotations

from typing import Any

from pipeline.models import (
    Document,
    ParameterEntry,
    ParameterPayload,
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
    passed = all(r.status == "passed" for r in parameters if r.required) and not any(
        f.severity == "error" for r in structure if r.required for f in r.findings
    )
    return ValidationReport(
        **_document_fields(document),
        rule_model=model.name,
        passed=passed,
        counts=counts,
        parameters=parameters,
        structure=structure,
    )


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
        document_id=report.document_id,
        source=report.source,
        family=report.family,
        title=report.title,
        version=report.version,
        effective_date=report.effective_date,
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
            value=found.value if found else None,
            display=found.display if found else None,
            path=found.path if found else None,
            evidence=found.evidence if found else None,
            span=found.span if found else None,
            page=found.page if found else None,
        )
    return entries
