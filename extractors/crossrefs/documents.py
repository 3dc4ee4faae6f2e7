"""Other documents a terms document cites: quoted titles (「…利用規程」), compounds ending in
仕様書 / 規程 / 規定, statutes (民法, 公職選挙法) and their law numbers (平成29年法律第44号).

A name found here is masked from the reference parser and, when a citation follows it
(民法第548条の2), becomes that reference's `external`."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.crossrefs.patterns import NUM
from extractors.dates import ERAS, LAW_KINDS

MAX_NAME_CHARS = 40
"""The longest run of kanji, katakana and letters read as another document's or a statute's name."""


_LAW_NUMBER = re.compile(
    rf"(?P<era>{'|'.join(ERAS)})\s*(?P<year>元|{NUM})\s*年"
    rf"(?:\s*{NUM}\s*月\s*{NUM}\s*日)?"
    rf"\s*(?P<kind>{'|'.join(LAW_KINDS)})\s*第\s*(?P<no>{NUM})\s*号"
)
"""A law number (法令番号); a promulgation date written inside it is not part of it."""

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
_STATUTE_AFTER = (
    r"(?P<law>\s*\([^()]*(?:法律|号)[^()]*\))?"
    r"(?=\s*(?:\(|の規定|に基づ|に抵触|その他|に違反|に従|に定め|第\s*[0-9０-９〇一二三四五六七八九十百]))"
)
"""What follows a statute's name (…法): its law number, then a citation or a verb."""
_STATUTE = re.compile(rf"(?P<name>(?:{_NAME}及び)?{_NAME}法){_STATUTE_AFTER}")
_UNQUOTED_PATTERNS = (
    (_UNQUOTED_DOCUMENT, re.compile(rf"仕様書|規程|規定(?<={_COMPOUND}{{2}}規定)|旧約款|旧規約")),
    (_STATUTE, re.compile("法")),
)
"""Each unquoted-name pattern with what any of its matches contains: one scan rules out most
passages (の規定 is no name), where the pattern itself tries a run from every character. Each
starts with a literal, which the regex engine scans for fast (a class first, as in
'{_COMPOUND}{2}規定', is tried at every character)."""
_STATUTE_CITED = re.compile(f"法{_STATUTE_AFTER}")
"""The end of any statute's name and what follows it: a passage with 法 but none of these (方法,
法人) names no statute, and is passed over without trying _STATUTE from every character."""
_NOT_STATUTES = ("方法", "手法", "適法", "違法", "合法", "不法", "用法", "寸法", "準拠法")
_SELF_PREFIXES = ("本", "当該")
_GENERIC_DOCUMENT_WORDS = ("規定", "規程", "仕様書")
"""当該規定 ('the provision concerned') names no document."""
_DEFINITION_AFTER = re.compile(r"\s*」?\s*と(?:いう|いい|称)")


@dataclass(frozen=True)
class External:
    """Another document's name as it stands in the text, with the law number beside it, if any."""

    name: str
    start: int
    end: int
    law_number: str | None = None


def external_documents(s: str) -> list[External]:
    """Names of other documents: 「…利用規程」, サービス仕様書, 個別規程, 民法(…法律第44号)."""
    found: list[External] = []
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
        found.append(External(m["name"], m.start(), end, _law_number(m["law"] or m["suffix"])))
    if "規" not in s and "仕様書" not in s and "旧" not in s and "法" not in s:
        return found  # no word of _UNQUOTED_PATTERNS: most passages, checked in four scans
    taken = [(e.start, e.end) for e in found]
    for pattern, words in _UNQUOTED_PATTERNS:
        if words.search(s) is None or (pattern is _STATUTE and _STATUTE_CITED.search(s) is None):
            continue  # the patterns start with a run of any characters: slow to scan for nothing
        for m in pattern.finditer(s):
            name = m["name"]
            start = m.start("name")
            for prefix in _SELF_PREFIXES:
                if name.startswith(prefix) and len(name) > len(prefix) + 1:
                    name, start = name[len(prefix) :], start + len(prefix)
            alias = s[start - 1 : start] == "(" and s[m.end() : m.end() + 1] == ")"
            if (
                inside(start, taken)
                or (alias and any(e.end == start - 1 for e in found))
                or name.endswith(_NOT_STATUTES)
                or m["name"].startswith("本")
                or name in _GENERIC_DOCUMENT_WORDS
                or _DEFINITION_AFTER.match(s, m.end("name"))
            ):
                continue
            law = m["law"] if "law" in pattern.groupindex else None
            found.append(External(name, start, m.end(), _law_number(law)))
            taken.append((start, m.end()))
    return _same_statute_named(sorted(found, key=lambda e: e.start))


def _same_statute_named(found: list[External]) -> list[External]:
    """同法 is the statute cited last before it in the passage (旅行業法…同法第七条)."""
    last: str | None = None
    named: list[External] = []
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


def inside(pos: int, regions: list[tuple[int, int]]) -> bool:
    """Whether `pos` lies in one of the [start, end) `regions`."""
    # A loop, not `any` over a generator: creating the generator cost more than the tests.
    for start, end in regions:  # noqa: SIM110
        if start <= pos < end:
            return True
    return False
