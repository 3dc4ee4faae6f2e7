"""Ingest: a file (text or PDF) → `RawDocument`, the input's lines in reading order.

Text files are decoded after detecting their encoding from the bytes (BOM, UTF-8 validity,
UTF-16 without BOM by its NUL pattern, then CP932 and EUC-JP scored by how Japanese the result
reads); nothing is guessed blindly. PDFs are handed to `pipeline.ingest.pdf`.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO, Literal

from pipeline.models import IngestError, RawDocument, RawLine, SourceInfo

PDF_MAGIC = b"%PDF-"
MIN_JAPANESE_SHARE = 0.2
"""A legacy-encoding decode must read as at least this share of Japanese characters."""
MAX_CONTROL_SHARE = 0.01
"""More control characters than this share marks a binary file."""
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Largest input read (`--max-bytes`): far above any terms document, far below the memory of a
machine; checked before reading, so `/dev/zero` or a runaway log cannot exhaust memory."""
READ_CHUNK = 1 << 20

_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# What Python's cp932 codec makes of the single bytes Shift_JIS leaves undefined: Microsoft's
# table maps them to U+0080 and private-use U+F8F0..U+F8F3, characters no document contains.
_CP932_UNDEFINED = {"\x80": 0x80, "\uf8f0": 0xA0, "\uf8f1": 0xFD, "\uf8f2": 0xFE, "\uf8f3": 0xFF}
_CP932_UNDEFINED_RE = re.compile("[\x80\uf8f0-\uf8f3]")

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def not_regular(mode: int) -> str | None:
    """What a file of this st_mode is when it is not a regular file (a FIFO, a device...)."""
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    for test, kind in _FILE_KINDS:
        if test(mode):
            return f"is {kind}, not a regular file"
    return None if stat.S_ISREG(mode) else "is not a regular file"


def _os_reason(err: OSError) -> str:
    """The one-line reason for an OSError met while opening or reading an input."""
    if err.errno == errno.ENOENT:
        return "no such file"
    if err.errno == errno.ELOOP:
        return "symbolic link loop (too many levels of symbolic links)"
    if err.errno == errno.EISDIR:
        return "is a directory, not a file"
    return f"cannot read: {err.strerror or err}"


def open_input(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> BinaryIO:
    """Open a regular file for reading, refusing anything else before a byte is read.

    A missing or unreadable file, a directory, FIFO, device or socket, a symbolic link loop and
    a file over `max_bytes` are each an IngestError naming the file. Nothing can block: a FIFO
    is opened non-blocking and refused.
    """
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not wait; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if err.errno == errno.ENOENT and os.path.islink(path):
            raise IngestError(name, "broken symbolic link (its target does not exist)") from None
        raise IngestError(name, _os_reason(err)) from None
    except ValueError as err:  # a NUL byte in the name
        raise IngestError(name, f"invalid file name: {err}") from None
    info = os.fstat(fd)
    problem = not_regular(info.st_mode)
    if problem is None and info.st_size > max_bytes:
        problem = _too_large(info.st_size, max_bytes)
    if problem is not None:
        os.close(fd)
        raise IngestError(name, problem)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_input(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, at most `max_bytes` of them (see `open_input` for what is
    refused); every failure is an IngestError naming the file."""
    with open_input(path, max_bytes=max_bytes) as fh:
        try:
            # One byte more than allowed: a file that grew after the size check is still caught.
            data = fh.read(max_bytes + 1)
        except OSError as err:
            raise IngestError(str(path), _os_reason(err)) from None
    if len(data) > max_bytes:
        raise IngestError(str(path), _too_large(len(data), max_bytes))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"too large: {size:,} bytes, over the limit of {limit:,} (--max-bytes)"


PdfEngine = Literal["pdfplumber", "pdfium"]
"""Where PDF characters come from: pypdfium2, or pdfplumber (pdfminer), about 4× slower."""
DEFAULT_PDF_ENGINE: PdfEngine = "pdfium"
"""The faster engine; both give the same Document on every corpus and development PDF."""


def ingest(
    path: str | Path,
    *,
    pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawDocument:
    """Read a terms document from a path."""
    return ingest_bytes(read_input(path, max_bytes=max_bytes), str(path), pdf_engine=pdf_engine)


def ingest_bytes(
    data: bytes, name: str, *, pdf_engine: PdfEngine = DEFAULT_PDF_ENGINE
) -> RawDocument:
    """Read a terms document from its bytes; `name` is used in messages and as the source path."""
    if not data:
        raise IngestError(name, "empty file")
    if data.startswith(PDF_MAGIC) or name.lower().endswith(".pdf"):
        from pipeline.ingest.pdf import read_pdf

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
            if encoding == "cp932":
                _refuse_undefined_cp932(text, name)
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


def _refuse_undefined_cp932(text: str, name: str) -> None:
    """Refuse CP932 text holding a byte Shift_JIS leaves undefined rather than let the codec
    turn it into a private-use character; the error names the byte and its offset."""
    if found := _CP932_UNDEFINED_RE.search(text):
        offset = len(text[: found.start()].encode("cp932"))
        raise IngestError(
            name,
            f"invalid CP932 (Shift_JIS) byte 0x{_CP932_UNDEFINED[found.group()]:02X}"
            f" at byte offset {offset}: not a character",
        )


def _checked(text: str, name: str) -> str:
    """Reject decoded text that is mostly control characters (a binary file that decoded)."""
    if text and len(_CONTROL.findall(text)) / len(text) > MAX_CONTROL_SHARE:
        raise IngestError(name, "binary file, not text (control characters)")
    return text
