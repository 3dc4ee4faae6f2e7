"""Reading order on generated PDFs: a 40-page two-column document in both content-stream orders.

The generator (tests/pdfgen.py) knows what it typeset, block by block; the reader must give back
every block, in order, each starting a line, with the running header and page numbers gone.
"""

from __future__ import annotations

import pdfgen
import pytest

from pipeline.ingest.pdf import CharSource, read_pdf
from pipeline.ingest.pdf.chars import Char
from pipeline.ingest.pdf.columns import find_gutter, ink_segments
from pipeline.ingest.pdf.headers import is_page_number
from pipeline.ingest.pdf.lines import dedupe, rows
from pipeline.models import Document, RawDocument
from pipeline.process import parse_raw


@pytest.fixture(scope="module", params=["columns", "rows"])
def generated(request: pytest.FixtureRequest) -> pdfgen.TwoColumnDocument:
    """The 40-page document, drawn column by column or row by row across both columns."""
    return pdfgen.two_column_document(pages=40, order=request.param)


def assert_blocks_read_back(raw: RawDocument, blocks: list[str]) -> None:
    """Every block in order, each starting at a line start, and nothing else."""
    text = "".join(line.text for line in raw.lines)
    line_starts = set()
    offset = 0
    for line in raw.lines:
        line_starts.add(offset)
        offset += len(line.text)
    offset = 0
    for number, block in enumerate(blocks):
        assert text[offset : offset + len(block)] == block, f"block {number} out of place"
        assert offset in line_starts, f"block {number} does not start a line"
        offset += len(block)
    assert offset == len(text)


@pytest.mark.parametrize("char_source", ["pdfplumber", "pdfium"])
def test_forty_page_two_column_document_reads_in_order(
    generated: pdfgen.TwoColumnDocument, char_source: CharSource
) -> None:
    raw = read_pdf(generated.pdf, "generated.pdf", char_source=char_source)
    assert generated.pages == raw.source.pages == 40
    assert len(generated.blocks) > 40 * 2 * 10  # about 12 blocks per column
    assert_blocks_read_back(raw, generated.blocks)
    assert raw.lines[0].text == generated.title and raw.lines[0].column is None
    for page in range(1, 41):
        columns = [line.column for line in raw.lines if line.page == page]
        # page by page: the left column is read to its end before the right one starts
        body = [c for c in columns if c is not None]
        assert body == sorted(body) and set(body) == {0, 1}


def test_fake_bold_characters_are_read_once() -> None:
    doc = pdfgen.two_column_document(pages=3, order="rows", fake_bold=True)
    for char_source in ("pdfplumber", "pdfium"):
        raw = read_pdf(doc.pdf, "bold.pdf", char_source=char_source)  # type: ignore[arg-type]
        assert_blocks_read_back(raw, doc.blocks)


# --------------------------------------------------------------------------------------------
# The building blocks on literal characters
# --------------------------------------------------------------------------------------------


def row_of(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    """Full-width characters set solid from x on one baseline."""
    return [
        Char(ch, x + i * size, x + (i + 1) * size, top, top + size, size)
        for i, ch in enumerate(text)
    ]


def test_dedupe_keeps_one_of_a_character_drawn_twice() -> None:
    row = sorted(row_of("約款", 100, 50) + row_of("約款", 100.4, 50.2), key=lambda c: c.x0)
    assert "".join(c.text for c in dedupe(row)) == "約款"
    # the same character one place further on is not a duplicate
    assert "".join(c.text for c in dedupe(row_of("のの", 100, 50))) == "のの"


def test_rows_group_by_top_and_sort_by_x() -> None:
    chars = row_of("右列", 320, 100.5) + row_of("左列", 40, 100) + row_of("次行", 40, 114)
    assert [[c.text for c in row] for row in rows(chars)] == [
        ["左", "列", "右", "列"],
        ["次", "行"],
    ]


def test_ink_segments_merge_narrow_gaps_and_part_at_wide_ones() -> None:
    # 2 points between A and B, 20 between B and C: a gutter needs 8
    row = row_of("AB", 0, 0) + row_of("CD", 40, 0)
    assert ink_segments(row, 8.0) == [(0, 20), (40, 60)]


def test_ink_segments_keep_a_gap_a_wider_character_reaches_over() -> None:
    # 'a' ends at 15 and 'b' starts at 30, but the wide character before them reaches 50
    row = [Char("長", 0, 50, 0, 10, 10), Char("a", 10, 15, 0, 10, 10), Char("b", 30, 35, 0, 10, 10)]
    assert ink_segments(row, 8.0) == [(0, 50)]


def test_ink_segments_count_an_ideographic_space_as_no_ink() -> None:
    row = [
        Char("A", 0, 10, 0, 10, 10),
        Char("\u3000", 10, 40, 0, 10, 10),
        Char("B", 45, 55, 0, 10, 10),
    ]
    assert ink_segments(row, 8.0) == [(0, 10), (45, 55)]
    assert ink_segments([Char("\u3000", 0, 10, 0, 10, 10)], 8.0) == []


def test_gutter_between_two_columns_despite_a_spanning_title() -> None:
    title = [[(100.0, 500.0)]]
    two_columns = [[(40.0, 290.0), (310.0, 560.0)] for _ in range(10)]
    gutter = find_gutter(title + two_columns, 595)
    assert gutter is not None and gutter[0] >= 290 and gutter[1] <= 310


def test_no_gutter_in_a_single_column_of_ragged_lines() -> None:
    lines = [[(60.0, 60.0 + 470 * (i % 5 + 1) / 5)] for i in range(30)]
    assert find_gutter(lines, 595) is None


def test_right_aligned_lines_are_no_column_when_the_text_crosses() -> None:
    # a date and a signature flush right under full lines: more rows cross than stand aside
    body = [[(60.0, 530.0)] for _ in range(8)]
    short = [[(60.0, 200.0)] for _ in range(3)]
    flush_right = [[(400.0, 530.0)] for _ in range(3)]
    assert find_gutter(body + short + flush_right, 595) is None


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("3", 3, True),
        ("- 3 -", 3, True),
        ("－ ３ －", 3, True),
        ("3/10", 3, True),
        ("3 / 10", 3, True),
        ("p. 3", 3, True),
        ("Page 3 of 9", 3, True),
        ("3頁", 3, True),
        ("(3)", 3, True),
        ("31", 3, False),
        ("3", 4, False),
        ("第3条", 3, False),
        ("ます。", 3, False),
        ("2022年", 3, False),
    ],
)
def test_page_number_forms(text: str, number: int, expected: bool) -> None:
    assert is_page_number(text, number) is expected


# --------------------------------------------------------------------------------------------
# Numbers drawn apart from their text, page breaks and running headers (generated PDFs)
# --------------------------------------------------------------------------------------------


_HALF_WIDTH = str.maketrans("（）０１２３４５６７８９", "()0123456789")
"""Full-width brackets and digits read half-width (a document's markers as the tree keeps them);
circled digits and kanji numerals stay."""


def generated_outline(doc: pdfgen.MarkerDocument) -> list[tuple[object, ...]]:
    """What the generator typeset: articles, paragraphs and items with their numbers and text."""
    out: list[tuple[object, ...]] = []
    for article in doc.articles:
        out.append(("article", str(article.number), article.title))
        for number, paragraph in enumerate(article.paragraphs, start=1):
            out.append(("paragraph", number, paragraph.text))
            out.extend(
                ("item", item.marker.translate(_HALF_WIDTH), item.text) for item in paragraph.items
            )
    return out


def parsed_outline(doc: Document) -> list[tuple[object, ...]]:
    """The same fields from a parsed Document."""
    out: list[tuple[object, ...]] = []
    for article in doc.articles:
        out.append(("article", article.number, article.title))
        for paragraph in article.paragraphs:
            out.append(("paragraph", paragraph.number, paragraph.text))
            out.extend(("item", item.marker, item.text) for item in paragraph.items)
    return out


@pytest.mark.parametrize("running", ["title", "dash", "plain", "fraction", "company", "facing"])
@pytest.mark.parametrize("order", ["before", "after"])
@pytest.mark.parametrize("columns", [1, 2])
@pytest.mark.parametrize("char_source", ["pdfplumber", "pdfium"])
def test_numbers_drawn_apart_read_back_to_the_typeset_tree(
    columns: int, order: pdfgen.MarkerOrder, running: pdfgen.RunningKind, char_source: CharSource
) -> None:
    generated = pdfgen.marker_document(columns=columns, order=order, running=running)
    assert generated.pages >= 3 and generated.split_lists >= 1  # a list runs across a break
    raw = read_pdf(generated.pdf, "numbers.pdf", char_source=char_source)
    texts = [line.text.strip() for line in raw.lines]
    # the running header or footer is gone; the title heading page 1 stays, once
    assert texts[0] == generated.title and raw.lines[0].page == 1
    assert generated.running == generated.title or generated.running not in texts
    assert texts.count(generated.title) == 1
    assert pdfgen.COMPANY not in texts
    doc = parse_raw(raw, extract=False)
    assert parsed_outline(doc) == generated_outline(generated)


@pytest.mark.parametrize("char_source", ["pdfplumber", "pdfium"])
def test_a_last_page_with_one_line_in_its_right_column_keeps_its_columns(
    char_source: CharSource,
) -> None:
    # seed 81 ends the document one row into the last page's right column: too few rows to
    # show a gutter on that page alone, so the other pages' gutter must hold there
    generated = pdfgen.marker_document(columns=2, order="after", seed=81)
    assert generated.last_column_rows == 1
    raw = read_pdf(generated.pdf, "short.pdf", char_source=char_source)
    last_page = [line for line in raw.lines if line.page == generated.pages]
    assert [line.column for line in last_page] == sorted(line.column for line in last_page)  # type: ignore[type-var]
    assert last_page[-1].column == 1
    assert parsed_outline(parse_raw(raw, extract=False)) == generated_outline(generated)


@pytest.mark.parametrize("char_source", ["pdfplumber", "pdfium"])
def test_letter_spacing_is_no_word_space(char_source: CharSource) -> None:
    # a justified line spreads every character 0.33 em apart, digits too; a heading spaced
    # 1 em apart keeps one break, where its gap is wider still
    pdf = pdfgen.tracked_pdf(
        [
            [("料金は10,000円とし、年14.5%の割合で支払うものとします。", 3.0)],
            [("予約は利用開始日の1営業日前の13時までとします。", 0.0)],
            [("第一章", 9.0), ("総則", 9.0)],
        ]
    )
    raw = read_pdf(pdf, "tracked.pdf", char_source=char_source)
    assert [line.text for line in raw.lines] == [
        "料金は10,000円とし、年14.5%の割合で支払うものとします。",
        "予約は利用開始日の1営業日前の13時までとします。",
        "第一章 総則",
    ]
