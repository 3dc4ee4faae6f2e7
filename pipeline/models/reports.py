"""What reading a document against its rule model returns: the validation report and the
named parameters other systems consume.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from pipeline.models.base import Diagnostic, Model, Span
from pipeline.models.expectations import Expectation
from pipeline.models.values import ExtractionKind, ExtractionValue

# --------------------------------------------------------------------------------------------
# Reports: what validation and parameter reading return
# --------------------------------------------------------------------------------------------

ParameterStatus = Literal["passed", "changed", "missing", "ambiguous"]
LocatedBy = Literal["article", "title", "phrase"]


class Candidate(Model):
    """One extraction a parameter could read: the value, where it stands, the quoted sentence."""

    value: ExtractionValue
    display: str = Field(description="the value in words, e.g. '3 months before'")
    path: str = Field(description="provision path of the extraction")
    text: str = Field(description="the extraction's surface in the normalized text")
    span: Span
    page: int | None = None
    evidence: str = Field(description="the sentence that states the value, quoted")


class ParameterResult(Model):
    """The outcome for one named parameter of a rule model."""

    name: str = Field(description="stable snake_case name, e.g. 'late_payment_interest_rate'")
    description: str
    kind: ExtractionKind
    required: bool
    status: ParameterStatus = Field(
        description="passed: found and as expected; changed: found, differs from the "
        "expectation; missing: nothing found; ambiguous: several different candidates"
    )
    expected: Expectation
    expected_display: str = Field(description="the expectation in words, e.g. '3 months before'")
    expected_path: str | None = Field(None, description="where the model expects it: 'art:16'")
    located_by: LocatedBy | None = Field(
        None, description="how the provision was found: by number, by title, or by a phrase"
    )
    found: Candidate | None = Field(None, description="the value read (passed and changed)")
    candidates: list[Candidate] = Field(
        default_factory=list, description="every candidate when ambiguous"
    )
    message: str = Field(description="one line for people")


class StructuralFinding(Diagnostic):
    """A finding of a structural rule, with the quoted text it is about."""

    evidence: str | None = None


class StructuralResult(Model):
    """The outcome of one generic structural rule (numbering, references, periods)."""

    rule: str = Field(description="e.g. 'numbering.articles', 'references.titles'")
    description: str
    required: bool = Field(description="whether a finding of severity 'error' fails the report")
    passed: bool
    findings: list[StructuralFinding] = Field(default_factory=list)


class ValidationReport(Model):
    """A document checked against a rule model: parameters and structural rules."""

    document_id: str
    source: str = Field(description="the path the document was read from")
    family: str | None = None
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    rule_model: str = Field(description="name of the rule model applied")
    passed: bool = Field(
        description="every required parameter passed and no required structural rule has errors"
    )
    counts: dict[str, int] = Field(description="number of parameters per status")
    parameters: list[ParameterResult] = Field(default_factory=list)
    structure: list[StructuralResult] = Field(default_factory=list)


class ParameterEntry(Model):
    """One named parameter as read from a document: the payload entry other systems consume."""

    status: ParameterStatus
    kind: ExtractionKind
    description: str
    value: ExtractionValue | None = Field(None, description="None when missing or ambiguous")
    display: str | None = None
    path: str | None = None
    evidence: str | None = None
    span: Span | None = None
    page: int | None = None


class ParameterPayload(Model):
    """The named parameters of one document, keyed by their stable names."""

    document_id: str
    source: str
    family: str | None = None
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    rule_model: str
    parameters: dict[str, ParameterEntry]
