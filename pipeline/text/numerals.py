"""Numerals as Japanese terms write them: ASCII, full-width, kanji (三十, 二十五, 百, 〇).

Shared by the segmenter (第十三条) and every extractor.
"""

from __future__ import annotations

import re

KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壱": 1,
    "弐": 2,
    "参": 3,
}
KANJI_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10}
KANJI_LARGE_UNITS = {"万": 10_000, "億": 100_000_000, "兆": 1_000_000_000_000}

KANJI_NUMERAL_CHARS = "".join([*KANJI_DIGITS, *KANJI_SMALL_UNITS, *KANJI_LARGE_UNITS])
"""Every character a kanji numeral may contain."""

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

DIGIT_CLASS = "0-9０-９"
NUMERAL_PATTERN = rf"[{DIGIT_CLASS}]+|[{KANJI_NUMERAL_CHARS}]+"
"""A regex alternative matching one numeral in any of the three scripts."""

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"
"""Circled digits ① to ㊿, in order: index + 1 is the value."""

AIUEO = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
IROHA = (
    "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
)


def parse_kanji(text: str) -> int:
    """Value of a kanji numeral: '十三' → 13, '二十五' → 25, '二〇二二' → 2022, '百' → 100."""
    if not text:
        raise ValueError("empty numeral")
    if all(ch in KANJI_DIGITS for ch in text):
        # Positional form, as in 二〇二二年.
        value = 0
        for ch in text:
            value = value * 10 + KANJI_DIGITS[ch]
        return value
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in KANJI_DIGITS:
            digit = KANJI_DIGITS[ch] if digit is None else digit * 10 + KANJI_DIGITS[ch]
        elif ch in KANJI_SMALL_UNITS:
            section += (1 if digit is None else digit) * KANJI_SMALL_UNITS[ch]
            digit = None
        elif ch in KANJI_LARGE_UNITS:
            section += 0 if digit is None else digit
            total += (section or 1) * KANJI_LARGE_UNITS[ch]
            section = 0
            digit = None
        else:
            raise ValueError(f"not a kanji numeral: {text!r}")
    return total + section + (0 if digit is None else digit)


def parse_number(text: str) -> int:
    """Value of an integer numeral in ASCII, full-width or kanji digits."""
    if text.isascii() and text.isdigit():
        return int(text)  # most numbers: nothing to strip or translate
    stripped = text.strip().translate(FULLWIDTH_DIGITS)
    if stripped.isascii() and stripped.isdigit():
        return int(stripped)
    return parse_kanji(stripped)


def parse_decimal(text: str) -> float:
    """Value of a numeral that may carry a decimal point or commas: '14.5', '１０，０００'."""
    cleaned = text.strip().translate(FULLWIDTH_DIGITS).replace("，", "").replace(",", "")
    cleaned = cleaned.replace("．", ".")
    if re.fullmatch(r"\d+(\.\d+)?", cleaned):
        return float(cleaned)
    return float(parse_kanji(cleaned))


def circled_value(ch: str) -> int:
    """① → 1 … ㊿ → 50."""
    index = CIRCLED.find(ch)
    if index < 0:
        raise ValueError(f"not a circled digit: {ch!r}")
    return index + 1


# --------------------------------------------------------------------------------------------
# Quantities for the extractors (extract owner): decimals, 万/億 multipliers, split digits
# --------------------------------------------------------------------------------------------

QUANTITY_PATTERN = (
    rf"[{DIGIT_CLASS}](?:\n?[{DIGIT_CLASS}])*(?:[,，][{DIGIT_CLASS}]{{3}})*"
    rf"(?:[.．][{DIGIT_CLASS}]+)?[万億]?"
    rf"|[{KANJI_NUMERAL_CHARS}]+"
)
"""One quantity in any script: '30', '３０', '14.5', '1,000', '10万', '三十', '二十五'.

A single line break between digits is allowed, so a number split by the layout of raw text
('3\\n0分の1') is read whole; the normalizer already joins such breaks in the pipeline.
"""


def parse_quantity(text: str) -> float:
    """Value of a quantity matched by QUANTITY_PATTERN: '14.5' → 14.5, '10万' → 100000."""
    cleaned = text.replace("\n", "").strip()
    multiplier = 1
    if len(cleaned) > 1 and cleaned[-1] in "万億" and cleaned[-2] not in KANJI_NUMERAL_CHARS:
        multiplier = KANJI_LARGE_UNITS[cleaned[-1]]
        cleaned = cleaned[:-1]
    return parse_decimal(cleaned) * multiplier
