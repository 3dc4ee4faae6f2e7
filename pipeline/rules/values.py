"""Values read from a document: whether one meets an expectation, what two share to state the
same thing, and both in words for people."""

from __future__ import annotations

import math

from pipeline.models import (
    AmountExpectation,
    AmountValue,
    CrossReferenceExpectation,
    CrossReferenceValue,
    DateExpectation,
    DateValue,
    DefinedTermExpectation,
    DefinedTermValue,
    Expectation,
    ExtractionValue,
    FractionExpectation,
    FractionValue,
    PercentageExpectation,
    PercentageValue,
    PeriodExpectation,
    PeriodValue,
)
from pipeline.text.spaces import squash

# Exact conversions only: a month is not a number of days.
_PERIOD_BASE: dict[str, tuple[str, float]] = {
    "minute": ("time", 1),
    "hour": ("time", 60),
    "day": ("time", 1440),
    "week": ("time", 10080),
    "business_day": ("business_day", 1),
    "month": ("month", 1),
    "year": ("month", 12),
}


def _period_measure(value: float, unit: str) -> tuple[str, float]:
    family, factor = _PERIOD_BASE[unit]
    return family, value * factor


def _num(x: float) -> str:
    return f"{x:g}"


_UNIT_WORDS = {"business_day": "business day"}


def _period_words(value: float, unit: str) -> str:
    word = _UNIT_WORDS.get(unit, unit)
    return f"{_num(value)} {word}" + ("" if value == 1 else "s")


_BOUND_WORDS: dict[str, str] = {
    "within": "within {}",
    "at_least": "at least {}",
    "more_than": "more than {}",
    "less_than": "less than {}",
    "before": "{} before",
    "after": "{} after",
    "until": "up to {}",
    "for": "for {}",
    "not_elapsed": "{} not yet elapsed",
}


def _bounded(words: str, bound: str | None) -> str:
    return _BOUND_WORDS[bound].format(words) if bound else words


def display(value: ExtractionValue) -> str:
    """A value in words: '3 months before', '14.5% a year', '1/30 of 月額利用料金'."""
    if isinstance(value, PeriodValue):
        return _bounded(_period_words(value.value, value.unit), value.bound)
    if isinstance(value, PercentageValue):
        return f"{_num(value.value)}%" + (f" a {value.basis}" if value.basis else "")
    if isinstance(value, FractionValue):
        text = f"{_num(value.numerator)}/{_num(value.denominator)}"
        return text + (f" of {value.of}" if value.of else "")
    if isinstance(value, AmountValue):
        return _bounded(f"{_num(value.value)} {value.currency}", value.bound)
    if isinstance(value, DateValue):
        if value.date is not None:
            return value.date.isoformat()
        parts = [str(value.year)] + [f"{p:02d}" for p in (value.month, value.day) if p is not None]
        return "-".join(parts)
    if isinstance(value, DefinedTermValue):
        return f"「{value.term}」"
    return ", ".join(value.targets) or "(unresolved)"


def _range_words(minimum: float | None, maximum: float | None, unit_words: str) -> str:
    if minimum is not None and maximum is not None:
        return f"between {_num(minimum)} and {_num(maximum)} {unit_words}"
    if minimum is not None:
        return f"at least {_num(minimum)} {unit_words}"
    return f"at most {_num(maximum or 0)} {unit_words}"


def display_expectation(expect: Expectation) -> str:
    """An expectation in words, in the same style as `display`."""
    if isinstance(expect, PeriodExpectation):
        if expect.value is None:
            unit = _UNIT_WORDS.get(expect.unit, expect.unit) + "s"
            return _range_words(expect.minimum, expect.maximum, unit)
        return _bounded(_period_words(expect.value, expect.unit), expect.bound)
    if isinstance(expect, PercentageExpectation):
        basis = f" a {expect.basis}" if expect.basis else ""
        if expect.value is None:
            return _range_words(expect.minimum, expect.maximum, "%") + basis
        return f"{_num(expect.value)}%{basis}"
    if isinstance(expect, FractionExpectation):
        return f"{_num(expect.numerator)}/{_num(expect.denominator)}"
    if isinstance(expect, AmountExpectation):
        if expect.value is None:
            return _range_words(expect.minimum, expect.maximum, expect.currency)
        return _bounded(f"{_num(expect.value)} {expect.currency}", expect.bound)
    if isinstance(expect, DateExpectation):
        return expect.date.isoformat()
    if isinstance(expect, DefinedTermExpectation):
        return f"「{expect.term}」"
    return ", ".join(expect.targets)


def _in_range(x: float, minimum: float | None, maximum: float | None) -> bool:
    tolerance = 1e-9
    return (minimum is None or x >= minimum - tolerance) and (
        maximum is None or x <= maximum + tolerance
    )


def _measures(x: float, value: float | None, minimum: float | None, maximum: float | None) -> bool:
    """Whether `x` is the expected value (when one is stated) and within the range."""
    if value is not None and not math.isclose(x, value):
        return False
    return _in_range(x, minimum, maximum)


def satisfies(value: ExtractionValue, expect: Expectation) -> bool:
    """Whether a value read from the document meets the expectation."""
    if isinstance(expect, PeriodExpectation) and isinstance(value, PeriodValue):
        family, measure = _period_measure(value.value, value.unit)
        want_family, factor = _PERIOD_BASE[expect.unit]
        if family != want_family:
            return False
        if expect.bound is not None and value.bound != expect.bound:
            return False
        # The expectation's numbers are in its own unit: compare in the common base unit.
        want, low, high = (
            None if x is None else x * factor
            for x in (expect.value, expect.minimum, expect.maximum)
        )
        return _measures(measure, want, low, high)
    if isinstance(expect, PercentageExpectation) and isinstance(value, PercentageValue):
        if expect.basis is not None and value.basis != expect.basis:
            return False
        return _measures(value.value, expect.value, expect.minimum, expect.maximum)
    if isinstance(expect, FractionExpectation) and isinstance(value, FractionValue):
        if value.denominator == 0:
            return False
        return math.isclose(
            value.numerator / value.denominator, expect.numerator / expect.denominator
        )
    if isinstance(expect, AmountExpectation) and isinstance(value, AmountValue):
        if value.currency != expect.currency:
            return False
        if expect.bound is not None and value.bound != expect.bound:
            return False
        return _measures(value.value, expect.value, expect.minimum, expect.maximum)
    if isinstance(expect, DateExpectation) and isinstance(value, DateValue):
        return value.date == expect.date
    if isinstance(expect, DefinedTermExpectation) and isinstance(value, DefinedTermValue):
        return squash(value.term) == squash(expect.term)
    if isinstance(expect, CrossReferenceExpectation) and isinstance(value, CrossReferenceValue):
        return set(value.targets) == set(expect.targets)
    return False


def essence(value: ExtractionValue) -> tuple[object, ...]:
    """What two values must share to state the same thing (anchors and wording aside)."""
    if isinstance(value, PeriodValue):
        family, measure = _period_measure(value.value, value.unit)
        return ("period", family, round(measure, 9), value.bound)
    if isinstance(value, PercentageValue):
        return ("percentage", value.value, value.basis)
    if isinstance(value, FractionValue):
        ratio = value.numerator / value.denominator if value.denominator else math.inf
        return ("fraction", round(ratio, 12))
    if isinstance(value, AmountValue):
        return ("amount", value.value, value.currency, value.bound)
    if isinstance(value, DateValue):
        return ("date", value.year, value.month, value.day)
    if isinstance(value, DefinedTermValue):
        return ("defined_term", squash(value.term))
    return ("crossref", tuple(sorted(value.targets)))
