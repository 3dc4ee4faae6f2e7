"""The characters a PDF engine gives for each page: text, box and size, before any layout."""

from __future__ import annotations

from typing import Literal, NamedTuple

CharSource = Literal["pdfplumber", "pdfium"]


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
