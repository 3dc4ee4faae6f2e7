"""Amounts of money (金額): '1円未満', '10万円を超える', '1,000円以上', '金五千円'.

The bound after the amount is recorded with its inclusiveness: 以上/以下/以内 include the
limit, 未満 and 超/を超える exclude it.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.spans import Match, component_factory
from pipeline.models import AmountValue, Bound
from pipeline.text.numerals import QUANTITY_PATTERN, parse_quantity

SPAN_KEY = "amounts"

BOUNDS: dict[str, tuple[Bound, bool]] = {
    "以上": ("at_least", True),
    "以下": ("within", True),
    "以内": ("within", True),
    "未満": ("less_than", False),
    "を超える": ("more_than", False),
    "を超えた": ("more_than", False),
    "を超え": ("more_than", False),
    "超": ("more_than", False),
}
"""Bounds after an amount, longest first where one is a prefix of another."""

_BOUND_ALT = "|".join(map(re.escape, BOUNDS))
AMOUNT_RE = re.compile(
    rf"(?P<num>{QUANTITY_PATTERN})\s*(?P<mult>[万億])?円(?P<bound>{_BOUND_ALT})?"
)


def find_amounts(text: str) -> list[Match]:
    """Every amount in yen stated in `text`, with its bound."""
    found: list[Match] = []
    if "円" not in text:
        return found  # AMOUNT_RE starts with a number, no literal: slow to scan for nothing
    for m in AMOUNT_RE.finditer(text):
        value = parse_quantity(m.group("num"))
        if m.group("mult"):
            value *= 10_000 if m.group("mult") == "万" else 100_000_000
        bound, inclusive = BOUNDS.get(m.group("bound") or "", (None, None))
        found.append(
            Match(m.start(), m.end(), AmountValue(value=value, bound=bound, inclusive=inclusive))
        )
    return found


def __getattr__(name: str) -> Any:
    # The spaCy factory lives in extractors.components, so that the finder imports without
    # spaCy; the entry point `extractors.amounts:make_amounts` still finds it here.
    return component_factory(__name__, name, "make_amounts")
