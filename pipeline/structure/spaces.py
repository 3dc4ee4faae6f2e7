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

_SPACE_RUN = re.compile(" +")
_HEADING_TOKEN = re.compile(
    r"第\s*[0-9〇一二三四五六七八九十百千]+\s*[条章節](?:\s*の\s*[0-9〇一二三四五六七八九十]+)?"
)


def is_japanese(ch: str) -> bool:
    """Kana, ideographs, CJK punctuation and the full-width forms that remain after pass 1."""
    code = ord(ch)
    return (
        0x3000 <= code <= 0x30FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x2460 <= code <= 0x24FF
        or 0x3200 <= code <= 0x32FF
    )


def _protected_spaces(text: str, style: NumberingStyle = "article") -> set[int]:
    """Offsets of the space runs that separate a heading number or marker from its text.

    That is the space after a line's leading '第N条' or marker, and after a heading glued inside
    the line ('…利用契約第1節 通則', '…準用します。第8条 権利の譲渡…'); in a decimal outline,
    the space after '1.2'.
    """
    protected: set[int] = set()
    if style == "decimal-outline" and (number := match_outline(text)) is not None:
        protected.add(len(text[: number.end].rstrip()))
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
        end = len(text)
        for run in _SPACE_RUN.finditer(text):
            i, j = run.span()
            if not i or j == end:
                continue  # a space at an edge has no character on one side: not layout
            left, right = text[i - 1], text[j]
            if not (
                (is_japanese(left) and (is_japanese(right) or right.isdigit()))
                or (is_japanese(right) and left.isdigit())
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
