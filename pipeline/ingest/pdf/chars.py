"""The characters a PDF engine gives for each page: text, box and size, before any layout.

Two shapes of the same values: `Char`, one tuple per character (`Page`), and column by column
(`PageChars`: a list of texts and one numpy array of the numbers; `CharRow`: one list per
field), which the layout works on, so that no tuple is built per character on the way.
numpy is imported by the functions that read a PDF, not by the modules: a process that
reads only text never loads it.
"""

from __future__ import annotations

import threading
from itertools import repeat
from typing import Any, Literal, NamedTuple

CharSource = Literal["pdfplumber", "pdfium"]

PDFIUM_LOCK = threading.Lock()
"""Held around every use of PDFium: it is not thread-safe, not even for two documents, and
ctypes lets other threads run while a PDFium call is under way (a dask worker of a scheduler
given to `yakkan batch` runs tasks in several threads, and a library user may). The reader takes
it per page, so threads reading PDFs take turns; without it they crash PDFium or read a page
as damaged."""


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


class PageChars:
    """One page's characters column by column, in the engine's order, before any layout.

    An engine whose every text is one character may give their codes (`codes`) instead of
    the texts: the layout reads the codes, and the texts are made from them only if asked
    for (PDFium's pages: no string per character on the way, and a page held until its lines
    are built keeps 4 bytes a character).
    """

    __slots__ = ("_texts", "codes", "height", "number", "values", "width")

    def __init__(
        self,
        number: int,
        width: float,
        height: float,
        texts: list[str] | None,
        values: Any,
        codes: Any = None,
    ) -> None:
        if texts is None and codes is None:
            raise ValueError("a page's characters need their texts or their codes")
        self.number = number
        self.width = width
        self.height = height
        self._texts = texts
        # a numpy array of five rows, parallel to `texts`: x0, x1, top, bottom, size;
        # float64, or of Python objects if an engine gave any number that is no float (kept
        # as given)
        self.values = values
        # each text's code (a uint32 numpy array) when the engine gave them, every text one
        # character (a lone surrogate too), else None
        self.codes = codes

    def __len__(self) -> int:
        """The number of characters."""
        return int(self.values.shape[1])

    @property
    def texts(self) -> list[str]:
        """Each character's text, in the engine's order."""
        if self._texts is None:
            self._texts = shared_chars(self.codes.tolist())
        return self._texts

    def text(self) -> str:
        """The page's texts joined, in the engine's order."""
        if self._texts is None:
            return str(self.codes.tobytes().decode("utf-32-le", "surrogatepass"))
        return "".join(self._texts)


_ONE_CHAR: dict[int, str] = {}
"""One string per code point read so far, shared by every character that has it (a lone
surrogate too, as `chr` gives it)."""


def shared_chars(codes: list[int]) -> list[str]:
    """The characters of `codes`, each code's string one shared object.

    Python makes a new object for every non-Latin-1 character it decodes: a page of Japanese
    text held as one string per character would keep ~75 bytes for each. A text repeats a
    few thousand characters, so sharing them costs almost nothing.
    """
    table = _ONE_CHAR
    for code in set(codes).difference(table):
        table[code] = chr(code)
    return list(map(table.__getitem__, codes))


class CharRow(NamedTuple):
    """A row's characters (sorted by `x0`) column by column: one list per field of `Char`."""

    texts: list[str]
    lefts: list[float]
    rights: list[float]
    tops: list[float]
    bottoms: list[float]
    sizes: list[float]


def char_row(row: Row) -> CharRow:
    """A row of `Char`s column by column."""
    if not row:
        return CharRow([], [], [], [], [], [])
    return CharRow(*map(list, zip(*row, strict=True)))


def row_chars(row: CharRow) -> Row:
    """A row given column by column as `Char`s."""
    return list(map(tuple.__new__, repeat(Char), zip(*row, strict=True)))


def page_chars(page: Page) -> PageChars:
    """A page of `Char`s column by column."""
    import numpy as np

    texts = [char[0] for char in page.chars]
    columns = [[char[field] for char in page.chars] for field in range(1, 6)]
    floats = all(type(value) is float for column in columns for value in column)
    values = np.array(columns, dtype=np.float64 if floats else object).reshape(5, len(texts))
    return PageChars(page.number, page.width, page.height, texts, values)


def page_of(page: PageChars) -> Page:
    """A page given column by column as `Char`s."""
    fields = zip(page.texts, *page.values.tolist(), strict=True)
    return Page(
        page.number, page.width, page.height, list(map(tuple.__new__, repeat(Char), fields))
    )
