"""The tolerances of the PDF layout analysis, each a named default (pdfplumber's habit)."""

from __future__ import annotations

from dataclasses import dataclass


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
