"""Value identity: when two extracted values are the same value, the one home of that rule.

Two values are the same when everything they state agrees: the number and its unit, the bound,
the event a period counts from, the currency, the date and its era. A version that keeps 30日
but counts it from another event has changed that parameter. (The rule engine's `essence` is a
looser question, whether two values state the same requirement with wording and anchors aside;
see pipeline/rules.)
"""

from __future__ import annotations

from pipeline.models import ExtractionValue


def value_key(value: ExtractionValue) -> str:
    """A key equal for two values exactly when they are the same value (every field agrees)."""
    # The JSON form is canonical: one field order per model, floats written alike.
    return value.model_dump_json()


def same_value(a: ExtractionValue | None, b: ExtractionValue | None) -> bool:
    """Whether two values, either possibly missing, are the same (two missing ones are)."""
    if a is None or b is None:
        return a is b
    return value_key(a) == value_key(b)
