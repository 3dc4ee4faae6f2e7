"""Cross-reference resolution (pipeline/refs/resolve.py) on the corpus and on the cases document.

The corpus expectations (corpus/*/expected_crossrefs.json) were read from the source texts by
hand; they are compared with the pipeline's output in both directions.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, FAMILIES, FIXTURES, SHARED_VERSIONS, load_json
from test_crossrefs import CASES, key
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.models import CrossReferenceValue, Document, Extraction
from pipeline.process import parse_bytes, parse_file
from pipeline.refs.resolve import resolve


def crossrefs(document: Document) -> list[Extraction]:
    return [e for e in document.extractions if e.kind == "crossref"]


def value(extraction: Extraction) -> CrossReferenceValue:
    assert isinstance(extraction.value, CrossReferenceValue)
    return extraction.value


def _pair(
    found: list[Extraction], expected: list[dict]
) -> tuple[list, list[dict], list[Extraction]]:
    """Match extractions to expectations by (path, surface), in order; return the leftovers."""
    pool: dict[tuple[str, str], list[Extraction]] = {}
    for extraction in found:
        pool.setdefault((extraction.path, key(extraction.text)), []).append(extraction)
    pairs, missing = [], []
    for entry in expected:
        bucket = pool.get((entry["path"], key(entry["text"])))
        if bucket:
            pairs.append((entry, bucket.pop(0)))
        else:
            missing.append(entry)
    unexpected = [e for bucket in pool.values() for e in bucket]
    return pairs, missing, unexpected


def _paired(document: Document, family: str) -> tuple[list, list[dict], list[Extraction]]:
    """The document's references paired with the family's expected_crossrefs.json."""
    expected = load_json(CORPUS / family / "expected_crossrefs.json")["references"]
    return _pair(crossrefs(document), expected)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_expected_reference_is_found_and_nothing_else(
    corpus_docs: dict[str, Document], family: str
) -> None:
    _, missing, unexpected = _paired(corpus_docs[family], family)
    assert missing == [], "expected but not found"
    assert [(e.path, e.text) for e in unexpected] == [], "found but not expected"


@pytest.mark.parametrize("family", FAMILIES)
def test_every_reference_resolves_to_its_expected_targets(
    corpus_docs: dict[str, Document], family: str
) -> None:
    pairs, _, _ = _paired(corpus_docs[family], family)
    wrong = []
    for entry, extraction in pairs:
        got = value(extraction)
        want_external = entry.get("external")
        ok = (
            got.targets == entry.get("targets", [])
            and got.excluded == entry.get("excluded", [])
            and (got.external is None) == (want_external is None)
            and (want_external is None or key(got.external or "") == key(want_external))
            and got.cited_title == entry.get("cited_title")
            and got.resolved == (want_external is None)
        )
        if not ok:
            wrong.append((entry, got.targets, got.excluded, got.external, got.reason))
    assert wrong == []


@pytest.mark.parametrize("family", FAMILIES)
def test_diagnostics_are_the_expected_ones(corpus_docs: dict[str, Document], family: str) -> None:
    expected = load_json(CORPUS / family / "expected_crossrefs.json")["diagnostics"]
    found = [d for d in corpus_docs[family].diagnostics if d.code.startswith("xref.")]
    assert Counter((d.code, d.severity, d.path) for d in found) == Counter(
        (d["code"], d["severity"], d["path"]) for d in expected
    )
    for finding, entry in zip(found, expected, strict=True):
        for quoted in entry["quotes"]:
            assert f"'{quoted}'" in finding.message


def test_nas_cited_title_mismatch_names_both_titles(corpus_docs: dict[str, Document]) -> None:
    (finding,) = [d for d in corpus_docs["nas"].diagnostics if d.code == "xref.title"]
    assert finding.severity == "warning"
    assert "料金等" in finding.message and "利用料金" in finding.message
    assert finding.span is not None
    assert "第18条(料金等)" in corpus_docs["nas"].text[finding.span.start : finding.span.end]
    # The cited title is the title of the chapter that holds the article (第4章 料金等).
    assert "第4章" in finding.message


@pytest.mark.parametrize("family", FAMILIES)
def test_pdf_input_gives_the_same_references(corpus_docs: dict[str, Document], family: str) -> None:
    from_pdf = parse_file(CORPUS / family / "source.pdf")

    def summary(document: Document) -> list[tuple[str, str, list[str], bool]]:
        return [(e.path, e.text, value(e).targets, value(e).resolved) for e in crossrefs(document)]

    assert summary(from_pdf) == summary(corpus_docs[family])


def test_resolve_runs_twice_without_duplicating(corpus_docs: dict[str, Document]) -> None:
    once = corpus_docs["nas"]
    twice = resolve(once)
    assert twice.extractions == once.extractions
    assert twice.diagnostics == once.diagnostics


# --------------------------------------------------------------------------------------------
# The cases document
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def case_document() -> Document:
    return parse_bytes("\n".join(CASES["document"]).encode("utf-8"), "crossref-cases.txt")


def test_cases_document_references_resolve(case_document: Document) -> None:
    pairs, missing, unexpected = _pair(
        crossrefs(case_document),
        [{"path": c["where"], **c} for c in CASES["cases"]],
    )
    assert missing == [] and unexpected == []
    for case, extraction in pairs:
        got = value(extraction)
        assert got.targets == case["targets"], case
        assert got.excluded == case.get("excluded", []), case
        assert got.resolved == case.get("resolved", True), case
        if not got.resolved:
            assert got.reason, case


def test_cases_document_diagnostics(case_document: Document) -> None:
    found = Counter(
        (d.code, d.path) for d in case_document.diagnostics if d.code.startswith("xref.")
    )
    expected = Counter((c["diagnostic"], c["where"]) for c in CASES["cases"] if "diagnostic" in c)
    assert found == expected


# --------------------------------------------------------------------------------------------
# Edits to a corpus text: an inserted article, a deleted one
# --------------------------------------------------------------------------------------------


def _source(family: str) -> str:
    return (CORPUS / family / "source.txt").read_text(encoding="utf-8")


def _only(document: Document, path: str, surface: str) -> CrossReferenceValue:
    (found,) = [e for e in crossrefs(document) if e.path == path and key(e.text) == key(surface)]
    return value(found)


def test_inserted_branch_article_becomes_the_previous_article() -> None:
    """NAS 第7条 says 前条 (第6条); with 第6条の2 inserted before it, 前条 is 第6条の2."""
    text = _source("nas")
    before = parse_bytes(text.encode("utf-8"), "nas.txt")
    assert _only(before, "art:7/para:1", "前条").targets == ["art:6"]

    anchor = "第3節 契約事項の変更等"
    inserted = (
        "第6条の2 利用契約の特例\n当社は、個別の契約で利用契約の特例を定めることがあります。\n"
    )
    assert text.count(anchor) == 1
    edited = parse_bytes(text.replace(anchor, inserted + anchor).encode("utf-8"), "nas-edited.txt")
    assert edited.article("6-2") is not None
    assert _only(edited, "art:7/para:1", "前条").targets == ["art:6-2"]


def test_inserted_article_5_2_is_previous_article_of_article_6() -> None:
    """NEC with 第５条の２ inserted and a 前条 in 第６条: it resolves to 第5条の2, not 第5条."""
    text = _source("nec")
    anchor = "第６条（お客様の負担する費用） \n\nお客様は、"
    assert text.count(anchor) == 1
    inserted = (
        "第５条の２（協力の範囲） \n\nお客様の協力は、本サービスに必要な範囲に限ります。 \n\n"
    )
    edited = text.replace(anchor, inserted + anchor + "前条の規定にかかわらず、")
    document = parse_bytes(edited.encode("utf-8"), "nec-edited.txt")
    assert [a.number for a in document.articles][4:7] == ["5", "5-2", "6"]
    assert _only(document, "art:6/para:1", "前条").targets == ["art:5-2"]
    # A reference by number is unaffected by the insertion.
    assert _only(document, "art:9/para:3", "前条(再委託)").targets == ["art:8"]


def test_reference_to_a_deleted_article_is_reported() -> None:
    """NEC 第8条 reduced to 削除: 前条(再委託) in 第9条 still points at it, with a warning."""
    text = _source("nec")
    start = text.index("第８条（再委託）")
    end = text.index("第９条（秘密保持義務）")
    edited = text[:start] + "第８条 削除 \n\n" + text[end:]
    document = parse_bytes(edited.encode("utf-8"), "nec-deleted.txt")
    article = document.article("8")
    assert article is not None and article.deleted
    assert _only(document, "art:9/para:3", "前条(再委託)").targets == ["art:8"]
    findings = [d for d in document.diagnostics if d.code == "xref.deleted"]
    assert [(d.path, d.severity) for d in findings] == [("art:9/para:3", "warning")]
    assert "削除" in findings[0].message


def test_missing_article_is_dangling_and_stays_unresolved() -> None:
    """NAS without 第36条: 第18条3項's reference to it stays, unresolved, with an error."""
    text = _source("nas")
    start = text.index("第 36 条 約款の変更")
    end = text.index("第 37 条 準拠法")
    document = parse_bytes((text[:start] + text[end:]).encode("utf-8"), "nas-cut.txt")
    got = _only(document, "art:18/para:3", "第36条(約款の変更)")
    assert got.resolved is False and got.targets == [] and "第36条" in (got.reason or "")
    (finding,) = [d for d in document.diagnostics if d.code == "xref.dangling"]
    assert finding.severity == "error" and finding.path == "art:18/para:3"


# --------------------------------------------------------------------------------------------
# yakkan refs
# --------------------------------------------------------------------------------------------


def test_refs_command_prints_references_and_the_title_warning() -> None:
    result = CliRunner().invoke(
        app, ["refs", str(CORPUS / "nas" / "source.txt")], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    assert "97 references, 1 diagnostics" in result.output
    assert "art:13/para:1/item:1" in result.output
    assert "warning: xref.title" in result.output and "'利用料金'" in result.output
    assert "external: 民法" in result.output


def test_refs_command_fails_in_one_line_on_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.txt"
    result = CliRunner().invoke(app, ["refs", str(missing)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"yakkan: error: {missing}: no such file"]


# --------------------------------------------------------------------------------------------
# A real 条ズレ: shared/versions (third-party texts, used by path)
# --------------------------------------------------------------------------------------------


def test_rewritten_article_leaves_a_dangling_reference_in_the_new_version() -> None:
    """pequod 窓口の安心サポート: 第20条1項(2) cites 第11条第1項各号. In vA 第11条1項 lists six
    items; vB rewrote 第11条 as one paragraph without items but kept the citation."""
    old = SHARED_VERSIONS / "001_pequod_madoguchi_support_vA.txt"
    new = SHARED_VERSIONS / "001_pequod_madoguchi_support_vB.txt"
    if not (old.exists() and new.exists()):
        pytest.skip(f"shared versions not available at {SHARED_VERSIONS}")
    before = _only(parse_file(old), "art:20/para:1/item:2", "第11条第1項各号")
    assert before.resolved and before.targets == ["art:11/para:1/item:*"]
    document = parse_file(new)
    after = _only(document, "art:20/para:1/item:2", "第11条第1項各号")
    assert not after.resolved and after.targets == []
    dangling = [d for d in document.diagnostics if d.code == "xref.dangling"]
    assert [d.path for d in dangling] == ["art:20/para:1/item:2"]


# --------------------------------------------------------------------------------------------
# A statute-style 約款 (tests/fixtures/references_statute.txt) citing in every form
# --------------------------------------------------------------------------------------------

STATUTE = load_json(FIXTURES / "references_statute.json")["references"]
NO_APPENDICES = "the segmenter gives no 別表 (Appendix) nodes yet: the layout work, issue 11"


@pytest.fixture(scope="module")
def statute() -> Document:
    return parse_file(FIXTURES / "references_statute.txt")


@pytest.mark.parametrize("case", STATUTE, ids=[f"{c['path']}:{c['text']}" for c in STATUTE])
def test_statute_reference_resolves_to_what_it_cites(statute: Document, case: dict) -> None:
    if case.get("needs") == "appendices" and not statute.appendices:
        pytest.skip(NO_APPENDICES)
    found = [
        value(e)
        for e in crossrefs(statute)
        if e.path == case["path"] and key(e.text) == key(case["text"])
    ]
    assert found, f"no reference {case['text']} in {case['path']}"
    got = found[0]
    assert got.resolved, got.reason
    assert got.targets == case["targets"]
    assert got.excluded == case.get("excluded", [])


def test_statute_references_are_all_found_and_all_resolve(statute: Document) -> None:
    if not statute.appendices:
        pytest.skip(NO_APPENDICES)
    _, missing, unexpected = _pair(crossrefs(statute), STATUTE)
    assert missing == [] and [(e.path, e.text) for e in unexpected] == []
    assert [d.message for d in statute.diagnostics if d.code.startswith("xref.")] == []


def test_only_appendix_is_what_a_bare_betsuhyo_cites() -> None:
    """別表 without a number cites the document's only 別表; 別表の各号 its items."""
    document = parse_file(FIXTURES / "references_single_appendix.txt")
    if not document.appendices:
        pytest.skip(NO_APPENDICES)
    assert _only(document, "art:1/para:1", "別表").targets == ["appx:1"]
    assert _only(document, "art:1/para:2", "別表の各号").targets == ["appx:1/item:*"]


def test_appendix_cited_without_a_number_among_several_stays_unresolved(
    statute: Document,
) -> None:
    """With 別表第一 and 別表第二, a bare 別表 could be either: unresolved, with a reason."""
    if not statute.appendices:
        pytest.skip(NO_APPENDICES)
    text = (FIXTURES / "references_statute.txt").read_text(encoding="utf-8")
    edited = text.replace("別表第一に定める利用料金", "別表に定める利用料金")
    document = parse_bytes(edited.encode("utf-8"), "statute-edited.txt")
    got = _only(document, "art:9/para:1", "別表")
    assert not got.resolved and "2 別表" in (got.reason or "")


def test_a_statute_cited_with_its_law_number(corpus_docs: dict[str, Document]) -> None:
    """NAS 第36条: 民法(平成29年法律第44号) cites 民法, law number 平成29年法律第44号."""
    document = corpus_docs["nas"]
    got = _only(document, "art:36/para:1", "民法(平成29年法律第44号)")
    assert got.external == "民法" and got.law_number == "平成29年法律第44号"
    assert not any(e.kind == "date" and e.path == "art:36/para:1" for e in document.extractions), (
        "the year of a law number is not a date"
    )


def test_appendix_published_apart_is_unresolved_not_dangling() -> None:
    """The statute fixture without its 別表 (a price list is often published apart): 別表第一
    stays unresolved with a warning; no dangling error is claimed."""
    text = (FIXTURES / "references_statute.txt").read_text(encoding="utf-8")
    document = parse_bytes(text[: text.index("別表第一（")].encode("utf-8"), "no-appendix.txt")
    got = _only(document, "art:9/para:1", "別表第一")
    assert not got.resolved and "別表" in (got.reason or "")
    codes = {(d.code, d.severity) for d in document.diagnostics if d.path == "art:9/para:1"}
    assert codes == {("xref.unresolved", "warning")}


BRANCH_CHAPTERS = """規約
第一章 総則
第一条（目的）
本規約は目的を定めます。
第二章 利用
第二条（利用）
利用者は、前章の規定に従うものとします。
第二章の二 特則
第二条の二（特則）
第二章の二の規定は、前章の規定に優先します。
第三章 雑則
第三条（雑則）
第二章から前章までの規定は、第一章の規定に反しない限り適用します。
"""


def test_branch_chapters_are_nodes_and_references_reach_them() -> None:
    """第二章の二 is a chapter of its own ('ch:2-2'); 前章 from it is 第二章, from 第三章 it is
    第二章の二; a sentence that starts with 第二章の二の規定 or 第二章から is no heading."""
    document = parse_bytes(BRANCH_CHAPTERS.encode(), "branch.txt")
    assert [(c.path, c.label, c.articles) for c in document.chapters] == [
        ("ch:1", "第1章", ["1"]),
        ("ch:2", "第2章", ["2"]),
        ("ch:2-2", "第2章の2", ["2-2"]),
        ("ch:3", "第3章", ["3"]),
    ]
    assert not [d for d in document.diagnostics if d.code.startswith("numbering")]
    found = [(e.path, e.text, value(e).targets) for e in crossrefs(document)]
    assert found == [
        ("art:2/para:1", "前章", ["ch:1"]),
        ("art:2-2/para:1", "第二章の二", ["ch:2-2"]),
        ("art:2-2/para:1", "前章", ["ch:2"]),
        ("art:3/para:1", "第二章から前章まで", ["ch:2", "ch:2-2"]),
        ("art:3/para:1", "第一章", ["ch:1"]),
    ]
