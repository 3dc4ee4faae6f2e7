"""Failing early and clearly: a PDF that is no PDF, cut short, encrypted, damaged, or
without a usable text layer is an `IngestError` naming the reason in one line."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pipeline.ingest.pdf.chars import PageChars
from pipeline.ingest.pdf.options import PdfOptions
from pipeline.models import IngestError

_SPACE = re.compile(r"\s")

EMPTY_PDF = "empty PDF: it has no pages"


def check_container(data: bytes, name: str) -> None:
    """Not a PDF at all, or cut short: say so before a parser guesses its way through."""
    if b"%PDF-" not in data[:1024]:
        raise IngestError(name, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-1024:]:
        raise IngestError(name, "truncated PDF: the file ends before its %%EOF marker")


def unreadable(name: str, err: BaseException) -> IngestError:
    """Turn a parser's exception into the one-line reason a user can act on."""
    chain: list[BaseException] = []
    cause: BaseException | None = err
    while cause is not None and len(chain) < 5:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    described = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    if "password" in described or "encrypt" in described:
        return IngestError(name, "encrypted PDF: it needs a password to be read")
    return IngestError(name, f"damaged PDF: cannot be parsed ({type(err).__name__})")


_GARBLED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")
"""A character the PDF gives no Unicode for: '(cid:NN)', a control or private-use code."""


def check_text_layer(pages: list[PageChars], name: str, options: PdfOptions) -> None:
    """Fail a PDF without text (a scan) or whose text is mostly unmapped glyph codes."""
    import numpy as np

    total = garbled = 0
    coded: list[Any] = []
    cid = _cid_codes()
    for page in pages:
        # a page given by its codes that never spell '(cid:' (in their bytes: a match out of
        # step with the codes only sends the page the longer way): each character is
        # counted by its code alone, the pages together
        if page.codes is not None and cid not in page.codes.tobytes():
            coded.append(page.codes)
            continue
        text = page.text()
        total += len(page) - len(_SPACE.findall(text))
        garbled += len(_GARBLED.findall(text))
    if coded:
        codes = np.concatenate(coded)
        kinds = _code_kinds()[np.minimum(codes, 0x10000)]
        total += len(codes) - int(np.count_nonzero(kinds & _WHITE))
        garbled += int(np.count_nonzero(kinds & _UNMAPPED))
    if total == 0:
        raise IngestError(name, "no text at all (an image-only or scanned PDF?): OCR needed")
    if garbled / total > options.max_garbled_share:
        raise IngestError(
            name,
            f"no usable text layer: OCR needed ({garbled} of {total} characters have no"
            " Unicode mapping)",
        )


_WHITE = 1
_UNMAPPED = 2


@cache
def _cid_codes() -> bytes:
    """The bytes of the codes of '(cid:', as a page's codes (uint32) hold them."""
    import numpy as np

    return np.array(list(map(ord, "(cid:")), dtype=np.uint32).tobytes()


@cache
def _code_kinds() -> Any:
    """For every code up to U+FFFF (and one entry for any above), whether `_SPACE` matches
    its character (bit `_WHITE`) and whether `_GARBLED` does (bit `_UNMAPPED`), read off the
    patterns themselves over the whole plane (about 10 ms, once): no character above U+FFFF
    is either."""
    import numpy as np

    every = "".join(map(chr, range(0x10000)))  # '(cid:' never stands in it: one-character matches
    kinds = np.zeros(0x10001, dtype=np.uint8)
    for pattern, kind in ((_SPACE, _WHITE), (_GARBLED, _UNMAPPED)):
        kinds[[match.start() for match in pattern.finditer(every)]] |= kind
    return kinds
