"""Parsing cross-references (参照): 第13条(利用の停止)第1項(1)号, 前項, 前二項, 前各号, 本条(1) ...

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
from dataclasses import replace
from typing import NamedTuple

from extractors.crossrefs.documents import External, external_documents, inside
from extractors.crossrefs.fragments import Fragment
from extractors.crossrefs.lists import Member, expression_at
from extractors.crossrefs.patterns import (
    FOLD,
    FULL_WIDTH,
    NUM,
    START,
    START_NEEDS,
    SUBITEM_ALONE,
)
from extractors.spans import holds_any
from pipeline.models import CrossReferenceValue, ReferenceLevel
from pipeline.text.headings import glued_heading_splits, match_heading

SPAN_KEY = "crossrefs"
"""The `doc.spans` key this component writes."""


class ParsedReference(NamedTuple):
    """One reference as it stands in a text: its surface, where it is, and its parsed value."""

    start: int
    end: int
    text: str
    value: CrossReferenceValue


def parse_references(text: str, offset: int = 0) -> list[ParsedReference]:
    """Every cross-reference in `text`, in order, parsed into fragments (not yet resolved).

    `offset` is where `text` stands in a larger text (a passage of a Doc): every reported
    offset, the fragments' spans too, is moved by it.
    """
    # Normalized text holds no full-width digit or bracket: a search finds that faster than
    # a translation copies the text.
    folded = text.translate(FOLD) if FULL_WIDTH.search(text) else text
    candidates = _candidates(folded)
    externals = external_documents(folded)
    if not candidates and not externals:
        return []  # most passages: no heading to mask, nothing to parse
    headings = _heading_regions(folded)
    externals = [e for e in externals if not inside(e.start, headings)]
    masked = headings + [(e.start, e.end) for e in externals]
    found: list[ParsedReference] = []
    attached: set[External] = set()
    position = 0
    inner_position = 0
    reopened: list[tuple[int, int]] = []  # brackets inside a list, read for their own references
    for start in candidates:
        if inside(start, masked):
            continue
        inner = start < position and inside(start, reopened)
        if (start < position and not inner) or (inner and start < inner_position):
            continue
        expression = expression_at(folded, start)
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
    starts = [m.start() for m in START.finditer(s)] if holds_any(s, START_NEEDS) else []
    alone = [m.start() for m in SUBITEM_ALONE.finditer(s)]
    return sorted(starts + alone) if alone else starts


def _references(
    text: str,
    members: list[Member],
    excluded_level: ReferenceLevel | None,
    end: int,
    external: External | None,
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
        each = Fragment(excluded_level, "each", each_start, end)
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
    fragments: list[Fragment], title: str | None, external: External | None, offset: int
) -> CrossReferenceValue:
    targets = [f for f in fragments if f.role == "target"]
    explicit = external is not None or (bool(targets) and targets[0].position == "named")
    # One validation of plain data builds the value and its fragments in pydantic-core.
    return CrossReferenceValue.model_validate(
        {
            "fragments": [f.data(offset) for f in fragments],
            "cited_title": title,
            "relation": "explicit" if explicit else "relative",
            "external": external.name if external else None,
            "law_number": external.law_number if external else None,
        }
    )


_HEADING_KINDS = ("article", "chapter", "section", "appendix")
_SENTENCE_AFTER_NUMBER = re.compile(
    rf"\s*(?:第\s*{NUM}\s*[章節]|別表(?:\s*第?\s*{NUM})?)"
    rf"(?:\s*の\s*{NUM})*(?:第\s*{NUM}\s*節)?"
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


def _adjacent(s: str, end: int, start: int) -> bool:
    return end <= start and not s[end:start].strip()
