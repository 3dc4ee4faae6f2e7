"""Phrases of terms text the finders share: layout breaks inside words, the noun compound a
clause ends with, and the event a period or a fraction counts from (購入日, 申請を受け取った日)."""

from __future__ import annotations

import re

LAYOUT_BREAK = r"(?:[ \t\u3000]*\n\s*)"
"""A line break left by the layout of raw text, with the indentation around it."""


def loose(word: str) -> str:
    """`word` as a regex that also matches it cut by a layout line break in raw text (以\n下)."""
    return f"{LAYOUT_BREAK}?".join(map(re.escape, word))


CONTENT_CHARS = "一-龥々〆ヵヶァ-ヴーA-Za-zＡ-Ｚａ-ｚ0-9０-９・"
"""Characters of a noun compound: kanji, katakana, Latin letters, digits (no kana particles)."""

_TRAILING_RUN = re.compile(rf"[{CONTENT_CHARS}]+$")


def trailing_noun(text: str) -> str:
    """The noun compound that `text` ends with ('…本体のご購入日' → '購入日'), or ''."""
    found = _TRAILING_RUN.search(text)
    return found.group(0) if found else ""


CLAUSE_BOUNDARIES = (
    "、",
    "。",
    ",",
    "(",
    "（",
    ")",
    "）",
    "「",
    "」",
    "\n",
    "および",
    "及び",
    "または",
    "又は",
    "ならびに",
    "並びに",
)
"""Where a relative clause in front of a noun starts ('…、NECが申請を受け取った日')."""

GENERIC_HEADS = frozenset({"日", "時", "時点", "時刻", "日時", "時間", "月", "年", "もの"})
"""Nouns too generic to stand alone as an anchor: the clause in front of them says which."""


def event_phrase(text: str) -> str | None:
    """The event or thing that `text` ends with, for anchors and 'of' phrases.

    The trailing noun compound, with '当該' dropped; when that noun is generic (日, 時刻, ...)
    the relative clause before it is kept too, back to the nearest clause boundary.
    """
    noun = trailing_noun(text)
    if noun.startswith("当該"):
        noun = noun[2:]
    if noun and noun not in GENERIC_HEADS:
        return noun
    start = max((text.rfind(b) + len(b) for b in CLAUSE_BOUNDARIES if b in text), default=0)
    return without_determiners(text[start:].strip()) or None


DETERMINERS = ("当該", "その", "かかる")
"""Words pointing back at a noun ('当該サービス', 'その日'): no part of what a phrase names."""


def without_determiners(phrase: str) -> str:
    """`phrase` without the determiners it starts with, each taken off once, in turn."""
    for determiner in DETERMINERS:
        phrase = phrase.removeprefix(determiner)
    return phrase
