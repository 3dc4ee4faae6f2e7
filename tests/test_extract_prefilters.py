"""The cheap tests that let the finders pass over a passage must never skip a real match.

Each finder first asks whether a passage holds a character or word every match of its
pattern needs (a percentage holds %/割/分/パーセント, an amount 円, a definition 以下, a
cross-reference start a level word after 第/前/本 …), and skips the passage, or the position,
when not. Here each test is set beside the full pattern on every provision and raw block of the
corpus and development files: wherever the full pattern finds something, the cheap test lets it
through.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from test_tokenizer import CORPUS_FILES, DEVELOPMENT_FILES, SHARED, texts_of

from extractors import amounts, dates, definitions, fractions, percentages, periods
from extractors.crossrefs import documents, lists, parse, patterns
from extractors.spans import holds_any
from pipeline.text.headings import match_heading

_BROAD_START = re.compile(r"第|前|次|本|同|各|この|別表|\(")
"""Every character a reference may start with, before the lookaheads of crossrefs.patterns.START."""


@cache
def _texts() -> tuple[str, ...]:
    return tuple(text for path in CORPUS_FILES + DEVELOPMENT_FILES for text in texts_of(path))


@pytest.fixture(scope="module")
def texts() -> tuple[str, ...]:
    """Provisions and raw blocks of the corpus, and of ../shared when it is there."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent: only the corpus is checked by the other tests")
    return _texts()


def test_every_percentage_holds_a_rate_word(texts: tuple[str, ...]) -> None:
    matches = [m for t in texts for m in percentages.PERCENTAGE_RE.finditer(t)]
    assert matches, "the files state percentages"
    assert all(percentages._RATE_WORD.search(m.group()) for m in matches)


def test_every_fraction_holds_its_literal(texts: tuple[str, ...]) -> None:
    matches = [m.group() for t in texts for m in fractions.FRACTION_RE.finditer(t)]
    assert matches, "the files state fractions"
    assert all("分の" in m or "で除し" in m or "で割っ" in m for m in matches)


def test_every_amount_holds_yen(texts: tuple[str, ...]) -> None:
    matches = [m.group() for t in texts for m in amounts.AMOUNT_RE.finditer(t)]
    assert matches, "the files state amounts"
    assert all("円" in m for m in matches)


def test_every_definition_holds_its_literal(texts: tuple[str, ...]) -> None:
    inline = [
        m.group()
        for t in texts
        for r in (definitions.QUOTED_RE, definitions.UNQUOTED_RE)
        for m in r.finditer(t)
    ]
    glosses = [m.group() for t in texts for m in definitions.GLOSS_END_RE.finditer(t)]
    listed = [m.group() for t in texts for m in definitions.LIST_RE.finditer(t)]
    assert inline and glosses and listed, "the files define terms in all three ways"
    assert all("以" in m for m in inline)
    assert all(any(lit in m for lit in ("をい", "を言", "を指", "を意")) for m in glosses)
    clauses = [
        m.group()
        for t in texts
        for r in (definitions.CLAUSE_RE, definitions.UNQUOTED_CLAUSE_RE)
        for m in r.finditer(t)
    ]
    assert all("とは" in m for m in clauses)
    assert all("・" in m for m in listed)


def test_every_reference_start_is_a_candidate(texts: tuple[str, ...]) -> None:
    """Where parsing from any possible first character finds a reference, _START finds it too."""
    parsed = 0
    for text in texts:
        folded = text.translate(patterns.FOLD)
        candidates = set(parse._candidates(folded))
        for m in _BROAD_START.finditer(folded):
            if lists.expression_at(folded, m.start()).members:
                parsed += 1
                assert m.start() in candidates, folded[m.start() : m.start() + 20]
    assert parsed > 1000, "the files cite many provisions"


def test_every_heading_line_holds_dai_or_betsu(texts: tuple[str, ...]) -> None:
    """crossrefs.parse._heading_regions looks only at lines with 第 or 別."""
    kinds = parse._HEADING_KINDS
    lines = [line for t in texts for line in t.translate(patterns.FOLD).split("\n")]
    headings = [
        line for line in lines if (h := match_heading(line)) is not None and h.kind in kinds
    ]
    assert headings, "the raw blocks hold headings"
    assert all("第" in line or "別" in line for line in headings)


def test_full_width_text_is_folded(texts: tuple[str, ...]) -> None:
    """Only text with a full-width digit, bracket or space is folded; folding changes no other."""
    for text in texts:
        if patterns.FULL_WIDTH.search(text) is None:
            assert text.translate(patterns.FOLD) == text


def test_every_document_name_holds_what_its_prefilter_looks_for(texts: tuple[str, ...]) -> None:
    """crossrefs.documents scans a passage for unquoted names (サービス仕様書, 個別規程, 民法) only
    when it holds what each pattern's matches contain; の規定 alone is passed over."""
    found = 0
    for pattern, needs in documents._UNQUOTED_PATTERNS:
        for text in texts:
            folded = text.translate(patterns.FOLD)
            for m in pattern.finditer(folded):
                found += 1
                assert needs.search(m.group()), m.group()
    assert found > 10, "the files name other documents and statutes"
    assert documents._UNQUOTED_PATTERNS[0][1].search("前項の規定により") is None


def test_every_statute_name_ends_where_its_prefilter_looks(texts: tuple[str, ...]) -> None:
    """crossrefs.documents tries the statute pattern only in a passage where 法 is followed by a
    law number or a citation (_STATUTE_CITED): every statute's name ends at such a 法."""
    found = 0
    for text in texts:
        folded = text.translate(patterns.FOLD)
        for m in documents._STATUTE.finditer(folded):
            found += 1
            assert documents._STATUTE_CITED.match(folded, m.end("name") - 1), m.group()
    assert found > 5, "the files cite statutes"
    assert documents._STATUTE_CITED.search("所定の方法により支払うものとします。") is None


def test_every_reference_start_holds_a_level_word_after_it(texts: tuple[str, ...]) -> None:
    """crossrefs.parse scans a passage for reference starts only when it holds a word of
    START_NEEDS (条, 項, 号, ...): every start has one after it."""
    found = 0
    for text in texts:
        folded = text.translate(patterns.FOLD)
        for m in patterns.START.finditer(folded):
            found += 1
            after = folded[m.start() :]
            assert any(word in after for word in patterns.START_NEEDS), after[:20]
    assert found > 1000, "the files cite many provisions"
    assert parse._candidates("本サービスの利用者は、この規約に同意するものとします。") == []


def test_every_period_holds_a_number_then_a_unit(texts: tuple[str, ...]) -> None:
    """extractors.periods scans a passage only where a numeral (or 半) stands before a unit's
    first character: every period holds one."""
    matches = [m.group() for t in texts for m in periods.PERIOD_RE.finditer(t)]
    assert matches, "the files state periods"
    assert all(periods._NUMBER_THEN_UNIT.search(m) for m in matches)
    assert periods.find_periods("毎月末日に締め切ります。") == []


def test_every_numeric_date_holds_what_its_prefilters_look_for(texts: tuple[str, ...]) -> None:
    """extractors.dates scans for 2023/4/1 only in a passage holding a separator, and for
    R5.4.1 only where an era initial stands before a digit."""
    numeric = [m.group() for t in texts for m in dates.NUMERIC_RE.finditer(t)]
    initial = [m.group() for t in texts for m in dates.INITIAL_RE.finditer(t)]
    numeric += ["2023/4/1", "2023.04.01", "2023-4-1", "2023/04"]
    initial += ["R5.4.1", "H31/4/30", "Ｈ３１.４.１"]
    assert all(holds_any(m, dates._SEPARATORS) for m in numeric)
    assert all(dates._INITIAL.search(m) for m in initial)
    assert [m.value.day for m in dates.find_dates("R5.4.1、2023/4/2")] == [1, 2]
