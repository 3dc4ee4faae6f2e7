"""Ingest: a file (text or PDF) → `RawDocument`, the input's lines in reading order.

Text files are decoded after detecting their encoding from the bytes (BOM, UTF-8 validity,
UTF-16 without BOM by its NUL pattern, then CP932 and EUC-JP scored by how Japanese the result
reads); nothing is guessed blindly. PDFs are handed to `pipeline.pdf`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path
from typing import Literal

from pipeline.models import IngestError, RawDocument, RawLine, SourceInfo

PDF_MAGIC = b"%PDF-"
MIN_JAPANESE_SHARE = 0.2
"""A legacy-encoding decode must read as at least this share of Japanese characters."""
MAX_CONTROL_SHARE = 0.01
"""More control characters than this share marks a binary file."""

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_input(path: str | Path) -> bytes:
    """A file's bytes; a missing or unreadable file is an IngestError naming it."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError(str(path), "no such file") from None
    except IsADirectoryError:
        raise IngestError(str(path), "is a directory, not a file") from None
    except OSError as err:
        raise IngestError(str(path), f"cannot read: {err.strerror or err}") from None


PdfEngine = Literal["pdfplumber", "pdfium"]
"""Where PDF characters come from: pypdfium2, or pdfplumber (pdfminer), about 4× slower."""
DEFAULT_PDF_ENGINE: PdfEngine = "pdfium"
"""The faster engine; both give the same Document on every corpus and development PDF."""


def ingest(path: str | Path, *, pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE) -> RawDocument:
    """Read a terms document from a path."""
    return ingest_bytes(read_input(path), str(path), pdf_engine=pdf_engine)


def ingest_bytes(
    data: bytes, name: str, *, pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE
) -> RawDocument:
    """Read a terms document from its bytes; `name` is used in messages and as the source path."""
    if not data:
        raise IngestError(name, "empty file")
    if data.startswith(PDF_MAGIC) or name.lower().endswith(".pdf"):
        from pipeline.pdf import read_pdf

        return read_pdf(data, name, char_source=pdf_engine)
    text, encoding = decode_text(data, name)
    source = SourceInfo(
        path=name, sha256=hashlib.sha256(data).hexdigest(), kind="text", encoding=encoding
    )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError(name, "no text: the file holds only white space")
    return RawDocument(source=source, lines=[RawLine(text=line) for line in text.split("\n")])


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file's bytes; return the text and the encoding it was found to be in."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), name), encoding
            except UnicodeDecodeError:
                raise IngestError(
                    name, f"starts with a {encoding} BOM but does not decode"
                ) from None
    if utf16 := _utf16_without_bom(data):
        try:
            return _checked(data.decode(utf16), name), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise IngestError(name, "binary file, not text (NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for encoding in ("cp932", "euc_jp"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_japanese_score(text), encoding, text))
    if candidates:
        score, encoding, text = max(candidates)
        if score >= MIN_JAPANESE_SHARE:
            return _checked(text, name), encoding
    raise IngestError(name, "unknown encoding: not UTF-8, UTF-16, CP932/Shift_JIS or EUC-JP text")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes on one parity only (ASCII, newlines), and it reads."""
    if len(data) < 4 or len(data) % 2:
        return None
    half = len(data) / 2
    even = data[0::2].count(0) / half
    odd = data[1::2].count(0) / half
    if max(even, odd) < 0.01 or min(even, odd) * 5 > max(even, odd):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text) / max(len(text), 1)
    return encoding if printable > 0.95 else None


def _japanese_score(text: str) -> float:
    """Share of characters that read as ordinary Japanese; half-width kana count against."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    japanese = len(_JAPANESE.findall(text))
    halfwidth = len(_HALFWIDTH_KANA.findall(text))
    return (japanese - halfwidth) / len(visible)


def _checked(text: str, name: str) -> str:
    """Reject decoded text that is mostly control characters (a binary file that decoded)."""
    if text and len(_CONTROL.findall(text)) / len(text) > MAX_CONTROL_SHARE:
        raise IngestError(name, "binary file, not text (control characters)")
    return text
