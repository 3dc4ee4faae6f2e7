"""The extraction stage's token boundaries (`pipeline.extract.tokens.Tokens`) answer as the Doc of
the same passages does: every span widened to the tokens, strict alignment, token splits."""

from __future__ import annotations

from typing import cast

from extractors.components import _split_tokens_at
from extractors.spans import Match, PassageFinder
from pipeline.extract.language import get_nlp
from pipeline.extract.runner import Passage, _exact, fitted
from pipeline.extract.tokenizer import SudachiTokenizer
from pipeline.extract.tokens import Tokens

# Spaces of every kind: a single space after a word (its trailing space), a run of spaces, a
# line break inside a passage, and the separator between passages.
PASSAGES = [
    "第3条 第2項の規定により、料金を支払う。",
    "前条  及び\n第五条の二又は同号イ",
    "30日以内",
]


def _tokenizer() -> SudachiTokenizer:
    tokenizer = get_nlp().tokenizer
    assert isinstance(tokenizer, SudachiTokenizer)
    return tokenizer


def test_every_span_is_widened_as_the_doc_widens_it() -> None:
    tokenizer = _tokenizer()
    doc = tokenizer.passages_doc(PASSAGES)
    tokens = tokenizer.passages_tokens(PASSAGES)
    assert tokens.starts == [t.idx for t in doc]
    assert tokens.length == len(doc.text)
    assert any(t.whitespace_ for t in doc), "a word with a trailing space is checked"
    for start in range(-1, len(doc.text) + 2):
        for end in range(start + 1, len(doc.text) + 2):
            span = doc.char_span(start, end, alignment_mode="expand")
            expected = None if span is None else (span.start_char, span.end_char)
            assert tokens.expand(start, end) == expected, (start, end)
            assert tokens.aligned(start, end) == (doc.char_span(start, end) is not None)


def test_tokens_are_split_as_the_doc_is_retokenized() -> None:
    tokenizer = _tokenizer()
    doc = tokenizer.passages_doc(PASSAGES)
    tokens = tokenizer.passages_tokens(PASSAGES)
    # Inside words, on boundaries, in a trailing space, two cuts in one word, past the end.
    offsets = {1, 2, 3, 4, 6, 9, 10, 27, 29, 33, len(doc.text) + 5}
    before = len(doc)
    _split_tokens_at(doc, offsets)
    assert len(doc) > before + 1, "several tokens are split"
    tokens.split_at(offsets)
    assert tokens.starts == [t.idx for t in doc]
    assert tokens.lengths == [len(t) for t in doc]
    assert Tokens.of_doc(doc, tokens.bounds).starts == tokens.starts
    for start in range(len(doc.text)):
        span = doc.char_span(start, start + 3, alignment_mode="expand")
        expected = None if span is None else (span.start_char, span.end_char)
        assert tokens.expand(start, start + 3) == expected


def test_no_passage_has_no_token() -> None:
    tokens = _tokenizer().passages_tokens([])
    assert tokens.starts == [] and tokens.length == 0
    assert tokens.expand(0, 1) is None
    assert not tokens.aligned(0, 1)


def test_a_passage_of_cross_references_alone_needs_no_tokens() -> None:
    """Cross-references split the tokens they start or end inside: their spans are the matches
    themselves, and the stage does not tokenize a passage where they are all it found."""
    nlp = get_nlp()
    components = cast(list[PassageFinder], [component for _, component in nlp.pipeline])
    crossrefs = components[-1]
    assert crossrefs.splits_tokens and not any(c.splits_tokens for c in components[:-1])
    text = "第3条 第2項の規定により、前条及び第五条の二又は同号イに定める事項"
    found = [component.find(text) for component in components]
    assert len(found[-1]) > 3 and not any(found[:-1]), "cross-references alone"
    assert _exact(text, found, components)

    run = [Passage("art:1/para:1", text, 0, None)]
    tokenizer = _tokenizer()
    spans = {}
    for untokenized in (frozenset(), frozenset({0})):
        tokens = tokenizer.passages_tokens([text], untokenized=untokenized)
        fit = fitted(tokens, run, [crossrefs.find(text)], crossrefs)
        spans[untokenized] = [(start, end) for start, end, _, _ in fit]
    assert spans[frozenset()] == spans[frozenset({0})] == [(m.start, m.end) for m in found[-1]]

    # Another value beside them, or a reference that starts in white space: tokenized.
    with_period = "30日以内に第3条の規定により"
    assert not _exact(with_period, [c.find(with_period) for c in components], components)
    spaced: list[list[Match]] = [[] for _ in components[:-1]]
    spaced.append([Match(0, 4, found[-1][0].value)])
    assert not _exact(" 第3条", spaced, components)
