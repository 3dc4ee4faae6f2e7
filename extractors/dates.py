"""Dates (日付): '2022年4月1日', '平成29年11月4日' → 2017-11-04, '令和元年', kanji dates.

Kanji dates read like the others: '平成二十五年五月三十一日' → 2013-05-31.

Slash and dot forms: 2023/4/1, 2023.4.1, 2023/04 (a year and month), 西暦2023/4, and era
initials R5.4.1, H31.4.30 (M, T, S, H, R).

A year, or a year and month, alone is a date when that is all the text says ('2020年版'). A
year in a law number is not a date: in 民法(平成29年法律第44号) '平成29年法律第44号' names the
statute (crossrefs reads it); a promulgation date written in full (平成二十五年五月三十一日法律
第二十七号) is a date. Era dates are checked against the era's first day: 令和元年4月30日 is no
date. A date written after its era ended (平成31年6月1日, 平成35年: contracts drafted before
2019 use them) is the day it means, with `era_ended` set. An impossible day (2月30日) is no
date. A 4-digit year must be 1000 or later; '3年間' is a period.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from extractors.spans import Match, component_factory, holds_any
from pipeline.models import DateValue
from pipeline.text.numerals import DIGIT_CLASS, KANJI_NUMERAL_CHARS, parse_quantity

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
_DIGIT = re.compile(f"[{DIGIT_CLASS}]")
_ERA_ALT = "|".join(ERAS)
ERA_INITIALS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
"""Initials of the eras in dotted dates (R5.4.1); full-width initials are folded first."""

_FOLD_INITIAL = str.maketrans("ＭＴＳＨＲ", "MTSHR")
_D = DIGIT_CLASS
WRITTEN_RE = re.compile(
    rf"(?:(?P<era>{_ERA_ALT})\s*(?P<era_year>元|[{_D}]{{1,2}}|[{KANJI_NUMERAL_CHARS}]{{1,4}})"
    rf"|(?P<year>[{_D}]{{4}}|[〇一二三四五六七八九]{{4}}))"
    rf"\s*年(?:\s*(?P<month>{_NUM})\s*月(?:\s*(?P<day>{_NUM})\s*日)?)?"
)
"""A written date: an era year or a 4-digit year, 年, then perhaps 月 and 日."""
NUMERIC_RE = re.compile(
    rf"(?P<year>[{_D}]{{4}})(?:(?P<sep>[/／.．\-－])(?P<month>[{_D}]{{1,2}})(?P=sep)"
    rf"(?P<day>[{_D}]{{1,2}})|[/／](?P<ymonth>[{_D}]{{1,2}}))(?![{_D}]|[.．/／\-－][{_D}])"
)
"""2023/4/1, 2023.4.1, 2023-04-01, and a year and month with a slash (2023/04): '2023.4' or
'2023-4' may be anything (a version, a range)."""
INITIAL_RE = re.compile(
    rf"(?P<initial>[MTSHRＭＴＳＨＲ])(?P<year>[{_D}]{{1,2}})(?P<sep>[/／.．])"
    rf"(?P<month>[{_D}]{{1,2}})(?P=sep)(?P<day>[{_D}]{{1,2}})(?![{_D}])"
)
"""R5.4.1: an era initial and a dotted date in that era."""
_SEPARATORS = "/／.．-－"
"""A numeric date's separators; a passage without one holds no numeric date."""
_INITIAL = re.compile("[MTSHRＭＴＳＨＲ][0-9０-９]")
"""An era initial and the digit after it; a passage without one holds no H31.4.1 (SMS, HTTP
hold initials)."""
_WORD_BEFORE = re.compile(rf"[A-Za-zＡ-Ｚａ-ｚ{_D}.．/／]")
"""What may not stand right before a numeric date (Ver2023.4.1, 1.2023.4.1, VR5.4.1)."""
_WESTERN = re.compile(r"西暦\s*$")
LAW_KINDS = ("法律", "政令", "勅令", "省令", "府令", "規則", "条例", "告示")
"""The kinds of statute a law number names (平成29年法律第44号, 平成15年政令第507号)."""
LAW_NUMBER_AFTER = re.compile(rf"\s*(?:{'|'.join(LAW_KINDS)})\s*第")
"""What follows the year of a law number: 平成29年法律第44号."""
NOT_A_YEAR = re.compile(r"\s*(?:間|以内|以上|未満|超|を超|を経過|前|後|分)")
"""What follows 'N年' when N years are a period, not a year."""


def find_dates(text: str) -> list[Match]:
    """Every date (or year, or year-month) stated in `text` that exists in the calendar."""
    found: list[Match] = []
    # Each form needs a character most passages lack: 年, a separator, an era initial.
    for m in WRITTEN_RE.finditer(text) if "年" in text else ():
        if m.group("year") and _after(text, m.start(), _DIGIT):
            continue
        if m.group("month") is None and (
            NOT_A_YEAR.match(text, m.end()) or LAW_NUMBER_AFTER.match(text, m.end())
        ):
            continue
        found += _found(text, m, _written_date(m))
    for m in NUMERIC_RE.finditer(text) if holds_any(text, _SEPARATORS) else ():
        if _after(text, m.start(), _WORD_BEFORE):
            continue
        day = m.group("day")
        month = _int(m.group("month") or m.group("ymonth"))
        found += _found(text, m, _date(_int(m.group("year")), month, _int(day) if day else None))
    if _INITIAL.search(text):
        for m in INITIAL_RE.finditer(text):
            if _after(text, m.start(), _WORD_BEFORE):
                continue
            era = ERA_INITIALS[m.group("initial").translate(_FOLD_INITIAL)]
            value = _era_date(era, *(_int(m.group(g)) for g in ("year", "month", "day")))
            found += _found(text, m, value)
    return sorted(found, key=lambda match: match.start)


def _after(text: str, start: int, before: re.Pattern[str]) -> bool:
    """Whether the character before `start` is one that `before` matches."""
    return start > 0 and before.match(text, start - 1) is not None


def _found(text: str, m: re.Match[str], value: DateValue | None) -> list[Match]:
    """The match as a date, with a '西暦' written before it: 西暦2023/4."""
    if value is None:
        return []
    western = _WESTERN.search(text, max(0, m.start() - 6), m.start())
    return [Match(western.start() if western else m.start(), m.end(), value)]


def _int(numeral: str) -> int:
    return int(parse_quantity(numeral))


def _written_date(m: re.Match[str]) -> DateValue | None:
    month = _int(m.group("month")) if m.group("month") else None
    day = _int(m.group("day")) if m.group("day") else None
    era = m.group("era")
    if era is None:
        year = _int(m.group("year"))
        return _date(year, month, day) if year >= 1000 else None
    era_year = 1 if m.group("era_year") == "元" else _int(m.group("era_year"))
    return _era_date(era, era_year, month, day)


def _era_date(era: str, era_year: int, month: int | None, day: int | None) -> DateValue | None:
    """The date an era date means; None before the era began, `era_ended` after it ended."""
    first, last = ERAS[era]
    year = first.year + era_year - 1
    value = _date(year, month, day, era=era, era_year=era_year)
    if value is None or era_year < 1:
        return None
    # Compare at the precision the text gives: a year alone is in the era if any day of it is.
    lo = (year, month or 12, day or 31)
    hi = (year, month or 1, day or 1)
    if lo < (first.year, first.month, first.day):
        return None
    if last is not None and hi > (last.year, last.month, last.day):
        return value.model_copy(update={"era_ended": True})
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


def __getattr__(name: str) -> Any:
    # The spaCy factory lives in extractors.components, so that the finder imports without
    # spaCy; the entry point `extractors.dates:make_dates` still finds it here.
    return component_factory(__name__, name, "make_dates")
