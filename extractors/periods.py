"""Periods (期間): '30日以内', '3ヶ月以上前', '半年以内', '1年間', '5年を経過しない'.

A period is a quantity of a time unit that the text uses as a duration: the unit says so
(ヶ月, 年間, 時間, 営業日...), or a bound follows (以内, 以上, 未満, 超, 前, 後, まで, を経過...),
or an anchor event precedes (…から, …より). '第30条', '4月1日' and '30分の1' are not periods.
The event the period counts from is read from the text just before it ('ご購入日(検収日)から'
→ anchor 購入日, alias 検収日; '変更日の30日前まで' → 変更日; '受領後3年間' → 受領).
"""

from __future__ import annotations

import re

from spacy.language import Language

from extractors.numerals import FULLWIDTH_DIGITS, QUANTITY_PATTERN, parse_quantity
from extractors.spans import LAYOUT_BREAK, FinderComponent, Match, event_phrase, loose
from pipeline.models import Bound, PeriodUnit, PeriodValue

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

_UNIT_ALT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_TAIL_ALT = "|".join(loose(t) for t, _, _ in TAILS)
PERIOD_RE = re.compile(
    rf"(?P<num>{QUANTITY_PATTERN}|半)\s*(?P<unit>{_UNIT_ALT})(?P<half>半)?"
    rf"(?:{LAYOUT_BREAK}?(?P<kan>間))?(?:{LAYOUT_BREAK}?(?P<tail>{_TAIL_ALT}))?"
)
"""A quantity, a unit and what follows it; in raw text a layout break may cut any of them."""
CONTEXT = 200
"""How far back the anchor of a period is looked for, in characters (a clause is shorter)."""
BACKWARDS = ("直近", "過去")
"""Periods counted back from now: '直近1年分', '過去14日以内'."""
ERAS = ("明治", "大正", "昭和", "平成", "令和")
_MONTH_AFTER = re.compile(r"\s*[0-9０-９〇一二三四五六七八九十]+\s*月")
_ADVERBS = ("さらに", "連続して", "引き続き", "、")


def find_periods(text: str) -> list[Match]:
    """Every period stated in `text`, with its value, bound and anchor."""
    found: list[Match] = []
    for m in PERIOD_RE.finditer(text):
        value = _period(text, m)
        if value is not None:
            found.append(Match(m.start(), m.end(), value))
    return found


def _period(text: str, m: re.Match[str]) -> PeriodValue | None:
    num, unit = m.group("num"), m.group("unit")
    tail = "".join(m.group("tail").split()) if m.group("tail") else None
    before, after = text[max(0, m.start() - CONTEXT) : m.start()], text[m.end() : m.end() + 20]
    if _not_a_period(num, unit, tail, m.group("kan"), before, after):
        return None
    if num == "半":
        if unit != "年":
            return None
        value, unit_name = 6.0, "month"
    else:
        value, unit_name = parse_quantity(num), UNITS[unit]
        if m.group("half"):
            value += 0.5
    bound, inclusive = _bound(m.group("kan"), tail)
    anchor, alias, counting = _anchor(before, bound)
    if tail is None and m.group("kan") is None and anchor is None and unit not in DURATION_UNITS:
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
    num: str, unit: str, tail: str | None, kan: str | None, before: str, after: str
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
        if kan is None and tail in (None, "分"):
            return True
    return False


def _bound(kan: str | None, tail: str | None) -> tuple[Bound | None, bool | None]:
    if tail is None:
        return ("for", None) if kan else (None, None)
    for surface, bound, inclusive in TAILS:
        if surface == tail:
            return bound, inclusive
    return None, None


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


@Language.factory("yakkan_periods")
def make_periods(nlp: Language, name: str) -> FinderComponent:
    """Factory of the periods component (entry point `yakkan_periods`).

    The component writes `doc.spans["periods"]`, each span's `_.value` a PeriodValue.
    """
    return FinderComponent(name, SPAN_KEY, "period", find_periods)
