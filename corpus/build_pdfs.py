"""Typeset the corpus PDFs from their source texts, reproducibly.

The published PDFs of the two corpus documents are not redistributable, so each is rebuilt here
with its real layout from the text taken from it:

- `nec/source.pdf`: A4, the title and the preamble spanning the page, then the articles in two
  columns of about 28 full-width characters (the source's own column lines), a running header
  on later pages and a page number in the footer.
- `nas/source.pdf`: A4, one column, a title block, a running header on later pages and page
  numbers; paragraphs are wrapped to the measure, and the source's own line breaks are kept.

Both embed `fonts/yakkan-mincho-subset.ttf`, a subset of IPAex Mincho (see `fonts/README.md`),
so neither the build nor the tests need a system font. Rebuilding is byte-stable: reportlab's
invariant mode fixes the creation date and the document id.

    python corpus/build_pdfs.py                      # rebuild both PDFs
    python corpus/build_pdfs.py --check              # exit 1 if a rebuild differs from the files
    python corpus/build_pdfs.py --subset-font /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

CORPUS = Path(__file__).resolve().parent
FONT_DIR = CORPUS / "fonts"
FONT_FILE = FONT_DIR / "yakkan-mincho-subset.ttf"
FONT_NAME = "YakkanMincho"
SUBSET_FAMILY = "Yakkan Mincho Subset"

A4 = (595.2756, 841.8898)

# Characters the subset keeps beyond those of the two sources: everything a generated test
# document, a header or a footer may use.
EXTRA_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))  # ASCII
    + "".join(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width ASCII forms
    + "".join(chr(c) for c in range(0x3000, 0x3019))  # ideographic space and punctuation
    + "".join(chr(c) for c in range(0x3041, 0x3097))  # hiragana
    + "".join(chr(c) for c in range(0x30A1, 0x30FD))  # katakana
    + "".join(chr(c) for c in range(0x2460, 0x2474))  # circled digits 1-20
    + "〇一二三四五六七八九十百千万章節条項号附則以上前各同本段組生成試験文書頁"
)


def source_chars() -> str:
    """Every character the committed font subset must cover."""
    text = "".join(
        (CORPUS / family / "source.txt").read_text(encoding="utf-8") for family in ("nec", "nas")
    )
    return "".join(sorted(set(text + EXTRA_CHARS) - {"\n", "\r"}))


def subset_font(original: Path, target: Path = FONT_FILE) -> None:
    """Write a subset of `original` (IPAex Mincho) covering `source_chars()`, renamed.

    The IPA Font License requires a derived font to carry a name of its own.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(original))
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=source_chars())
    subsetter.subset(font)
    names = {
        1: SUBSET_FAMILY,
        3: f"{SUBSET_FAMILY}; derived from IPAex Mincho 004.01",
        4: SUBSET_FAMILY,
        6: SUBSET_FAMILY.replace(" ", ""),
    }
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    font["head"].created = font["head"].modified = 0
    buffer = io.BytesIO()
    font.save(buffer)
    target.write_bytes(buffer.getvalue())


def register_font(path: Path = FONT_FILE) -> str:
    """Register the embedded font with reportlab and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
    return FONT_NAME


def width(text: str, size: float) -> float:
    """Advance width of `text` in the embedded font, in points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, FONT_NAME, size))


def new_canvas(out: io.BytesIO, title: str) -> Canvas:
    """A reportlab canvas in invariant mode, so that a rebuild gives the same bytes."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("yakkan corpus (typeset from source.txt)")
    canvas.setCreator("corpus/build_pdfs.py")
    return canvas


# --------------------------------------------------------------------------------------------
# NEC: title and preamble across the page, then two columns of the source's own lines
# --------------------------------------------------------------------------------------------

NEC_MARGIN_X = 40.0
NEC_BODY_SIZE = 8.0
NEC_LEADING = 12.5
NEC_COLUMN_EM = 31  # the longest column line of the source; most have 28-29
NEC_TOP = 52.0
NEC_BOTTOM = 52.0
NEC_PREAMBLE_LINES = 10  # source lines before the first article: title and preamble


@dataclass(frozen=True)
class Furniture:
    """A layout's running header (on every page but the first) and its page number."""

    margin_x: float
    header_size: float
    header_drop: float
    """How far below the page's top edge the header's baseline stands."""
    number_size: float
    number_y: float
    number: str
    """The page number's format: '- {} -'."""
    full_width: bool = False
    """Whether the page number is written in full-width digits."""

    def draw(self, canvas: Canvas, page: int, header: str) -> None:
        """Draw the furniture of page `page` (1-based)."""
        page_w, page_h = A4
        if page > 1:
            canvas.setFont(FONT_NAME, self.header_size)
            canvas.drawRightString(page_w - self.margin_x, page_h - self.header_drop, header)
        canvas.setFont(FONT_NAME, self.number_size)
        digits = to_fullwidth(str(page)) if self.full_width else str(page)
        canvas.drawCentredString(page_w / 2, self.number_y, self.number.format(digits))


NEC_FURNITURE = Furniture(NEC_MARGIN_X, 7, 30, 8, 28, "－ {} －", full_width=True)


def nec_lines(source: str) -> tuple[str, list[str], list[str]]:
    """Split the NEC source into title, preamble lines and column lines.

    The source has a blank line after every line (an artefact of its extraction); those go.
    A line holding only a space separates articles and stays as an empty column line.
    """
    lines = source.split("\n")
    head = [line for line in lines[:NEC_PREAMBLE_LINES] if line.strip()]
    body = [line for line in lines[NEC_PREAMBLE_LINES:] if line != ""]
    return head[0], head[1:], [line if line.strip() else "" for line in body]


def build_nec(source: str) -> bytes:
    """Typeset the NEC document: A4, spanning title and preamble, two columns below."""
    register_font()
    title, preamble, column_lines = nec_lines(source)
    page_w, page_h = A4
    text_w = page_w - 2 * NEC_MARGIN_X
    column_w = NEC_COLUMN_EM * NEC_BODY_SIZE
    gutter = text_w - 2 * column_w
    assert gutter >= 12, "the two columns must leave a gutter"
    header = title.strip()

    out = io.BytesIO()
    canvas = new_canvas(out, header)
    page = 1

    NEC_FURNITURE.draw(canvas, page, header)
    y = NEC_TOP + 14
    canvas.setFont(FONT_NAME, 14)
    canvas.drawCentredString(page_w / 2, page_h - y, header)
    y += 28
    canvas.setFont(FONT_NAME, NEC_BODY_SIZE)
    for line in preamble:
        assert width(line, NEC_BODY_SIZE) <= text_w, line
        canvas.drawString(NEC_MARGIN_X, page_h - y, line)
        y += NEC_LEADING
    y += NEC_LEADING
    column_top = y
    column = 0
    for line in column_lines:
        assert width(line.rstrip(), NEC_BODY_SIZE) <= column_w, line
        if y > page_h - NEC_BOTTOM:
            column += 1
            y = column_top
            if column == 2:
                canvas.showPage()
                page += 1
                NEC_FURNITURE.draw(canvas, page, header)
                column, y = 0, NEC_TOP + NEC_BODY_SIZE
                column_top = y
        if line:
            canvas.setFont(FONT_NAME, NEC_BODY_SIZE)
            x = NEC_MARGIN_X + column * (column_w + gutter)
            canvas.drawString(x, page_h - y, line)
        y += NEC_LEADING
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def to_fullwidth(text: str) -> str:
    """ASCII letters and digits as their full-width forms (as the NEC document prints them)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


# --------------------------------------------------------------------------------------------
# NAS: one column, title block, wrapped paragraphs
# --------------------------------------------------------------------------------------------

NAS_MARGIN_X = 62.0
NAS_BODY_SIZE = 10.0
NAS_LEADING = 16.0
NAS_TOP = 64.0
NAS_BOTTOM = 64.0
NAS_FURNITURE = Furniture(NAS_MARGIN_X, 8, 34, 9, 30, "- {} -")

# Line-breaking rule (kinsoku, simplified and strict): a line we add a break to ends with a
# Japanese character other than an opening bracket, and the next line starts with hiragana or a
# kanji that cannot begin a heading or a marker (第, 附, kanji numerals). So every break we add
# is one the Japanese joining rule removes again, and it never creates a heading or a marker.
NO_LINE_END = set("（「『【〔([{")
MARKER_LIKE_START = set("第附〇一二三四五六七八九十百千")


def can_break(prev: str, nxt: str) -> bool:
    """True when a line may end after `prev` and the next line start with `nxt`."""
    if prev in NO_LINE_END or prev.isspace() or unicodedata.east_asian_width(prev) not in "WF":
        return False
    hiragana = "\u3041" <= nxt <= "\u3093"
    kanji = "\u4e00" <= nxt <= "\u9fff" and nxt not in MARKER_LIKE_START
    return hiragana or kanji


# A heading glued inside a source line ('…準用します。第8条 権利の譲渡…') must stay on one
# line with the text before it, as the source has it: a break is only allowed before it.
GLUED_HEADING = re.compile(r"第\s*[0-9０-９]+\s*[条章節]")


def wrap(line: str, size: float, measure: float) -> Iterator[str]:
    """Break one source line into lines no wider than `measure` at allowed break points."""
    while width(line, size) > measure:
        fit = 1
        while fit < len(line) and width(line[: fit + 1], size) <= measure:
            fit += 1
        glued = [m.start() for m in GLUED_HEADING.finditer(line) if m.start() > 0]
        last = min(fit, glued[0]) if glued else fit
        cut = next((i for i in range(last, 0, -1) if can_break(line[i - 1], line[i])), fit)
        yield line[:cut]
        line = line[cut:]
    yield line


def build_nas(source: str) -> bytes:
    """Typeset the NAS document: A4, one column, title block, running header, page numbers."""
    register_font()
    lines = source.rstrip("\n").split("\n")
    stray, title, version, dated, quoted, body = (*lines[:5], lines[5:])
    page_w, page_h = A4
    measure = page_w - 2 * NAS_MARGIN_X
    header = f"{title} {version.strip('()')}"

    out = io.BytesIO()
    canvas = new_canvas(out, title)
    page = 1

    NAS_FURNITURE.draw(canvas, page, header)
    y = NAS_TOP
    canvas.setFont(FONT_NAME, NAS_BODY_SIZE)
    canvas.drawString(NAS_MARGIN_X, page_h - y, stray)
    y += 40
    canvas.setFont(FONT_NAME, 16)
    canvas.drawCentredString(page_w / 2, page_h - y, title)
    y += 22
    canvas.setFont(FONT_NAME, 12)
    canvas.drawCentredString(page_w / 2, page_h - y, version)
    y += 26
    canvas.setFont(FONT_NAME, NAS_BODY_SIZE)
    canvas.drawRightString(page_w - NAS_MARGIN_X, page_h - y, dated)
    y += 30
    canvas.setFont(FONT_NAME, 12)
    canvas.drawCentredString(page_w / 2, page_h - y, quoted)
    y += 30
    for line in wrapped(body, NAS_BODY_SIZE, measure):
        if y > page_h - NAS_BOTTOM:
            canvas.showPage()
            page += 1
            NAS_FURNITURE.draw(canvas, page, header)
            y = NAS_TOP
        canvas.setFont(FONT_NAME, NAS_BODY_SIZE)
        canvas.drawString(NAS_MARGIN_X, page_h - y, line)
        y += NAS_LEADING
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def wrapped(lines: Iterable[str], size: float, measure: float) -> Iterator[str]:
    """The source lines, each wrapped to the measure (its own break kept as a forced break)."""
    for line in lines:
        if line.strip():
            yield from wrap(line, size, measure)


# --------------------------------------------------------------------------------------------

BUILDERS = {"nec": build_nec, "nas": build_nas}


def build(family: str) -> bytes:
    """The PDF bytes of one corpus family, typeset from its source.txt."""
    source = (CORPUS / family / "source.txt").read_text(encoding="utf-8")
    return BUILDERS[family](source)


def main(argv: list[str] | None = None) -> int:
    """Rebuild (or, with --check, verify) the corpus PDFs; optionally re-subset the font."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare rebuilds with the files")
    parser.add_argument("--subset-font", type=Path, metavar="IPAEXM_TTF", help="re-subset first")
    args = parser.parse_args(argv)
    if args.subset_font:
        subset_font(args.subset_font)
        print(f"wrote {FONT_FILE.relative_to(CORPUS.parent)}")
    status = 0
    for family in BUILDERS:
        target = CORPUS / family / "source.pdf"
        data = build(family)
        if args.check:
            same = target.exists() and target.read_bytes() == data
            print(f"{target.relative_to(CORPUS.parent)}: {'up to date' if same else 'DIFFERS'}")
            status |= not same
        else:
            target.write_bytes(data)
            print(f"wrote {target.relative_to(CORPUS.parent)} ({len(data)} bytes)")
    return status


if __name__ == "__main__":
    sys.exit(main())
