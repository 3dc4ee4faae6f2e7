"""The NAS and NEC rule models on the real corpus, and on edited copies of the corpus texts.

Each edit is made to the source text, which then goes through the whole pipeline (ingest,
normalize, segment, extract, resolve); the expected values are read from the documents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS, NAS, NEC
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.models import Document, ParameterResult, ValidationReport
from pipeline.process import parse_file
from pipeline.rules import load_rules, validate

NAS_TEXT = NAS.read_text(encoding="utf-8")
NEC_TEXT = NEC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nas(corpus_docs: dict[str, Document]) -> Document:
    return corpus_docs["nas"]


@pytest.fixture(scope="module")
def nec(corpus_docs: dict[str, Document]) -> Document:
    return corpus_docs["nec"]


def edited(tmp_path: Path, text: str, old: str, new: str) -> Path:
    """A copy of a corpus text with `old` (which must occur exactly once) replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path = tmp_path / "source.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def by_name(report: ValidationReport) -> dict[str, ParameterResult]:
    return {r.name: r for r in report.parameters}


def statuses(report: ValidationReport) -> dict[str, str]:
    return {r.name: r.status for r in report.parameters}


# --------------------------------------------------------------------------------------------
# The documents as published
# --------------------------------------------------------------------------------------------


def test_rule_models_cover_the_periods_rates_and_fractions() -> None:
    assert len(load_rules("nas").parameters) >= 12
    assert len(load_rules("nec").parameters) >= 8


@pytest.mark.parametrize("family", ["nas", "nec"])
def test_each_corpus_document_passes_its_own_model(
    family: str, request: pytest.FixtureRequest
) -> None:
    document: Document = request.getfixturevalue(family)
    assert document.family == family
    report = validate(document, load_rules(family))
    failing = {r.name: r.message for r in report.parameters if r.status != "passed"}
    assert not failing
    assert report.passed
    assert all(r.located_by == "article" for r in report.parameters)


NAS_VALUES = {
    # name: (path, the surface of the value in the text)
    "antisocial_forces_exclusion_period": ("art:2", "5年を経過しない"),
    "minimum_term": ("art:4/para:1", "1年間"),
    "default_term": ("art:4/para:3", "1年間"),
    "auto_renewal_period": ("art:4/para:3", "1年間"),
    "succession_notice_period": ("art:9/para:1", "30日以内"),
    "service_abolition_notice_period": ("art:14/para:3", "3ヶ月以上前"),
    "termination_notice_period": ("art:16/para:1", "3ヶ月前"),
    "daily_proration_fraction": ("art:22/para:2", "30分の1"),
    "outage_credit_threshold_hours": ("art:23/para:1", "6時間以上"),
    "late_payment_interest_rate": ("art:24/para:1", "年14.5%"),
    "rounding_threshold": ("art:25/para:1", "1円未満"),
    "damages_outage_threshold_hours": ("art:32/para:1", "24時間以上"),
    "damages_hours_divisor": ("art:32/para:1", "24で除した"),
    "damages_daily_fraction": ("art:32/para:1", "30分の1"),
    "damages_cap_period": ("art:32/para:2", "1年分"),
    "damages_claim_window": ("art:32/para:6", "6ヶ月"),
    "terms_change_notice_period": ("art:36/para:2", "1ヵ月前"),
    "terms_change_objection_window": ("art:36/para:4", "30日以内"),
}


def test_nas_parameters_are_read_where_the_document_states_them(nas: Document) -> None:
    results = by_name(validate(nas, load_rules("nas")))
    assert set(results) == set(NAS_VALUES)
    for name, (path, surface) in NAS_VALUES.items():
        found = results[name].found
        assert found is not None, name
        assert found.path.startswith(path), (name, found.path)
        assert surface in found.text or found.text in surface, (name, found.text)
        assert found.text in found.evidence
    renewal = results["auto_renewal_period"].found
    assert renewal is not None and "さらに1年間自動的に更新" in renewal.evidence.replace(" ", "")


def test_nec_parameters_are_read_where_the_document_states_them(nec: Document) -> None:
    results = by_name(validate(nec, load_rules("nec")))
    expected_paths = {
        "registration_deadline_days": "art:1/para:1/item:1",
        "express5800_registration_deadline": "art:1/para:1/item:2",
        "refusal_notice_days": "art:1/para:1/item:4",
        "change_notice_days": "art:1/para:1/item:5",
        "no_refund_return_window_days": "art:2/para:1",
        "defect_recurrence_window": "art:7/para:1",
        "reperformance_period_after_end": "art:7/para:1",
        "confidentiality_period": "art:9/para:1",
        "oral_disclosure_record_days": "art:9/para:1/item:2",
        "damages_claim_window": "art:15/para:4",
    }
    assert {n: r.found.path for n, r in results.items() if r.found} == expected_paths
    express = results["express5800_registration_deadline"].found
    assert express is not None and "半年" in express.text
    assert express.display == "within 6 months"


def test_the_nas_report_lists_the_article_18_title_mismatch(nas: Document) -> None:
    report = validate(nas, load_rules("nas"))
    titles = next(r for r in report.structure if r.rule == "references.titles")
    (finding,) = titles.findings
    assert finding.path == "art:13/para:1/item:1"
    assert finding.severity == "warning"
    assert "料金等" in finding.message and "利用料金" in finding.message
    assert finding.evidence is not None and "第18条(料金等)" in finding.evidence.replace(" ", "")
    others = [f for r in report.structure if r.rule != "references.titles" for f in r.findings]
    assert others == []


def test_the_nec_report_has_no_structural_findings(nec: Document) -> None:
    report = validate(nec, load_rules("nec"))
    assert [f for r in report.structure for f in r.findings] == []


# --------------------------------------------------------------------------------------------
# Edited copies
# --------------------------------------------------------------------------------------------


def test_a_changed_rate_is_reported_as_changed_with_its_evidence(tmp_path: Path) -> None:
    document = parse_file(edited(tmp_path, NAS_TEXT, "年14.5%", "年14.6%"))
    report = validate(document, load_rules("nas"))
    result = by_name(report)["late_payment_interest_rate"]
    assert result.status == "changed"
    assert result.expected_display == "14.5% a year"
    assert result.found is not None
    assert result.found.display == "14.6% a year"
    assert result.found.path == "art:24/para:1"
    assert "年14.6%の割合による遅延損害金" in result.found.evidence
    assert [n for n, s in statuses(report).items() if s != "passed"] == [result.name]
    assert not report.passed


def test_a_longer_notice_period_is_reported_as_changed(tmp_path: Path) -> None:
    document = parse_file(edited(tmp_path, NAS_TEXT, "3ヶ月前までに", "6ヶ月前までに"))
    report = validate(document, load_rules("nas"))
    result = by_name(report)["termination_notice_period"]
    assert result.status == "changed"
    assert result.expected_display == "3 months before"
    assert result.found is not None and result.found.display == "6 months before"
    assert result.found.path == "art:16/para:1"
    assert result.found.evidence.startswith("契約者は、6ヶ月前までに書面にて当社に通知する")
    assert [n for n, s in statuses(report).items() if s != "passed"] == [result.name]


# One edit per parameter (family, old text, new text, the parameter it must change, its new
# value), from tests/cases/rules_single_edits.json.
SINGLE_EDITS = [
    tuple(edit.values())
    for edit in json.loads(
        (Path(__file__).parent / "cases" / "rules_single_edits.json").read_text(encoding="utf-8")
    )["edits"]
]


@pytest.mark.parametrize(
    ("family", "old", "new", "name", "display"),
    SINGLE_EDITS,
    ids=[f"{family}-{name}" for family, _, _, name, _ in SINGLE_EDITS],
)
def test_each_parameter_is_pinned_to_its_own_value(
    tmp_path: Path, family: str, old: str, new: str, name: str, display: str
) -> None:
    text = NAS_TEXT if family == "nas" else NEC_TEXT
    report = validate(parse_file(edited(tmp_path, text, old, new)), load_rules(family))
    assert [n for n, s in statuses(report).items() if s != "passed"] == [name]
    result = by_name(report)[name]
    assert result.status == "changed"
    # Fractions also name what they are taken of; the number is what the edit changed.
    assert result.found is not None and result.found.display.split(" of ")[0] == display


def test_every_parameter_has_a_single_edit() -> None:
    edited_names = {(family, name) for family, _, _, name, _ in SINGLE_EDITS}
    for family in ("nas", "nec"):
        names = {p.name for p in load_rules(family).parameters}
        covered = {n for f, n in edited_names if f == family}
        # late_payment_interest_rate, termination_notice_period and confidentiality_period have
        # their own tests above.
        assert names - covered <= {
            "late_payment_interest_rate",
            "termination_notice_period",
            "confidentiality_period",
        }


def _renumber(text: str, mapping: dict[int, int]) -> str:
    """Renumber 第N条 everywhere (headings and references), as a careful drafter would."""

    def swap(m: re.Match[str]) -> str:
        number = int(m.group(2))
        return f"第{m.group(1)}{mapping.get(number, number)}{m.group(3)}条"

    return re.sub(r"第(\s*)(\d+)(\s*)条", swap, text)


def test_an_article_moved_and_renumbered_is_still_found(tmp_path: Path) -> None:
    # 第24条 (遅延損害金) moves to the end of the body; 第25条–第40条 become 第24条–第39条.
    start = NAS_TEXT.index("第 24 条 遅延損害金")
    end = NAS_TEXT.index("第 25 条 端数処理")
    block = NAS_TEXT[start:end]
    body_end = NAS_TEXT.index("\n附則\n") + 1
    moved = NAS_TEXT[:start] + NAS_TEXT[end:body_end] + block + NAS_TEXT[body_end:]
    moved = _renumber(moved, {24: 40, **{n: n - 1 for n in range(25, 41)}})
    path = tmp_path / "source.txt"
    path.write_text(moved, encoding="utf-8")

    document = parse_file(path)
    assert document.article("40") is not None and document.article("40").title == "遅延損害金"
    report = validate(document, load_rules("nas"))
    assert report.passed
    results = by_name(report)
    rate = results["late_payment_interest_rate"]
    assert rate.status == "passed"
    assert rate.located_by == "title"
    assert rate.found is not None and rate.found.path == "art:40/para:1"
    assert "expects art:24" in rate.message
    shifted = {
        "rounding_threshold": "art:24",
        "damages_claim_window": "art:31",
        "terms_change_notice_period": "art:35",
    }
    for name, path_prefix in shifted.items():
        found = results[name].found
        assert results[name].status == "passed" and found is not None
        assert (results[name].located_by, found.path.split("/")[0]) == ("title", path_prefix)
    # References were renumbered with the articles, so only the published mismatch remains.
    titles = next(r for r in report.structure if r.rule == "references.titles")
    assert [f.path for f in titles.findings] == ["art:13/para:1/item:1"]


def test_an_article_removed_is_missing_and_breaks_the_numbering(tmp_path: Path) -> None:
    start = NAS_TEXT.index("第 24 条 遅延損害金")
    end = NAS_TEXT.index("第 25 条 端数処理")
    document = parse_file(edited(tmp_path, NAS_TEXT, NAS_TEXT[start:end], ""))
    report = validate(document, load_rules("nas"))
    result = by_name(report)["late_payment_interest_rate"]
    assert result.status == "missing"
    assert result.found is None and result.located_by is None
    assert [n for n, s in statuses(report).items() if s != "passed"] == [result.name]
    numbering = next(r for r in report.structure if r.rule == "numbering.articles")
    assert [f.path for f in numbering.findings] == ["art:25"]
    assert numbering.findings[0].severity == "error"
    assert not report.passed


def test_an_article_replaced_by_sakujo_is_missing(tmp_path: Path) -> None:
    start = NAS_TEXT.index("第 24 条 遅延損害金")
    end = NAS_TEXT.index("第 25 条 端数処理")
    document = parse_file(edited(tmp_path, NAS_TEXT, NAS_TEXT[start:end], "第 24 条 削除\n"))
    report = validate(document, load_rules("nas"))
    assert statuses(report)["late_payment_interest_rate"] == "missing"
    numbering = next(r for r in report.structure if r.rule == "numbering.articles")
    assert numbering.passed


def test_nec_confidentiality_extended_and_article_deleted(tmp_path: Path) -> None:
    longer = parse_file(edited(tmp_path, NEC_TEXT, "受領後３年間", "受領後５年間"))
    result = by_name(validate(longer, load_rules("nec")))["confidentiality_period"]
    assert result.status == "changed"
    assert result.found is not None and result.found.display == "for 5 years"
    assert "受領後5年間" in result.found.evidence

    start = NEC_TEXT.index("第９条（秘密保持義務）")
    end = NEC_TEXT.index("第１０条（マイナンバーの取り扱い）")
    gone = parse_file(edited(tmp_path, NEC_TEXT, NEC_TEXT[start:end], "第９条（削除）\n"))
    report = validate(gone, load_rules("nec"))
    missing = [n for n, s in statuses(report).items() if s != "passed"]
    assert missing == ["confidentiality_period", "oral_disclosure_record_days"]
    assert {by_name(report)[n].status for n in missing} == {"missing"}


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize("family", ["nas", "nec"])
def test_validate_command_exits_0_on_the_corpus(family: str) -> None:
    result = runner.invoke(app, ["validate", str(CORPUS / family / "source.txt")])
    assert result.exit_code == 0, result.output
    assert f"rule model {family}: PASSED" in result.output


def test_validate_command_exits_1_on_a_changed_copy_and_picks_the_family(tmp_path: Path) -> None:
    path = edited(tmp_path, NAS_TEXT, "3ヶ月前までに", "6ヶ月前までに")
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    report = ValidationReport.model_validate_json(result.stdout)
    assert report.rule_model == "nas"
    assert by_name(report)["termination_notice_period"].status == "changed"


def test_validate_command_fails_in_one_line_on_bad_rules() -> None:
    source = str(CORPUS / "nas" / "source.txt")
    result = runner.invoke(app, ["validate", source, "--rules", "nowhere"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no rule model module" in result.stderr


def test_params_command_prints_the_payload(nas: Document) -> None:
    result = runner.invoke(app, ["params", str(CORPUS / "nas" / "source.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["family"] == "nas" and payload["version"] == "Ver1.6"
    rate = payload["parameters"]["late_payment_interest_rate"]
    assert rate["value"] == {
        "kind": "percentage",
        "value": 14.5,
        "basis": "year",
        "surface_unit": "%",
    }
    assert rate["path"] == "art:24/para:1"
    notice = payload["parameters"]["termination_notice_period"]["value"]
    assert (notice["value"], notice["unit"], notice["bound"]) == (3, "month", "before")
    other = runner.invoke(
        app, ["params", str(CORPUS / "nas" / "source.txt"), "--rules", "corpus.nec.rules:RULES"]
    )
    assert "registration_deadline_days" in json.loads(other.stdout)["parameters"]


@pytest.mark.parametrize("family", ["nas", "nec"])
def test_the_pdf_of_each_family_passes_its_model_and_places_values_on_pages(family: str) -> None:
    document = parse_file(CORPUS / family / "source.pdf")
    report = validate(document, load_rules(family))
    assert report.passed, [r.message for r in report.parameters if r.status != "passed"]
    pages = [r.found.page for r in report.parameters if r.found is not None]
    assert len(pages) == len(report.parameters)
    assert all(isinstance(p, int) and p >= 1 for p in pages)
    assert pages == sorted(pages), "parameters are listed in document order"


def test_evidence_is_the_whole_sentence_past_a_bracketed_full_stop(nas: Document) -> None:
    """NAS 第24条 brackets a 。 ((遅延損害金を除く。)); the quoted sentence must not start there."""
    report = validate(nas, load_rules("nas"))
    result = next(r for r in report.parameters if r.name == "late_payment_interest_rate")
    assert result.found is not None
    evidence = result.found.evidence
    assert evidence.startswith("契約者は、利用料金その他の債務(遅延損害金を除く。)について")
    assert evidence.endswith("支払うものとします。")
