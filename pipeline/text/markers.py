"""Numbering markers at the start of a line: 2. / (1) / 一 / ① / ア / (ア) / ・

A marker's style and ordinal come from its form alone; whether it numbers a paragraph (項) or an
item (号) is the segmenter's decision, from the document's usage. `NumberingState` judges whether
a marker at a line start is plausible at all, or running text a layout break put there.
Literal examples of the forms are in tests/test_segment.py (`ITEM_FORMS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from pipeline.text.headings import starts_with_particle
from pipeline.text.numerals import (
    AIUEO,
    CIRCLED,
    IROHA,
    KANJI_NUMERAL_CHARS,
    circled_value,
    parse_number,
)

KANJI_NUM = f"[{KANJI_NUMERAL_CHARS}]+"

MarkerStyle = Literal[
    "digit-dot",  # 2.  ２．  2 (digit then space): paragraphs, or items in some documents
    "paren-digit",  # (1) （１）
    "digit-paren",  # 1)
    "paren-kanji",  # (一)
    "kanji",  # 一 (followed by a space)
    "circled",  # ①
    "katakana",  # ア (followed by a space or a dot)
    "paren-katakana",  # (ア)
    "iroha",  # イ ロ ハ
    "bullet",  # ・ ● * -
    "decimal",  # 1.1.2 (a decimal outline's items)
    "digit-glued",  # ２当社は… (a paragraph number glued to its text, only after a sentence)
    "digit-kou",  # 1項. / 第2項 (a paragraph named as such)
]

PARAGRAPH_STYLES: frozenset[str] = frozenset({"digit-dot", "digit-kou"})
"""Styles that can number paragraphs (項); all others number items (号)."""

_KANA = f"[{AIUEO}]"
PARENTHESIZED = "".join(chr(c) for c in range(0x2474, 0x2488))
"""⑴ to ⒇: one character each, the same style as (1) to (20)."""
_NOT_AFTER_GLUED = (
    r"0-9０-９.．,，:：/／)）\-‐~〜%％年月日時分秒歳条項号章節ヶヵケか箇個人名回件倍万千百円"
    r"割階週度番枚台社者a-zA-Zａ-ｚＡ-Ｚ"
)
"""A digit glued to these is a quantity or a citation ('２項に', '15万円'), never a paragraph."""


def _bracketed(number: str, *, cites_item: bool = True) -> re.Pattern[str]:
    """'(N)' or '（N）' opening a line; with `cites_item`, not '(3)号' (a citation of item 3)."""
    not_item = r"(?!\s*号)" if cites_item else ""
    return re.compile(rf"^[(（](?P<n>{number})[)）]{not_item}\s*")


_DIGITS = "0123456789０１２３４５６７８９"

_MARKERS: list[tuple[MarkerStyle, str, re.Pattern[str]]] = [
    ("paren-digit", "(（", _bracketed("[0-9０-９]{1,3}")),
    ("paren-digit", PARENTHESIZED, re.compile(rf"^(?P<n>[{PARENTHESIZED}])(?!\s*号)\s*")),
    ("paren-kanji", "(（", _bracketed(KANJI_NUM)),
    ("paren-katakana", "(（", _bracketed(_KANA, cites_item=False)),
    ("circled", CIRCLED, re.compile(rf"^(?P<n>[{CIRCLED}])\s*")),
    ("digit-paren", _DIGITS, re.compile(r"^(?P<n>[0-9０-９]{1,3})[)）]\s*")),
    (
        "digit-dot",
        _DIGITS,
        re.compile(r"^(?P<n>[0-9０-９]{1,3})(?:[.．](?![0-9０-９])\s*|[ 　]+)(?=\S)"),
    ),
    ("kanji", KANJI_NUMERAL_CHARS, re.compile(rf"^(?P<n>{KANJI_NUM})[ 　]+(?=\S)")),
    ("katakana", AIUEO, re.compile(rf"^(?P<n>{_KANA})(?:[ 　]+|[.．)）]\s*)(?=\S)")),
    ("bullet", "・●○■◆*-", re.compile(r"^(?P<n>[・●○■◆]|[*\-](?=[ 　]))\s*(?=\S)")),
    (
        "digit-kou",
        "第" + _DIGITS,  # or white space: see `_SPACE_LED`
        re.compile(r"^第?\s*(?P<n>[0-9０-９]{1,2})\s*項(?:\s*[.．:：]\s*|[ 　]+)(?=\S)"),
    ),
    ("digit-glued", _DIGITS, re.compile(rf"^(?P<n>[0-9０-９]{{1,2}})(?=[^\s{_NOT_AFTER_GLUED}])")),
]
"""The forms in the order they are tried, each with the characters its line can start with
('digit-kou' also with white space, `\\s`). A line is tried only against the forms its first
character can open: most lines open with none, and skip all twelve patterns."""


def _forms_by_first() -> dict[str, list[tuple[MarkerStyle, re.Pattern[str]]]]:
    """Per first character, the forms it can open, in `_MARKERS` order."""
    out: dict[str, list[tuple[MarkerStyle, re.Pattern[str]]]] = {}
    for style, first, pattern in _MARKERS:
        for ch in first:
            out.setdefault(ch, []).append((style, pattern))
    return out


_BY_FIRST = _forms_by_first()
MARKER_FIRST = "".join(_BY_FIRST)
"""Every character a marker opens with, but white space (see `match_marker`)."""
_SPACE_LED: list[tuple[MarkerStyle, re.Pattern[str]]] = [
    (style, pattern) for style, _, pattern in _MARKERS if style == "digit-kou"
]
"""The forms a line starting with white space can match (`str.isspace` is re's `\\s`)."""


class Marker(NamedTuple):
    """A numbering marker at the start of a line (a tuple: one is built for most lines that
    open with a digit or a bracket, at a third of the cost of a frozen dataclass)."""

    style: MarkerStyle
    label: str
    """ASCII-normalized label without brackets: '1', 'ア', '①', '・'."""
    ordinal: int
    """The number the label stands for; bullets count 0 (they are not numbered)."""
    end: int
    """Offset in the line where the marker (and the space after it) ends."""
    marker: str
    """The marker as written, without trailing space."""


def match_marker(line: str) -> Marker | None:
    """The numbering marker a line starts with, or None."""
    forms = _BY_FIRST.get(line[:1])
    if forms is None:
        if not line[:1].isspace():
            return None
        forms = _SPACE_LED
    for style, pattern in forms:
        m = pattern.match(line)
        if not m:
            continue
        raw = m["n"]
        written = line[: m.end()].rstrip(" 　")
        if style == "bullet":
            return Marker(style, raw, 0, m.end(), written)
        if style == "circled":
            return Marker(style, raw, circled_value(raw), m.end(), written)
        if style in ("katakana", "paren-katakana"):
            return Marker(style, raw, AIUEO.index(raw) + 1, m.end(), written)
        value = PARENTHESIZED.index(raw) + 1 if raw in PARENTHESIZED else parse_number(raw)
        if value == 0:
            return None
        return Marker(style, str(value), value, m.end(), written)
    return None


def iroha_variant(marker: Marker) -> Marker | None:
    """The same katakana marker read in イロハ order, where イ starts a list."""
    if marker.style != "katakana" or marker.label not in IROHA:
        return None
    return Marker("iroha", marker.label, IROHA.index(marker.label) + 1, marker.end, marker.marker)


REPEATABLE_STYLES = frozenset({"paren-digit", "paren-kanji", "circled"})
"""Bracketed and circled markers: after a sentence, even a repeated number opens a block."""

MAX_SKIP = 2
"""How many numbers a marker may skip after a finished sentence and still count as a marker."""


@dataclass
class NumberingState:
    """What numbering has been seen so far in the current article, to judge a marker plausible.

    A marker starts a block when it continues a list already open (next number in its style),
    or when it starts a new list at 1. Anything else at the start of a line is running text that
    a layout break happened to put there (e.g. a page column starting with '(3)号').
    """

    paragraph: int = 1
    open_lists: dict[str, int] = field(default_factory=dict)

    def reset(self) -> None:
        """Start a new article."""
        self.paragraph = 1
        self.open_lists.clear()

    def accept(self, marker: Marker, *, after_sentence: bool = False, rest: str = "") -> bool:
        """True when the marker is plausible here; records it if so.

        After a finished sentence (the previous line ends with 。) a number that skips up to
        `MAX_SKIP` is still a marker: the document has a numbering gap, which the segmenter
        reports, rather than a number that a layout break put at the start of a line.
        """
        if marker.style == "bullet":
            return True
        if marker.style == "digit-glued":
            # '２当社は…' opens a paragraph only as the next one, right after a sentence ends.
            if (after_sentence or self.open_lists) and marker.ordinal == self.paragraph + 1:
                self.paragraph = marker.ordinal
                self.open_lists.clear()
                return True
            return False
        slack = 1 + (MAX_SKIP if after_sentence else 0)
        last = self.open_lists.get(marker.style)
        if last is not None and last < marker.ordinal <= last + slack:
            self.open_lists[marker.style] = marker.ordinal
            return True
        if (
            marker.style in PARAGRAPH_STYLES
            and self.paragraph < marker.ordinal <= self.paragraph + slack
        ):
            self.paragraph = marker.ordinal
            self.open_lists.clear()
            return True
        if marker.ordinal == 1:
            self.open_lists[marker.style] = 1
            return True
        if (
            after_sentence
            and last is not None
            and marker.ordinal <= last
            and marker.style in REPEATABLE_STYLES
            and rest.strip()
            and not starts_with_particle(rest)
        ):
            # '…ものとします。' then '(3)通信契約を…' after (4): the document numbers twice;
            # the segmenter reports it. '(3)の規定により' would continue a citation instead.
            self.open_lists[marker.style] = marker.ordinal
            return True
        if marker.style == "katakana":
            variant = iroha_variant(marker)
            if variant and self.open_lists.get("iroha", 0) + 1 == variant.ordinal:
                self.open_lists["iroha"] = variant.ordinal
                return True
        return False
