"""Pointers, lists, ranges and exclusions: fragments of increasing level make a pointer
(第13条第1項第2号); pointers joined by connectors make a list (第3項及び第4項), whose later members
inherit the higher levels of the one before; から…まで and 乃至 make ranges (第三項から前項まで);
(第二号を除く。) and …を除く各号 make exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from extractors.crossrefs.fragments import Fragment, fragment_at, numeral_value, skip_spaces
from extractors.crossrefs.patterns import (
    BRACKET_EXCLUSION_END,
    CONNECTOR,
    EXCLUSION,
    ITEM_BARE_PAREN,
    ITEM_PAREN,
    LEVEL_ORDER,
    MAX_BRACKET_CHARS,
    RANGE_THROUGH,
    RANGE_TO,
    RANGE_UNTIL,
    SUBITEM,
)
from pipeline.models import ReferenceLevel


@dataclass
class Member:
    """One pointer of a list (or one range), with what it inherited from the members before."""

    fragments: list[Fragment]
    start: int
    end: int
    range_end: list[Fragment] = field(default_factory=list)

    @property
    def own(self) -> list[Fragment]:
        """The fragments written in this member (not inherited from the one before)."""
        return [f for f in self.fragments if not f.inherited]


def _pointer(s: str, pos: int, inherited_from: list[Fragment] | None) -> list[Fragment]:
    """Fragments of increasing level from `pos`; a list member may start below article level."""
    fragments: list[Fragment] = []
    previous: Fragment | None = None
    if inherited_from:
        first = _continuation(s, pos, inherited_from[-1])
        if first is None:
            return []
        fragments.append(first)
        previous = first
        pos = first.end
    while True:
        at = skip_spaces(s, pos, breaks=previous is not None and _paren_item_next(s, pos))
        if previous is not None and s.startswith("の各号", at):
            at += 1  # 前項の各号 is 前項各号
        fragment = fragment_at(s, at, previous)
        if fragment is None:
            break
        if previous is not None and fragment.position not in ("named", "each"):
            break
        fragments.append(fragment)
        previous = fragment
        pos = fragment.end
    return fragments


def _paren_item_next(s: str, pos: int) -> bool:
    """A layout break may stand before '(1)号' (号 makes it a reference, not an item marker)."""
    return ITEM_PAREN.match(s, skip_spaces(s, pos, breaks=True)) is not None


def _continuation(s: str, pos: int, last: Fragment) -> Fragment | None:
    """The first fragment of a later list member: 第7条, 第3項, (4)号, or a bare (2) after (1)."""
    fragment = fragment_at(s, pos, None)
    if fragment is not None:
        return fragment
    if last.paren and (m := ITEM_BARE_PAREN.match(s, pos)):
        return Fragment("item", "named", pos, m.end(), numeral_value(m["num"]), paren=True)
    if last.level == "subitem" and (m := SUBITEM.match(s, pos)):
        return Fragment("subitem", "named", pos, m.end(), m["kana"])  # 同号イ及びハ
    return None


def _inherit(previous: list[Fragment], first: Fragment) -> list[Fragment]:
    """The fragments a named list member takes from the member before it (higher levels)."""
    if first.position != "named":
        return []
    level = LEVEL_ORDER[first.level]
    return [
        replace(f, inherited=True, title=None)
        for f in previous
        if LEVEL_ORDER[f.level] < level and f.role == "target"
    ]


def _member(s: str, pos: int, previous: Member | None) -> Member | None:
    own = _pointer(s, pos, previous.fragments if previous else None)
    if not own:
        return None
    inherited = _inherit(previous.fragments, own[0]) if previous else []
    member = Member(inherited + own, own[0].start, own[-1].end)
    if excluded := _bracket_exclusion(s, member.end):
        fragments, member.end = excluded
        member.fragments += fragments
    if m := RANGE_TO.match(s, member.end):
        # まで usually closes the range; terms often leave it out ('第3号から第5号に基づく').
        end = _range_end(s, m.end(), member, closed=False) or _closed_range_end(s, m.end(), member)
        if end:
            until = RANGE_UNTIL.match(s, end[-1].end)
            member.range_end, member.end = end, until.end() if until else end[-1].end
    elif (m := RANGE_THROUGH.match(s, member.end)) and (
        end := _range_end(s, m.end(), member, closed=False)
    ):
        member.range_end, member.end = end, end[-1].end
    return member


def _range_end(s: str, pos: int, start: Member, closed: bool) -> list[Fragment]:
    """The end of a range: named, or relative to where the text stands (第三項から前項まで) when
    `closed` (まで follows) and of the start's level."""
    own = _pointer(s, pos, start.fragments)
    if not own:
        return []
    first = own[0]
    relative = (
        closed
        and first.position in ("previous", "next", "here")
        and first.count is None
        and first.level == start.own[0].level
    )
    if first.position != "named" and not relative:
        return []
    return [replace(f, role="range_end") for f in own]


def _bracket_exclusion(s: str, pos: int) -> tuple[list[Fragment], int] | None:
    """'(第二号を除く。)' after a pointer: the provisions it takes out, and where it ends."""
    at = skip_spaces(s, pos)
    if not s.startswith("(", at):
        return None
    fragments: list[Fragment] = []
    at = skip_spaces(s, at + 1)
    while True:
        pointer = _pointer(s, at, None)
        if not pointer or pointer[0].position != "named":
            return None
        fragments += [replace(f, role="excluded") for f in pointer]
        at = pointer[-1].end
        if not (connector := CONNECTOR.match(s, at)):
            break
        at = connector.end()
    close = BRACKET_EXCLUSION_END.match(s, at)
    return (fragments, close.end()) if close else None


def _bracket_end(s: str, pos: int) -> int | None:
    """Where the bracket opening at `pos` closes (brackets nest), or None."""
    depth = 0
    for index in range(pos, min(len(s), pos + MAX_BRACKET_CHARS)):
        if s[index] == "(":
            depth += 1
        elif s[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        elif s[index] == "\n":
            return None
    return None


def _closed_range_end(s: str, pos: int, start: Member) -> list[Fragment]:
    """A relative range end is one only when まで follows it: 第二条から前条まで."""
    end = _range_end(s, pos, start, closed=True)
    return end if end and RANGE_UNTIL.match(s, end[-1].end) else []


@dataclass
class _Expression:
    """A list of members, where it ends, the level of a …を除く各号, and the brackets it spans."""

    members: list[Member]
    end: int
    excluded_level: ReferenceLevel | None = None
    brackets: list[tuple[int, int]] = field(default_factory=list)


def expression_at(s: str, pos: int) -> _Expression:
    """The list of pointers starting at `pos` (第八条第二項(…)、第三項及び第四項 is one list)."""
    first = _member(s, pos, None)
    if first is None:
        return _Expression([], pos)
    found = _Expression([first], first.end)
    while True:
        at, bracket = found.end, None
        if s.startswith("(", at) and (close := _bracket_end(s, at)):
            # A bracket between members (a proviso, an inner reference) does not end the list.
            at, bracket = close, (at + 1, close - 1)
        connector = CONNECTOR.match(s, at)
        following = _member(s, connector.end(), found.members[-1]) if connector else None
        if following is None:
            break
        if bracket:
            found.brackets.append(bracket)
        found.members.append(following)
        found.end = following.end
    exclusion = EXCLUSION.match(s, found.end)
    if exclusion and all(not m.range_end for m in found.members):
        level: ReferenceLevel = "item" if exclusion["level"] == "号" else "paragraph"
        if all(m.own and m.own[-1].level == level for m in found.members):
            found.end, found.excluded_level = exclusion.end(), level
    return found
