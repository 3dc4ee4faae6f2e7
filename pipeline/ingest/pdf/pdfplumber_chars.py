"""Characters from pdfplumber (pdfminer): the values of `page.chars`, with the repairs that
make pdfminer read the same pages as PDFium (rotated pages, save floods, broken tables)."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.ingest.pdf.chars import PDFIUM_LOCK, Char, Page
from pipeline.ingest.pdf.checks import EMPTY_PDF, unreadable
from pipeline.models import IngestError


def pdfplumber_pages(data: bytes, name: str) -> Iterator[Page]:
    """Pages with pdfplumber's characters: the same values as `page.chars`.

    They are read from `page.layout`, the pdfminer objects `page.chars` is built from, with
    pdfplumber's own coordinate conversion (top-left origin, MediaBox offset) but without its
    20-key dictionary per character, which costs a third of the page's parse time.
    """
    from pdfminer.layout import LTChar, LTContainer

    def collect(objects: Iterable[Any], shift: tuple[float, float, float], out: list[Char]) -> None:
        mb_x0, mb_top, height = shift
        for obj in objects:
            if isinstance(obj, LTChar):
                top, bottom = height - obj.y1 + mb_top, height - obj.y0 + mb_top
                out.append(
                    Char(obj.get_text(), obj.x0 + mb_x0, obj.x1 + mb_x0, top, bottom, obj.size)
                )
            elif isinstance(obj, LTContainer):
                collect(obj, shift, out)  # a form XObject (LTFigure) holds characters too

    with _open_pdfplumber(data, name) as pdf:
        for index, page in enumerate(pdf.pages):
            width, height = float(page.width), float(page.height)
            mb_x0, mb_top = (float(v) for v in page.mediabox[:2])
            _drop_empty_saves(page.page_obj)
            if page.rotation in (90, 180, 270) and _upright_share(page, unrotated=True) > 0.5:
                # Text drawn level on a page turned by /Rotate: read it where it is level, in
                # the page's own space, as PDFium does (pdfminer would turn it on its side).
                page.page_obj.rotate = 0
                if page.rotation in (90, 270):
                    width, height = height, width
            chars: list[Char] = []
            try:
                collect(page.layout, (mb_x0, mb_top, height), chars)
            except Exception as err:
                raise unreadable(name, err) from None
            yield Page(index + 1, width, height, chars)
            page.close()


SAVE_FLOOD = 10_000
"""More graphics-state saves than this in one content stream is a flood worth collapsing."""
_EMPTY_SAVE = re.compile(rb"(?<!\S)q\s+Q(?!\S)")


def _drop_empty_saves(page_obj: Any) -> None:
    """Remove 'q Q' pairs with nothing between them from a flooded page's content streams.

    A save immediately restored draws nothing, but pdfminer interprets every operator in
    Python: a page of millions of them takes minutes (PDFium: a second). Only a stream with
    more than SAVE_FLOOD saves is touched, so a literal '(q Q)' string in a normal page is
    never at risk.
    """
    from pdfminer.pdftypes import stream_value

    for ref in page_obj.contents or []:
        try:
            stream = stream_value(ref)
            data = stream.get_data()
        except Exception:
            continue  # pdfminer reports a broken stream when it reads the page
        if data.count(b"q") <= SAVE_FLOOD:
            continue
        for _ in range(64):  # nested pairs 'q q Q Q' go one level per pass
            data, removed = _EMPTY_SAVE.subn(b"", data)
            if not removed:
                break
        stream.data = data


def _upright_share(page: Any, *, unrotated: bool) -> float:
    """Share of a pdfplumber page's characters that stand upright, read with the page's
    /Rotate applied or (unrotated) in its own space; the page's layout is not cached."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter

    saved = page.page_obj.rotate
    if unrotated:
        page.page_obj.rotate = 0
    try:
        device = PDFPageAggregator(page.pdf.rsrcmgr, pageno=page.page_number)
        PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
        layout = device.get_result()
    except Exception:
        return 0.0
    finally:
        page.page_obj.rotate = saved
    upright = total = 0
    stack: list[Any] = [layout]
    while stack:
        for obj in stack.pop():
            if isinstance(obj, LTChar):
                total += 1
                upright += bool(obj.upright)
            elif isinstance(obj, LTContainer):
                stack.append(obj)
    return upright / total if total else 0.0


def _open_pdfplumber(data: bytes, name: str) -> Any:
    """pdfplumber's PDF, with its pages; an IngestError when it cannot be read or has none.

    A damaged cross-reference table can hide every page from pdfminer, where PDFium rebuilds
    the table and reads them all: a PDF that pdfminer opens with no pages, or not at all, is
    read once more as PDFium saves it (with a sound table), so both engines see the same pages.
    """
    import pdfplumber

    first: BaseException | None = None
    empty = False
    for attempt in (lambda: data, lambda: _repaired(data)):
        try:
            pdf = pdfplumber.open(io.BytesIO(attempt()))
        except Exception as err:
            first = first or err
            continue
        try:
            if len(pdf.pages) > 0:
                return pdf
            empty = True
        except Exception as err:
            first = first or err
        with contextlib.suppress(Exception):  # closing walks the pages that just failed
            pdf.close()
    if empty or first is None:
        raise IngestError(name, EMPTY_PDF)
    raise unreadable(name, first) from None


def _repaired(data: bytes) -> bytes:
    """The PDF as PDFium writes it back after its own repair of the file's structure."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
        finally:
            pdf.close()
