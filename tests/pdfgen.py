"""Test PDFs built from scratch, independent of yakkan: a long two-column document and bad PDFs.

Everything here uses reportlab (or writes PDF syntax by hand) and the font subset committed in
`corpus/fonts/`, so the tests need no system font and never use the code they test to make
their inputs.
"""

from __future__ import annotations

import io
import random
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
FONT_FILE = ROOT / "corpus" / "fonts" / "yakkan-mincho-subset.ttf"
FONT = "PdfgenMincho"
A4 = (595.2756, 841.8898)

DrawOrder = Literal["columns", "rows"]


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def _fullwidth(number: int) -> str:
    return "".join(chr(ord(d) + 0xFEE0) for d in str(number))


def _phrases() -> list[str]:
    """Runs of Japanese words from the corpus sources: every character is in the font subset."""
    text = "".join(
        (ROOT / "corpus" / family / "source.txt").read_text(encoding="utf-8")
        for family in ("nec", "nas")
    )
    runs = re.findall(r"[\u3041-\u3093\u30a1-\u30f6\u4e00-\u9fff]{3,9}", text)
    return sorted(set(runs))


@dataclass
class TwoColumnDocument:
    """A generated two-column PDF and the blocks it holds, in reading order."""

    pdf: bytes
    title: str
    blocks: list[str]
    """The title, the spanning introduction, then each article heading and each paragraph."""
    pages: int


COLUMN_EM = 28
BODY_SIZE = 9.0
LEADING = 13.5
MARGIN_X = 30.0
BODY_TOP = 64.0
BODY_BOTTOM = 56.0
HEADER = "二段組試験文書"


def two_column_document(
    pages: int = 40, order: DrawOrder = "columns", *, seed: int = 7, fake_bold: bool = False
) -> TwoColumnDocument:
    """A document of `pages` A4 pages: spanning title and introduction, then two columns.

    `order` is the content-stream order: 'columns' draws each column top to bottom, 'rows'
    draws every row across both columns before the next. `fake_bold` draws every body line
    twice, 0.3 pt apart (the way some producers embolden text), so the reader must dedupe.
    Later pages carry a running header; every page a page number in the footer.
    """
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    rng = random.Random(seed)
    phrases = _phrases()

    def sentence(length: int) -> str:
        out = ""
        while len(out) < length:
            out += rng.choice(phrases) + rng.choice("、、、の")
        return out[:length].rstrip("、の") + "。"

    page_w, page_h = A4
    text_w = page_w - 2 * MARGIN_X
    column_w = COLUMN_EM * BODY_SIZE
    gutter = text_w - 2 * column_w
    span_em = int(text_w // BODY_SIZE)
    title = "生成試験文書 二段組"
    intro = sentence(span_em * 2 + 11)
    # A page is a list of (column, row, text) with column None for spanning rows.
    layout: list[list[tuple[int | None, int, str]]] = [[]]
    blocks = [title, intro]
    intro_rows = [intro[i : i + span_em] for i in range(0, len(intro), span_em)]
    for row, text in enumerate(intro_rows):
        layout[0].append((None, row, text))
    first_row = len(intro_rows) + 1
    rows_per_column = int((page_h - BODY_TOP - BODY_BOTTOM) // LEADING)
    page, column, row = 0, 0, first_row
    article = 0
    done = False
    while not done:
        article += 1
        block_texts = [f"第{_fullwidth(article)}条（{rng.choice(phrases)}）"]
        for paragraph in range(1, rng.randint(2, 5)):
            marker = "" if paragraph == 1 else f"{_fullwidth(paragraph)}．"
            block_texts.append(marker + sentence(rng.randint(30, 150)))
        for block in block_texts:
            lines = [block[i : i + COLUMN_EM] for i in range(0, len(block), COLUMN_EM)]
            placed: list[tuple[int, int, int, str]] = []
            p, c, r = page, column, row
            for line in lines:
                if r >= rows_per_column:
                    c, r = c + 1, first_row if p == 0 else 0
                    if c == 2:
                        p, c, r = p + 1, 0, 0
                if p >= pages:
                    break
                placed.append((p, c, r, line))
                r += 1
            if len(placed) < len(lines):
                done = True
                break
            for p_, c_, r_, line in placed:
                while len(layout) <= p_:
                    layout.append([])
                layout[p_].append((c_, r_, line))
            page, column, row = p, c, r
            blocks.append(block)

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for number, entries in enumerate(layout, start=1):
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(page_w / 2, 26, f"- {number} -")
        if number == 1:
            canvas.setFont(FONT, 16)
            canvas.drawCentredString(page_w / 2, page_h - 40, title)
        else:
            canvas.setFont(FONT, 8)
            canvas.drawRightString(page_w - MARGIN_X, page_h - 30, HEADER)
        if order == "columns":
            entries = sorted(entries, key=lambda e: (-1 if e[0] is None else e[0], e[1]))
        else:
            entries = sorted(entries, key=lambda e: (e[1], -1 if e[0] is None else e[0]))
        for col, r, text in entries:
            y = page_h - BODY_TOP - r * LEADING
            x = MARGIN_X + (0 if col is None else col * (column_w + gutter))
            canvas.setFont(FONT, BODY_SIZE)
            canvas.drawString(x, y, text)
            if fake_bold:
                canvas.drawString(x + 0.3, y, text)
        canvas.showPage()
    canvas.save()
    return TwoColumnDocument(out.getvalue(), title, blocks, len(layout))


# --------------------------------------------------------------------------------------------
# Bad PDFs
# --------------------------------------------------------------------------------------------


def _one_page(text: str, **canvas_args: object) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1, **canvas_args)  # type: ignore[arg-type]
    canvas.setFont(FONT, 10)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def text_pdf(text: str = "第1条 本約款は、試験のために作成したものとします。") -> bytes:
    """A good one-page PDF with one line of text."""
    return _one_page(text)


def encrypted_pdf(user_password: str = "user-secret") -> bytes:
    """An encrypted PDF (reportlab's standard encryption); with an empty user password anyone
    may open it, and only the owner's permissions are protected."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    encryption = StandardEncryption(user_password, ownerPassword="owner-secret", strength=128)
    return _one_page("第1条 暗号化された約款です。", encrypt=encryption)


def image_only_pdf() -> bytes:
    """A 'scanned' PDF: one page holding only a raster image, no text at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    image = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(image)
    for row in range(60, 800, 24):
        draw.rectangle((60, row, 560 - (row * 7) % 120, row + 10), fill=30)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _handmade_pdf(content: bytes, font: bytes, extra: list[bytes]) -> bytes:
    """A one-page PDF written by hand: objects 1-5 fixed, then `extra` objects from 6 on."""
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        font,
        *extra,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _text_rows(show: list[bytes]) -> bytes:
    rows = [b"BT /F1 12 Tf 72 %d Td %s Tj ET" % (760 - 18 * i, s) for i, s in enumerate(show)]
    return b"\n".join(rows)


def cid_garbled_pdf() -> bytes:
    """Text in a composite (Identity-H) font with no ToUnicode map: readers see '(cid:NN)'."""
    show = [
        b"<" + b"".join(b"%04X" % (100 + 37 * i + j) for j in range(30)) + b">" for i in range(20)
    ]
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoUnicode /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] >>"
    )
    descendant = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoUnicode"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor 7 0 R /DW 1000 >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName /NoUnicode /Flags 4 /FontBBox [0 -200 1000 800]"
        b" /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>"
    )
    return _handmade_pdf(_text_rows(show), font, [descendant, descriptor])


def control_garbled_pdf() -> bytes:
    """Text whose ToUnicode map sends every glyph to a control character (a broken producer)."""
    show = [b"(" + bytes(65 + (i + j) % 26 for j in range(40)) + b")" for i in range(20)]
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Broken def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"1 beginbfrange <41> <5A> <0001> endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    to_unicode = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    return _handmade_pdf(_text_rows(show), font, [to_unicode])


def truncated_pdf(data: bytes) -> bytes:
    """The first half of a PDF, as a download cut short leaves it."""
    return data[: len(data) // 2]


NOT_A_PDF = "第1条 これはPDFではなく、拡張子だけが.pdfのテキストです。\n".encode()
