"""PDF ingestion: PDF bytes → `RawDocument`, the text lines of every page in reading order.

Works from the characters and their boxes, never from a library's text extraction:

1. characters come from pypdfium2's text page (the default) or, with
   `char_source="pdfplumber"`, from pdfplumber (the values of `page.chars`, read from the
   pdfminer layout underneath), several times slower; both give the same lines; a character
   drawn twice at the same place (fake bold, shadow) is kept once;
2. characters are grouped into rows by their `top`, whatever their order in the content
   stream: a list number drawn as its own run (Word, InDesign and macOS Quartz draw automatic
   numbering apart from its text, before or after it) joins the line it stands on;
3. running headers, footers and page numbers go: rows near the top or bottom edge whose text
   (digits masked) repeats at the same height on many pages, and edge rows holding only the
   page's own number; the title on page 1 stays, as it stands elsewhere than the header;
4. each page is searched for a column gutter: a vertical band, with text on both sides, that
   more rows leave empty than cross, between two columns of prose (each wide, and filled by
   most of its rows: a strip of list numbers at a hanging indent is no column, nor is a
   table, which is read row by row as printed); rows that cross it (a title, a preamble) stay
   whole; a page with too few rows to show columns (the last) keeps the other pages' gutter;
5. the page is read band by band (a run of rows that keep to the columns, or one crossing row)
   and, within a band, column by column: each row's part left of the gutter is one line of the
   left column, read before the right column's.

Every line keeps its page, box, column and per-character boxes (`RawLine`). A PDF whose text
layer is missing (a scan), unusable ('(cid:NN)' glyphs, control characters), encrypted,
truncated or not a PDF at all fails with an `IngestError` naming the reason in one line.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import io
import math
import re
import struct
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from operator import attrgetter
from typing import Any, Literal, NamedTuple

from pipeline.models import BBox, IngestError, RawDocument, RawLine, SourceInfo

CharSource = Literal["pdfplumber", "pdfium"]


@dataclass(frozen=True)
class PdfOptions:
    """Tolerances of the layout analysis, in PDF points unless stated (pdfplumber's habit)."""

    dedupe_tolerance: float = 1.0
    """Two equal characters whose `x0` and `top` differ by at most this are one drawn twice."""
    line_tolerance: float = 3.0
    """Characters whose `bottom` lies within this of a row's first character join that row.
    The bottom is the baseline less the font's descent, a small share of the size, so a list
    number set larger or smaller than its text, or in another font, stays on its line, where
    the tops of characters of different sizes on one baseline lie a third of the size apart."""
    space_ratio: float = 0.2
    """A gap wider than this share of the font size between two characters reads as a space
    (where the PDF, or PDFium, gives no space character; a space glyph is 0.25-0.33 em)."""
    min_gutter_width: float = 8.0
    """Gaps narrower than this inside a row are word or character spacing, never a gutter."""
    min_column_rows: int = 3
    """A gutter needs at least this many rows of text on each side of it."""
    min_column_share: float = 0.25
    """Each column spans at least this share of the page's inked width: a strip of list
    numbers drawn apart from their text (Word, InDesign) is a hanging indent, not a column."""
    min_column_fill: float = 0.75
    """In each column, the median row reaches this share of the way from the column's left
    edge to its right edge: prose set in columns runs to the end of its measure (indented or
    not), while table cells ('旅行代金の20%以内') stop short; a table is read row by row
    across, as its rows are printed."""
    edge_zone: float = 0.12
    """Share of the page height at the top and at the bottom searched for headers/footers."""
    edge_rows: int = 2
    """Only this many rows at the top and at the bottom of a page can be header or footer."""
    edge_tolerance: float = 4.0
    """Repeated edge rows count as one running header or footer when their tops differ by less."""
    min_repeat_share: float = 0.5
    """A running header/footer repeats on at least this share of the pages (and on two)."""
    max_garbled_share: float = 0.3
    """More unmapped characters ('(cid:NN)', control characters) than this share: no usable
    text layer."""


DEFAULT_OPTIONS = PdfOptions()


class Char(NamedTuple):
    """One character on a page: its text and box (top-left origin, as in pdfplumber)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


class Page(NamedTuple):
    """One page's characters, before any layout analysis."""

    number: int
    width: float
    height: float
    chars: list[Char]


Row = list[Char]
_BOTTOM = attrgetter("bottom")
_TEXT = attrgetter("text")
_SIZE = attrgetter("size")
_SPACE = re.compile(r"\s")
_X0 = attrgetter("x0")


def read_pdf(
    data: bytes,
    name: str,
    *,
    char_source: CharSource = "pdfium",
    options: PdfOptions = DEFAULT_OPTIONS,
) -> RawDocument:
    """Read a PDF's text lines in reading order; raise IngestError when it has no usable text."""
    _check_container(data, name)
    pages = list(_CHAR_SOURCES[char_source](data, name))
    _check_text_layer(pages, name, options)
    page_rows = [rows(page.chars, options) for page in pages]
    furniture = running_rows(pages, page_rows, options)
    bodies = [
        [
            row
            for index, row in enumerate(page_row_list)
            if (page.number, index) not in furniture and _inked(row)
        ]
        for page, page_row_list in zip(pages, page_rows, strict=True)
    ]
    segments = [[_segments(row, options.min_gutter_width) for row in body] for body in bodies]
    gutters = [
        find_gutter(page_segments, page.width, options)
        for page, page_segments in zip(pages, segments, strict=True)
    ]
    found = [gutter for gutter in gutters if gutter is not None]
    lines: list[RawLine] = []
    for page, body, page_segments, gutter in zip(pages, bodies, segments, gutters, strict=True):
        if gutter is None and found:
            gutter = inherited_gutter(page_segments, found)
        lines.extend(layout_page(page, body, page_segments, gutter, options))
    source = SourceInfo(
        path=name, sha256=hashlib.sha256(data).hexdigest(), kind="pdf", pages=len(pages)
    )
    return RawDocument(source=source, lines=lines)


# --------------------------------------------------------------------------------------------
# Failing early and clearly
# --------------------------------------------------------------------------------------------


def _check_container(data: bytes, name: str) -> None:
    """Not a PDF at all, or cut short: say so before a parser guesses its way through."""
    if b"%PDF-" not in data[:1024]:
        raise IngestError(name, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-1024:]:
        raise IngestError(name, "truncated PDF: the file ends before its %%EOF marker")


def _unreadable(name: str, err: BaseException) -> IngestError:
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


def _check_text_layer(pages: list[Page], name: str, options: PdfOptions) -> None:
    """Fail a PDF without text (a scan) or whose text is mostly unmapped glyph codes."""
    total = garbled = 0
    for page in pages:
        text = "".join(map(_TEXT, page.chars))
        total += len(page.chars) - len(_SPACE.findall(text))
        garbled += len(_GARBLED.findall(text))
    if total == 0:
        raise IngestError(name, "no text at all (an image-only or scanned PDF?): OCR needed")
    if garbled / total > options.max_garbled_share:
        raise IngestError(
            name,
            f"no usable text layer: OCR needed ({garbled} of {total} characters have no"
            " Unicode mapping)",
        )


# --------------------------------------------------------------------------------------------
# Character sources
# --------------------------------------------------------------------------------------------


def _pdfplumber_pages(data: bytes, name: str) -> Iterator[Page]:
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
                raise _unreadable(name, err) from None
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
    raise _unreadable(name, first) from None


def _repaired(data: bytes) -> bytes:
    """The PDF as PDFium writes it back after its own repair of the file's structure."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


EMPTY_PDF = "empty PDF: it has no pages"


def _pdfium_pages(data: bytes, name: str) -> Iterator[Page]:
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
        yield from _pdfplumber_pages(data, name)
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
                raise _unreadable(name, err) from None
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


_CHAR_SOURCES = {"pdfplumber": _pdfplumber_pages, "pdfium": _pdfium_pages}


# --------------------------------------------------------------------------------------------
# Characters → rows
# --------------------------------------------------------------------------------------------


def rows(chars: list[Char], options: PdfOptions = DEFAULT_OPTIONS) -> list[Row]:
    """Group characters into rows across the page by `bottom`; each row sorted by `x0`, deduped.

    A row starts at its highest character and takes every character whose `bottom` lies
    within `line_tolerance` of it. The PDF's own spaces and line separators are left out: engines
    disagree on them (PDFium drops a line's trailing spaces and U+2028, pdfminer keeps them)
    and the gap a space leaves reads as one space anyway (`row_text`), so both engines give
    the same lines; an ideographic space stays, as text. O(n log n).
    """
    ordered = sorted([char for char in chars if char[0] not in _LAYOUT_SPACES], key=_BOTTOM)
    out: list[Row] = []
    anchor = -math.inf
    for char in ordered:
        if char.bottom - anchor > options.line_tolerance:
            out.append([])
            anchor = char.bottom
        out[-1].append(char)
    return [dedupe(sorted(row, key=_X0), options.dedupe_tolerance) for row in out]


_LAYOUT_SPACES = frozenset(ch for ch in map(chr, range(0x3000)) if ch.isspace())
"""Spaces and line separators a PDF draws for layout: every white space below U+3000; not the
ideographic space, which is text."""


def dedupe(row: Row, tolerance: float = DEFAULT_OPTIONS.dedupe_tolerance) -> Row:
    """Drop characters drawn again over an equal one (fake bold, shadows) from a row.

    The row is sorted by `x0`, so a duplicate lies among the few characters just before it
    whose `x0` is within `tolerance`: linear in the row's length, never pairwise over the page.
    """
    kept: Row = []
    for char in row:
        duplicate = False
        for other in reversed(kept):
            if char.x0 - other.x0 > tolerance:
                break
            if other.text == char.text and abs(other.top - char.top) <= tolerance:
                duplicate = True
                break
        if not duplicate:
            kept.append(char)
    return kept


def row_text(row: Row, options: PdfOptions = DEFAULT_OPTIONS) -> str:
    """The text of characters sorted by `x0`, with a space where a wide gap stands for one."""
    return _spaced(row, options)[0]


def _spaced(row: Row, options: PdfOptions) -> tuple[str, list[BBox]]:
    """A row's text and per-character boxes, with a space (boxed by the gap) where a gap is
    wider than `space_ratio` of the font size beyond the row's letter spacing, and the PDF
    draws no space of its own."""
    texts: list[str] = []
    boxes: list[BBox] = []
    ratio = options.space_ratio
    tracking = _tracking(row, ratio)
    # tuples unpacked, not attributes read: this runs once per character of the document
    p_text, _, p_x1, p_top, p_bottom, p_size = " ", 0.0, math.inf, 0.0, 0.0, 0.0
    for text, x0, x1, top, bottom, size in row:
        if (
            x0 - p_x1 - tracking > ratio * (p_size if p_size > size else size)
            and not p_text.isspace()
            and not text.isspace()
        ):
            texts.append(" ")
            boxes.append(
                (p_x1, p_top if p_top < top else top, x0, p_bottom if p_bottom > bottom else bottom)
            )
        texts.append(text)
        boxes.append((x0, top, x1, bottom))
        p_text, p_x1, p_top, p_bottom, p_size = text, x1, top, bottom, size
    return "".join(texts), boxes


def _tracking(row: Row, ratio: float) -> float:
    """The letter spacing of a row whose characters are set apart (a justified or tracked
    line, a letter-spaced heading), or 0 for a row set solid.

    When most gaps between neighbours are wider than `ratio` of the row's font size, the
    spacing is the lower median gap: only a gap wider again is a word space, so '1 3 時' of a
    justified line reads '13時' while '第 一 章   総   則' keeps the break before its title.
    """
    if len(row) < 3:
        return 0.0
    gaps = sorted([b[1] - a[2] for a, b in pairwise(row)])
    median = gaps[(len(gaps) - 1) // 2]  # wider than the limit only if most gaps are
    return median if median > ratio * max(map(_SIZE, row)) else 0.0


# --------------------------------------------------------------------------------------------
# Running headers, footers and page numbers
# --------------------------------------------------------------------------------------------


def _masked(text: str) -> str:
    """Row text with digits masked and spaces dropped, so 'Page 3' and 'Page 4' compare equal."""
    return "".join("#" if ch.isdecimal() else ch for ch in text if not ch.isspace())


_PAGE_NUMBER = re.compile(
    r"[-‐–—―(\[<|・.]*(?:page|p\.?)?(\d{1,4})(?:(?:/|of)\d{1,4})?(?:頁|ページ)?[-‐–—―)\]>|・.]*"
)


def is_page_number(text: str, number: int) -> bool:
    """'3', '- 3 -', '－ ３ －', '3/10', 'p. 3', 'Page 3 of 9', '3頁': page `number`, decorated."""
    compact = "".join(unicodedata.normalize("NFKC", text).lower().split())
    m = _PAGE_NUMBER.fullmatch(compact)
    return m is not None and int(m[1]) == number


def running_rows(
    pages: list[Page], page_rows: list[list[Row]], options: PdfOptions = DEFAULT_OPTIONS
) -> set[tuple[int, int]]:
    """(page number, row index) of every running header, footer and page number row."""
    edge: dict[str, list[tuple[int, int, float, str]]] = defaultdict(list)
    found: set[tuple[int, int]] = set()
    for page, page_row_list in zip(pages, page_rows, strict=True):
        top_edge = page.height * options.edge_zone
        bottom_edge = page.height * (1 - options.edge_zone)
        last = len(page_row_list) - options.edge_rows
        for index, row in enumerate(page_row_list):
            if options.edge_rows <= index < last:
                continue
            top = min(c.top for c in row)
            if top > top_edge and max(c.bottom for c in row) < bottom_edge:
                continue
            text = row_text(row, options)
            if is_page_number(text, page.number):
                found.add((page.number, index))
            masked = _masked(text)
            if masked:
                edge[masked].append((page.number, index, top, "".join(text.split())))
    for occurrences in edge.values():
        if len({o[0] for o in occurrences}) < 2:
            continue
        tops = sorted(o[2] for o in occurrences)
        usual = tops[len(tops) // 2]
        same_place = [o for o in occurrences if abs(o[2] - usual) < options.edge_tolerance]
        # Masking digits makes '第1234条' on one page equal '第1235条' on the next: a running
        # row repeats its text exactly, or its digits change with the page number.
        common = Counter(o[3] for o in same_place).most_common(1)[0][0]
        running = [o for o in same_place if o[3] == common or _names_page(o[3], o[0])]
        numbers = {o[0] for o in running}
        # facing pages (a book's layout) carry one header on the left-hand pages and another
        # on the right-hand ones: a header on pages of one parity repeats among those
        parities = {number % 2 for number in numbers}
        among = len(pages) if len(parities) > 1 else (len(pages) + parities.pop()) // 2
        if len(numbers) >= max(2, math.ceil(options.min_repeat_share * among)):
            found.update((number, index) for number, index, _, _ in running)
    return found


def _names_page(text: str, number: int) -> bool:
    """True when one of the row's numbers is the page number ('- 3 -', 'p.3/10', '3頁')."""
    return str(number) in re.findall(r"\d+", unicodedata.normalize("NFKC", text))


# --------------------------------------------------------------------------------------------
# Columns and reading order
# --------------------------------------------------------------------------------------------


def _inked(row: Row) -> bool:
    """A row with something besides spaces: a row of spaces alone is no line."""
    return any(not char.text.isspace() for char in row)


def _segments(row: Row, min_gap: float) -> list[tuple[float, float]]:
    """The x extents of a row's ink, merging gaps narrower than `min_gap`; spaces are no ink."""
    out: list[tuple[float, float]] = []
    start = end = -math.inf
    for text, x0, x1, *_ in row:
        if text.isspace():
            continue
        if x0 - end < min_gap:
            end = x1 if x1 > end else end
        else:
            if start > -math.inf:
                out.append((start, end))
            start, end = x0, x1
    if start > -math.inf:
        out.append((start, end))
    return out


def find_gutter(
    row_segments: list[list[tuple[float, float]]],
    page_width: float,
    options: PdfOptions = DEFAULT_OPTIONS,
) -> tuple[float, float] | None:
    """The page's column gutter as (x0, x1), or None for a single column.

    In 1-point slices across the page, count the rows whose ink covers the slice, the rows
    with ink entirely left of it and those with ink entirely right of it. The gutter is the
    run of slices covered by the fewest rows, where at least `min_column_rows` rows stand on
    each side and more rows stand on each side than cross it, whose sides read as columns
    (`_columns_hold`); of equals, the one nearest the middle of the ink, for the gap between
    the list numbers and the text of a hanging indent in the right column is a gutter too.
    """
    width = int(page_width) + 2
    cover = [0] * (width + 1)
    left = [0] * (width + 1)
    right = [0] * (width + 1)
    for segments in row_segments:
        if not segments:
            continue
        for x0, x1 in segments:
            cover[min(max(int(x0), 0), width)] += 1
            cover[min(max(math.ceil(x1), 0), width)] -= 1
        # a row stands left of slice x when its first ink ends by x; right when its last starts
        # after x + 1
        left[min(max(math.ceil(segments[0][1]), 0), width)] += 1
        right[min(max(int(segments[-1][0]) - 1, 0), width)] += 1
    for x in range(1, width + 1):
        cover[x] += cover[x - 1]
        left[x] += left[x - 1]
    for x in range(width - 1, -1, -1):
        right[x] += right[x + 1]

    def usable(x: int) -> bool:
        sides = min(left[x], right[x])
        return sides >= options.min_column_rows and cover[x] < sides

    inked = [x for segments in row_segments for s in segments for x in s]
    centre = (min(inked) + max(inked)) / 2 if inked else page_width / 2
    # (rows crossing, distance from the middle of the ink, first slice, end)
    candidates: list[tuple[int, float, int, int]] = []
    x = 0
    while x < width:
        if not usable(x):
            x += 1
            continue
        start = x
        while x < width and usable(x) and cover[x] == cover[start]:
            x += 1
        if x - start >= options.min_gutter_width - 2:
            candidates.append((cover[start], abs((start + x) / 2 - centre), start, x))
    for _, _, start, end in sorted(candidates):
        if _columns_hold(row_segments, (float(start), float(end)), options):
            return float(start), float(end)
    return None


def _columns_hold(
    row_segments: list[list[tuple[float, float]]],
    gutter: tuple[float, float],
    options: PdfOptions,
) -> bool:
    """Whether the rows on each side of a gutter read as columns of prose.

    Each side must hold more rows than cross the gutter (a table's wrapped cells and merged
    rows cross it all the time), span `min_column_share` of the inked width, and its median
    row must reach `min_column_fill` of the way across the side.
    """
    g0, g1 = gutter
    middle = (g0 + g1) / 2
    sides: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    crossing = 0
    for segments in row_segments:
        if not segments:
            continue
        if any(x0 < g1 and x1 > g0 for x0, x1 in segments):
            crossing += 1
            continue
        left = [s for s in segments if s[0] < middle]
        right = [s for s in segments if s[0] >= middle]
        for side, part in ((0, left), (1, right)):
            if part:
                sides[side].append((part[0][0], part[-1][1]))
    inked = [x for segments in row_segments for s in segments for x in s]
    page_ink = max(inked) - min(inked)
    for parts in sides:
        if len(parts) <= crossing:
            return False
        edge = min(p[0] for p in parts)
        span = max(p[1] for p in parts) - edge
        if span < options.min_column_share * page_ink:
            return False
        reach = sorted((x1 - edge) / span for _, x1 in parts)
        if reach[(len(reach) - 1) // 2] < options.min_column_fill:
            return False
    return True


def inherited_gutter(
    row_segments: list[list[tuple[float, float]]], gutters: list[tuple[float, float]]
) -> tuple[float, float] | None:
    """The gutter of the document's other pages, where a page has too few rows to show its own.

    The last page's right column may hold a line or two: the columns still stand there if no
    row crosses the gutter the other pages have and some row stands on each side of it. The
    gutter most pages share is tried first.
    """
    for gutter, _ in Counter(gutters).most_common():
        g0, g1 = gutter
        left = right = False
        for segments in row_segments:
            if any(x0 < g1 and x1 > g0 for x0, x1 in segments):
                break
            left = left or segments[0][0] < g0
            right = right or segments[-1][1] > g1
        else:
            if left and right:
                return gutter
    return None


def layout_page(
    page: Page,
    page_rows: list[Row],
    row_segments: list[list[tuple[float, float]]],
    gutter: tuple[float, float] | None,
    options: PdfOptions = DEFAULT_OPTIONS,
) -> list[RawLine]:
    """A page's rows (with their `_segments`) as lines in reading order: band by band, column
    by column on either side of `gutter`."""
    if gutter is None:
        return [_line(row, page.number, 0, options) for row in page_rows]
    g0, g1 = gutter
    middle = (g0 + g1) / 2
    lines: list[RawLine] = []
    band: list[Row] = []

    def flush() -> None:
        # each row of the band splits at the gutter; the left halves are read first
        for column in (0, 1):
            for row in band:
                half = [char for char in row if (char.x0 >= middle) == column]
                if _inked(half):
                    lines.append(_line(half, page.number, column, options))
        band.clear()

    for row, segments in zip(page_rows, row_segments, strict=True):
        if any(x0 < g1 and x1 > g0 for x0, x1 in segments):
            flush()
            lines.append(_line(row, page.number, None, options))
        else:
            band.append(row)
    flush()
    return lines


def _line(row: Row, page: int, column: int | None, options: PdfOptions) -> RawLine:
    """One row of characters (sorted by `x0`) as a RawLine with its boxes."""
    text, boxes = _spaced(row, options)
    bbox = (
        boxes[0][0],
        min(char.top for char in row),
        max(char.x1 for char in row),
        max(char.bottom for char in row),
    )
    # model_construct: the values are built here with the right types; validating every
    # character box again would cost more than reading the page.
    return RawLine.model_construct(
        text=text,
        page=page,
        bbox=bbox,
        column=column,
        char_boxes=boxes,
    )
