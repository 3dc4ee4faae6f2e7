"""The literal forms of the reference grammar: numerals, the named and relative forms of each
level (第3条, 前項, 同号, (2)号, 別表第二), connectors, ranges, exclusions and where a reference may
start. Read by `fragments` (one fragment) and `lists` (pointers, lists, ranges)."""

from __future__ import annotations

import re

from pipeline.models import ReferenceLevel
from pipeline.text.numerals import IROHA, KANJI_NUMERAL_CHARS

MAX_TITLE_CHARS = 40
"""A cited title (見出し) is short; a longer bracket after a number is running text."""
MAX_BRACKET_CHARS = 400
"""How far a bracket inside a list of citations may run (第八条第二項(…)、第三項) before the
list is taken to have ended."""


FOLD = str.maketrans("０１２３４５６７８９（）　～〜", "0123456789() ~~")
FULL_WIDTH = re.compile("[０-９（）　～〜]")

_KANJI = f"[{KANJI_NUMERAL_CHARS}]+"
# A numeral; in raw text a layout break may split a number ('第１\n５条'), so digits may be
# separated by white space inside a 第…条 pointer, where 条/項/号 closes the number.
NUM = rf"(?:[0-9](?:\s*[0-9])*|{_KANJI})"
_COUNT = rf"(?:[0-9]+|{_KANJI})"
# '第13条の一部' is not branch 一: a numeral that begins a word is not a branch number.
_NOT_KANJI_WORD = r"(?![部般環端切定致層体員種方括連緒律時つ])"

LEVEL_ORDER: dict[ReferenceLevel, int] = {
    "chapter": -2,
    "section": -1,
    "appendix": 0,
    "article": 0,
    "paragraph": 1,
    "item": 2,
    "subitem": 3,
}
_BRANCHES = rf"(?P<branches>(?:\s*の\s*{NUM}{_NOT_KANJI_WORD})*)"


def _named(level: str, after: str = "") -> re.Pattern[str]:
    """第N<level>: a named fragment of one level (第3条, 第二項), then `after`."""
    return re.compile(rf"第\s*(?P<num>{NUM})\s*{level}{after}")


_RELATIONS = "前|次|本|同|この"
"""The relative positions every level has: previous, next, here, same, here."""


def _relative(
    level: str, relations: str = _RELATIONS, counted: bool = True, not_before: str = ""
) -> re.Pattern[str]:
    """前<level>, 次<level>, ... (and 前二<level> when `counted`), unless `not_before` follows."""
    relative = rf"(?P<rel>{relations})"
    if counted:
        relative = rf"(?:{relative}|前(?P<count>{_COUNT}))"
    return re.compile(relative + level + (f"(?!{not_before})" if not_before else ""))


ARTICLE_NAMED = _named("条", rf"{_BRANCHES}(?!件)")
ARTICLE_RELATIVE = _relative("条", not_before="[件例]")
CHAPTER_NAMED = _named("章", _BRANCHES)
CHAPTER_RELATIVE = _relative("章", counted=False)
SECTION_NAMED = _named("節", _BRANCHES)
SECTION_RELATIVE = _relative("節", counted=False, not_before="[約税度分]")
PARAGRAPH_NAMED = _named("項")
PARAGRAPH_RELATIVE = _relative("項", f"前各|{_RELATIONS}", not_before="目")
ITEM_NAMED = _named("号")
ITEM_RELATIVE = _relative("号", "前各|前|次|本|同|各|この")
APPENDIX = re.compile(rf"別表(?![示記])(?:\s*第?\s*(?P<num>{NUM}){_BRANCHES})?")
SUBITEM = re.compile(rf"(?P<kana>[{IROHA}])(?![ァ-ヴー])")
# A sub-item cited alone (ロ又はハ) is a lone kana before a connector or a verb of citing;
# anywhere else a lone katakana is part of running text.
SUBITEM_ALONE = re.compile(
    rf"(?P<kana>[{IROHA}])(?<![ァ-ヴー].)"
    rf"(?=\s*(?:(?:及び|又は|若しくは|並びに|、|から)\s*[{IROHA}](?![ァ-ヴー])|"
    r"まで|に掲げる|に規定する|に定める|の規定))"
)
PARAGRAPH_BARE = re.compile(rf"(?P<num>{NUM})\s*項")  # 第3条(サービスの種類)3項, 前条3項各号
ITEM_PAREN = re.compile(rf"\(\s*(?P<num>{NUM})\s*\)\s*号")
ITEM_BARE_PAREN = re.compile(r"\((?P<num>[0-9]{1,3}|" + _KANJI + r")\)(?!\s*号)")
TITLE = re.compile(rf"\s*\((?P<title>[^()「」。]{{1,{MAX_TITLE_CHARS}}})\)")

CONNECTOR = re.compile(
    r"[ \t]*(?:、|,|及び|並びに|又は|若しくは|および|ならびに|または|もしくは|と)\s*"
)
RANGE_TO = re.compile(r"[ \t]*から\s*")
RANGE_UNTIL = re.compile(r"[ \t]*まで")
RANGE_THROUGH = re.compile(r"[ \t]*(?:乃至|ないし|~)\s*")
EXCLUSION = re.compile(r"[ \t]*(?:を除く|以外の)\s*各(?P<level>号|項)")
BRACKET_EXCLUSION_END = re.compile(r"\s*を除く。?\s*\)")
PROVISO = re.compile(r"を除く|に限る|を含む|に係る部分")
"""A bracket that narrows the citation (第三項(第二号を除く)) is no title."""
LIST_OPENERS = ("次の", "以下の", "下記の", "左の", "次に掲げる")
"""次の各号 opens a list of items below; it points at nothing already written."""
LAW_NUMBER_PREFIXES = ("法律", "政令", "省令", "府令", "条例", "告示")
"""法律第44号 is a law's number, not item 44."""

START = re.compile(
    rf"第(?=\s*{NUM}\s*[条章節項号])|前(?=[条章節項号各]|{_COUNT}[条項号])"
    rf"|(?:次|本|同|この)(?=[条章節項号])|各(?=号)|別表|\((?=\s*{NUM}\s*\)\s*号)"
)
"""Where a reference may start; sub-items cited alone (ロ又はハ) are found apart, so that this
pattern keeps a literal first character (the regex engine scans for it fast). The lookaheads
are what a first fragment needs after that character (第3条, 前二項, 本条, 各号, (2)号):
these characters stand mostly in running text (第三者, 本サービス, brackets), and parsing
from each of them cost most of the parser's time."""
START_NEEDS = ("条", "項", "号", "章", "節", "別表", "前各")
"""What follows any START match in the text (第3条, 前二項, 各号, 別表, 前各 of 前各号): a
passage holding none of them (most do not) has no reference start, and is not scanned."""
