"""`yakkan export`: parameters and extractions, one row per value, in jsonl, csv and json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.models import Document, ExportRow, ValidationReport
from pipeline.rules import load_rules, validate
from pipeline.schema import SCHEMA_DIR
from pipeline.store.export import CSV_COLUMNS, write_export
from pipeline.store.sqlite import Store


@pytest.fixture(scope="module")
def parsed(corpus_docs: dict[str, Document]) -> dict[str, tuple[Document, ValidationReport]]:
    found = {}
    for family in ("nas", "nec"):
        document = corpus_docs[family]
        found[family] = (document, validate(document, load_rules(family)))
    return found


@pytest.fixture
def db(tmp_path: Path, parsed: dict[str, tuple[Document, ValidationReport]]) -> Path:
    path = tmp_path / "yakkan.db"
    with Store(path) as store:
        for document, report in parsed.values():
            store.add(document, report)
    return path


def export(db: Path, fmt: str, families: tuple[str, ...] = ()) -> str:
    out = io.StringIO()
    with Store(db) as store:
        write_export(store, fmt, out, families)
    return out.getvalue()


def test_jsonl_has_one_row_per_parameter_and_per_extraction(
    db: Path, parsed: dict[str, tuple[Document, ValidationReport]]
) -> None:
    rows = [ExportRow.model_validate_json(line) for line in export(db, "jsonl").splitlines()]
    for family, (document, report) in parsed.items():
        mine = [r for r in rows if r.family == family]
        assert len([r for r in mine if r.record == "parameter"]) == len(report.parameters)
        assert len([r for r in mine if r.record == "extraction"]) == len(document.extractions)
        assert {r.document_id for r in mine} == {document.id}
    by_name = {(r.family, r.name): r for r in rows if r.record == "parameter"}
    # NAS 第24条: 年14.5%の割合による遅延損害金 (Ver1.6, in force from 2022-04-01)
    rate = by_name[("nas", "late_payment_interest_rate")]
    assert (rate.value, rate.unit, rate.qualifier) == (14.5, "%", "year")
    assert rate.status == "passed"
    assert rate.path is not None and rate.path.startswith("art:24")
    assert rate.text == "年14.5%"
    assert (rate.version, str(rate.effective_date)) == ("Ver1.6", "2022-04-01")
    # NAS 第16条: 契約者は、3ヶ月前までに書面にて当社に通知することにより…解約
    notice = by_name[("nas", "termination_notice_period")]
    assert (notice.value, notice.unit, notice.qualifier) == (3, "month", "before")
    # NEC 第1条: ご購入日(検収日)から30日以内に…登録申請
    nec_days = [
        r
        for r in rows
        if r.family == "nec"
        and r.record == "extraction"
        and r.kind == "period"
        and r.path
        and r.path.startswith("art:1/")
    ]
    assert any((r.value, r.unit, r.qualifier) == (30, "day", "within") for r in nec_days)


def test_csv_is_flat_with_the_typed_value_as_json(db: Path) -> None:
    text = export(db, "csv")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == CSV_COLUMNS
    rows = list(reader)
    assert len(rows) == len(export(db, "jsonl").splitlines())
    (rate,) = [r for r in rows if r["name"] == "late_payment_interest_rate"]
    assert (rate["value"], rate["unit"], rate["qualifier"]) == ("14.5", "%", "year")
    assert json.loads(rate["detail"]) == {
        "kind": "percentage",
        "value": 14.5,
        "basis": "year",
        "surface_unit": "%",
    }
    missing_page = next(r for r in rows if r["record"] == "extraction")["page"]
    assert missing_page == ""  # text input has no pages: an empty cell, not 'None'


def test_json_validates_against_the_committed_schema(db: Path) -> None:
    payload = json.loads(export(db, "json"))
    schema = json.loads((SCHEMA_DIR / "export.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(payload))
    assert not errors, f"{errors[0].message} at {list(errors[0].absolute_path)}"
    assert payload["documents"] == 2
    assert len(payload["rows"]) == len(export(db, "jsonl").splitlines())


def test_a_family_filter_exports_only_that_family(db: Path) -> None:
    payload = json.loads(export(db, "json", ("nec",)))
    assert payload["families"] == ["nec"]
    assert payload["documents"] == 1
    assert {row["family"] for row in payload["rows"]} == {"nec"}


def test_the_command_writes_a_file_and_fails_in_one_line(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "values.csv"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == export(db, "csv")
    bad = runner.invoke(app, ["export", "--db", str(db), "--format", "xml"])
    assert bad.exit_code == 1
    assert "unknown export format 'xml' (use jsonl, csv or json)" in bad.output
    missing = runner.invoke(app, ["export", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1
    assert f"{tmp_path / 'none.db'}: no such database" in missing.output
