"""Characters from pypdfium2's text page (the default engine): the same characters as
pdfplumber's, read by PDFium several times faster."""

from __future__ import annotations

import ctypes
from collections import deque
from collections.abc import Callable, Iterator
from functools import cache, partial
from itertools import repeat
from operator import sub
from typing import Any

from pipeline.ingest.pdf.chars import Char, Page
from pipeline.ingest.pdf.checks import unreadable
from pipeline.ingest.pdf.pdfplumber_chars import pdfplumber_pages


def pdfium_pages(data: bytes, name: str) -> Iterator[Page]:
    """Pages with pypdfium2's text page: the same characters, read by PDFium.

    A PDF PDFium will not open (damaged beyond its repair, or with no pages, which PDFium
    refuses to load) is read by pdfplumber instead, so both engines give the same Document or
    the same error.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        yield from pdfplumber_pages(data, name)
        return
    try:
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
            except pdfium.PdfiumError as err:  # a page object damaged past PDFium's repair
                raise unreadable(name, err) from None
            chars = _page_chars(raw, textpage.raw, height)
            textpage.close()
            page.close()
            yield Page(index + 1, float(width), float(height), chars)
    finally:
        pdf.close()


_UNMAPPED_PROBE = 8
"""Every this many characters of a page are asked whether PDFium found their Unicode."""
_ALIGNMENT_PROBE = 61
"""Every this many characters, the page's text is checked against the character's own code."""


def _page_chars(raw: Any, handle: Any, height: float) -> list[Char]:
    """A text page's characters, but for the spaces and line breaks `rows` finds by itself.

    Every character's loose box (the font's ascent to descent: its height is the size) is
    asked of PDFium into one array, in one `map` over a bare prototype of the call (see
    `_bare`), and the array becomes `Char`s column by column: no Python loop per
    character, which would cost more than PDFium's reading of the page.
    """
    count = raw.FPDFText_CountChars(handle)
    codes = _page_codes(raw, handle, count)
    kept = [i for i, code in enumerate(codes) if code not in _PDFIUM_SKIPPED]
    boxes = (ctypes.c_float * (4 * len(kept)))()  # FS_RECTF: left, top, right, bottom
    start = ctypes.addressof(boxes)
    page = ctypes.cast(handle, ctypes.c_void_p).value
    loose_box = _bare("FPDFText_GetLooseCharBox", ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
    deque(map(loose_box, repeat(page), kept, range(start, start + 16 * len(kept), 16)), 0)
    # a text layer without Unicode maps lacks them throughout a font: probing every
    # `_UNMAPPED_PROBE`th character finds it; only then is every character asked
    unmapped = _bare("FPDFText_HasUnicodeMapError", ctypes.c_void_p, ctypes.c_int)
    if any(map(unmapped, repeat(page), range(0, count, _UNMAPPED_PROBE))):
        texts = [f"(cid:{codes[i]})" if unmapped(page, i) else chr(codes[i]) for i in kept]
    else:
        texts = list(map(chr, map(codes.__getitem__, kept)))
    values = boxes[:]
    lefts, tops, rights, bottoms = values[0::4], values[1::4], values[2::4], values[3::4]
    flip = partial(sub, height)  # PDF space (bottom-left origin) to top-left, as pdfplumber's
    sizes = map(sub, tops, bottoms)
    fields = zip(texts, lefts, rights, map(flip, tops), map(flip, bottoms), sizes, strict=True)
    return list(map(tuple.__new__, repeat(Char), fields))


@cache
def _bare(name: str, *argtypes: type) -> Callable[..., int]:
    """PDFium's function `name` with plain arguments (`argtypes`: pointers as integers),
    returning an int.

    pypdfium2's binding checks each argument against its structure types, which costs more
    than PDFium's own work for one character; this prototype of the same function does not.
    """
    import pypdfium2.raw as raw

    address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
    prototype = ctypes.CFUNCTYPE(ctypes.c_int, *argtypes)
    return prototype(address)  # type: ignore[arg-type]  # a bound function is never NULL


def _page_codes(raw: Any, handle: Any, count: int) -> list[int]:
    """The Unicode code of each of a text page's characters, by index.

    One call for the page's text instead of one per character; the text is UTF-16 and
    PDFium rewrites some control codes in it, so it is used only when it has one unit per
    character and agrees with the characters' own codes at every `_ALIGNMENT_PROBE`th one.
    """
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    codes = buffer[:count]
    if written == count + 1 and all(
        codes[i] == raw.FPDFText_GetUnicode(handle, i) for i in range(0, count, _ALIGNMENT_PROBE)
    ):
        return codes
    return [raw.FPDFText_GetUnicode(handle, i) for i in range(count)]


_PDFIUM_SKIPPED = frozenset((0x20, 0x0A, 0x0D, 0x2028, 0x2029, 0xFFFE, 0x02))
"""Codes PDFium gives for spaces and line breaks (its own, generated ones among them), which
`rows` leaves out in any case."""
