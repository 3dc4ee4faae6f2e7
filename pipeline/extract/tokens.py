"""A run of passages' tokens as offsets: what the extraction stage fits the finders' matches to.

The stage needs no part of a spaCy Doc but its token boundaries: a match is widened to the
tokens it touches (`Doc.char_span(..., alignment_mode="expand")`), and the cross-reference
component first splits the tokens its references start or end inside (`Doc.retokenize`). Both
are a binary search over where each token starts; building the Doc for them cost about a tenth
of the stage (its tokens' lexemes, the Python-level `Token` of every look-up).

`Tokens` holds the boundaries a Doc of the same words and spaces holds, and answers as the Doc
does, edge cases included (a match starting in a token's trailing space, a match past the end);
tests/test_extract_docs.py compares the stage with the components run on Docs.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Tokens:
    """Where each token starts (`starts`) and how long its text is (`lengths`, trailing space
    excluded) in a text of `length` characters made of the passages at `bounds`."""

    def __init__(
        self,
        starts: list[int],
        lengths: list[int],
        length: int,
        bounds: list[tuple[int, int]],
    ) -> None:
        self.starts = starts
        self.lengths = lengths
        self.length = length
        self.bounds = bounds

    @classmethod
    def of_doc(cls, doc: Doc, bounds: list[tuple[int, int]]) -> Tokens:
        """The tokens of a built Doc."""
        return cls([t.idx for t in doc], [len(t) for t in doc], len(doc.text), bounds)

    def _token_at(self, char: int) -> int:
        """The token whose text or trailing space holds `char`, or -1 (spaCy's token_by_char:
        the tokens cover the text without a gap, so a bisection finds the same one)."""
        if char < 0 or char >= self.length:
            return -1
        return bisect_right(self.starts, char) - 1

    def expand(self, start: int, end: int) -> tuple[int, int] | None:
        """The offsets of `Doc.char_span(start, end, alignment_mode="expand")`, or None."""
        first = self._token_at(start)
        if first < 0:
            return None
        last = self._token_at(end - 1)
        if last < 0:
            return None
        if start == self.starts[first] + self.lengths[first]:
            first += 1  # a start in the trailing space belongs to the next token
        stop = last + 1
        count = len(self.starts)
        if not 0 <= first <= stop <= count:
            raise IndexError(f"no span of tokens [{first}, {stop})")  # as spaCy's Span raises
        start_char = self.starts[first] if first < count else self.length
        if first == stop:
            return start_char, start_char
        return start_char, self.starts[stop - 1] + self.lengths[stop - 1]

    def aligned(self, start: int, end: int) -> bool:
        """Whether `Doc.char_span(start, end)` (strict) gives a span: both ends fall on token
        boundaries (a start on a token's start, an end on a token's text end)."""
        first = self._token_at(start)
        if first < 0 or start != self.starts[first]:
            return False
        last = self._token_at(end - 1)
        if last < 0 or end != self.starts[last] + self.lengths[last]:
            return False
        if first > last + 1:
            raise IndexError(f"no span of tokens [{first}, {last + 1})")  # as spaCy's Span
        return True

    def split_at(self, offsets: set[int]) -> None:
        """Split the tokens whose text `offsets` fall strictly inside, as
        `extractors.components._split_tokens_at` splits a Doc's: each piece a token, the
        trailing space staying with the last."""
        cuts: dict[int, list[int]] = {}
        for offset in sorted(offsets):
            index = bisect_right(self.starts, offset) - 1
            if index < 0:
                continue
            if self.starts[index] < offset < self.starts[index] + self.lengths[index]:
                cuts.setdefault(index, []).append(offset)
        if not cuts:
            return
        starts: list[int] = []
        lengths: list[int] = []
        previous = 0
        for index in sorted(cuts):
            starts += self.starts[previous:index]
            lengths += self.lengths[previous:index]
            begin, stop = self.starts[index], self.starts[index] + self.lengths[index]
            pieces = [begin, *cuts[index], stop]
            starts += pieces[:-1]
            lengths += [b - a for a, b in pairwise(pieces)]
            previous = index + 1
        self.starts = starts + self.starts[previous:]
        self.lengths = lengths + self.lengths[previous:]
