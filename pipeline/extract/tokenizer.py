"""The Japanese tokenizer of the extraction pipeline: SudachiPy morphemes straight into a spaCy Doc.

spaCy's own `ja` tokenizer (`spacy.ja.JapaneseTokenizer`) asks SudachiPy for every morpheme's
part of speech, lemma, normalized form and reading, maps tags to Universal POS and builds a
`MorphAnalysis` per token, all in Python: about seven times the cost of SudachiPy itself. No yakkan
component reads any of that (they match on characters and only need token boundaries to anchor
their spans), so this tokenizer takes each morpheme's surface and nothing else and builds the Doc
with `Doc(vocab, words, spaces)`. The tokens are the ones spaCy's tokenizer gives, in the same
split mode, white space handled the same way: a single ' ' after a word is that word's trailing
space, any other run of white space is one token (tests/test_tokenizer.py compares the two on
every corpus and development file).

SudachiPy refuses an input longer than `SUDACHI_MAX_BYTES` UTF-8 bytes ("Input is too long");
a longer text is tokenized in pieces cut at sentence ends (。), else at other safe boundaries,
and the pieces' tokens are joined, so offsets index the whole text as before.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from spacy.tokens import Doc
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab
from sudachipy import Dictionary, SplitMode
from sudachipy import Tokenizer as SudachiTokenizerCore

from extractors.spans import PASSAGES_KEY, TEXT_KEY

SUDACHI_MAX_BYTES = 49149
"""The longest input SudachiPy tokenizes, in UTF-8 bytes."""

CUT_AFTER = ("。", "\n", "、", "」", ")", "）", " ", "\u3000")
"""Where a text too long for SudachiPy is cut, in order of preference: after a sentence end,
then after a line break, a comma, a closing bracket or a space. A word never straddles them, so
the pieces tokenize as the whole text would."""

_WHITE_SPACE = re.compile(r"\s")
_MODES = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}


@cache
def sudachi_dictionary() -> Dictionary:
    """The SudachiPy system dictionary, loaded once per process (it is the slow part)."""
    return Dictionary()


class SudachiTokenizer(DummyTokenizer):
    """A spaCy tokenizer: SudachiPy surfaces as tokens, nothing else computed.

    Tokens carry no tag, POS, lemma, norm or reading (spaCy's `ja` tokenizer sets them); a
    pipeline that needs them should use that tokenizer instead.
    """

    def __init__(self, vocab: Vocab, split_mode: str = "A") -> None:
        if split_mode not in _MODES:
            raise ValueError(f"unknown SudachiPy split mode {split_mode!r} (A, B or C)")
        self.vocab = vocab
        self.split_mode = split_mode
        self._core: SudachiTokenizerCore | None = None
        self._orths: dict[str, int] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # The SudachiPy tokenizer does not pickle; a copy in another process builds its own.
        return SudachiTokenizer, (self.vocab, self.split_mode)

    @property
    def core(self) -> SudachiTokenizerCore:
        """The SudachiPy tokenizer, created on first use."""
        if self._core is None:
            self._core = sudachi_dictionary().tokenizer(mode=_MODES[self.split_mode])
        return self._core

    @property
    def tokenizer(self) -> SudachiTokenizerCore:
        """The SudachiPy tokenizer, under the name spaCy's `ja` tokenizer gives it (code that
        reaches SudachiPy through the Language, as pipeline.diff.words does, works with
        either)."""
        return self.core

    def __call__(self, text: str) -> Doc:
        """Tokenize `text` into a Doc whose tokens are SudachiPy's morphemes."""
        words: list[str] = []
        spaced: list[int] = []
        self._append(text, words, spaced)
        doc = self._doc(words, spaced)
        # Every component reads the text; Doc.text would rebuild it from the tokens each time.
        doc.user_data[TEXT_KEY] = text
        return doc

    def passages_doc(self, texts: list[str], separator: str = "\n") -> Doc:
        """One Doc of `texts` joined by `separator`, each tokenized alone, and where each stands.

        The tokens are those of each text's own Doc, with the separator a token of its own
        between them, so a component reading each passage alone (`extractors.spans.
        passage_bounds`) finds exactly what it finds in one Doc per text, at the cost of one.
        """
        words: list[str] = []
        spaced: list[int] = []
        bounds: list[tuple[int, int]] = []
        start = 0
        for index, text in enumerate(texts):
            if index:
                words.append(separator)
                start += len(separator)
            self._append(text, words, spaced)
            bounds.append((start, start + len(text)))
            start += len(text)
        doc = self._doc(words, spaced)
        doc.user_data[TEXT_KEY] = separator.join(texts)
        doc.user_data[PASSAGES_KEY] = bounds
        return doc

    def _doc(self, words: list[str], spaced: list[int]) -> Doc:
        """The Doc of `words`, those at the indices in `spaced` followed by a space.

        The words go in as their string-store hashes (orth ids), which `Doc` looks up as they
        are: given strings, it hashes every word again through the string store's Python-level
        lookup, about half the cost of building the Doc. A surface's hash is kept once the
        string store holds it for good; inside a memory zone, whose strings the zone drops on
        exit, the words go in as strings.
        """
        spaces = _spaces(len(words), spaced)
        vocab = self.vocab
        if getattr(vocab, "in_memory_zone", False):  # spaCy 3.8's zones (3.7 has none)
            return Doc(vocab, words=words, spaces=spaces)
        known = self._orths
        orths: list[int | None] = list(map(known.get, words))
        if None in orths:
            add = vocab.strings.add
            for index, orth in enumerate(orths):
                if orth is None:
                    word = words[index]
                    orths[index] = known[word] = add(word)
        # Doc takes orth ids as words (its stub only says strings).
        return Doc(vocab, words=orths, spaces=spaces)  # type: ignore[arg-type]

    def _append(self, text: str, words: list[str], spaced: list[int]) -> None:
        """Add `text`'s tokens to `words`, and to `spaced` the index of each that takes a
        trailing space, as spaCy's `ja` tokenizer would form them (see `_append_spaced`)."""
        if _WHITE_SPACE.search(text) is None and len(text) * 4 <= SUDACHI_MAX_BYTES:
            # Most provisions are short and hold no white space: every non-empty morpheme is
            # a word, and the list's string form (surfaces joined by ' ') gives them all in
            # one call.
            words.extend(filter(None, str(self.core.tokenize(text)).split(" ")))
            return
        for piece in pieces(text):
            self._append_spaced(piece, words, spaced)

    def _append_spaced(self, text: str, words: list[str], spaced: list[int]) -> None:
        """Add the tokens of `text` (which may hold white space) to `words` and `spaced`.

        A word followed by exactly one ' ' morpheme takes it as trailing space; other white
        space between words (several spaces, line breaks, 　) becomes one token. The
        morphemes' surfaces are contiguous in `text`, so only positions are tracked.
        """
        gap_start = -1  # where pending white space began, or -1
        pos = 0
        previous_word = False  # the previous morpheme was a word (not white space)
        for morpheme in self.core.tokenize(text):
            surface = morpheme.surface()
            if not surface:
                continue  # SudachiPy's empty morphemes after '…'
            if surface.isspace():
                if previous_word and surface == " ":
                    spaced.append(len(words) - 1)
                elif gap_start < 0:
                    gap_start = pos
                previous_word = False
            else:
                if gap_start >= 0:
                    words.append(text[gap_start:pos])
                    gap_start = -1
                words.append(surface)
                previous_word = True
            pos += len(surface)
        if gap_start >= 0:
            words.append(text[gap_start:pos])


def _spaces(count: int, spaced: list[int]) -> list[bool]:
    """The `spaces` of a Doc of `count` words, True at the indices in `spaced`."""
    spaces = [False] * count
    for index in spaced:
        spaces[index] = True
    return spaces


def pieces(text: str, limit: int = SUDACHI_MAX_BYTES) -> list[str]:
    """`text` cut into consecutive pieces of at most `limit` UTF-8 bytes, at safe boundaries.

    Each cut comes after the last sentence end (。) that fits, else after the last other
    boundary of `CUT_AFTER`, else at the limit itself; the pieces join back to `text`.
    """
    if len(text) * 4 <= limit or len(text.encode("utf-8")) <= limit:
        return [text]
    found: list[str] = []
    start = 0
    while start < len(text):
        window = text[start : start + limit].encode("utf-8")[:limit].decode("utf-8", "ignore")
        if start + len(window) >= len(text):
            found.append(text[start:])
            break
        end = len(window)
        for boundary in CUT_AFTER:
            at = window.rfind(boundary)
            if at > 0:
                end = at + len(boundary)
                break
        found.append(text[start : start + end])
        start += end
    return found


TOKENIZER_NAME = "yakkan.SudachiTokenizer.v1"
"""The tokenizer's name in spaCy's registry (`@tokenizers` in a config)."""


@registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer(split_mode: str = "A") -> Any:
    """The registered factory, for a config's `[nlp.tokenizer]` block."""

    def make(nlp: Any) -> SudachiTokenizer:
        return SudachiTokenizer(nlp.vocab, split_mode=split_mode)

    return make
