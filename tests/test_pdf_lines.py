"""A row's text, spaces and boxes (pipeline/ingest/pdf/lines.py), on rows of literal characters.

Each row is set by hand: characters of size 10 (a space is a gap wider than 0.2 em = 2 points
beyond the row's letter spacing), boxes in points, top-left origin.
"""

from __future__ import annotations

from pipeline.ingest.pdf.chars import Char
from pipeline.ingest.pdf.lines import dedupe, raw_line, row_text
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS


def char(text: str, x0: float, x1: float, top: float = 0.0, size: float = 10.0) -> Char:
    """A character whose box is `size` high from `top`."""
    return Char(text, x0, x1, top, top + size, size)


def test_a_row_set_solid_reads_without_spaces_and_boxes_each_character() -> None:
    row = [char("約", 0, 10), char("款", 10, 20)]
    line = raw_line(row, 3, 0, DEFAULT_OPTIONS)
    assert line.text == "約款"
    assert line.char_boxes == [(0, 0, 10, 10), (10, 0, 20, 10)]
    assert line.bbox == (0, 0, 20, 10)
    assert (line.page, line.column) == (3, 0)


def test_a_wide_gap_is_a_space_boxed_by_the_gap() -> None:
    # 'AB' and 'CD' 8 points apart (over 2); 'C' and 'D' stand a point lower
    row = [
        char("A", 0, 6),
        char("B", 6, 12),
        char("C", 20, 26, top=1),
        char("D", 26, 32, top=1),
    ]
    line = raw_line(row, 1, None, DEFAULT_OPTIONS)
    assert line.text == "AB CD"
    assert line.char_boxes is not None
    assert line.char_boxes[2] == (12, 0, 20, 11)  # from B's right edge to C's left, both heights
    assert len(line.char_boxes) == len(line.text)
    assert line.bbox == (0, 0, 32, 11)


def test_letter_spacing_of_a_justified_row_is_no_space() -> None:
    # every gap is 3 points: the row's tracking, not a word space ('1 3 時' reads '13時')
    assert row_text([char("1", 0, 5), char("3", 8, 13), char("時", 16, 26)]) == "13時"


def test_a_gap_wider_than_the_tracking_is_a_space() -> None:
    # tracking 3, then a gap of 10: 7 beyond the tracking, over the 2 of a space
    row = [char("1", 0, 5), char("3", 8, 13), char("時", 16, 26), char("間", 36, 46)]
    assert row_text(row) == "13時 間"


def test_a_gap_counts_against_the_larger_of_its_two_characters() -> None:
    # a 3-point gap after a 4-point character is over its 0.8, but not over the 4 of the
    # 20-point character after it; a 5-point gap is over both
    small = Char("a", 0, 2, 16, 20, 4)
    assert row_text([small, Char("字", 5, 25, 0, 20, 20)]) == "a字"
    assert row_text([small, Char("字", 7, 27, 0, 20, 20)]) == "a 字"


def test_no_space_is_added_beside_an_ideographic_space() -> None:
    row = [char("第", 0, 10), char("\u3000", 10, 20), char("条", 40, 50)]
    assert row_text(row) == "第\u3000条"


def test_an_empty_row_reads_empty() -> None:
    assert row_text([]) == ""


def test_dedupe_keeps_a_row_whose_characters_stand_apart() -> None:
    row = [char("約", 0, 10), char("約", 10, 20), char("款", 20, 30)]
    assert dedupe(row) == row
