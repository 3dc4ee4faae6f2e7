"""One fragment of a reference: a level (条, 項, 号, 章, 節, 別表, sub-item), its position (named,
previous, next, here, same, each) and number or count, with the title quoted after an article
number (第18条(料金等)). `lists` strings fragments into pointers and lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractors.crossrefs.patterns import (
    APPENDIX,
    ARTICLE_NAMED,
    ARTICLE_RELATIVE,
    CHAPTER_NAMED,
    CHAPTER_RELATIVE,
    ITEM_BARE_PAREN,
    ITEM_NAMED,
    ITEM_PAREN,
    ITEM_RELATIVE,
    LAW_NUMBER_PREFIXES,
    LEVEL_ORDER,
    LIST_OPENERS,
    NUM,
    PARAGRAPH_BARE,
    PARAGRAPH_NAMED,
    PARAGRAPH_RELATIVE,
    PROVISO,
    SECTION_NAMED,
    SECTION_RELATIVE,
    SUBITEM,
    SUBITEM_ALONE,
    TITLE,
)
from pipeline.models import ReferenceLevel, ReferencePosition, ReferenceRole, Span
from pipeline.text.numerals import IROHA, parse_number


@dataclass
class Fragment:
    """One fragment being parsed: level, position, number or count, where it stands, and the
    cited title; `data` gives the fields of the published ReferenceFragment."""

    level: ReferenceLevel
    position: ReferencePosition
    start: int
    end: int
    number: str | None = None
    count: int | None = None
    title: str | None = None
    paren: bool = False  # written as a bare '(2)' (NEC style), which may continue a list
    inherited: bool = False
    role: ReferenceRole = "target"

    def data(self, offset: int = 0) -> dict[str, Any]:
        """The fields of its published ReferenceFragment, its span moved by `offset`."""
        # Plain data, validated with the whole value in one call: building each fragment's
        # model on its own cost twice as much (a Python constructor per model). The span is
        # already a Span (`span_at`), which validation takes as it is.
        return {
            "level": self.level,
            "position": self.position,
            "number": self.number,
            "count": self.count,
            "span": span_at(self.start + offset, self.end + offset),
            "role": self.role,
            "inherited": self.inherited,
        }


@lru_cache(maxsize=4096)
def span_at(start: int, end: int) -> Span:
    """The Span [start, end), one instance per offsets (a Span is frozen: sharing it is safe).

    A value validated with Span instances in it takes them as they are; built from plain data,
    each Span runs its Python validator, which cost about half of the value's validation.
    References found in a passage stand at small offsets, which recur from passage to passage.
    """
    return Span(start=start, end=end)


def skip_spaces(s: str, pos: int, breaks: bool = False) -> int:
    """The first position from `pos` that is not a space or tab (nor a line break, if `breaks`)."""
    spaces = " \t\n" if breaks else " \t"
    while pos < len(s) and s[pos] in spaces:
        pos += 1
    return pos


def fragment_at(s: str, pos: int, previous: Fragment | None) -> Fragment | None:
    """The fragment starting at `pos` that may follow `previous` in one pointer, if any."""
    floor = -3 if previous is None else LEVEL_ORDER[previous.level]
    first = previous is None
    for fragment in _fragments_at(s, pos, first, previous):
        if LEVEL_ORDER[fragment.level] > floor:
            return fragment
    return None


def _fragments_at(s: str, pos: int, first: bool, previous: Fragment | None) -> Iterator[Fragment]:
    # The first character says which patterns can match: most candidates are tried at once.
    ch = s[pos] if pos < len(s) else ""
    if ch == "第":
        if m := ARTICLE_NAMED.match(s, pos):
            yield _titled(s, Fragment("article", "named", pos, m.end(), _branched(m)))
        if m := CHAPTER_NAMED.match(s, pos):
            yield Fragment("chapter", "named", pos, m.end(), _branched(m))
        if m := SECTION_NAMED.match(s, pos):
            yield Fragment("section", "named", pos, m.end(), _branched(m))
    elif ch == "別" and (m := APPENDIX.match(s, pos)):
        number = _branched(m) if m["num"] else None
        yield _titled(s, Fragment("appendix", "named", pos, m.end(), number))
    elif ch in IROHA:
        if previous is not None and previous.level == "item" and (m := SUBITEM.match(s, pos)):
            yield Fragment("subitem", "named", pos, m.end(), m["kana"])
        if first and (m := SUBITEM_ALONE.match(s, pos)):
            yield Fragment("subitem", "named", pos, m.end(), m["kana"])
    if ch == "第":
        if m := PARAGRAPH_NAMED.match(s, pos):
            yield Fragment("paragraph", "named", pos, m.end(), numeral_value(m["num"]))
        m = ITEM_NAMED.match(s, pos)
        if m and not _before(s, pos).endswith(LAW_NUMBER_PREFIXES):
            yield Fragment("item", "named", pos, m.end(), numeral_value(m["num"]))
    if ch == "(" and (m := ITEM_PAREN.match(s, pos)):
        yield Fragment("item", "named", pos, m.end(), numeral_value(m["num"]), paren=True)
    if ch in _RELATIVE_FIRST:
        yield from _relatives_at(s, pos, first)
    if previous is not None and previous.level == "article" and (m := PARAGRAPH_BARE.match(s, pos)):
        yield Fragment("paragraph", "named", pos, m.end(), numeral_value(m["num"]))
    bare_item_allowed = previous is not None and previous.level in ("article", "paragraph")
    if bare_item_allowed and ch == "(" and (m := ITEM_BARE_PAREN.match(s, pos)):
        yield Fragment("item", "named", pos, m.end(), numeral_value(m["num"]), paren=True)


_RELATIVE_FIRST = frozenset("前次本同こ各")


def _relatives_at(s: str, pos: int, first: bool) -> Iterator[Fragment]:
    """前条, 次項, 本号, 同条, この章, 各号 … at `pos`; after the first fragment only 各号."""
    if first:
        if m := ARTICLE_RELATIVE.match(s, pos):
            yield _titled(s, _relative("article", m, pos))
        if m := CHAPTER_RELATIVE.match(s, pos):
            yield _relative("chapter", m, pos)
        if m := SECTION_RELATIVE.match(s, pos):
            yield _relative("section", m, pos)
        if m := PARAGRAPH_RELATIVE.match(s, pos):
            yield _relative("paragraph", m, pos)
        m = ITEM_RELATIVE.match(s, pos)
        if m and (m["rel"] != "各" or not _before(s, pos).endswith(LIST_OPENERS)):
            yield _relative("item", m, pos)
    elif (m := ITEM_RELATIVE.match(s, pos)) and m["rel"] == "各":
        yield _relative("item", m, pos)


def _branched(m: re.Match[str]) -> str:
    """'5' or '5-2' from a number and its branches (第五条の二, 第三章の二)."""
    number = numeral_value(m["num"])
    for branch in _NUMERAL.findall(m["branches"] or ""):
        number += f"-{numeral_value(branch)}"
    return number


def _before(s: str, pos: int) -> str:
    """The few characters before `pos`, enough to see 次の / 法律 in front of a fragment."""
    return s[max(0, pos - 8) : pos].rstrip()


def _relative(level: ReferenceLevel, m: re.Match[str], pos: int) -> Fragment:
    rel = m["rel"]
    if rel is None:
        return Fragment(level, "previous", pos, m.end(), count=parse_number(m["count"]))
    return Fragment(level, _RELATIVE_POSITIONS[rel], pos, m.end())


_RELATIVE_POSITIONS: dict[str, ReferencePosition] = {
    "前": "previous",
    "前各": "previous_each",
    "次": "next",
    "本": "here",
    "この": "here",
    "同": "same",
    "各": "each",
}


_NUMERAL = re.compile(NUM)
_NUMERAL_ALONE = re.compile(rf"\s*{NUM}\s*")
_WHITE_SPACE = re.compile(r"\s+")


def _titled(s: str, fragment: Fragment) -> Fragment:
    """Take the bracketed title after an article number as the cited title: 第18条(料金等)."""
    m = TITLE.match(s, fragment.end)
    if (
        m is None
        or _NUMERAL_ALONE.fullmatch(m["title"])
        or m["title"].startswith("以下")
        or PROVISO.search(m["title"])
    ):
        return fragment
    # The fragment was just made by the caller: completed in place, not copied.
    fragment.end, fragment.title = m.end(), _WHITE_SPACE.sub("", m["title"])
    return fragment


def numeral_value(numeral: str) -> str:
    """'12' from '十二' or '1 2' (a number cut by a layout break): the digits of a path."""
    return str(parse_number(_WHITE_SPACE.sub("", numeral)))
