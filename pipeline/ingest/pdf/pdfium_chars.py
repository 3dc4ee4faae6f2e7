"""Characters from pypdfium2's text page (the default engine): the same characters as
pdfplumber's, read by PDFium several times faster."""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Iterator
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
    rect = raw.FS_RECTF()
    # bound once: a page holds thousands of characters, and every library call costs
    unmapped, loose_box = raw.FPDFText_HasUnicodeMapError, raw.FPDFText_GetLooseCharBox
    make = tuple.__new__
    unpack_box = struct.Struct("4f").unpack  # FS_RECTF: left, top, right, bottom
    try:
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                width, height = page.get_size()
                textpage = page.get_textpage()
            except pdfium.PdfiumError as err:  # a page object damaged past PDFium's repair
                raise unreadable(name, err) from None
            handle = textpage.raw
            count = raw.FPDFText_CountChars(handle)
            codes = _page_codes(raw, handle, count)
            # a text layer without Unicode maps lacks them throughout a font: probing every
            # `_UNMAPPED_PROBE`th character finds it; only then is every character asked
            garbled = any(unmapped(handle, i) for i in range(0, count, _UNMAPPED_PROBE))
            chars: list[Char] = []
            append = chars.append
            for i, code in enumerate(codes):
                if code in _PDFIUM_SKIPPED:
                    continue  # spaces and line breaks: `rows` finds its own from the gaps
                text = f"(cid:{code})" if garbled and unmapped(handle, i) else chr(code)
                loose_box(handle, i, rect)
                left, top, right, bottom = unpack_box(rect)
                # the loose box spans the font's ascent to descent: its height is the size
                append(make(Char, (text, left, right, height - top, height - bottom, top - bottom)))
            textpage.close()
            page.close()
            yield Page(index + 1, float(width), float(height), chars)
    finally:
        pdf.close()


_UNMAPPED_PROBE = 8
"""Every this many characters of a page are asked whether PDFium found their Unicode."""
_ALIGNMENT_PROBE = 61
"""Every this many characters, the page's text is checked against the character's own code."""


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
