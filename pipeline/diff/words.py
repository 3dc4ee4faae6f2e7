"""Changes widened to what a reader reads: whole words, and whole sentences when most changed.

Word bounds are SudachiPy's (mode A, as the extractors tokenize), asked for only the sentences a
change touches: a long document is never tokenized whole for a small edit.
"""

from __future__ import annotations

from typing import Any

from pipeline.diff.tokens import SENTENCE_END, Token, sentence_ids
from pipeline.models import Span


def _sentence(text: str, span: Span, pos: int) -> tuple[int, int]:
    """The sentence of `text[span]` (cut after 。 and at line ends) holding position `pos`."""
    lo = max(text.rfind(ch, span.start, pos) for ch in SENTENCE_END) + 1
    ends = [k for k in (text.find(ch, pos, span.end) for ch in SENTENCE_END) if k >= 0]
    hi = min(ends) + 1 if ends else span.end
    return max(lo, span.start), min(hi, span.end)


def _sudachi() -> Any:
    """The SudachiPy tokenizer inside the process's one spaCy Language (mode A, as the
    extractors use), called directly: ten times faster than spaCy's Doc for word bounds."""
    from pipeline.extract.language import get_nlp  # built lazily: only a changed text needs words

    tokenizer: Any = get_nlp().tokenizer  # spaCy's JapaneseTokenizer, holding SudachiPy's
    return tokenizer.tokenizer


class WordBounds:
    """Where words (Sudachi tokens) begin in one provision's text, tokenizing on demand only the
    sentences a change touches: a long document is never tokenized whole for a small edit."""

    def __init__(self, text: str, span: Span, tokens: list[Token]) -> None:
        self.text, self.span, self.tokens = text, span, tokens
        self.sentences: list[tuple[int, int, set[int]]] = []

    def before(self, k: int) -> bool:
        """Whether a word boundary lies before diff token `k` (0..len)."""
        if k <= 0 or k >= len(self.tokens):
            return True
        prev, cur = self.tokens[k - 1], self.tokens[k]
        if prev.end != cur.start or self.text[prev.start] in SENTENCE_END:
            return True  # spaces, typesetting or a sentence end stand between them
        return cur.start in self._bounds(cur.start)

    def _bounds(self, pos: int) -> set[int]:
        for lo, hi, bounds in self.sentences:
            if lo <= pos < hi:
                return bounds
        lo, hi = _sentence(self.text, self.span, pos)
        words = _sudachi().tokenize(self.text[lo:hi])
        bounds = {lo + m.begin() for m in words} | {lo + m.end() for m in words}
        self.sentences.append((lo, hi, bounds))
        return bounds


Change = tuple[int, int, int, int]
"""A changed run: old tokens [i1, i2) became new tokens [j1, j2)."""


def merge_touching(changes: list[Change]) -> list[Change]:
    """Changes that overlap or touch on either side joined into one."""
    merged: list[Change] = []
    for i1, i2, j1, j2 in changes:
        if merged and (i1 <= merged[-1][1] or j1 <= merged[-1][3]):
            p1, p2, q1, q2 = merged[-1]
            merged[-1] = (p1, max(p2, i2), q1, max(q2, j2))
        else:
            merged.append((i1, i2, j1, j2))
    return merged


def widen(changes: list[Change], old: WordBounds, new: WordBounds) -> list[Change]:
    """Widen each change to whole words on both sides (コンピュータ → コンピューター, not 「ー」).

    Between two changes the tokens are equal one for one, so a change grows by the same count
    of tokens on each side, until a word boundary stands on both sides at once. Two changes
    with a single word between them are one change around it (接触 → 近接（接触を含む。）),
    not two insertions on either side of an unchanged word.
    """
    widened: list[Change] = []
    for k, (i1, i2, j1, j2) in enumerate(changes):
        lo_i, lo_j = (widened[-1][1], widened[-1][3]) if widened else (0, 0)
        while i1 > lo_i and j1 > lo_j and not (old.before(i1) and new.before(j1)):
            i1, j1 = i1 - 1, j1 - 1
        hi_i, hi_j = (
            (changes[k + 1][0], changes[k + 1][2])
            if k + 1 < len(changes)
            else (len(old.tokens), len(new.tokens))
        )
        while i2 < hi_i and j2 < hi_j and not (old.before(i2) and new.before(j2)):
            i2, j2 = i2 + 1, j2 + 1
        widened = merge_touching([*widened, (i1, i2, j1, j2)])
    joined = widened[:1]
    for i1, i2, j1, j2 in widened[1:]:
        if _one_word(new, joined[-1][3], j1):
            joined[-1] = (joined[-1][0], i2, joined[-1][2], j2)
        else:
            joined.append((i1, i2, j1, j2))
    return joined


def _one_word(words: WordBounds, lo: int, hi: int) -> bool:
    """Whether tokens [lo, hi) are one word of one sentence (no boundary inside them)."""
    return (
        hi - lo > 0
        and all(not words.before(k) for k in range(lo + 1, hi))
        and not any(words.text[words.tokens[k].start] in SENTENCE_END for k in range(lo, hi))
    )


REWRITTEN_SENTENCE_SHARE = 0.5
"""Share of a sentence's words changed above which it shows as one replaced sentence."""


def whole_sentences(changes: list[Change], b: list[Token], new_text: str) -> list[Change]:
    """A sentence rewritten for the most part becomes one replacement of the whole sentence,
    so a long rewrite reads as old sentence → new sentence rather than scattered fragments."""
    if not changes or not b:
        return changes
    bounds: dict[int, tuple[int, int]] = {}
    for k, sentence in enumerate(sentence_ids(b, new_text)):
        bounds[sentence] = (bounds.get(sentence, (k, k))[0], k + 1)
    out = list(changes)
    for s, e in bounds.values():
        inside = [
            n
            for n, (_, _, j1, j2) in enumerate(out)
            if (j1 < e and j2 > s) or (j1 == j2 and s <= j1 < e)
        ]
        if not inside:
            continue
        changed_new = sum(min(out[n][3], e) - max(out[n][2], s) for n in inside)
        changed_old = sum(out[n][1] - out[n][0] for n in inside)
        total = 2 * (e - s) - changed_new + changed_old
        if total == 0 or (changed_new + changed_old) / total <= REWRITTEN_SENTENCE_SHARE:
            continue
        first, last = out[inside[0]], out[inside[-1]]
        i1, j1 = first[0], first[2]
        if j1 > s:
            i1, j1 = i1 - (j1 - s), s
        i2, j2 = last[1], last[3]
        if j2 < e:
            i2, j2 = i2 + (e - j2), e
        out = merge_touching(
            sorted([*(c for n, c in enumerate(out) if n not in inside), (i1, i2, j1, j2)])
        )
    return out
