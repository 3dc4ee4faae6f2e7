"""Properties of the extractors over generated inputs (hypothesis): every number, unit, bound and
script reads back to the value it was written from; every calendar date written in its era
reads back to itself."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.amounts import find_amounts
from extractors.dates import find_dates
from extractors.periods import find_periods

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
UNITS = {"日": "day", "営業日": "business_day", "ヶ月": "month", "か月": "month", "カ月": "month",
         "箇月": "month", "年": "year", "週間": "week", "時間": "hour"}
BOUNDS = {"以内": ("within", True), "以上": ("at_least", True), "未満": ("less_than", False),
          "を超える": ("more_than", False), "前まで": ("before", True)}
ERA_STARTS = [("令和", dt.date(2019, 5, 1)), ("平成", dt.date(1989, 1, 8)),
              ("昭和", dt.date(1926, 12, 25))]


def kanji(n: int) -> str:
    """1 ≤ n < 10000 in kanji numerals: 2022 → 二千二十二, 10 → 十."""
    digits = "〇一二三四五六七八九"
    out = ""
    for place, unit in ((1000, "千"), (100, "百"), (10, "十")):
        d = n // place % 10
        if d:
            out += ("" if d == 1 else digits[d]) + unit
    return out + (digits[n % 10] if n % 10 else "")


def written(n: int, script: str) -> str:
    if script == "kanji":
        return kanji(n)
    return str(n).translate(FULL_WIDTH) if script == "fullwidth" else str(n)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 9999),
    unit=st.sampled_from(sorted(UNITS)),
    bound=st.sampled_from(sorted(BOUNDS)),
    script=st.sampled_from(["ascii", "fullwidth", "kanji"]),
)
def test_any_period_reads_back(n: int, unit: str, bound: str, script: str) -> None:
    if unit == "年" and script != "kanji" and n >= 1000:
        n //= 10  # a 4-digit number before 年 is a year, by design
    text = f"契約者は、{written(n, script)}{unit}{bound}に通知する。"
    (found,) = find_periods(text)
    assert (found.value.value, found.value.unit) == (n, UNITS[unit])  # type: ignore[attr-defined]
    assert (found.value.bound, found.value.inclusive) == BOUNDS[bound]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 99_999), script=st.sampled_from(["ascii", "fullwidth", "kanji"]))
def test_any_amount_reads_back(n: int, script: str) -> None:
    if script == "kanji":
        text = (kanji(n // 10_000) + "万" if n >= 10_000 else "") + kanji(n % 10_000)
    else:
        text = written(n, script)
    if n % 10_000 == 0 and script == "kanji":
        text = kanji(n // 10_000) + "万"
    (found,) = find_amounts(f"手数料{text}円未満")
    assert found.value.value == n  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(dt.date(1926, 12, 25), dt.date(2060, 12, 31)),
    script=st.sampled_from(["ascii", "fullwidth", "kanji"]),
)
def test_any_era_date_reads_back(day: dt.date, script: str) -> None:
    era, start = next((e, s) for e, s in ERA_STARTS if day >= s)
    era_year = day.year - start.year + 1
    year = "元" if era_year == 1 else written(era_year, script)
    text = f"{era}{year}年{written(day.month, script)}月{written(day.day, script)}日から実施"
    (found,) = find_dates(text)
    assert found.value.date == day  # type: ignore[attr-defined]
    assert (found.value.era, found.value.era_year) == (era, era_year)  # type: ignore[attr-defined]


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(2019, 5, 1), dt.date(2060, 12, 31)))
def test_heisei_dates_after_the_era_are_the_day_they_mean(day: dt.date) -> None:
    """A day of 令和 written as 平成 (平成31年5月1日, 平成35年…, drafted before the era changed)
    is the day it means, flagged as written after its era ended."""
    (found,) = find_dates(f"平成{day.year - 1988}年{day.month}月{day.day}日")
    assert found.value.date == day  # type: ignore[attr-defined]
    assert found.value.era_ended  # type: ignore[attr-defined]
