"""The reading stage's column-by-column paths: rows ordered (and their extremes found) by
numpy and, where numpy and Python would differ (NaN, infinity), by Python; lines built
without `model_construct`."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pdfgen
import pytest

from pipeline.ingest.pdf import pdfium_chars, read_pdf
from pipeline.ingest.pdf.chars import PDFIUM_LOCK, Char, Page, page_chars
from pipeline.ingest.pdf.columns import _python_slice_counts, _slice_counts, find_gutter, row_ink
from pipeline.ingest.pdf.lines import built_line, page_rows, rows, rows_and_stats, spaced
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS
from pipeline.ingest.pdf.pdfium_chars import pdfium_page_chars
from pipeline.models import IngestError, RawLine

ROOT = Path(__file__).resolve().parent.parent


def char(text: str, x0: float, bottom: float, size: float = 10) -> Char:
    return Char(text, x0, x0 + size, bottom - size, bottom, size)


def texts(found: list[list[Char]]) -> list[list[str]]:
    return [[c.text for c in row] for row in found]


def test_a_line_is_built_as_model_construct_builds_it() -> None:
    boxes = [(1.0, 2.0, 3.0, 4.0), (3.0, 2.0, 5.0, 4.0)]
    ours = built_line("第1", 2, (1.0, 2.0, 5.0, 4.0), None, boxes)
    theirs = RawLine.model_construct(
        text="第1", page=2, bbox=(1.0, 2.0, 5.0, 4.0), column=None, char_boxes=boxes
    )
    assert ours == theirs
    assert list(ours.__dict__.items()) == list(theirs.__dict__.items())
    assert ours.model_fields_set == theirs.model_fields_set
    assert ours.__pydantic_extra__ is None and ours.__pydantic_private__ is None
    assert ours.model_dump_json() == theirs.model_dump_json()
    ours.column = 1  # assignment records the field as pydantic's own models do
    assert ours.column == 1 and "column" in ours.model_fields_set


def test_a_nan_bottom_is_sorted_as_pythons_sort_leaves_it() -> None:
    # Python's sort leaves a NaN where it finds it: it joins the row of the character before
    # it (NaN is never more than the tolerance below), and sorts by x0 within that row
    found = rows([char("A", 0, 10.0), char("B", 20, math.nan), char("C", 10, 10.5)])
    assert texts(found) == [["A", "C", "B"]]
    found = rows(
        [char("A", 0, 10.0), char("B", 20, 30.0), char("C", 10, math.nan), char("D", 5, 31.0)]
    )
    assert texts(found) == [["A"], ["D", "C", "B"]]


@pytest.mark.parametrize("first", [math.nan, -math.inf])
@pytest.mark.parametrize("codes", [True, False])
def test_a_page_whose_lowest_bottom_is_no_number_keeps_every_character(
    first: float, codes: bool
) -> None:
    # The first character in bottom order starts the first row whatever its bottom: a NaN
    # (or -inf) there once started no row, so the characters before the next row were lost,
    # and with the page's codes the rows' extremes were looked up past their end (IndexError).
    import numpy as np

    from pipeline.ingest.pdf.chars import PageChars
    from pipeline.ingest.pdf.reader import layout_lines

    chars = [char("あ", 10, first), char("い", 20, 10.0), char("う", 30, 30.0)]
    page = page_chars(Page(1, 100.0, 100.0, chars))
    if codes:
        code_array = np.array([ord(c.text) for c in chars], dtype=np.uint32)
        page = PageChars(1, 100.0, 100.0, None, page.values, code_array)
    found, _ = rows_and_stats(page)
    assert [row.texts for row in found] == [["あ"], ["い"], ["う"]]
    lines = layout_lines([page], DEFAULT_OPTIONS)
    assert sorted("".join(line.text for line in lines)) == ["あ", "い", "う"]


def test_rows_keep_the_numbers_as_given() -> None:
    # an engine's ints stay ints (the JSON of a box must not change from 0 to 0.0)
    found = rows([char("a", 0, 10), char("b", 12, 10)])
    assert found == [[Char("a", 0, 10, 0, 10, 10), Char("b", 12, 22, 0, 10, 10)]]
    assert all(type(value) is int for c in found[0] for value in c[1:])


def test_a_row_drawn_right_to_left_reads_left_to_right() -> None:
    found = rows([char("右", 40, 10.0), char("中", 20, 10.5), char("左", 0, 10.0)])
    assert texts(found) == [["左", "中", "右"]]


def test_a_drift_wider_than_the_tolerance_starts_rows_from_each_rows_first() -> None:
    # every step is within the 3 pt tolerance, the whole run is not: a row ends where a
    # character lies more than 3 pt below the row's first
    drift = [("a", 0, 0.0), ("b", 12, 2.0), ("c", 24, 4.0), ("d", 36, 6.0), ("e", 48, 8.0)]
    assert texts(rows([char(*c) for c in drift])) == [["a", "b"], ["c", "d"], ["e"]]


def test_layout_spaces_go_and_texts_of_several_characters_stay() -> None:
    found = rows(
        [
            char("(cid:3)", 0, 10.0),
            char(" ", 12, 10.0),
            char("\u3000", 24, 10.0),
            char("x", 36, 10.0),
            char("\t", 50, 10.0),
        ]
    )
    assert texts(found) == [["(cid:3)", "\u3000", "x"]]


def test_slice_counts_by_numpy_are_pythons() -> None:
    data = (ROOT / "corpus" / "nas" / "source.pdf").read_bytes()
    pages = list(pdfium_page_chars(data, "nas.pdf"))
    edge_rows = [[(-3.5, -0.0)], [(-0.0, 0.5), (12.0, 30.25)], [(590.5, 700.0)], []]
    for segments in [[row_ink(row, 8.0) for row in page_rows(page)] for page in pages] + [
        edge_rows
    ]:
        inked = [x for row in segments for s in row for x in s]
        fast = _slice_counts(segments, inked, 597)
        slow = _python_slice_counts([row for row in segments if row], 597)
        assert [a.tolist() for a in fast] == [a.tolist() for a in slow]


def test_an_infinite_ink_edge_fails_as_before() -> None:
    with pytest.raises(OverflowError):
        find_gutter([[(0.0, math.inf)]], 595)


@pytest.mark.parametrize("family", ["nec", "nas"])
def test_both_engines_read_the_same_lines_column_by_column(family: str) -> None:
    data = (ROOT / "corpus" / family / "source.pdf").read_bytes()
    pdfium = read_pdf(data, "x.pdf")
    pdfplumber = read_pdf(data, "x.pdf", char_source="pdfplumber")
    assert [line.text for line in pdfium.lines] == [line.text for line in pdfplumber.lines]
    assert [line.column for line in pdfium.lines] == [line.column for line in pdfplumber.lines]


@pytest.mark.parametrize("family", ["nec", "nas"])
def test_row_stats_spare_walking_rows_and_change_nothing(family: str) -> None:
    # every row of a real PDF gets its extremes from numpy, and its text, boxes and ink
    # are those found by walking the row in Python
    data = (ROOT / "corpus" / family / "source.pdf").read_bytes()
    for page in pdfium_page_chars(data, "x.pdf"):
        found, stats = rows_and_stats(page)
        assert len(stats) == len(found) and all(known is not None for known in stats)
        for row, known in zip(found, stats, strict=True):
            assert spaced(row, DEFAULT_OPTIONS, known) == spaced(row, DEFAULT_OPTIONS)
            assert row_ink(row, 8.0, known) == row_ink(row, 8.0)
            assert known is not None and known.solid == ("\u3000" not in row.texts)


@pytest.mark.parametrize("edge", [-0.0, 1e300, math.nan])
def test_rows_where_numpy_could_differ_from_python_get_no_stats(edge: float) -> None:
    # a negative zero (numpy may keep another of two equal zeros than Python's first), a
    # huge coordinate (a sum of gaps could overflow) or a NaN: the rows are walked in Python
    chars = [char("a", 0.5, 10.0), char("b", 12.0, 10.0), char("c", 30.0, 30.0)]
    page = page_chars(Page(1, 100.0, 100.0, chars))
    page.values[1, 1] = edge  # the right edge of 'b'
    found, stats = rows_and_stats(page)
    assert [row.texts for row in found] == [["a", "b"], ["c"]]
    assert stats == [None, None]


def test_a_page_pdfium_cannot_load_is_a_damaged_pdf() -> None:
    # the page tree counts two pages but holds one: PDFium opens the document and fails to
    # load the second page, which reads as a damaged PDF (the page it did load is closed)
    data = pdfgen.text_pdf().replace(b"/Count 1", b"/Count 2", 1)
    with pytest.raises(IngestError, match=r"damaged PDF: cannot be parsed \(PdfiumError\)"):
        read_pdf(data, "short-tree.pdf")


def test_boxes_read_alike_through_the_kept_buffer_or_a_pages_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a page of more characters than the thread's kept buffer holds gets a buffer of its
    # own; several threads each keep their own buffer and take turns with PDFium (which is
    # not thread-safe: without the lock this crashes or reads a page as damaged): every way
    # reads the same documents
    data = (ROOT / "corpus" / "nas" / "source.pdf").read_bytes()
    other = (ROOT / "corpus" / "nec" / "source.pdf").read_bytes()
    expected = read_pdf(data, "x.pdf").model_dump_json()
    expected_other = read_pdf(other, "x.pdf").model_dump_json()
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(
            pool.map(
                lambda i: read_pdf(other if i % 2 else data, "x.pdf").model_dump_json(), range(16)
            )
        )
    assert found == [expected_other if i % 2 else expected for i in range(16)]
    monkeypatch.setattr(pdfium_chars, "_CACHED_BOXES", 100)
    assert read_pdf(data, "x.pdf").model_dump_json() == expected


def test_a_reader_waits_for_pdfium_while_another_thread_holds_it() -> None:
    # PDFium is not thread-safe: a read in one thread cannot start its pages while another
    # holds the lock, and reads them once it is released
    data = (ROOT / "corpus" / "nas" / "source.pdf").read_bytes()
    expected = read_pdf(data, "x.pdf").model_dump_json()
    with ThreadPoolExecutor(max_workers=1) as pool:
        with PDFIUM_LOCK:
            future = pool.submit(lambda: read_pdf(data, "x.pdf").model_dump_json())
            done, _ = wait([future], timeout=0.5)
            assert not done
        assert future.result(timeout=60) == expected


@pytest.mark.parametrize("family", ["nec", "nas"])
def test_pages_given_by_codes_read_as_pages_given_by_texts(family: str) -> None:
    # PDFium's pages carry their characters' codes, not their texts: the texts made from the
    # codes, the joined text and the rows are those of the same page given by its texts
    from pipeline.ingest.pdf.chars import PageChars
    from pipeline.ingest.pdf.checks import check_text_layer

    data = (ROOT / "corpus" / family / "source.pdf").read_bytes()
    pages = list(pdfium_page_chars(data, "x.pdf"))
    assert all(page.codes is not None for page in pages)
    for page in pages:
        texts = [chr(code) for code in page.codes.tolist()]
        by_texts = PageChars(page.number, page.width, page.height, texts, page.values)
        assert by_texts.codes is None and len(by_texts) == len(page) == len(texts)
        assert page.text() == by_texts.text() == "".join(texts)
        assert rows_and_stats(page) == rows_and_stats(by_texts)
        assert page.texts == texts
    check_text_layer(pages, "x.pdf", DEFAULT_OPTIONS)


def test_a_page_needs_its_texts_or_its_codes() -> None:
    import numpy as np

    from pipeline.ingest.pdf.chars import PageChars

    with pytest.raises(ValueError):
        PageChars(1, 10.0, 10.0, None, np.empty((5, 0)))
    empty = PageChars(1, 10.0, 10.0, None, np.empty((5, 0)), np.empty(0, dtype=np.uint32))
    assert empty.texts == [] and empty.text() == "" and len(empty) == 0


@pytest.mark.parametrize("family", ["nec", "nas"])
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_pages_found_together_have_the_rows_of_each_page_alone(
    family: str, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.ingest.pdf import pagerows
    from pipeline.ingest.pdf.reader import CHAR_SOURCES

    data = (ROOT / "corpus" / family / "source.pdf").read_bytes()
    pages = list(CHAR_SOURCES[engine](data, "x.pdf"))  # type: ignore[index]
    alone = [rows_and_stats(page) for page in pages]
    assert pagerows.document_rows(pages) == alone
    assert pagerows.document_rows(pages[1:3]) == alone[1:3] and pagerows.document_rows([]) == []
    monkeypatch.setattr(pagerows, "_TOGETHER", 1000)  # groups of a page or two
    assert pagerows.document_rows(pages) == alone


def test_pages_read_alone_where_numpy_could_differ_keep_their_place_among_the_rest() -> None:
    # among pages found together: a page with a NaN bottom (sorted by Python), one with a
    # text of several characters, one with a negative zero (found with the rest, its rows
    # without stats), an empty one, and pages whose rows start at the same heights
    def page(number: int, chars: list[Char]) -> PageChars:
        return page_chars(Page(number, 100.0, 100.0, chars))

    from pipeline.ingest.pdf.chars import PageChars
    from pipeline.ingest.pdf.pagerows import document_rows

    plain = [char("a", 0.5, 10.0, 9.0), char("b", 12.0, 10.0, 9.0), char("c", 30.0, 30.0, 9.0)]
    nan = page(2, [*plain, char("x", 0.5, math.nan, 9.0)])
    cid = page(3, [char("(cid:7)", 0.5, 10.0, 9.0), *plain])
    zero = page(4, plain)
    zero.values[1, 1] = -0.0
    pages = [page(1, plain), nan, cid, zero, page(5, []), page(6, plain[::-1])]
    found = document_rows(pages)
    assert repr(found) == repr([rows_and_stats(one) for one in pages])  # NaN equals no NaN
    assert found[3][1] == [None, None] and None not in found[0][1] + found[5][1]
    assert [len(rows) for rows, _ in found] == [2, 2, 2, 2, 0, 2]


def test_a_row_of_one_ink_run_holds_columns_as_the_general_walk_finds() -> None:
    # `_columns_hold` takes a row of one ink run at once; the same run given twice goes
    # through the general walk and must read alike, for every gutter tried across the page
    from pipeline.ingest.pdf.columns import _columns_hold

    data = pdfgen.two_column_document(pages=2, order="rows").pdf
    pages = list(pdfium_page_chars(data, "x.pdf"))
    odd = [[(10.0, 20.0)], [(math.nan, 30.0)], [(400.0, math.nan)], [(300.0, 310.0)]]
    held = 0
    for page in pages:
        segments = [row_ink(row, 8.0) for row in page_rows(page)] + odd
        doubled = [row * 2 if len(row) == 1 else row for row in segments]
        for start in range(0, 600, 7):
            gutter = (float(start), float(start + 9))
            fast = _columns_hold(segments, gutter, DEFAULT_OPTIONS, 500.0)
            assert fast == _columns_hold(doubled, gutter, DEFAULT_OPTIONS, 500.0)
            held += fast
    assert held  # some gutter holds (the generated document's own)


def test_the_text_layer_check_counts_pages_by_codes_as_by_texts() -> None:
    # pages given by their codes are counted code by code (unless a '(' could open a
    # '(cid:NN)'); the same pages given by their texts are counted by the patterns: the
    # counts (in the failure's message) are the same
    import numpy as np

    from pipeline.ingest.pdf.chars import PageChars
    from pipeline.ingest.pdf.checks import check_text_layer
    from pipeline.ingest.pdf.options import PdfOptions

    data = (ROOT / "corpus" / "nas" / "source.pdf").read_bytes()
    pages = list(pdfium_page_chars(data, "x.pdf"))[:2]
    odd = "a\tb\x0b\x1c\x85\xa0\u3000\ue001\ufffd\U0001f600\ud800(cid:12)x(cid:)"
    codes = np.frombuffer(odd.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    numbers = np.zeros((5, len(codes)))
    pages += [PageChars(9, 1.0, 1.0, None, numbers, codes)]
    pages += [PageChars(10, 1.0, 1.0, None, numbers[:, :12], codes[:12])]
    near = np.array(list(map(ord, "(ci(d:")), dtype=np.uint32)  # '(' but no '(cid:'
    pages += [PageChars(11, 1.0, 1.0, None, numbers[:, :6], near)]
    always = PdfOptions(max_garbled_share=-1.0)  # fail, to show the counts
    by_texts = [PageChars(p.number, p.width, p.height, p.texts, p.values) for p in pages]
    messages = []
    for given in (pages, by_texts, pages[2:], by_texts[2:]):
        with pytest.raises(IngestError) as failure:
            check_text_layer(given, "x.pdf", always)
        messages.append(str(failure.value))
    assert messages[0] == messages[1] and messages[2] == messages[3]
    assert "(11 of 33 characters" in messages[2]


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_pages_found_together_read_alike_on_pages_full_of_ties(zero: float) -> None:
    # many characters on one bottom or one x0, rows a tolerance apart, spaces, characters
    # drawn twice, a negative zero (the page's rows then go without stats): every document
    # reads page by page as each page alone
    import random

    from pipeline.ingest.pdf.pagerows import document_rows

    rng = random.Random(5)
    for _ in range(100):
        pages = []
        for number in range(1, rng.randint(2, 6)):
            chars = []
            for _ in range(rng.randint(0, 60)):
                bottom = rng.choice([10.0, 12.5, 13.0, 20.0, zero, 6.0]) + rng.choice(
                    [0.0, 0.25, 2.9, 3.0, 3.1]
                )
                x0 = rng.choice([0.0, zero, 1.0, 1.5, 12.0, 30.0, 30.5])
                text = rng.choice("abあい\u3000 \t")
                x1 = x0 + rng.choice([0.5, 5.0, 10.0])
                chars.append(Char(text, x0, x1, bottom - 10.0, bottom, 10.0))
            pages.append(page_chars(Page(number, 100.0, 100.0, chars)))
        assert document_rows(pages) == [rows_and_stats(page) for page in pages]
