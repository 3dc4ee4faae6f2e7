"""Percentages and rates (割合): '年14.5%', '5パーセント', '2割', '1割5分', '年3分'.

'分' is a rate only where a rate is being stated: after 割 ('1割5分' = 15%) or after a basis
('年3分' = 3% a year). '30分の1' is a fraction and '30分' a time, never 30% or 3%.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from extractors.spans import Match, component_factory
from pipeline.models import PercentageValue
from pipeline.text.numerals import QUANTITY_PATTERN, parse_quantity

SPAN_KEY = "percentages"

Basis = Literal["year", "month", "day"]
BASES: dict[str, Basis] = {
    "年率": "year",
    "年利": "year",
    "年": "year",
    "月率": "month",
    "月": "month",
    "日歩": "day",
    "日": "day",
}

_NOT_A_RATE = rf"(?!の\s*(?:{QUANTITY_PATTERN})|間|以|未満|超|前|後|まで)"
"""After 分: '30分の1' is a fraction, '30分間' and '30分以内' are times."""
PERCENTAGE_RE = re.compile(
    rf"(?P<basis>年率|年利|年|月率|月|日歩|日)?\s*(?P<num>{QUANTITY_PATTERN})\s*"
    rf"(?:(?P<pct>%|％|パーセント)"
    rf"|割(?:(?P<bu>{QUANTITY_PATTERN})分{_NOT_A_RATE})?"
    rf"|(?P<rin>分){_NOT_A_RATE})"
)


_RATE_WORD = re.compile("%|％|割|分|パーセント")
"""Every percentage or rate holds one of these; a passage without them is passed over. Each
alternative starts with a literal, which the regex engine scans for fast (a class as the first
alternative, '[%％割分]|パーセント', made it try every character)."""
_WORD_BEFORE = re.compile(r"[0-9０-９一-龥々]$")
_INSIDE_A_TOKEN = re.compile(r"[0-9A-Za-z.．０-９Ａ-Ｚａ-ｚ]$")
"""Before the number: it is the tail of a longer token ('1e400%', 'v1.2.3%'), not a value."""


def find_percentages(text: str) -> list[Match]:
    """Every percentage or rate stated in `text`, in percent, with its basis (per year...)."""
    found: list[Match] = []
    if not _RATE_WORD.search(text):
        return found  # PERCENTAGE_RE starts with no literal: scanning it is slow for nothing
    for m in PERCENTAGE_RE.finditer(text):
        basis_word = m.group("basis")
        start = m.start()
        if basis_word and _WORD_BEFORE.search(text, max(0, m.start() - 1), m.start()):
            # '2022年4%', '本日5%': 年/日 end another word (a year, 本日), they state no basis.
            basis_word, start = None, m.start("num")
        if m.group("rin") and basis_word is None:
            continue
        if _INSIDE_A_TOKEN.search(text, max(0, m.start("num") - 1), m.start("num")):
            continue
        value = parse_quantity(m.group("num"))
        if not math.isfinite(value):  # more digits than a float holds: no rate is that large
            continue
        if m.group("pct"):
            unit: Literal["%", "パーセント", "割", "分"] = (
                "パーセント" if m.group("pct") == "パーセント" else "%"
            )
        elif m.group("rin"):
            unit = "分"
        else:
            unit = "割"
            value = value * 10 + (parse_quantity(m.group("bu")) if m.group("bu") else 0)
        basis = BASES[basis_word] if basis_word else None
        found.append(
            Match(start, m.end(), PercentageValue(value=value, basis=basis, surface_unit=unit))
        )
    return found


def __getattr__(name: str) -> Any:
    # The spaCy factory lives in extractors.components, so that the finder imports without
    # spaCy; the entry point `extractors.percentages:make_percentages` still finds it here.
    return component_factory(__name__, name, "make_percentages")
