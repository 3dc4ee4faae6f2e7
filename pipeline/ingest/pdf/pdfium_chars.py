"""Characters from pypdfium2's text page (the default engine): the same characters as
pdfplumber's, read by PDFium several times faster."""

from __future__ import annotations

import ctypes
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import islice, repeat
from typing import Any

from pipeline.ingest.pdf.chars import PDFIUM_LOCK, Page, PageChars, page_chars, page_of
from pipeline.ingest.pdf.checks import unreadable
from pipeline.ingest.pdf.pdfplumber_chars import pdfplumber_pages


def pdfium_pages(data: bytes, name: str) -> Iterator[Page]:
    """Pages with pypdfium2's text page: the same characters as pdfplumber's, read by PDFium."""
    return map(page_of, pdfium_page_chars(data, name))


def pdfium_page_chars(data: bytes, name: str) -> Iterator[PageChars]:
    """`pdfium_pages`, column by column, as the layout reads them.

    A PDF PDFium will not open (damaged beyond its repair, or with no pages, which PDFium
    refuses to load) is read by pdfplumber instead, so both engines give the same Document or
    the same error.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        with PDFIUM_LOCK:
            pdf = pdfium.PdfDocument(data)
            pages = len(pdf)
    except pdfium.PdfiumError:
        yield from map(page_chars, pdfplumber_pages(data, name))
        return
    try:
        for index in range(pages):
            with PDFIUM_LOCK:
                width, height, texts, values, codes = _read_page(pdfium, raw, pdf, index, name)
            yield PageChars(index + 1, width, height, texts, values, codes)
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def _read_page(
    pdfium: Any, raw: Any, pdf: Any, index: int, name: str
) -> tuple[float, float, list[str] | None, Any, Any]:
    """One page's size, texts or codes, and numbers (see `_page_chars`), by PDFium's own
    calls, as pypdfium2's `get_page`, `get_size` and `get_textpage` make them (the document
    has no form environment), without the finalizer each of its page objects registers and
    unregisters: the handles live here only. Called with `PDFIUM_LOCK` held."""
    page = raw.FPDF_LoadPage(pdf.raw, index)
    if not page:  # a page object damaged past PDFium's repair
        raise unreadable(name, pdfium.PdfiumError("Failed to load page."))
    try:
        width, height = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
        textpage = raw.FPDFText_LoadPage(page)
        if not textpage:
            raise unreadable(name, pdfium.PdfiumError("Failed to load text page."))
        try:
            texts, values, codes = _page_chars(raw, textpage, height)
        finally:
            raw.FPDFText_ClosePage(textpage)
    finally:
        raw.FPDF_ClosePage(page)
    return float(width), float(height), texts, values, codes


_UNMAPPED_PROBE = 8
"""Every this many characters of a page are asked whether PDFium found their Unicode."""
_ALIGNMENT_PROBE = 61
"""Every this many characters, the page's text is checked against the character's own code."""


def _page_chars(raw: Any, handle: Any, height: float) -> tuple[list[str] | None, Any, Any]:
    """A text page's characters, but for the spaces and line breaks `rows` finds by itself:
    their texts, numbers and codes, as `PageChars` takes them. A page where PDFium lacks a
    Unicode map gives texts ('(cid:NN)' where one is missing) and no codes; any other gives
    codes (uint32) and no texts: the layout reads the codes, with no string per character.

    Every character's loose box (the font's ascent to descent: its height is the size) is
    asked of PDFium into one array, in one `map` over a bare prototype of the call (see
    `_bare`), and the array becomes the page's columns (`PageChars.values`) with numpy: no
    Python loop per character, which would cost more than PDFium's reading of the page.
    numpy widens PDFium's float32 values to float64 exactly, as Python's floats do, and
    subtracts them in float64 as Python does: the very same numbers.
    """
    import numpy as np

    count = raw.FPDFText_CountChars(handle)
    codes = _page_codes(raw, handle, count)
    kept_at = np.flatnonzero(
        _kept_units()[codes] if codes.dtype == np.uint16 else np.isin(codes, _SKIPPED, invert=True)
    )
    kept = kept_at.tolist()
    boxes, rects = _box_buffer(len(kept))
    page = _pointer_arg(handle)
    loose_box = _bare("FPDFText_GetLooseCharBox", None)  # a box not given stays zero
    deque(map(loose_box, repeat(page), kept, rects), 0)
    # a text layer without Unicode maps lacks them throughout a font: probing every
    # `_UNMAPPED_PROBE`th character finds it; only then is every character asked
    unmapped = _bare("FPDFText_HasUnicodeMapError")
    kept_codes = codes[kept_at]
    texts: list[str] | None = None
    if any(map(unmapped, repeat(page), range(0, count, _UNMAPPED_PROBE))):
        texts = [
            f"(cid:{code})" if unmapped(page, i) else chr(code)
            for i, code in zip(kept, kept_codes.tolist(), strict=True)
        ]
    lefts, tops, rights, bottoms = (
        np.frombuffer(boxes, np.float32, 4 * len(kept)).astype(np.float64).reshape(-1, 4).T
    )
    values = np.empty((5, len(kept)))
    values[0], values[1] = lefts, rights
    # PDF space (bottom-left origin) to top-left, as pdfplumber's
    np.subtract(height, tops, out=values[2])
    np.subtract(height, bottoms, out=values[3])
    np.subtract(tops, bottoms, out=values[4])
    return texts, values, None if texts is not None else kept_codes.astype(np.uint32)


_CACHED_BOXES = 1 << 14
"""Up to this many characters a page, the boxes go to a buffer each thread keeps (see
`_box_buffer`); a page with more has a buffer of its own."""
_buffers = threading.local()


def _box_buffer(count: int) -> tuple[Any, Iterable[Any]]:
    """A zeroed buffer of `count` FS_RECTFs (left, top, right, bottom: float32) and a pointer
    (`byref`) to each, for PDFium to write the characters' boxes into.

    Making the pointers costs a quarter of PDFium's calls that fill them: each thread keeps
    one buffer and its pointers, grown as pages need them, for every page it reads (a page is
    read whole, its boxes copied out, before the next is read). Zeroed, as a new buffer is,
    for a character whose box PDFium does not give.
    """
    if count > _CACHED_BOXES:
        boxes = (ctypes.c_float * (4 * count))()
        return boxes, map(ctypes.byref, repeat(boxes), range(0, 16 * count, 16))
    kept = getattr(_buffers, "boxes", None)
    if kept is None:
        pointers: list[Any] = []
        kept = _buffers.boxes = ((ctypes.c_float * (4 * _CACHED_BOXES))(), pointers)
    boxes, rects = kept
    if len(rects) < count:
        rects.extend(map(ctypes.byref, repeat(boxes), range(16 * len(rects), 16 * count, 16)))
    ctypes.memset(boxes, 0, 16 * count)
    return boxes, islice(rects, count)


def _pointer_arg(handle: Any) -> Any:
    """A PDFium handle as an argument for a `_bare` prototype, passed as it is on every call.

    A `c_void_p` argument becomes a new ctypes argument object on each call (a sixth of a
    box call); `byref` of an object placed at the handle's address is such an argument
    already, and passes that very address. The object is never read: it only names the
    address, valid while the handle is.
    """
    address = ctypes.cast(handle, ctypes.c_void_p).value or 0  # NULL, as a c_void_p passes it
    return ctypes.byref(ctypes.c_char.from_address(address))


@cache
def _bare(name: str, result: Any = ctypes.c_int) -> Callable[..., Any]:
    """PDFium's function `name`, returning an int (or, `result` None, a call whose result is
    never read: ctypes then makes no int of it, a tenth of the call), as a bare prototype:
    called with ctypes objects for pointers (a `c_void_p`, a `byref`) and Python ints for
    ints.

    pypdfium2's binding checks each argument against its structure types, which costs more
    than PDFium's own work for one character; a prototype without `argtypes` converts
    nothing (an int goes as a C int, a ctypes object as its address), a third less than
    one with them. It is a `PYFUNCTYPE`: it keeps the GIL, where a `CFUNCTYPE` releases and
    takes it again on every call, for a call far shorter than a thread switch.
    """
    import pypdfium2.raw as raw

    address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
    prototype = ctypes.PYFUNCTYPE(result)
    return prototype(address)  # type: ignore[arg-type]  # a bound function is never NULL


def _page_codes(raw: Any, handle: Any, count: int) -> Any:
    """The Unicode code of each of a text page's characters, by index: a numpy array, of
    UTF-16 units (uint16) from the page's text, or of the characters' own codes (uint32).

    One call for the page's text instead of one per character; the text is UTF-16 and
    PDFium rewrites some control codes in it, so it is used only when it has one unit per
    character and agrees with the characters' own codes at every `_ALIGNMENT_PROBE`th one.
    """
    import numpy as np

    buffer = np.zeros(count + 1, dtype=np.uint16)
    written = raw.FPDFText_GetText(
        handle, 0, count, buffer.ctypes.data_as(ctypes.POINTER(ctypes.c_ushort))
    )
    codes = buffer[:count]
    if written == count + 1:
        probes = range(0, count, _ALIGNMENT_PROBE)
        own = map(
            _bare("FPDFText_GetUnicode"), repeat(_pointer_arg(handle)), probes
        )
        if list(own) == codes[probes.start : probes.stop : probes.step].tolist():
            return codes
    return np.array([raw.FPDFText_GetUnicode(handle, i) for i in range(count)], dtype=np.uint32)


_SKIPPED = (0x20, 0x0A, 0x0D, 0x2028, 0x2029, 0xFFFE, 0x02)
"""Codes PDFium gives for spaces and line breaks (its own, generated ones among them), which
`rows` leaves out in any case."""


@cache
def _kept_units() -> Any:
    """For every UTF-16 unit, whether it is kept (is none of `_SKIPPED`): one lookup per
    page's codes, where `numpy.isin` costs more than the page's own lookups."""
    import numpy as np

    kept = np.ones(0x10000, dtype=bool)
    kept[list(_SKIPPED)] = False
    return kept
