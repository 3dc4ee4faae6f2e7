"""Writing a rule model: parameters that select a provision and state what it must say, and
the structural rules every terms document should satisfy."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.models import (
    AmountExpectation,
    Bound,
    Expectation,
    ExtractionKind,
    FractionExpectation,
    PercentageExpectation,
    PeriodExpectation,
    PeriodUnit,
    RulesError,
    Severity,
)


class Select(BaseModel):
    """Which provision a parameter reads.

    The article is looked up by number first; if the article with that number no longer has the
    stated title (or no longer contains the phrase), by title; failing that, by the phrase. Then
    the paragraph and item, when given, narrow the search inside the article found.
    """

    model_config = ConfigDict(frozen=True)

    article: str | None = Field(None, description="article number as in Article.number: '24'")
    title: str | None = Field(None, description="the article's title (見出し): '遅延損害金'")
    contains: str | None = Field(None, description="a phrase the article contains")
    paragraph: int | None = Field(None, description="paragraph number (項) within the article")
    item: int | None = Field(None, description="item ordinal (号) within the paragraph")

    @model_validator(mode="after")
    def _selects_something(self) -> Select:
        if self.article is None and self.title is None and self.contains is None:
            raise ValueError("a selection needs an article number, a title or a phrase")
        return self

    @property
    def expected_path(self) -> str | None:
        """The provision path the model expects, when it names an article."""
        if self.article is None:
            return None
        path = f"art:{self.article}"
        if self.paragraph is not None or self.item is not None:
            path += f"/para:{self.paragraph or 1}"
        if self.item is not None:
            path += f"/item:{self.item}"
        return path


class Parameter(BaseModel):
    """A named value the document must state: where to look, what kind, what is expected."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="stable snake_case name")
    description: str
    select: Select
    expect: Expectation
    near: str | None = Field(
        None, description="a phrase the value must stand near: same sentence, within `window`"
    )
    window: int = Field(40, ge=0, description="characters either side of the value for `near`")
    required: bool = True

    @property
    def kind(self) -> ExtractionKind:
        """The kind of extraction the parameter reads."""
        return self.expect.kind


StructuralRuleName = Literal[
    "numbering.articles",
    "numbering.paragraphs",
    "numbering.items",
    "references.resolved",
    "references.titles",
    "periods.valid",
]


class StructuralRule(BaseModel):
    """A generic rule on the document's structure, with how serious its findings are."""

    model_config = ConfigDict(frozen=True)

    rule: StructuralRuleName
    severity: Severity = "error"
    required: bool = True


def default_structure() -> list[StructuralRule]:
    """The structural rules every terms document should satisfy.

    A cited title that differs from the target's title is a drafting slip, not a broken
    reference, so it is a warning; the rest are errors.
    """
    return [
        StructuralRule(rule="numbering.articles"),
        StructuralRule(rule="numbering.paragraphs"),
        StructuralRule(rule="numbering.items"),
        StructuralRule(rule="references.resolved"),
        StructuralRule(rule="references.titles", severity="warning"),
        StructuralRule(rule="periods.valid"),
    ]


class RuleModel(BaseModel):
    """The rule model of one document family: its named parameters and structural rules."""

    name: str
    family: str
    description: str = ""
    parameters: list[Parameter]
    structure: list[StructuralRule] = Field(default_factory=default_structure)

    @model_validator(mode="after")
    def _unique_names(self) -> RuleModel:
        names = [p.name for p in self.parameters]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate parameter names: {', '.join(duplicates)}")
        return self


def period(
    value: float | None,
    unit: PeriodUnit,
    *,
    bound: Bound | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> PeriodExpectation:
    """Expect a period: `period(3, "month", bound="before")`."""
    return PeriodExpectation(value=value, unit=unit, bound=bound, minimum=minimum, maximum=maximum)


def percentage(
    value: float | None,
    *,
    basis: Literal["year", "month", "day"] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> PercentageExpectation:
    """Expect a percentage: `percentage(14.5, basis="year")` for 年14.5%."""
    return PercentageExpectation(value=value, basis=basis, minimum=minimum, maximum=maximum)


def fraction(numerator: float, denominator: float) -> FractionExpectation:
    """Expect a fraction: `fraction(1, 30)` for 30分の1."""
    return FractionExpectation(numerator=numerator, denominator=denominator)


def amount(
    value: float | None, *, currency: str = "JPY", bound: Bound | None = None
) -> AmountExpectation:
    """Expect an amount of money: `amount(1, bound="less_than")` for 1円未満."""
    return AmountExpectation(value=value, currency=currency, bound=bound)


def read_rule_model(path: Path) -> RuleModel:
    """A rule model written as data: a TOML file of the RuleModel's fields (see corpus/nas)."""
    try:
        return RuleModel.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise RulesError(str(path), f"cannot read the rule model: {err}") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        raise RulesError(str(path), f"not a rule model: {where}: {first['msg']}{more}") from None
