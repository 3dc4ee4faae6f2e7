"""Periods (期間): '30日以内', '3ヶ月以上前', '半年以内', '1年間', '5年を経過しない'.

A period is a quantity of a time unit that the text uses as a duration: the unit says so
(ヶ月, 年間, 時間, 営業日...), or a bound follows (以内, 以上, 未満, 超, 前, 後, まで, を経過...),
or an anchor event precedes (…から, …より). '第30条', '4月1日' and '30分の1' are not periods.
The event the period counts from is read from the text just before it ('ご購入日(検収日)から'
→ anchor 購入日, alias 検収日; '変更日の30日前まで' → 変更日; '受領後3年間' → 受領).

半 is a half wherever it stands: 半年, 半月, 半日 (alone too), 2年半, 3週間半. Quantities written
one after the other are one compound period when their units step down as a duration does
(2年3ヶ月, 1年6ヶ月15日, 2時間15分, 5日12時間); any other run (2年5時間) is no period at all.
Ordinals (2時間目, 第2期) and days of a month (毎月30日) are not periods.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.dates import ERAS as _ERA_DAYS
from extractors.phrases import LAYOUT_BREAK, event_phrase, loose
from extractors.spans import Match, component_factory
from pipeline.models import Bound, PeriodPart, PeriodUnit, PeriodValue
from pipeline.text.numerals import (
    DIGIT_CLASS,
    FULLWIDTH_DIGITS,
    KANJI_NUMERAL_CHARS,
    QUANTITY_PATTERN,
    parse_quantity,
)

SPAN_KEY = "periods"

UNITS: dict[str, PeriodUnit] = {
    "ヶ月": "month",
    "ヵ月": "month",
    "か月": "month",
    "カ月": "month",
    "ケ月": "month",
    "箇月": "month",
    "年": "year",
    "週": "week",
    "営業日": "business_day",
    "日": "day",
    "時間": "hour",
    "分": "minute",
}

DURATION_UNITS = frozenset({"ヶ月", "ヵ月", "か月", "カ月", "ケ月", "箇月", "営業日", "時間"})
"""Units that only ever measure a duration; 年, 日, 週 and 分 also name dates and times."""

TAILS: list[tuple[str, Bound, bool | None]] = [
    ("以上前", "before", True),
    ("前まで", "before", True),
    ("前", "before", None),
    ("以内", "within", True),
    ("以上", "at_least", True),
    ("未満", "less_than", False),
    ("以下", "within", True),
    ("を超える", "more_than", False),
    ("を超えた", "more_than", False),
    ("を超え", "more_than", False),
    ("を超過", "more_than", False),
    ("超", "more_than", False),
    ("を経過しない", "not_elapsed", None),
    ("を経過する日まで", "until", True),
    ("を経過した日まで", "until", True),
    ("を経過した後", "after", None),
    ("を経過した", "after", None),
    ("経過後", "after", None),
    ("以降", "after", True),
    ("後", "after", None),
    ("まで", "until", True),
    ("分", "for", None),
    ("間", "for", None),
]
"""What may follow the unit, longest first, with the bound it states and its inclusiveness."""

_NUMBER_THEN_UNIT = re.compile(
    rf"[{DIGIT_CLASS}{KANJI_NUMERAL_CHARS}万億半]\s*[{''.join(u[0] for u in UNITS)}月]"
)
"""The last character of a quantity (or 半) and the first of a unit after it: every period holds
one, and a passage without any (most: a lone 日 or 月 states no time) is passed over."""
_UNIT_ALT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_TAIL_ALT = "|".join(loose(t) for t, _, _ in TAILS)
PERIOD_RE = re.compile(
    rf"(?P<num>{QUANTITY_PATTERN}|半)\s*(?P<unit>{_UNIT_ALT}|(?<=半)月)(?P<half>半)?"
    rf"(?:{LAYOUT_BREAK}?(?P<kan>間)(?P<kanhalf>半)?)?(?:{LAYOUT_BREAK}?(?P<tail>{_TAIL_ALT}))?"
)
"""A quantity, a unit and what follows it; in raw text a layout break may cut any of them."""
CONTEXT = 200
"""How far back the anchor of a period is looked for, in characters (a clause is shorter)."""
BACKWARDS = ("直近", "過去")
"""Periods counted back from now: '直近1年分', '過去14日以内'."""
ERAS = tuple(_ERA_DAYS)
"""The era names (明治 … 令和), as `extractors.dates` knows them: N年 after one is a year."""
_MONTH_AFTER = re.compile(r"\s*[0-9０-９〇一二三四五六七八九十]+\s*月")
_ADVERBS = ("さらに", "連続して", "引き続き", "、")


HALVES: dict[str, tuple[float, PeriodUnit]] = {
    "年": (6.0, "month"),
    "月": (0.5, "month"),
    "日": (0.5, "day"),
}
"""半 before a unit: 半年 is six months, 半月 half a month, 半日 half a day (半分 is 'half')."""

STEPS: dict[PeriodUnit, dict[PeriodUnit, int]] = {
    "year": {"month": 12, "day": 366},
    "month": {"day": 31},
    "week": {"day": 7},
    "day": {"hour": 24},
    "hour": {"minute": 60},
}
"""Which unit may follow which in a compound period (2年3ヶ月, 1年6ヶ月15日, 5日12時間), and the
count it stays below there: '1日24時間' and '24時間365日' say how often, not how long."""

EXACT: dict[tuple[PeriodUnit, PeriodUnit], int] = {
    ("year", "month"): 12,
    ("week", "day"): 7,
    ("day", "hour"): 24,
    ("hour", "minute"): 60,
}
"""Units that convert exactly into the next finer one (a month has no fixed number of days)."""


def find_periods(text: str) -> list[Match]:
    """Every period stated in `text`, with its value, bound and anchor."""
    found: list[Match] = []
    for run in _runs(text):
        value = _period(text, run[0]) if len(run) == 1 else _compound(text, run)
        if value is not None:
            found.append(Match(run[0].start(), run[-1].end(), value))
    return found


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Quantities grouped with those written straight after them (2年 + 3ヶ月 + 15日)."""
    runs: list[list[re.Match[str]]] = []
    if _NUMBER_THEN_UNIT.search(text) is None:  # one scan in C, not one per character
        return runs  # most passages state no time at all
    for m in PERIOD_RE.finditer(text):
        if runs and _continues(runs[-1][-1], m):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _continues(previous: re.Match[str], m: re.Match[str]) -> bool:
    return (
        previous.end() == m.start()
        and m.group("num") != "半"
        and not any(previous.group(g) for g in ("half", "kan", "kanhalf", "tail"))
    )


def _compound(text: str, run: list[re.Match[str]]) -> PeriodValue | None:
    """One period from a run of quantities, or None when the units do not step down."""
    if run[0].group("num") == "半":
        return None  # 半年3ヶ月 is not written; 半 closes a period (2年半), it does not open one
    parts: list[PeriodPart] = []
    for m in run:
        unit = _unit(m)
        quantity = _quantity(m)
        limit = STEPS.get(parts[-1].unit, {}).get(unit) if parts and unit else None
        if unit is None or (parts and (limit is None or quantity >= limit)):
            return None  # 2年5時間, 1日24時間: not a duration of any kind
        parts.append(PeriodPart(value=quantity, unit=unit))
    # The compound reads its anchor before the first quantity and its bound after the last.
    period = _period(text, run[0], last=run[-1], compound=True)
    if period is None:
        return None
    total, total_unit = _total(parts)
    return period.model_copy(update={"value": total, "unit": total_unit, "parts": parts})


def _unit(m: re.Match[str]) -> PeriodUnit | None:
    unit: PeriodUnit | None = UNITS.get(m.group("unit"))
    return unit


def _quantity(m: re.Match[str]) -> float:
    value = parse_quantity(m.group("num"))
    return value + 0.5 if m.group("half") or m.group("kanhalf") else value


def _total(parts: list[PeriodPart]) -> tuple[float, PeriodUnit]:
    """The parts summed in the finest unit they all convert to exactly (months for 年ヶ月日)."""
    total, unit = parts[0].value, parts[0].unit
    for part in parts[1:]:
        factor = EXACT.get((unit, part.unit))
        if factor is None:
            break
        total, unit = total * factor + part.value, part.unit
    return total, unit


def _period(
    text: str, m: re.Match[str], *, last: re.Match[str] | None = None, compound: bool = False
) -> PeriodValue | None:
    end = last or m
    num, unit = m.group("num"), m.group("unit")
    kan = end.group("kan")
    half = bool(end.group("half") or end.group("kanhalf"))
    tail = "".join(end.group("tail").split()) if end.group("tail") else None
    before, after = text[max(0, m.start() - CONTEXT) : m.start()], text[end.end() : end.end() + 20]
    if after.lstrip(" ").startswith("目"):
        return None  # 2時間目, 3日目: an ordinal
    if compound:
        if before.rstrip(" ").endswith("第"):
            return None
    elif _not_a_period(num, unit, tail, kan, half, before, after):
        return None
    if num == "半":
        if unit not in HALVES:
            return None
        value, unit_name = HALVES[unit]
    else:
        value, unit_name = _quantity(m), UNITS[unit]
    bound, inclusive = _bound(kan, tail)
    anchor, alias, counting = _anchor(before, bound)
    duration = compound or half or num == "半" or unit in DURATION_UNITS
    if tail is None and kan is None and anchor is None and not duration:
        return None
    backwards = next((w for w in BACKWARDS if before.rstrip(" ").endswith(w)), None)
    if tail == "分" and backwards is None:
        return None  # '30日分の料金' is an amount's measure, not a period
    counting = backwards or counting
    return PeriodValue(
        value=value,
        unit=unit_name,
        bound=bound,
        inclusive=inclusive,
        anchor=anchor,
        anchor_alias=alias,
        counting=counting,
    )


def _not_a_period(
    num: str, unit: str, tail: str | None, kan: str | None, half: bool, before: str, after: str
) -> bool:
    """Numbers of articles, dates, times of day and fractions that look like periods."""
    if before.rstrip(" ").endswith("第"):
        return True
    if unit == "年" and kan is None:
        year_like = len(num) == 4 and num.translate(FULLWIDTH_DIGITS).isdigit()
        if year_like or before.rstrip(" ").endswith(ERAS) or _MONTH_AFTER.match(after):
            return True
    if unit == "日" and kan is None and re.search(r"月\s*$", before):
        return True
    if unit == "分":
        # '30分の1' is a fraction; a bare '分' is a minute only with a bound or 間.
        if after.startswith("の") and tail is None:
            return True
        if kan is None and tail in (None, "分") and not half:
            return True
    return False


def _bound(kan: str | None, tail: str | None) -> tuple[Bound | None, bool | None]:
    if tail is None:
        return ("for", None) if kan else (None, None)
    return _BOUNDS.get(tail, (None, None))


_BOUNDS = {surface: (bound, inclusive) for surface, bound, inclusive in reversed(TAILS)}
"""Each tail's bound and inclusiveness (the first of TAILS for a surface), looked up instead of
scanning TAILS per period."""


def _anchor(before: str, bound: Bound | None) -> tuple[str | None, str | None, str | None]:
    """(anchor, alias, counting) from the text just before the number."""
    rest = before.rstrip(" ")
    for adverb in _ADVERBS:
        if rest.endswith(adverb):
            counting = "連続" if adverb == "連続して" else None
            rest = rest[: -len(adverb)].rstrip(" ")
            break
    else:
        counting = None
    if rest.endswith("起算して"):
        rest = rest[: -len("起算して")]
        counting = "起算"
    if rest.endswith(("から", "より")):
        rest = rest[:-2]
        if rest.endswith("翌日"):
            rest = rest[:-2]
            counting = "翌日から起算" if counting == "起算" else "翌日から"
        elif counting == "起算":
            counting = "から起算"
        rest = rest.removesuffix("の")
    elif rest.endswith("後") or (rest.endswith("の") and bound in ("before", "after", "until")):
        rest = rest[:-1]
    else:
        return None, None, counting
    rest, alias = _split_alias(rest)
    return event_phrase(rest), alias, counting


_ALIAS_RE = re.compile(r"[(（](?P<inner>[^()（）]*)[)）]\s*$")
_DEFINED_RE = re.compile(r"以下[^「」]*「(?P<term>[^「」]+)」")


def _split_alias(text: str) -> tuple[str, str | None]:
    """'ご購入日(検収日)' → ('ご購入日', '検収日'); '…日(以下「利用開始日」という。)' too."""
    m = _ALIAS_RE.search(text)
    if m is None:
        return text, None
    inner = m.group("inner").strip()
    defined = _DEFINED_RE.search(inner)
    return text[: m.start()], (defined.group("term") if defined else inner) or None


def __getattr__(name: str) -> Any:
    # The spaCy factory lives in extractors.components, so that the finder imports without
    # spaCy; the entry point `extractors.periods:make_periods` still finds it here.
    return component_factory(__name__, name, "make_periods")
