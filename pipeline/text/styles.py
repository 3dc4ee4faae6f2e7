"""How a document numbers its top-level units, and what kind of document its lines are.

第N条 headings, or, in documents without them, numbered sections ('1. 概要'), a decimal outline
('1.1', '1.1.1') or Markdown headings; and the 新旧対照表 that is not a terms document at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import NumberingStyle
from pipeline.text.headings import (
    MAX_TITLE_CHARS,
    match_heading,
    reads_as_title,
    starts_with_particle,
)
from pipeline.text.markers import MAX_SKIP

_OUTLINE = re.compile(
    r"^\s*(?P<num>\d{1,3}(?:[.．]\d{1,3})*)"
    r"(?:(?P<dot>[.．](?!\d))\s*|\s+|$)"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
_SECTION_HEAD = re.compile(r"^\s*(?P<num>\d{1,3})(?:[.．](?!\d)\s*|[)）]\s*|[ 　]+)(?P<rest>\S.*)$")

MIN_OUTLINE_LINES = 3
"""A decimal outline has at least this many '1.1' lines before the document is read as one."""
MIN_HEADED_UNITS = 2
"""Numbered sections or Markdown headings need this many units to stand for articles."""


@dataclass(frozen=True)
class OutlineNumber:
    """A decimal outline number opening a line: '1.2.3' → (1, 2, 3)."""

    parts: tuple[int, ...]
    end: int
    """Offset in the line where the number (and its dot and space) ends."""
    rest: str
    written: str
    """The number as dotted digits without a trailing dot: '1.2.3'."""
    dotted: bool = False
    """A dot follows the number ('1.2.3.' or '１. ')."""


def match_outline(line: str) -> OutlineNumber | None:
    """The decimal outline number a line starts with ('1', '1.1', '1.1.1.'), or None."""
    first = line[:1]
    if not (first.isdecimal() or first.isspace()):
        return None  # the number opens the line after white space (`\d` is `str.isdecimal`)
    m = _OUTLINE.match(line)
    if not m:
        return None
    parts = tuple(int(p) for p in re.split(r"[.．]", m["num"]))
    if 0 in parts:
        return None
    # '1.1.' and '1.1' are the same number: the trailing dot is typography (vB vs vA of a text).
    written = ".".join(str(p) for p in parts)
    return OutlineNumber(parts, m.start("rest"), m["rest"], written, bool(m["dot"]))


def reads_as_unit_title(text: str) -> bool:
    """A section title: short, no sentence end, not a clause ('対象機器', '利用申込・承諾')."""
    stripped = text.strip()
    if not stripped or starts_with_particle(stripped):
        return False
    return len(stripped) <= MAX_TITLE_CHARS and reads_as_title(stripped)


@dataclass
class UnitScanner:
    """Reads the top-level units of a document without 第N条, line by line.

    The same scanner runs in `normalize` (over physical lines) and in `segment` (over logical
    lines), so both agree on which lines open a unit. A unit number must continue the count
    (up to `MAX_SKIP` numbers may be skipped: a gap the segmenter reports); a number that breaks
    the count is running text that a hard wrap put at a line start ('15 万円…').
    """

    style: NumberingStyle
    titled: bool = True
    """Numbered sections carry titles ('1. 概要'); otherwise the body follows the number."""
    top: int = 0
    paragraph: int = 0

    def unit(self, line: str) -> tuple[int, str, int] | None:
        """(number, rest of line, offset of the rest) when the line opens a top-level unit."""
        if self.style == "decimal-outline":
            number = match_outline(line)
            if number is None or len(number.parts) != 1:
                return None
            value, rest, offset = number.parts[0], number.rest, number.end
            if (
                rest.strip() and not reads_as_unit_title(rest) and not number.dotted
            ) or starts_with_particle(rest):
                return None
        elif self.style == "numbered-section":
            first = line[:1]
            m = _SECTION_HEAD.match(line) if first.isdecimal() or first.isspace() else None
            if not m:
                return None
            value, rest, offset = int(m["num"]), m["rest"], m.start("rest")
            if starts_with_particle(rest):
                return None
            if self.titled and not reads_as_unit_title(rest):
                return None
        else:
            return None
        if not self.top < value <= self.top + 1 + (MAX_SKIP if self.top else 0):
            return None
        self.top = value
        self.paragraph = 0
        return value, rest, offset

    def sub(self, line: str) -> OutlineNumber | None:
        """A '1.2' paragraph or '1.2.3' item number inside the current unit (decimal outline)."""
        if self.style != "decimal-outline" or not self.top:
            return None
        number = match_outline(line)
        if number is None or len(number.parts) < 2 or number.parts[0] != self.top:
            return None
        if len(number.parts) == 2:
            self.paragraph = number.parts[1]
        return number


def detect_numbering_style(lines: list[str], markdown_levels: list[int]) -> NumberingStyle:
    """How the document numbers its top-level units, read from all its lines.

    第N条 headings win; then a decimal outline (several '1.1' lines), Markdown headings, and
    numbered sections with titles ('１．概要') or, failing those, with bodies ('1. 本規約は…').
    """
    if any((h := match_heading(line)) is not None and h.kind == "article" for line in lines):
        return "article"
    outline = sum(
        1
        for line in lines
        if (n := match_outline(line)) is not None
        and len(n.parts) >= 2
        and (not n.rest.strip() or n.dotted or " " in line[: n.end])
    )
    if outline >= MIN_OUTLINE_LINES and _count_units(lines, "decimal-outline", True):
        return "decimal-outline"
    if markdown_article_level(markdown_levels) is not None:
        return "heading"
    if _count_units(lines, "numbered-section", True) >= MIN_HEADED_UNITS:
        return "numbered-section"
    if _count_units(lines, "numbered-section", False) >= MIN_HEADED_UNITS:
        return "numbered-section"
    return "article"


def sections_titled(lines: list[str]) -> bool:
    """Whether a numbered-section document titles its sections ('1. 概要') or not."""
    return _count_units(lines, "numbered-section", True) >= MIN_HEADED_UNITS


def _count_units(lines: list[str], style: NumberingStyle, titled: bool) -> int:
    scanner = UnitScanner(style, titled)
    return sum(1 for line in lines if scanner.unit(line) is not None)


def markdown_article_level(levels: list[int]) -> int | None:
    """The Markdown heading level ('###' → 3) that marks articles: the deepest used repeatedly."""
    counts: dict[int, int] = {}
    for level in levels:
        if level:
            counts[level] = counts.get(level, 0) + 1
    repeated = [level for level, count in counts.items() if count >= MIN_HEADED_UNITS]
    return max(repeated) if repeated else None


_MARKDOWN_MARK = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t　]")


def markdown_level(raw_line: str) -> int:
    """The Markdown heading level of a raw line ('## 総則' → 2), 0 when it is not a heading."""
    m = _MARKDOWN_MARK.match(raw_line)
    return len(m.group(1)) if m else 0


_VERSION_LABEL = r"(?:改正後|改定後|変更後|新)(?:\s*[(（][^)）]{0,20}[)）])?"
_OLD_LABEL = r"(?:現行|改正前|改定前|変更前|旧)(?:\s*[(（][^)）]{0,20}[)）])?"
_COMPARISON_HEADER = re.compile(
    rf"^\s*(?:[|｜]?\s*(?:条項|条文|項目|区分)\s*)?[|｜]?\s*{_VERSION_LABEL}"
    rf"\s*[|｜]?\s*{_OLD_LABEL}\s*[|｜]?\s*$"
)
"""A 新旧対照表's column header: '改正後 現行', '| 変更後 | 変更前 |', '新（4月1日） 旧'."""
COMPARISON_HEAD_LINES = 30
"""A comparison table names itself or its columns within this many lines of its start."""


def is_comparison_table(lines: list[str]) -> bool:
    """A 新旧対照表: titled so, or with a '改正後 | 現行' column header near the top."""
    head = lines[:COMPARISON_HEAD_LINES]
    titled = any("新旧対照表" in line and len(line) <= 60 and "。" not in line for line in head)
    return titled or any(_COMPARISON_HEADER.match(line) for line in head)
