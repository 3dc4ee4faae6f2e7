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
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise

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


@Language.factory("yakkan_periods")
def make_periods(nlp: Language, name: str) -> FinderComponent:
    """Factory of the periods component (entry point `yakkan_periods`).

    The component writes `doc.spans["periods"]`, each span's `_.value` a PeriodValue.
    """
    return FinderComponent(name, periods.SPAN_KEY, "period", periods.find_periods)


@Language.factory("yakkan_percentages")
def make_percentages(nlp: Language, name: str) -> FinderComponent:
    """Factory of the percentages component (entry point `yakkan_percentages`).

    The component writes `doc.spans["percentages"]` with PercentageValue values.
    """
    return FinderComponent(name, percentages.SPAN_KEY, "percentage", percentages.find_percentages)


@Language.factory("yakkan_fractions")
def make_fractions(nlp: Language, name: str) -> FinderComponent:
    """Factory of the fractions component (entry point `yakkan_fractions`).

    The component writes `doc.spans["fractions"]` with FractionValue values.
    """
    return FinderComponent(name, fractions.SPAN_KEY, "fraction", fractions.find_fractions)


@Language.factory("yakkan_amounts")
def make_amounts(nlp: Language, name: str) -> FinderComponent:
    """Factory of the amounts component (entry point `yakkan_amounts`).

    The component writes `doc.spans["amounts"]` with AmountValue values.
    """
    return FinderComponent(name, amounts.SPAN_KEY, "amount", amounts.find_amounts)


@Language.factory("yakkan_dates")
def make_dates(nlp: Language, name: str) -> FinderComponent:
    """Factory of the dates component (entry point `yakkan_dates`).

    The component writes `doc.spans["dates"]` with DateValue values.
    """
    return FinderComponent(name, dates.SPAN_KEY, "date", dates.find_dates)


@Language.factory("yakkan_definitions")
def make_definitions(nlp: Language, name: str) -> FinderComponent:
    """Factory of the defined-terms component (entry point `yakkan_definitions`).

    The component writes `doc.spans["defined_terms"]` with DefinedTermValue values.
    """
    return FinderComponent(name, definitions.SPAN_KEY, "defined_term", definitions.find_definitions)


class CrossReferences:
    """spaCy component: writes `doc.spans["crossrefs"]`, each `_.value` a parsed reference."""

    def __call__(self, doc: Doc) -> Doc:
        """Parse the Doc's references and store them as token-aligned spans."""
        text = doc_text(doc)
        matches = [
            Match(ref.start, ref.end, ref.value)
            for start, end in passage_bounds(doc)
            for ref in crossrefs.parse_references(text[start:end], offset=start)
        ]
        _split_tokens_at(doc, {offset for m in matches for offset in (m.start, m.end)})
        return write_spans(doc, crossrefs.SPAN_KEY, "crossref", matches)


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


@Language.factory("yakkan_crossrefs")
def make_crossrefs(nlp: Language, name: str) -> CrossReferences:
    """Create the cross-reference component (`nlp.add_pipe("yakkan_crossrefs")`)."""
    return CrossReferences()
