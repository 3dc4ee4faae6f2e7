"""The parse command: formats, the PDF engine option, and errors as one line."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, FAMILIES
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.process import parse_file

runner = CliRunner()


@pytest.mark.parametrize("family", FAMILIES)
def test_pdfium_engine_reads_the_same_document(family: str) -> None:
    pdf = CORPUS / family / "source.pdf"
    default = parse_file(pdf, extract=False)
    fast = parse_file(pdf, extract=False, pdf_engine="pdfium")
    assert fast.text == default.text
    assert fast.articles == default.articles


def test_parse_json_is_the_public_contract() -> None:
    result = runner.invoke(app, ["parse", str(CORPUS / "nas" / "source.txt"), "--no-extract"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "日経統合システム(NAS)サービス契約約款"
    article = next(a for a in data["articles"] if a["number"] == "13")
    assert article["path"] == "art:13" and article["title"] == "利用の停止"
    first = article["paragraphs"][0]
    assert first["path"] == "art:13/para:1"
    assert [i["label"] for i in first["items"]][:3] == ["1", "2", "3"]
    assert first["items"][0]["path"] == "art:13/para:1/item:1"
    chapter = next(c for c in data["chapters"] if c["number"] == 3)
    assert [s["title"] for s in chapter["sections"]][:2] == ["通則", "利用申込等"]


def test_parse_text_tree() -> None:
    result = runner.invoke(
        app, ["parse", str(CORPUS / "nec" / "source.txt"), "-f", "text", "--no-extract"]
    )
    assert result.exit_code == 0
    assert "第13条 反社会的勢力との取引排除" in result.stdout


def test_unknown_engine_and_format_are_one_line_errors() -> None:
    path = str(CORPUS / "nec" / "source.pdf")
    for args in (["--pdf-engine", "ocr"], ["--format", "yaml", "--no-extract"]):
        result = runner.invoke(app, ["parse", path, *args])
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and path in result.stderr
