"""Cross-references (参照): 第13条(利用の停止)第1項(1)号, 前項, 前二項, 前各号, 本条(1), 同条 ...

Also: この項/この条/この号, 同号, sub-items (第3号ロ, 同号イ, ロ又はハ), chapters and
sections (第三章の二, 前章, 本節), appendices (別表第二の各号), exclusions in brackets
(第三項(第二号を除く。), 前項(1)号及び(4)号を除く各号), citations that go on after a bracket
(第八条第二項(…)、第三項及び第四項), ranges with a relative end (第三項から前項まで), and a
statute's law number (民法(平成29年法律第44号)).

This module only *parses*. Each reference becomes fragments (which level, which position, which
number or count, with spans), the title it quotes after an article number, and the other
document it names, if any. Turning fragments into provision paths needs the document tree and
is `pipeline.refs.resolve`'s job: the Lawtext split, parse first and resolve in a separate step.

The parser reads normalized text (half-width digits and brackets) and raw full-width text alike:
full-width digits, brackets and spaces are folded one character for one, so every offset it
reports indexes the text it was given. Literal examples of every form: tests/cases/crossrefs.json.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from extractors.spans import component_factory
from pipeline.models import (
    CrossReferenceValue,
    ReferenceFragment,
    ReferenceLevel,
    ReferencePosition,
    ReferenceRole,
)
from pipeline.models import Span as TextSpan
from pipeline.text.grammar import glued_heading_splits, match_heading
from pipeline.text.numerals import IROHA, KANJI_NUMERAL_CHARS, parse_number

SPAN_KEY = "crossrefs"
"""The `doc.spans` key this component writes."""

MAX_TITLE_CHARS = 40
"""A cited title (見出し) is short; a longer bracket after a number is running text."""
MAX_BRACKET_CHARS = 400
"""How far a bracket inside a list of citations may run (第八条第二項(…)、第三項) before the
list is taken to have ended."""

MAX_NAME_CHARS = 40
"""The longest run of kanji, katakana and letters read as another document's or a statute's name."""

_FOLD = str.maketrans("０１２３４５６７８９（）　～〜", "0123456789() ~~")
_FULL_WIDTH = re.compile("[０-９（）　～〜]")

_KANJI = f"[{KANJI_NUMERAL_CHARS}]+"
# A numeral; in raw text a layout break may split a number ('第１\n５条'), so digits may be
# separated by white space inside a 第…条 pointer, where 条/項/号 closes the number.
_NUM = rf"(?:[0-9](?:\s*[0-9])*|{_KANJI})"
_COUNT = rf"(?:[0-9]+|{_KANJI})"
# '第13条の一部' is not branch 一: a numeral that begins a word is not a branch number.
_NOT_KANJI_WORD = r"(?![部般環端切定致層体員種方括連緒律時つ])"

_LEVEL_ORDER: dict[ReferenceLevel, int] = {
    "chapter": -2,
    "section": -1,
    "appendix": 0,
    "article": 0,
    "paragraph": 1,
    "item": 2,
    "subitem": 3,
}
_BRANCHES = rf"(?P<branches>(?:\s*の\s*{_NUM}{_NOT_KANJI_WORD})*)"

_ARTICLE_NAMED = re.compile(
    rf"第\s*(?P<num>{_NUM})\s*条(?P<branches>(?:\s*の\s*{_NUM}{_NOT_KANJI_WORD})*)(?!件)"
)
_ARTICLE_RELATIVE = re.compile(rf"(?:(?P<rel>前|次|本|同|この)|前(?P<count>{_COUNT}))条(?![件例])")
_CHAPTER_NAMED = re.compile(rf"第\s*(?P<num>{_NUM})\s*章{_BRANCHES}")
_CHAPTER_RELATIVE = re.compile(r"(?P<rel>前|次|本|同|この)章")
_SECTION_NAMED = re.compile(rf"第\s*(?P<num>{_NUM})\s*節{_BRANCHES}")
_SECTION_RELATIVE = re.compile(r"(?P<rel>前|次|本|同|この)節(?![約税度分])")
_APPENDIX = re.compile(rf"別表(?![示記])(?:\s*第?\s*(?P<num>{_NUM}){_BRANCHES})?")
_SUBITEM = re.compile(rf"(?P<kana>[{IROHA}])(?![ァ-ヴー])")
# A sub-item cited alone (ロ又はハ) is a lone kana before a connector or a verb of citing;
# anywhere else a lone katakana is part of running text.
_SUBITEM_ALONE = re.compile(
    rf"(?P<kana>[{IROHA}])(?<![ァ-ヴー].)"
    rf"(?=\s*(?:(?:及び|又は|若しくは|並びに|、|から)\s*[{IROHA}](?![ァ-ヴー])|"
    r"まで|に掲げる|に規定する|に定める|の規定))"
)
_PARAGRAPH_NAMED = re.compile(rf"第\s*(?P<num>{_NUM})\s*項")
_PARAGRAPH_BARE = re.compile(rf"(?P<num>{_NUM})\s*項")  # 第3条(サービスの種類)3項, 前条3項各号
_PARAGRAPH_RELATIVE = re.compile(
    rf"(?:(?P<rel>前各|前|次|本|同|この)|前(?P<count>{_COUNT}))項(?!目)"
)
_ITEM_NAMED = re.compile(rf"第\s*(?P<num>{_NUM})\s*号")
_ITEM_PAREN = re.compile(rf"\(\s*(?P<num>{_NUM})\s*\)\s*号")
_ITEM_BARE_PAREN = re.compile(r"\((?P<num>[0-9]{1,3}|" + _KANJI + r")\)(?!\s*号)")
_ITEM_RELATIVE = re.compile(rf"(?:(?P<rel>前各|前|次|本|同|各|この)|前(?P<count>{_COUNT}))号")
_TITLE = re.compile(rf"\s*\((?P<title>[^()「」。]{{1,{MAX_TITLE_CHARS}}})\)")

_CONNECTOR = re.compile(
    r"[ \t]*(?:、|,|及び|並びに|又は|若しくは|および|ならびに|または|もしくは|と)\s*"
)
_RANGE_TO = re.compile(r"[ \t]*から\s*")
_RANGE_UNTIL = re.compile(r"[ \t]*まで")
_RANGE_THROUGH = re.compile(r"[ \t]*(?:乃至|ないし|~)\s*")
_EXCLUSION = re.compile(r"[ \t]*(?:を除く|以外の)\s*各(?P<level>号|項)")
_BRACKET_EXCLUSION_END = re.compile(r"\s*を除く。?\s*\)")
_PROVISO = re.compile(r"を除く|に限る|を含む|に係る部分")
"""A bracket that narrows the citation (第三項(第二号を除く)) is no title."""
_LAW_NUMBER = re.compile(
    rf"(?P<era>明治|大正|昭和|平成|令和)\s*(?P<year>元|{_NUM})\s*年"
    rf"(?:\s*{_NUM}\s*月\s*{_NUM}\s*日)?"
    rf"\s*(?P<kind>法律|政令|勅令|省令|府令|規則|条例|告示)\s*第\s*(?P<no>{_NUM})\s*号"
)
"""A law number (法令番号); a promulgation date written inside it is not part of it."""

_LIST_OPENERS = ("次の", "以下の", "下記の", "左の", "次に掲げる")
"""次の各号 opens a list of items below; it points at nothing already written."""
_LAW_NUMBER_PREFIXES = ("法律", "政令", "省令", "府令", "条例", "告示")
"""法律第44号 is a law's number, not item 44."""

_START = re.compile(
    rf"第(?=\s*{_NUM}\s*[条章節項号])|前(?=[条章節項号各]|{_COUNT}[条項号])"
    rf"|(?:次|本|同|この)(?=[条章節項号])|各(?=号)|別表|\((?=\s*{_NUM}\s*\)\s*号)"
)
"""Where a reference may start; sub-items cited alone (ロ又はハ) are found apart, so that this
pattern keeps a literal first character (the regex engine scans for it fast). The lookaheads
are what a first fragment needs after that character (第3条, 前二項, 本条, 各号, (2)号):
these characters stand mostly in running text (第三者, 本サービス, brackets), and parsing
from each of them cost most of the parser's time."""

# Other documents a terms document cites: quoted titles ending in a document word, unquoted
# compounds ending in 仕様書 / 規程 / 規定, and statutes (民法, 公職選挙法) with their law number.
_DOC_WORD = r"(?:規程|規定|規約|約款|仕様書|法律|法)"
_QUOTED_DOCUMENT = re.compile(
    rf"「(?P<name>[^「」]{{1,100}}?{_DOC_WORD})(?P<suffix>\([^()]*\))?」(?:\s*\((?P<law>[^()]*)\))?"
)
_COMPOUND = r"[\u4E00-\u9FFF\u30A0-\u30FFA-Za-z0-9・々]"
# Names are bounded: an unbounded run tried from every character of a long kanji run is
# quadratic (an 80,000-character run took minutes).
_NAME = rf"{_COMPOUND}{{1,{MAX_NAME_CHARS}}}"
_UNQUOTED_DOCUMENT = re.compile(
    rf"(?P<name>(?:[A-Za-z]{{1,{MAX_NAME_CHARS}}} )?{_NAME}?(?:仕様書|規程)"
    rf"|{_COMPOUND}{{2,{MAX_NAME_CHARS}}}?規定|旧(?:約款|規約))"
)
_STATUTE = re.compile(
    rf"(?P<name>(?:{_NAME}及び)?{_NAME}法)"
    r"(?P<law>\s*\([^()]*(?:法律|号)[^()]*\))?"
    r"(?=\s*(?:\(|の規定|に基づ|に抵触|その他|に違反|に従|に定め|第\s*[0-9０-９〇一二三四五六七八九十百]))"
)
_UNQUOTED_PATTERNS = (
    (_UNQUOTED_DOCUMENT, ("仕様書", "規程", "規定", "旧約款", "旧規約")),
    (_STATUTE, ("法",)),
)
"""Each unquoted-name pattern with the words one of which any match contains."""
_NOT_STATUTES = ("方法", "手法", "適法", "違法", "合法", "不法", "用法", "寸法", "準拠法")
_SELF_PREFIXES = ("本", "当該")
_GENERIC_DOCUMENT_WORDS = ("規定", "規程", "仕様書")
"""当該規定 ('the provision concerned') names no document."""
_DEFINITION_AFTER = re.compile(r"\s*」?\s*と(?:いう|いい|称)")


@dataclass(frozen=True)
class ParsedReference:
    """One reference as it stands in a text: its surface, where it is, and its parsed value."""

    start: int
    end: int
    text: str
    value: CrossReferenceValue


@dataclass
class _Fragment:
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

    def model(self, offset: int = 0) -> ReferenceFragment:
        # Keyword arguments rather than model_validate of a dict: no dict to build. (Not
        # model_construct: pydantic-core validates faster than it skips validation.)
        return ReferenceFragment(
            level=self.level,
            position=self.position,
            number=self.number,
            count=self.count,
            span=TextSpan(start=self.start + offset, end=self.end + offset),
            role=self.role,
            inherited=self.inherited,
        )


@dataclass
class _Member:
    """One pointer of a list (or one range), with what it inherited from the members before."""

    fragments: list[_Fragment]
    start: int
    end: int
    range_end: list[_Fragment] = field(default_factory=list)

    @property
    def own(self) -> list[_Fragment]:
        return [f for f in self.fragments if not f.inherited]


@dataclass(frozen=True)
class _External:
    name: str
    start: int
    end: int
    law_number: str | None = None


def parse_references(text: str, offset: int = 0) -> list[ParsedReference]:
    """Every cross-reference in `text`, in order, parsed into fragments (not yet resolved).

    `offset` is where `text` stands in a larger text (a passage of a Doc): every reported
    offset, the fragments' spans too, is moved by it.
    """
    # Normalized text holds no full-width digit or bracket: a search finds that faster than
    # a translation copies the text.
    folded = text.translate(_FOLD) if _FULL_WIDTH.search(text) else text
    headings = _heading_regions(folded)
    externals = [e for e in _external_documents(folded) if not _inside(e.start, headings)]
    masked = headings + [(e.start, e.end) for e in externals]
    found: list[ParsedReference] = []
    attached: set[_External] = set()
    position = 0
    inner_position = 0
    reopened: list[tuple[int, int]] = []  # brackets inside a list, read for their own references
    for start in _candidates(folded):
        if _inside(start, masked):
            continue
        inner = start < position and _inside(start, reopened)
        if (start < position and not inner) or (inner and start < inner_position):
            continue
        expression = _expression(folded, start)
        if not expression.members:
            continue
        external = next((e for e in externals if _adjacent(folded, e.end, start)), None)
        if external:
            attached.add(external)
        found += _references(
            text, expression.members, expression.excluded_level, expression.end, external, offset
        )
        if inner:
            inner_position = expression.end
        else:
            position, inner_position = expression.end, start
            reopened += expression.brackets
    for external in externals:
        if external not in attached:
            value = CrossReferenceValue(
                relation="explicit", external=external.name, law_number=external.law_number
            )
            surface = text[external.start : external.end]
            found.append(
                ParsedReference(external.start + offset, external.end + offset, surface, value)
            )
    return sorted(found, key=lambda ref: ref.start)


def _candidates(s: str) -> list[int]:
    """Offsets where a reference may start, in order."""
    starts = [m.start() for m in _START.finditer(s)]
    alone = [m.start() for m in _SUBITEM_ALONE.finditer(s)]
    return sorted(starts + alone) if alone else starts


# --------------------------------------------------------------------------------------------
# Fragments
# --------------------------------------------------------------------------------------------


def _skip_spaces(s: str, pos: int, breaks: bool = False) -> int:
    spaces = " \t\n" if breaks else " \t"
    while pos < len(s) and s[pos] in spaces:
        pos += 1
    return pos


def _fragment(s: str, pos: int, previous: _Fragment | None) -> _Fragment | None:
    """The fragment starting at `pos` that may follow `previous` in one pointer, if any."""
    floor = -3 if previous is None else _LEVEL_ORDER[previous.level]
    first = previous is None
    for fragment in _fragments_at(s, pos, first, previous):
        if _LEVEL_ORDER[fragment.level] > floor:
            return fragment
    return None


def _fragments_at(s: str, pos: int, first: bool, previous: _Fragment | None) -> Iterator[_Fragment]:
    # The first character says which patterns can match: most candidates are tried at once.
    ch = s[pos] if pos < len(s) else ""
    if ch == "第":
        if m := _ARTICLE_NAMED.match(s, pos):
            yield _titled(s, _Fragment("article", "named", pos, m.end(), _branched(m)))
        if m := _CHAPTER_NAMED.match(s, pos):
            yield _Fragment("chapter", "named", pos, m.end(), _branched(m))
        if m := _SECTION_NAMED.match(s, pos):
            yield _Fragment("section", "named", pos, m.end(), _branched(m))
    elif ch == "別" and (m := _APPENDIX.match(s, pos)):
        number = _branched(m) if m["num"] else None
        yield _titled(s, _Fragment("appendix", "named", pos, m.end(), number))
    elif ch in IROHA:
        if previous is not None and previous.level == "item" and (m := _SUBITEM.match(s, pos)):
            yield _Fragment("subitem", "named", pos, m.end(), m["kana"])
        if first and (m := _SUBITEM_ALONE.match(s, pos)):
            yield _Fragment("subitem", "named", pos, m.end(), m["kana"])
    if ch == "第":
        if m := _PARAGRAPH_NAMED.match(s, pos):
            yield _Fragment("paragraph", "named", pos, m.end(), _number(m["num"]))
        m = _ITEM_NAMED.match(s, pos)
        if m and not _before(s, pos).endswith(_LAW_NUMBER_PREFIXES):
            yield _Fragment("item", "named", pos, m.end(), _number(m["num"]))
    if ch == "(" and (m := _ITEM_PAREN.match(s, pos)):
        yield _Fragment("item", "named", pos, m.end(), _number(m["num"]), paren=True)
    if ch in _RELATIVE_FIRST:
        yield from _relatives_at(s, pos, first)
    if (
        previous is not None
        and previous.level == "article"
        and (m := _PARAGRAPH_BARE.match(s, pos))
    ):
        yield _Fragment("paragraph", "named", pos, m.end(), _number(m["num"]))
    bare_item_allowed = previous is not None and previous.level in ("article", "paragraph")
    if bare_item_allowed and ch == "(" and (m := _ITEM_BARE_PAREN.match(s, pos)):
        yield _Fragment("item", "named", pos, m.end(), _number(m["num"]), paren=True)


_RELATIVE_FIRST = frozenset("前次本同こ各")


def _relatives_at(s: str, pos: int, first: bool) -> Iterator[_Fragment]:
    """前条, 次項, 本号, 同条, この章, 各号 … at `pos`; after the first fragment only 各号."""
    if first:
        if m := _ARTICLE_RELATIVE.match(s, pos):
            yield _titled(s, _relative("article", m, pos))
        if m := _CHAPTER_RELATIVE.match(s, pos):
            yield _relative("chapter", m, pos)
        if m := _SECTION_RELATIVE.match(s, pos):
            yield _relative("section", m, pos)
        if m := _PARAGRAPH_RELATIVE.match(s, pos):
            yield _relative("paragraph", m, pos)
        m = _ITEM_RELATIVE.match(s, pos)
        if m and (m["rel"] != "各" or not _before(s, pos).endswith(_LIST_OPENERS)):
            yield _relative("item", m, pos)
    elif (m := _ITEM_RELATIVE.match(s, pos)) and m["rel"] == "各":
        yield _relative("item", m, pos)


def _branched(m: re.Match[str]) -> str:
    """'5' or '5-2' from a number and its branches (第五条の二, 第三章の二)."""
    number = _number(m["num"])
    for branch in re.findall(_NUM, m["branches"] or ""):
        number += f"-{_number(branch)}"
    return number


def _before(s: str, pos: int) -> str:
    """The few characters before `pos`, enough to see 次の / 法律 in front of a fragment."""
    return s[max(0, pos - 8) : pos].rstrip()


def _relative(level: ReferenceLevel, m: re.Match[str], pos: int) -> _Fragment:
    rel = m["rel"]
    if rel is None:
        return _Fragment(level, "previous", pos, m.end(), count=parse_number(m["count"]))
    return _Fragment(level, _RELATIVE_POSITIONS[rel], pos, m.end())


_RELATIVE_POSITIONS: dict[str, ReferencePosition] = {
    "前": "previous",
    "前各": "previous_each",
    "次": "next",
    "本": "here",
    "この": "here",
    "同": "same",
    "各": "each",
}


def _titled(s: str, fragment: _Fragment) -> _Fragment:
    """Take the bracketed title after an article number as the cited title: 第18条(料金等)."""
    m = _TITLE.match(s, fragment.end)
    if (
        m is None
        or re.fullmatch(rf"\s*{_NUM}\s*", m["title"])
        or m["title"].startswith("以下")
        or _PROVISO.search(m["title"])
    ):
        return fragment
    title = re.sub(r"\s+", "", m["title"])
    return replace(fragment, end=m.end(), title=title)


def _number(numeral: str) -> str:
    return str(parse_number(re.sub(r"\s+", "", numeral)))


# --------------------------------------------------------------------------------------------
# Pointers, lists, ranges, exclusions
# --------------------------------------------------------------------------------------------


def _pointer(s: str, pos: int, inherited_from: list[_Fragment] | None) -> list[_Fragment]:
    """Fragments of increasing level from `pos`; a list member may start below article level."""
    fragments: list[_Fragment] = []
    previous: _Fragment | None = None
    if inherited_from:
        first = _continuation(s, pos, inherited_from[-1])
        if first is None:
            return []
        fragments.append(first)
        previous = first
        pos = first.end
    while True:
        at = _skip_spaces(s, pos, breaks=previous is not None and _paren_item_next(s, pos))
        if previous is not None and s.startswith("の各号", at):
            at += 1  # 前項の各号 is 前項各号
        fragment = _fragment(s, at, previous)
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
    return _ITEM_PAREN.match(s, _skip_spaces(s, pos, breaks=True)) is not None


def _continuation(s: str, pos: int, last: _Fragment) -> _Fragment | None:
    """The first fragment of a later list member: 第7条, 第3項, (4)号, or a bare (2) after (1)."""
    fragment = _fragment(s, pos, None)
    if fragment is not None:
        return fragment
    if last.paren and (m := _ITEM_BARE_PAREN.match(s, pos)):
        return _Fragment("item", "named", pos, m.end(), _number(m["num"]), paren=True)
    if last.level == "subitem" and (m := _SUBITEM.match(s, pos)):
        return _Fragment("subitem", "named", pos, m.end(), m["kana"])  # 同号イ及びハ
    return None


def _inherit(previous: list[_Fragment], first: _Fragment) -> list[_Fragment]:
    """The fragments a named list member takes from the member before it (higher levels)."""
    if first.position != "named":
        return []
    level = _LEVEL_ORDER[first.level]
    return [
        replace(f, inherited=True, title=None)
        for f in previous
        if _LEVEL_ORDER[f.level] < level and f.role == "target"
    ]


def _member(s: str, pos: int, previous: _Member | None) -> _Member | None:
    own = _pointer(s, pos, previous.fragments if previous else None)
    if not own:
        return None
    inherited = _inherit(previous.fragments, own[0]) if previous else []
    member = _Member(inherited + own, own[0].start, own[-1].end)
    if excluded := _bracket_exclusion(s, member.end):
        fragments, member.end = excluded
        member.fragments += fragments
    if m := _RANGE_TO.match(s, member.end):
        # まで usually closes the range; terms often leave it out ('第3号から第5号に基づく').
        end = _range_end(s, m.end(), member, closed=False) or _closed_range_end(s, m.end(), member)
        if end:
            until = _RANGE_UNTIL.match(s, end[-1].end)
            member.range_end, member.end = end, until.end() if until else end[-1].end
    elif (m := _RANGE_THROUGH.match(s, member.end)) and (
        end := _range_end(s, m.end(), member, closed=False)
    ):
        member.range_end, member.end = end, end[-1].end
    return member


def _range_end(s: str, pos: int, start: _Member, closed: bool) -> list[_Fragment]:
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


def _bracket_exclusion(s: str, pos: int) -> tuple[list[_Fragment], int] | None:
    """'(第二号を除く。)' after a pointer: the provisions it takes out, and where it ends."""
    at = _skip_spaces(s, pos)
    if not s.startswith("(", at):
        return None
    fragments: list[_Fragment] = []
    at = _skip_spaces(s, at + 1)
    while True:
        pointer = _pointer(s, at, None)
        if not pointer or pointer[0].position != "named":
            return None
        fragments += [replace(f, role="excluded") for f in pointer]
        at = pointer[-1].end
        if not (connector := _CONNECTOR.match(s, at)):
            break
        at = connector.end()
    close = _BRACKET_EXCLUSION_END.match(s, at)
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


def _closed_range_end(s: str, pos: int, start: _Member) -> list[_Fragment]:
    """A relative range end is one only when まで follows it: 第二条から前条まで."""
    end = _range_end(s, pos, start, closed=True)
    return end if end and _RANGE_UNTIL.match(s, end[-1].end) else []


@dataclass
class _Expression:
    """A list of members, where it ends, the level of a …を除く各号, and the brackets it spans."""

    members: list[_Member]
    end: int
    excluded_level: ReferenceLevel | None = None
    brackets: list[tuple[int, int]] = field(default_factory=list)


def _expression(s: str, pos: int) -> _Expression:
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
        connector = _CONNECTOR.match(s, at)
        following = _member(s, connector.end(), found.members[-1]) if connector else None
        if following is None:
            break
        if bracket:
            found.brackets.append(bracket)
        found.members.append(following)
        found.end = following.end
    exclusion = _EXCLUSION.match(s, found.end)
    if exclusion and all(not m.range_end for m in found.members):
        level: ReferenceLevel = "item" if exclusion["level"] == "号" else "paragraph"
        if all(m.own and m.own[-1].level == level for m in found.members):
            found.end, found.excluded_level = exclusion.end(), level
    return found


def _references(
    text: str,
    members: list[_Member],
    excluded_level: ReferenceLevel | None,
    end: int,
    external: _External | None,
    offset: int,
) -> list[ParsedReference]:
    if excluded_level is not None:
        # 前項(1)号及び(4)号を除く各号: one reference to the 各号, minus the members.
        head = members[0]
        context = [f for f in head.fragments if f.level != excluded_level]
        excluded = [
            replace(f, role="excluded")
            for m in members
            for f in m.fragments
            if f.level == excluded_level
        ]
        each_start = end - 2
        each = _Fragment(excluded_level, "each", each_start, end)
        start = head.start if external is None else external.start
        fragments = [*context, each, *excluded]
        title = next((f.title for f in head.own if f.level == "article"), None)
        value = _value(fragments, title, external, offset)
        return [ParsedReference(start + offset, end + offset, text[start:end], value)]
    refs: list[ParsedReference] = []
    for index, member in enumerate(members):
        start = external.start if external and index == 0 else member.start
        title = next((f.title for f in member.own if f.level == "article"), None)
        value = _value(member.fragments + member.range_end, title, external, offset)
        surface = text[start : member.end]
        refs.append(ParsedReference(start + offset, member.end + offset, surface, value))
    return refs


def _value(
    fragments: list[_Fragment], title: str | None, external: _External | None, offset: int
) -> CrossReferenceValue:
    targets = [f for f in fragments if f.role == "target"]
    explicit = external is not None or (bool(targets) and targets[0].position == "named")
    return CrossReferenceValue(
        fragments=[f.model(offset) for f in fragments],
        cited_title=title,
        relation="explicit" if explicit else "relative",
        external=external.name if external else None,
        law_number=external.law_number if external else None,
    )


# --------------------------------------------------------------------------------------------
# What is not a reference: headings, other documents' names
# --------------------------------------------------------------------------------------------


_HEADING_KINDS = ("article", "chapter", "section", "appendix")
_SENTENCE_AFTER_NUMBER = re.compile(
    rf"\s*(?:第\s*{_NUM}\s*[章節]|別表(?:\s*第?\s*{_NUM})?)"
    rf"(?:\s*の\s*{_NUM})*(?:第\s*{_NUM}\s*節)?"
    r"\s*(?:の|に|を|は|が|と|及び|並びに|又は|から|まで|、)"
)
"""A chapter, section or 別表 number that a particle follows starts a sentence."""


def _heading_regions(s: str) -> list[tuple[int, int]]:
    """Where headings stand ('第13条(利用の停止)' opening its article, '第3章 利用契約'), to skip
    them."""
    regions: list[tuple[int, int]] = []
    if "第" not in s and "別" not in s:
        return regions  # every heading kind kept here has 第 (条, 章, 節) or 別 (別表, 別紙)
    offset = 0
    for line in s.split("\n"):
        if "第" not in line and "別" not in line:
            offset += len(line) + 1
            continue
        for split in [0, *glued_heading_splits(line)]:
            heading = match_heading(line[split:])
            if heading is not None and heading.kind in _HEADING_KINDS:
                if heading.kind != "article" and _SENTENCE_AFTER_NUMBER.match(line, split):
                    continue  # '第三章に定める手続…' opens a sentence, not a chapter
                stop = len(line) if heading.body_start is None else split + heading.body_start
                regions.append((offset + split, offset + stop))
        offset += len(line) + 1
    return regions


def _external_documents(s: str) -> list[_External]:
    """Names of other documents: 「…利用規程」, サービス仕様書, 個別規程, 民法(…法律第44号)."""
    found: list[_External] = []
    for m in _QUOTED_DOCUMENT.finditer(s) if "「" in s else ():
        line = s[s.rfind("\n", 0, m.start()) + 1 : _line_end(s, m.start())]
        if line.strip() == m.group().strip() or _DEFINITION_AFTER.match(s, m.end()):
            continue  # a title line, or a defined term: (以下「個別規程」という。)
        end = (
            m.end()
            if m["law"] is not None and re.search("法律|号", m["law"])
            else m.end("suffix") + 1
            if m["suffix"]
            else m.end("name") + 1
        )
        found.append(_External(m["name"], m.start(), end, _law_number(m["law"] or m["suffix"])))
    if "規" not in s and "仕様書" not in s and "旧" not in s and "法" not in s:
        return found  # no word of _UNQUOTED_PATTERNS: most passages, checked in four scans
    taken = [(e.start, e.end) for e in found]
    for pattern, words in _UNQUOTED_PATTERNS:
        if not any(word in s for word in words):
            continue  # the patterns start with a run of any characters: slow to scan for nothing
        for m in pattern.finditer(s):
            name = m["name"]
            start = m.start("name")
            for prefix in _SELF_PREFIXES:
                if name.startswith(prefix) and len(name) > len(prefix) + 1:
                    name, start = name[len(prefix) :], start + len(prefix)
            alias = s[start - 1 : start] == "(" and s[m.end() : m.end() + 1] == ")"
            if (
                _inside(start, taken)
                or (alias and any(e.end == start - 1 for e in found))
                or name.endswith(_NOT_STATUTES)
                or m["name"].startswith("本")
                or name in _GENERIC_DOCUMENT_WORDS
                or _DEFINITION_AFTER.match(s, m.end("name"))
            ):
                continue
            law = m["law"] if "law" in pattern.groupindex else None
            found.append(_External(name, start, m.end(), _law_number(law)))
            taken.append((start, m.end()))
    return _same_statute_named(sorted(found, key=lambda e: e.start))


def _same_statute_named(found: list[_External]) -> list[_External]:
    """同法 is the statute cited last before it in the passage (旅行業法…同法第七条)."""
    last: str | None = None
    named: list[_External] = []
    for external in found:
        if external.name == "同法" and last is not None:
            external = replace(external, name=last)
        elif external.name.endswith("法"):
            last = external.name
        named.append(external)
    return named


def _law_number(bracket: str | None) -> str | None:
    """'平成29年法律第44号' from '(平成 29 年法律第 44 号)'; a promulgation date is left out."""
    m = _LAW_NUMBER.search(bracket or "")
    if m is None:
        return None
    year, number = ("".join(m[g].split()) for g in ("year", "no"))
    return f"{m['era']}{year}年{m['kind']}第{number}号"


def _line_end(s: str, pos: int) -> int:
    """Where the line holding `pos` ends, its line break included."""
    end = s.find("\n", pos)
    return len(s) if end < 0 else end + 1


def _inside(pos: int, regions: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in regions)


def _adjacent(s: str, end: int, start: int) -> bool:
    return end <= start and not s[end:start].strip()


def __getattr__(name: str) -> Any:
    # The spaCy component and its factory live in extractors.components, so that the parser
    # imports without spaCy; the entry point `extractors.crossrefs:make_crossrefs` finds it here.
    return component_factory(__name__, name, "make_crossrefs")
