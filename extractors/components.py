"""The spaCy components of the extractors and their factories (`nlp.add_pipe("yakkan_periods")`).

Each extractor module holds a pure finder (`find_periods`, `parse_references`, ...) and imports
no spaCy, so structure-only parsing (`yakkan parse --no-extract`, which reads version dates with
`find_dates`) never pays for spaCy's import. This module is the only one of the extractors that
imports spaCy at its top: it wraps each finder as a component and registers the factories.

The factories keep their entry points (pyproject `spacy_factories`:
`extractors.periods:make_periods` and so on): each extractor module answers for its `make_*`
name through a module `__getattr__` that imports this module, and spaCy loads every entry point
when it builds a Language, so
`spacy.blank("ja").add_pipe("yakkan_periods")` works in any process, as before.

As spaCy's own `span_ruler`, each factory declares what it assigns (`doc.spans`) and a
`default_config` of the span key it writes and `overwrite` (True: replace the spans under the key;
False: keep them and add its own), e.g. `nlp.add_pipe("yakkan_dates", config={"spans_key":
"dates_found", "overwrite": False})`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extractors import amounts, crossrefs, dates, definitions, fractions, percentages, periods
from extractors.spans import (
    FinderComponent,
    Match,
    doc_text,
    get_value,
    passage_bounds,
    set_value,
    write_spans,
)

if not Span.has_extension("value"):
    Span.set_extension("value", getter=get_value, setter=set_value)


def _default_config(spans_key: str) -> dict[str, Any]:
    """What every yakkan component is configured by, as spaCy's `span_ruler` is: the
    `doc.spans` key it writes and whether it replaces (True) or adds to the spans there."""
    return {"spans_key": spans_key, "overwrite": True}


def _finder_factory(
    factory: str, label: str, default_key: str, find: Callable[[str], list[Match]]
) -> Callable[..., FinderComponent]:
    """Register `factory`: a component writing `label` spans found by `find` (see module doc)."""

    def make(nlp: Language, name: str, spans_key: str, overwrite: bool) -> FinderComponent:
        return FinderComponent(name, spans_key, label, find, overwrite=overwrite)

    make.__name__ = make.__qualname__ = factory.replace("yakkan_", "make_")
    make.__doc__ = (
        f"Factory of the `{factory}` component (entry point `{factory}`): it writes "
        f'`doc.spans[spans_key]` (default "{default_key}"), each span\'s `_.value` a {label} value.'
    )
    Language.factory(factory, assigns=["doc.spans"], default_config=_default_config(default_key))(
        make
    )
    return make


make_periods = _finder_factory("yakkan_periods", "period", periods.SPAN_KEY, periods.find_periods)
make_percentages = _finder_factory(
    "yakkan_percentages", "percentage", percentages.SPAN_KEY, percentages.find_percentages
)
make_fractions = _finder_factory(
    "yakkan_fractions", "fraction", fractions.SPAN_KEY, fractions.find_fractions
)
make_amounts = _finder_factory("yakkan_amounts", "amount", amounts.SPAN_KEY, amounts.find_amounts)
make_dates = _finder_factory("yakkan_dates", "date", dates.SPAN_KEY, dates.find_dates)
make_definitions = _finder_factory(
    "yakkan_definitions", "defined_term", definitions.SPAN_KEY, definitions.find_definitions
)


class CrossReferences:
    """spaCy component: writes `doc.spans[key]` ("crossrefs"), each `_.value` a parsed reference."""

    label = "crossref"
    """The label of its spans, the kind of its values."""

    def __init__(self, name: str, key: str = crossrefs.SPAN_KEY, overwrite: bool = True) -> None:
        self.name = name
        self.key = key
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
        """Parse the Doc's references and store them as token-aligned spans."""
        text = doc_text(doc)
        matches = [
            Match(ref.start, ref.end, ref.value)
            for start, end in passage_bounds(doc)
            for ref in crossrefs.parse_references(text[start:end], offset=start)
        ]
        self.fit_tokens(doc, [(m.start, m.end) for m in matches])
        return write_spans(doc, self.key, self.label, matches, overwrite=self.overwrite)

    def find(self, text: str) -> list[Match]:
        """The references in one passage's `text`, at its offsets (as a FinderComponent's
        `find`)."""
        return [Match(ref.start, ref.end, ref.value) for ref in crossrefs.parse_references(text)]

    def fit_tokens(self, doc: Doc, spans: list[tuple[int, int]]) -> None:
        """Split the tokens that the references at `spans` (Doc offsets) start or end inside,
        so that their spans keep the exact surface."""
        # Most references start and end at token boundaries: only the others need a split.
        cut = [(start, end) for start, end in spans if doc.char_span(start, end) is None]
        _split_tokens_at(doc, {offset for span in cut for offset in span})


def _split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split tokens that a reference starts or ends inside ('第二十四条の二又は': 二又 → 二|又),
    so that each span keeps the reference's exact surface instead of widening to whole tokens."""
    # Token starts come from one array, and each offset finds its token by bisection: a loop
    # over every token in Python cost more than the whole tokenizer.
    starts = doc.to_array(IDX).tolist() if offsets else []
    by_token: dict[int, list[int]] = {}
    for offset in sorted(offsets):
        index = bisect_right(starts, offset) - 1
        if index >= 0 and starts[index] < offset < starts[index] + len(doc[index]):
            by_token.setdefault(index, []).append(offset - starts[index])
    splits = sorted(by_token.items())
    if not splits:
        return
    with doc.retokenize() as retokenizer:
        for index, cuts in splits:
            token = doc[index]
            bounds = [0, *cuts, len(token.text)]
            orths = [token.text[a:b] for a, b in pairwise(bounds)]
            heads: list[Token | tuple[Token, int]] = [(token, 0)] * len(orths)
            retokenizer.split(token, orths, heads=heads)


@Language.factory(
    "yakkan_crossrefs", assigns=["doc.spans"], default_config=_default_config(crossrefs.SPAN_KEY)
)
def make_crossrefs(nlp: Language, name: str, spans_key: str, overwrite: bool) -> CrossReferences:
    """Create the cross-reference component (`nlp.add_pipe("yakkan_crossrefs")`)."""
    return CrossReferences(name, spans_key, overwrite)
