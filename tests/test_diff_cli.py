"""`yakkan diff OLD NEW [--format json|md|html] [-o FILE]` on text inputs and on bad input."""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS
from test_diff import build_version
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.models import DocumentDiff

NAS = CORPUS / "nas" / "source.txt"
runner = CliRunner()


def synthetic(tmp_path: Path) -> Path:
    path = tmp_path / "synthetic-rate.txt"
    path.write_text(build_version("rate"), encoding="utf-8")
    return path


def test_diff_json_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", str(NAS), str(synthetic(tmp_path))])
    assert result.exit_code == 0, result.output
    parsed = DocumentDiff.model_validate_json(result.stdout)
    assert [(e.status, e.new_path) for e in parsed.edits] == [("modified", "art:24/para:1")]


def test_diff_html_and_markdown_to_files(tmp_path: Path) -> None:
    new = synthetic(tmp_path)
    for fmt, suffix in (("html", ".html"), ("md", ".md")):
        out = tmp_path / f"taisho{suffix}"
        result = runner.invoke(app, ["diff", str(NAS), str(new), "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        text = out.read_text(encoding="utf-8")
        assert "第24条" in text and "14.6" in text and "14.5" in text
    assert (tmp_path / "taisho.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_diff_bad_input_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["diff", str(NAS), str(missing)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"yakkan: error: {missing}: no such file"]
    result = runner.invoke(app, ["diff", str(NAS), str(NAS), "--format", "pdf"])
    assert result.exit_code == 1
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
