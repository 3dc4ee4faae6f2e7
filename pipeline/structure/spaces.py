"""Pass 3 of `normalize`: drop the spaces that layout put between Japanese characters.

A space with Japanese on one side and Japanese or a digit on the other is layout ('しま す',
'第 13 条', '平成 29 年') and goes, except right after a line's heading number or marker
('第1条 本文', '2 本文', '一 「接触」'), where it separates.
"""

from __future__ import annotations

import re

from pipeline.models import NumberingStyle
from pipeline.structure.characters import MappedLine
from pipeline.text.headings import glued_heading_splits
from pipeline.text.markers import match_marker
from pipeline.text.styles import match_outline

_HEADING_TOKEN = re.compile(
    r"第\s*[0-9〇一二三四五六七八九十百千]+\s*[条章節](?:\s*の\s*[0-9〇一二三四五六七八九十]+)?"
)


_JAPANESE_RANGES = [
    (0x3000, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x2460, 0x24FF),
    (0x3200, 0x32FF),
]


def is_japanese(ch: str) -> bool:
    """Kana, ideographs, CJK punctuation and the full-width forms that remain after pass 1."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _JAPANESE_RANGES)


_JAPANESE = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _JAPANESE_RANGES)
_NEAR_JAPANESE = re.compile(
    rf" (?<=[{_JAPANESE}] ) *(?=(?P<both>[{_JAPANESE}])|(?P<left>[^ ]))"
    rf"| (?<=[^ ] ) *(?=(?P<right>[{_JAPANESE}]))"
)
"""A whole run of spaces inside a line with Japanese (`is_japanese`) on both sides ('both'), on
its left only ('left') or on its right only ('right'). The other runs, and the runs at a line's
edges, are never layout: the search skips them without a look from Python. (The pattern opens
with the space, not with a look behind it: the search then jumps from space to space.)"""


def _protected_spaces(text: str, style: NumberingStyle = "article") -> set[int]:
    """Offsets of the space runs that separate a heading number or marker from its text.

    That is the space after a line's leading '第N条' or marker, and after a heading glued inside
    the line ('…利用契約第1節 通則', '…準用します。第8条 権利の譲渡…'); in a decimal outline,
    the space after '1.2'.
    """
    protected: set[int] = set()
    if style == "decimal-outline" and (number := match_outline(text)) is not None:
        protected.add(len(text[: number.end].rstrip()))
    if "第" in text:  # every heading token opens with 第 (most lines hold none)
        for start in [0, *glued_heading_splits(text)]:
            m = _HEADING_TOKEN.match(text, start)
            if m:
                protected.add(m.end())
    marker = match_marker(text)
    if marker is not None:
        protected.add(len(marker.marker))
        if marker.style == "bullet":
            # '・利用契約 本サービスの…': in a definition list the space parts term and meaning.
            first_space = text.find(" ", len(marker.marker) + 1)
            if first_space > 0:
                protected.add(first_space)
    return protected


def drop_layout_spaces(lines: list[MappedLine], style: NumberingStyle) -> MappedLine:
    """The logical lines as one text joined by newlines, layout spaces gone."""
    pieces: list[str] = []
    out: list[int] = []
    for number, (text, offsets) in enumerate(lines):
        if number:
            # The newline maps to the raw newline just before the line's first character.
            pieces.append("\n")
            out.append(max(offsets[0] - 1, out[-1]))
        if " " not in text:
            pieces.append(text)
            out.extend(offsets)
            continue
        protected: set[int] | None = None  # found only when a space looks like layout
        kept = 0
        for run in _NEAR_JAPANESE.finditer(text):
            i, j = run.span()
            side = run.lastgroup
            # Japanese on one side, on the other Japanese or a digit.
            if (side == "left" and not text[j].isdigit()) or (
                side == "right" and not text[i - 1].isdigit()
            ):
                continue
            if protected is None:
                protected = _protected_spaces(text, style)
            if i not in protected:
                pieces.append(text[kept:i])
                out.extend(offsets[kept:i])
                kept = j
        pieces.append(text[kept:])
        out.extend(offsets[kept:])
    return "".join(pieces), out
