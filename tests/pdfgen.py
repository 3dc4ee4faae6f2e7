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


# --------------------------------------------------------------------------------------------
# Numbers drawn apart from their text (Word, InDesign, macOS Quartz)
# --------------------------------------------------------------------------------------------

MarkerOrder = Literal["before", "after"]
RunningKind = Literal["title", "dash", "plain", "fraction", "company", "facing"]

COMPANY = "日本電気株式会社"
"""The company name of the 'company' running footer (its characters are in the font subset)."""


@dataclass
class GenItem:
    """An item (号) as typeset: its marker and its text."""

    marker: str
    text: str


@dataclass
class GenParagraph:
    """A paragraph (項) as typeset: its marker ('' for the first), text and items."""

    marker: str
    text: str
    items: list[GenItem]


@dataclass
class GenArticle:
    """An article (条) as typeset: its number, title and paragraphs."""

    number: int
    title: str
    paragraphs: list[GenParagraph]


@dataclass
class MarkerDocument:
    """A generated PDF whose paragraph and item numbers are separate runs, and what it holds."""

    pdf: bytes
    title: str
    articles: list[GenArticle]
    pages: int
    running: str
    """The running header or footer text of page 2 (the page number forms carry 2)."""
    split_lists: int
    """How many item lists run from one page (or column) onto the next."""
    last_column_rows: int
    """How many rows the last page's last column holds (a short one cannot show columns)."""


def _running_text(kind: RunningKind, title: str, page: int, pages: int) -> str:
    return {
        "title": title,
        "dash": f"- {page} -",
        "plain": str(page),
        "fraction": f"{page}/{pages}",
        "company": COMPANY,
        "facing": title if page % 2 == 0 else COMPANY,
    }[kind]


def marker_document(
    *,
    columns: int = 1,
    order: MarkerOrder = "before",
    running: RunningKind = "dash",
    articles: int = 8,
    seed: int = 11,
) -> MarkerDocument:
    """Articles whose paragraph ('２', '3.') and item ('（１）', '一', '①') numbers are drawn as
    their own runs at a hanging indent, as Word and InDesign draw automatic numbering.

    `order` is where the number runs stand in the content stream: 'before' each its text line,
    or 'after' every text run of the page (macOS Quartz gathers them at the end). The number
    of an item is set larger than the text (13 pt to 9 pt) on the same baseline, as Word sets
    a number formatted apart from its paragraph: the tops of the two lie 3.5 pt apart.
    `columns` is 1 or 2; `running` is the kind of running header or footer on each page
    ('facing': the title on even pages, the company on odd ones, page numbers outside).
    """
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    rng = random.Random(seed)
    # no numerals in the running text, so that no wrapped line starts like an item number,
    # and no text starting with 条/項/号, so that no number reads as a reference ('(2)号')
    phrases = [
        p
        for p in _phrases()
        if not re.search("[〇一二三四五六七八九十第]", p) and p[0] not in "条項号章節"
    ]

    def sentence(length: int) -> str:
        out = ""
        while len(out) < length:
            out += rng.choice(phrases) + rng.choice("、、の")
        return out[:length].rstrip("、の") + "。"

    item_styles = [
        lambda n: f"（{_fullwidth(n)}）",
        lambda n: "〇一二三四五六七八九"[n],
        lambda n: chr(0x2460 + n - 1),
    ]
    paragraph_styles = [_fullwidth, lambda n: f"{n}."]
    title = "番号配置試験約款"
    doc_articles: list[GenArticle] = []
    for number in range(1, articles + 1):
        paragraph_style = paragraph_styles[min(number % 3, 1)]
        paragraphs = []
        # Word lists run long (8 numbered paragraphs in an article is common)
        count = rng.randint(2, 4) if paragraph_style is _fullwidth else rng.randint(6, 9)
        for p in range(1, count + 1):
            # a Word list numbers every paragraph ('1.' too); the statute style leaves the
            # first unnumbered
            marker = "" if p == 1 and paragraph_style is _fullwidth else paragraph_style(p)
            items = []
            if rng.random() < 0.6:
                item_style = item_styles[(number + p) % 3]
                items = [
                    GenItem(item_style(i), sentence(rng.randint(12, 70)))
                    for i in range(1, rng.randint(2, 6) + 1)
                ]
            paragraphs.append(GenParagraph(marker, sentence(rng.randint(20, 120)), items))
        doc_articles.append(GenArticle(number, rng.choice(phrases), paragraphs))

    size, item_size, leading = 9.0, 13.0, 14.0
    page_w, page_h = A4
    margin, top, bottom = 56.0, 70.0, 60.0
    gutter = 24.0
    column_w = (page_w - 2 * margin - (columns - 1) * gutter) / columns
    # (indent of the number, indent of the text and of its continuation lines), in em
    para_indent, item_indent = (0.0, 4.5), (1.0, 6.0)
    rows_per_column = int((page_h - top - bottom) // leading)

    # Lines as (page, column, row, x offset in em, text, is_number, size)
    Placed = tuple[int, int, int, float, str, bool, float]
    placed: list[Placed] = []
    cursor = [0, 0, 2]  # page, column, row (page 1 starts under the title)
    list_spans: list[set[tuple[int, int]]] = []

    def advance() -> tuple[int, int, int]:
        page, column, row = cursor
        if row >= rows_per_column:
            page, column, row = (page, column + 1, 0) if column + 1 < columns else (page + 1, 0, 0)
        cursor[:] = [page, column, row + 1]
        return page, column, row

    def block(marker: str, text: str, indents: tuple[float, float], marker_size: float) -> None:
        width = int((column_w / size) - indents[1])
        lines = [text[i : i + width] for i in range(0, len(text), width)]
        for index, line in enumerate(lines):
            page, column, row = advance()
            if index == 0 and marker:
                placed.append((page, column, row, indents[0], marker, True, marker_size))
            placed.append((page, column, row, indents[1], line, False, size))

    for article in doc_articles:
        page, column, row = advance()
        heading = f"第{_fullwidth(article.number)}条（{article.title}）"
        placed.append((page, column, row, 0.0, heading, False, size))
        # a Word list sets its items at the paragraphs' own indents; the statute style deeper
        word_list = bool(article.paragraphs[0].marker)
        for paragraph in article.paragraphs:
            indents = para_indent if paragraph.marker else (1.0, 1.0)
            block(paragraph.marker, paragraph.text, indents, size)
            if paragraph.items:
                start = len(placed)
                for item in paragraph.items:
                    block(
                        item.marker, item.text, para_indent if word_list else item_indent, item_size
                    )
                list_spans.append({(p[0], p[1]) for p in placed[start:]})
    pages = cursor[0] + 1

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for page in range(pages):
        runs = [p for p in placed if p[0] == page]
        if order == "after":
            runs.sort(key=lambda p: p[5])  # every number after every text run of the page
        if page == 0:
            canvas.setFont(FONT, 14)
            canvas.drawCentredString(page_w / 2, page_h - top + leading, title)
        running_text = _running_text(running, title, page + 1, pages)
        canvas.setFont(FONT, 8)
        if running == "title":
            if page > 0:
                canvas.drawRightString(page_w - margin, page_h - 36, running_text)
        elif running == "facing":
            # a book's facing pages: the title heads the left-hand (even) pages, the company
            # the right-hand ones, and the page number stands in the outer corner
            if (page + 1) % 2 == 0:
                canvas.drawString(margin, page_h - 36, running_text)
                canvas.drawString(margin, 30, str(page + 1))
            else:
                if page > 0:
                    canvas.drawRightString(page_w - margin, page_h - 36, running_text)
                canvas.drawRightString(page_w - margin, 30, str(page + 1))
        else:
            canvas.drawCentredString(page_w / 2, 30, running_text)
        for _, column, row, indent, text, _, run_size in runs:
            canvas.setFont(FONT, run_size)
            x = margin + column * (column_w + gutter) + indent * size
            canvas.drawString(x, page_h - top - leading * (row + 1), text)
        canvas.showPage()
    canvas.save()
    return MarkerDocument(
        pdf=out.getvalue(),
        title=title,
        articles=doc_articles,
        pages=pages,
        running=_running_text(running, title, 2, pages),
        split_lists=sum(len(span) > 1 for span in list_spans),
        last_column_rows=cursor[2] if cursor[1] == columns - 1 else 0,
    )


def tracked_pdf(lines: list[list[tuple[str, float]]], size: float = 9.0) -> bytes:
    """One page of rows, each a list of (text, letter spacing in points) runs set one after
    another with a one-em gap between runs: a justified or tracked line, a letter-spaced
    heading ('第 一 章   総   則')."""
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for row, runs in enumerate(lines):
        x = 72.0
        for text, spacing in runs:
            drawn = canvas.beginText(x, A4[1] - 90 - 20 * row)
            drawn.setFont(FONT, size)
            drawn.setCharSpace(spacing)
            drawn.textOut(text)
            canvas.drawText(drawn)
            x += len(text) * (size + spacing) + size
    canvas.showPage()
    canvas.save()
    return out.getvalue()
