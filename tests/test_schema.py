"""The committed JSON Schemas: in step with the models, and valid for the pipeline's real output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.models import Document
from pipeline.rules import load_rules, parameter_payload, validate
from pipeline.schema import SCHEMA_DIR, SCHEMAS, drifted, render, write_schemas


def committed(name: str) -> dict[str, object]:
    schema: dict[str, object] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return schema


def test_committed_schemas_match_the_models() -> None:
    stale = drifted()
    assert not stale, f"schemas out of date, run `yakkan schema`: {stale}"


def test_every_committed_schema_is_a_valid_json_schema() -> None:
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(SCHEMAS)
    for name in SCHEMAS:
        Draft202012Validator.check_schema(committed(name))


def test_a_changed_model_shows_up_as_drift(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    assert drifted(tmp_path) == []
    report = tmp_path / "validation-report.schema.json"
    schema = json.loads(report.read_text(encoding="utf-8"))
    del schema["properties"]["passed"]
    report.write_text(json.dumps(schema), encoding="utf-8")
    (tmp_path / "parameters.schema.json").unlink()
    assert drifted(tmp_path) == ["validation-report.schema.json", "parameters.schema.json"]


def test_schema_command_writes_and_checks(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["schema", "--check", "--out", str(tmp_path)]).exit_code == 1
    written = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "document.schema.json").read_text(encoding="utf-8") == render(
        SCHEMAS["document.schema.json"]
    )
    assert runner.invoke(app, ["schema", "--check", "--out", str(tmp_path)]).exit_code == 0


@pytest.mark.parametrize("family", ["nas", "nec"])
def test_real_output_validates_against_the_committed_schemas(
    corpus_docs: dict[str, Document], family: str
) -> None:
    document = corpus_docs[family]
    report = validate(document, load_rules(family))
    payload = parameter_payload(document, report)
    for name, model in (
        ("document.schema.json", document),
        ("validation-report.schema.json", report),
        ("parameters.schema.json", payload),
    ):
        instance = json.loads(model.model_dump_json())
        errors = list(Draft202012Validator(committed(name)).iter_errors(instance))
        assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"
