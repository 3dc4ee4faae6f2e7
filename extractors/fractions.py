"""Fractions (分数): '30分の1', '三分の一', and divisions in words ('24で除した数').

'X分のY' is Y/X. 'AをNで除した数' is A × 1/N, recorded as 1/N of A. What the fraction is
taken of is read from the text just before it ('月額利用料金の30分の1' → 月額利用料金).
"""

from __future__ import annotations

import re
from typing import Any

from extractors.phrases import event_phrase
from extractors.spans import Match, component_factory
from pipeline.models import FractionValue
from pipeline.text.numerals import QUANTITY_PATTERN, parse_quantity

SPAN_KEY = "fractions"

FRACTION_RE = re.compile(
    rf"(?P<den>{QUANTITY_PATTERN})\s*分の\s*(?P<num>{QUANTITY_PATTERN})"
    rf"|(?P<divisor>{QUANTITY_PATTERN})\s*で(?:除し|割っ)(?:た|て得た)(?P<noun>数|額|値|金額)?"
)


def find_fractions(text: str) -> list[Match]:
    """Every fraction stated in `text`, with what it is taken of when the text says."""
    found: list[Match] = []
    if "分の" not in text and "で除し" not in text and "で割っ" not in text:
        return found  # FRACTION_RE starts with a number, no literal: slow to scan for nothing
    for m in FRACTION_RE.finditer(text):
        before = text[max(0, m.start() - 200) : m.start()].rstrip(" ")
        if m.group("den"):
            numerator, denominator = parse_quantity(m.group("num")), parse_quantity(m.group("den"))
            of = event_phrase(before[:-1]) if before.endswith("の") else None
        else:
            numerator, denominator = 1.0, parse_quantity(m.group("divisor"))
            of = event_phrase(before[:-1]) if before.endswith("を") else None
        if denominator == 0:
            continue
        value = FractionValue(numerator=numerator, denominator=denominator, of=of)
        found.append(Match(m.start(), m.end(), value))
    return found


def __getattr__(name: str) -> Any:
    # The spaCy factory lives in extractors.components, so that the finder imports without
    # spaCy; the entry point `extractors.fractions:make_fractions` still finds it here.
    return component_factory(__name__, name, "make_fractions")
