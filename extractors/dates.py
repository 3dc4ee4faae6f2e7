"""Dates (日付): '2022年4月1日', '平成29年11月4日' → 2017-11-04, '令和元年', kanji dates.

Kanji dates read like the others: '平成二十五年五月三十一日' → 2013-05-31.

A year, or a year and month, alone is a date when that is all the text says ('平成 29 年法律第
44 号' → 2017). Era dates are checked against the era's first and last day: 平成31年4月30日
and 令和元年5月1日 are dates, 平成32年 and 平成31年5月1日 are not (the era had ended), nor is
an impossible day (2月30日). A 4-digit year must be 1000 or later; '3年間' is a period.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.language import Language

from extractors.numerals import DIGIT_CLASS, KANJI_NUMERAL_CHARS, parse_quantity
from extractors.spans import FinderComponent, Match
from pipeline.models import DateValue

SPAN_KEY = "dates"

ERAS: dict[str, tuple[dt.date, dt.date | None]] = {
    "明治": (dt.date(1868, 10, 23), dt.date(1912, 7, 29)),
    "大正": (dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "昭和": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "令和": (dt.date(2019, 5, 1), None),
}
"""First and last day of each era (明治 from the proclamation; 令和 open-ended)."""

_NUM = rf"[{DIGIT_CLASS}]{{1,2}}|[{KANJI_NUMERAL_CHARS}]{{1,3}}"
_ERA_ALT = "|".join(ERAS)
DATE_RE = re.compile(
    rf"(?:(?P<era>{_ERA_ALT})\s*(?P<era_year>元|[{DIGIT_CLASS}]{{1,2}}|[{KANJI_NUMERAL_CHARS}]{{1,4}})"
    rf"|(?<![{DIGIT_CLASS}])(?P<year>[{DIGIT_CLASS}]{{4}}|[〇一二三四五六七八九]{{4}}))"
    rf"\s*年(?:\s*(?P<month>{_NUM})\s*月(?:\s*(?P<day>{_NUM})\s*日)?)?"
    rf"|(?<![{DIGIT_CLASS}.])(?P<syear>[{DIGIT_CLASS}]{{4}})(?P<sep>[/／.．-])"
    rf"(?P<smonth>[{DIGIT_CLASS}]{{1,2}})(?P=sep)(?P<sday>[{DIGIT_CLASS}]{{1,2}})(?![{DIGIT_CLASS}])"
)
NOT_A_YEAR = re.compile(r"\s*(?:間|以内|以上|未満|超|を超|を経過|前|後|分)")
"""What follows 'N年' when N years are a period, not a year."""


def find_dates(text: str) -> list[Match]:
    """Every date (or year, or year-month) stated in `text` that exists in the calendar."""
    found: list[Match] = []
    for m in DATE_RE.finditer(text):
        if m.group("syear"):
            value = _date(int(m.group("syear")), int(m.group("smonth")), int(m.group("sday")))
        else:
            if m.group("month") is None and NOT_A_YEAR.match(text, m.end()):
                continue
            value = _written_date(m)
        if value is not None:
            found.append(Match(m.start(), m.end(), value))
    return found


def _written_date(m: re.Match[str]) -> DateValue | None:
    month = int(parse_quantity(m.group("month"))) if m.group("month") else None
    day = int(parse_quantity(m.group("day"))) if m.group("day") else None
    era = m.group("era")
    if era is None:
        year = int(parse_quantity(m.group("year")))
        return _date(year, month, day) if year >= 1000 else None
    era_year = 1 if m.group("era_year") == "元" else int(parse_quantity(m.group("era_year")))
    first, last = ERAS[era]
    year = first.year + era_year - 1
    value = _date(year, month, day, era=era, era_year=era_year)
    if value is None or era_year < 1:
        return None
    # Compare at the precision the text gives: a year alone is valid if any day of it is.
    lo = (year, month or 12, day or 31)
    hi = (year, month or 1, day or 1)
    if lo < (first.year, first.month, first.day):
        return None
    if last is not None and hi > (last.year, last.month, last.day):
        return None
    return value


def _date(
    year: int,
    month: int | None,
    day: int | None,
    *,
    era: str | None = None,
    era_year: int | None = None,
) -> DateValue | None:
    """A DateValue, or None when the month or day cannot exist."""
    date = None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and month is not None:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
    return DateValue(date=date, year=year, month=month, day=day, era=era, era_year=era_year)


@Language.factory("yakkan_dates")
def make_dates(nlp: Language, name: str) -> FinderComponent:
    """Factory of the dates component (entry point `yakkan_dates`).

    The component writes `doc.spans["dates"]` with DateValue values.
    """
    return FinderComponent(name, SPAN_KEY, "date", find_dates)
