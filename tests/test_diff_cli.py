"""`yakkan diff OLD NEW [--format json|md|html] [-o FILE] [--lang ja|en] [--fail-on ...]` on
text inputs and on bad input; exit status as `git diff --exit-code` (0 same, 1 changed, 2 error)."""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS, NAS
from test_diff import build_version
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.models import DocumentDiff

runner = CliRunner()


def synthetic(tmp_path: Path, name: str = "rate") -> Path:
    path = tmp_path / f"synthetic-{name}.txt"
    path.write_text(build_version(name), encoding="utf-8")
    return path


def test_diff_json_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", str(NAS), str(synthetic(tmp_path))])
    assert result.exit_code == 1, result.output
    parsed = DocumentDiff.model_validate_json(result.stdout)
    assert [(e.status, e.new_path) for e in parsed.edits] == [("modified", "art:24/para:1")]


def test_diff_html_and_markdown_to_files(tmp_path: Path) -> None:
    new = synthetic(tmp_path)
    for fmt, suffix in (("html", ".html"), ("md", ".md")):
        out = tmp_path / f"taisho{suffix}"
        result = runner.invoke(app, ["diff", str(NAS), str(new), "--format", fmt, "-o", str(out)])
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        text = out.read_text(encoding="utf-8")
        assert "第24条" in text and "14.6" in text and "14.5" in text
    assert (tmp_path / "taisho.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_diff_bad_input_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["diff", str(NAS), str(missing)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"yakkan: error: {missing}: no such file"]
    result = runner.invoke(app, ["diff", str(NAS), str(NAS), "--format", "pdf"])
    assert result.exit_code == 2
    assert "unknown format 'pdf'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_text_and_pdf_renditions_of_one_version_do_not_differ() -> None:
    # corpus/*/source.pdf is built from source.txt: the same version in another format.
    for family in ("nas", "nec"):
        pdf = CORPUS / family / "source.pdf"
        result = runner.invoke(app, ["diff", str(CORPUS / family / "source.txt"), str(pdf)])
        assert result.exit_code == 0, result.output
        parsed = DocumentDiff.model_validate_json(result.stdout)
        assert parsed.edits == [], family
        assert parsed.parameter_changes == [], family


def test_exit_status_says_whether_anything_changed(tmp_path: Path) -> None:
    same = runner.invoke(app, ["diff", str(NAS), str(NAS)])
    assert same.exit_code == 0, same.output
    # 第35条's title reworded: a substantive change.
    retitled = runner.invoke(app, ["diff", str(NAS), str(synthetic(tmp_path, "retitled"))])
    assert retitled.exit_code == 1, retitled.output
    for bad in (["--lang", "fr"], ["--fail-on", "everything"]):
        result = runner.invoke(app, ["diff", str(NAS), str(NAS), *bad])
        assert result.exit_code == 2
        assert len(result.output.strip().splitlines()) == 1


def test_fail_on_parameters_watches_the_named_parameters(tmp_path: Path) -> None:
    # A reworded title changes no named parameter of the NAS rule model: exit 0.
    retitled = synthetic(tmp_path, "retitled")
    result = runner.invoke(app, ["diff", str(NAS), str(retitled), "--fail-on", "parameters"])
    assert result.exit_code == 0, result.output
    # 第24条 年14.5% → 年14.6% is late_payment_interest_rate: exit 1, and the name is said.
    rate = synthetic(tmp_path, "rate")
    result = runner.invoke(app, ["diff", str(NAS), str(rate), "--fail-on", "parameters"])
    assert result.exit_code == 1, result.output
    assert "late_payment_interest_rate" in result.stderr


def test_labels_are_japanese_unless_asked_for_english(tmp_path: Path) -> None:
    new = synthetic(tmp_path, "combined")
    ja = runner.invoke(app, ["diff", str(NAS), str(new), "--format", "md"])
    en = runner.invoke(app, ["diff", str(NAS), str(new), "--format", "md", "--lang", "en"])
    assert ja.exit_code == en.exit_code == 1
    for word in ("〔追加〕", "〔削除〕", "〔変更〕", "条番号変更", "割合", "期間"):
        assert word in ja.stdout, word
    for word in ("added", "deleted", "renumbered", "period", "percentage", "modified"):
        assert word not in ja.stdout, word
        assert word in en.stdout, word
    # JSON keys are the same in both languages.
    as_json = [
        DocumentDiff.model_validate_json(
            runner.invoke(app, ["diff", str(NAS), str(new), "--lang", lang]).stdout
        )
        for lang in ("ja", "en")
    ]
    assert [e.status for e in as_json[0].edits] == [e.status for e in as_json[1].edits]
