"""Expectations: what a family's rule model says a named parameter must be, one model per kind."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from pipeline.models.base import Model
from pipeline.models.values import Bound, PeriodUnit

# --------------------------------------------------------------------------------------------
# Validation against rule models (owner: rules; machinery in pipeline/rules/)
#
# A rule model states what a family's documents must say (an expectation per named parameter);
# `validate` reads the document and reports, per parameter, what it found and where.
# --------------------------------------------------------------------------------------------


class PeriodExpectation(Model):
    """The period a parameter expects: a value in `unit` (or a range), optionally a bound."""

    kind: Literal["period"] = "period"
    value: float | None = Field(None, description="expected number of `unit`s; None: range only")
    unit: PeriodUnit
    bound: Bound | None = Field(None, description="expected bound; None: any bound")
    minimum: float | None = Field(None, description="inclusive lower limit, in `unit`s")
    maximum: float | None = Field(None, description="inclusive upper limit, in `unit`s")


class PercentageExpectation(Model):
    """The percentage or rate a parameter expects (年14.5% → value 14.5, basis 'year')."""

    kind: Literal["percentage"] = "percentage"
    value: float | None = None
    basis: Literal["year", "month", "day"] | None = None
    minimum: float | None = None
    maximum: float | None = None


class FractionExpectation(Model):
    """The fraction a parameter expects (30分の1 → numerator 1, denominator 30)."""

    kind: Literal["fraction"] = "fraction"
    numerator: float
    denominator: float


class AmountExpectation(Model):
    """The amount of money a parameter expects, optionally with its bound (1円未満)."""

    kind: Literal["amount"] = "amount"
    value: float | None = None
    currency: str = "JPY"
    bound: Bound | None = None
    minimum: float | None = None
    maximum: float | None = None


class DateExpectation(Model):
    """The calendar date a parameter expects."""

    kind: Literal["date"] = "date"
    date: dt.date


class DefinedTermExpectation(Model):
    """A term the document must define."""

    kind: Literal["defined_term"] = "defined_term"
    term: str


class CrossReferenceExpectation(Model):
    """A reference that must resolve to these provision paths."""

    kind: Literal["crossref"] = "crossref"
    targets: list[str]


Expectation = Annotated[
    PeriodExpectation
    | PercentageExpectation
    | FractionExpectation
    | AmountExpectation
    | DateExpectation
    | DefinedTermExpectation
    | CrossReferenceExpectation,
    Field(discriminator="kind"),
]
