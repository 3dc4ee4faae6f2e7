"""Text ingestion: encodings detected from the bytes, and bad input as one-line errors."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, FAMILIES

from pipeline.ingest.sources import ingest, ingest_bytes
from pipeline.models import IngestError
from pipeline.process import parse_file


def _structure(path: Path) -> str:
    document = parse_file(path, extract=False)
    return document.model_dump_json(exclude={"id", "source"})


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("cp932", b"", "cp932"),
        ("shift_jis", b"", "cp932"),
        ("utf-16", b"", "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("euc_jp", b"", "euc_jp"),
    ],
)
def test_same_document_in_every_encoding(
    tmp_path: Path, family: str, encoding: str, prefix: bytes, expected: str
) -> None:
    source = CORPUS / family / "source.txt"
    text = source.read_text(encoding="utf-8")
    if encoding in ("shift_jis", "euc_jp"):
        # Characters outside JIS X 0208 (e.g. ① in Shift_JIS proper) cannot be written there.
        text = text.encode(encoding, errors="ignore").decode(encoding)
        reference = tmp_path / "reference.txt"
        reference.write_text(text, encoding="utf-8")
    else:
        reference = source
    encoded = tmp_path / f"{family}.{encoding}.txt"
    encoded.write_bytes(prefix + text.encode(encoding))
    assert ingest(encoded).source.encoding == expected
    assert _structure(encoded) == _structure(reference)


def test_crlf_is_the_same_as_lf(tmp_path: Path) -> None:
    source = CORPUS / "nas" / "source.txt"
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    assert _structure(crlf) == _structure(source)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03binary\xff\xfe\x00\x00\x10", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"   \n\n  ", "no text"),
        ("中文文本".encode("gb18030") * 50 + b"\x80\xff", "unknown encoding"),
    ],
)
def test_bad_text_inputs(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        ingest_bytes(data, "bad.txt")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 64, "binary file"),
        ("今日は良い天気です。".encode(), "not a terms document"),
    ],
)
def test_cli_reports_one_line_and_fails(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "parse", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in result.stderr


def test_cli_missing_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli.main", "parse", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr
