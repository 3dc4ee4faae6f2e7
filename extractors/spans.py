"""Typed spans on a spaCy Doc: the one place the extractors write their results.

Every extractor finds matches as character offsets in `doc.text` (a pure function, usable
without spaCy), and its component turns them into `doc.spans[key]` with the pydantic value on
`Span._.value`. This module and the finders never import spaCy at run time: a process that
only parses structure (`yakkan parse --no-extract`, version dates through `find_dates`) must
not pay for its import; the components and their factories are in `extractors.components`.

The value is kept in `doc.user_data` as plain JSON data, keyed by the span's label (its kind)
and offsets, and read back as the pydantic model: a Doc with extractions still serializes
(`doc.to_bytes()`, DocBin) and crosses processes (`nlp.pipe(..., n_process=2)`), which a
pydantic object in user_data would not.

A Doc may be made of several independent passages (the extraction stage joins a document's
provisions); `doc.user_data[PASSAGES_KEY]` lists them, and every finder reads each alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, get_args
from weakref import WeakKeyDictionary

from pydantic import BaseModel, TypeAdapter

from pipeline.models import ExtractionValue
from pipeline.models import Span as TextSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


@cache
def _values() -> TypeAdapter[Any]:
    # Built on first use: building the validator of the value union costs a process that
    # never reads a span's value (structure-only parsing) tens of milliseconds.
    return TypeAdapter(ExtractionValue)


_USER_DATA_KEY = "yakkan.value"


TEXT_KEY = "yakkan.text"
"""Where a Doc's text is kept in `doc.user_data`; a tokenizer that knows the text may set it."""


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once per Doc and shared by every component.

    `Doc.text` joins every token's text again on each access; seven components asking for it
    on every passage cost more than the tokenizer. Components never change the text (a token
    split keeps it), so caching is safe; yakkan's tokenizer stores it as it builds the Doc.
    """
    cached = doc.user_data.get(TEXT_KEY)
    if cached is None:
        cached = doc.text
        doc.user_data[TEXT_KEY] = cached
    return str(cached)


def _value_key(span: Span) -> tuple[str, str, int, int]:
    return (_USER_DATA_KEY, span.label_, span.start_char, span.end_char)


def _user_data(span: Span) -> dict[Any, Any]:
    # spaCy's stubs type user_data as dict[str, Any]; spaCy itself keys it by tuples too.
    data: dict[Any, Any] = span.doc.user_data
    return data


def get_value(span: Span, delta: int = 0) -> BaseModel | None:
    """The typed value stored for `span` (Span._.value), or None; with `delta`, every Span inside
    it moved by that much (Doc → Document offsets)."""
    data = _user_data(span).get(_value_key(span))
    if data is None:
        return None
    value: BaseModel = _values().validate_python(data)
    if delta:
        move_spans(value, delta)  # a fresh model that nothing else holds: no copy needed
    return value


_STORED: WeakKeyDictionary[Doc, dict[Any, tuple[Any, BaseModel]]] = WeakKeyDictionary()
"""Per live Doc, the model `set_value` was given for each key, beside the JSON data it stored:
a reader that owns the Doc (`take_value`) takes the model back without validating the data
again (the extraction stage itself fits the finders' matches without a Doc record:
`pipeline.extract.runner.fitted`). It lives as long as the Doc, and only in this process;
user_data stays the record."""


def set_value(span: Span, value: BaseModel | None) -> None:
    """Store `value` for `span` as JSON data; it must be one of the extraction value models."""
    key = _value_key(span)
    stored = _STORED.setdefault(span.doc, {})
    if value is None:
        _user_data(span).pop(key, None)
        stored.pop(key, None)
    else:
        data = value.model_dump(mode="json")
        _user_data(span)[key] = data
        stored[key] = (data, value)


def take_value(span: Span, delta: int = 0) -> BaseModel | None:
    """`get_value` for a caller that owns the Doc: the very model the component stored, handed
    over (a later read validates the JSON data again), its spans moved by `delta` in place.

    When the Doc's JSON data is no longer the data stored with that model (a Doc read back from
    bytes, a value written into user_data directly), the data is read as `get_value` reads it.
    """
    key = _value_key(span)
    data = _user_data(span).get(key)
    stored = _STORED.get(span.doc, {}).pop(key, None)
    if stored is None or data is None or stored[0] is not data:
        return get_value(span, delta)
    value = stored[1]
    if delta:
        move_spans(value, delta)
    return value


def component_factory(module: str, name: str, factory: str) -> Any:
    """`factory` (a `make_*` spaCy factory) when an extractor module is asked for `name`.

    For an extractor module's `__getattr__`: its factory is defined in `extractors.components`,
    which imports spaCy, and is imported only when asked for, as spaCy does when it loads the
    `spacy_factories` entry points (`extractors.periods:make_periods`, ...).
    """
    if name != factory:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return getattr(importlib.import_module("extractors.components"), factory)


def holds_any(text: str, words: str | tuple[str, ...]) -> bool:
    """Whether `text` holds one of `words` (or of the characters of a string): a finder's cheap
    test before its pattern. Each `in` test is a fast search in C; a regex scanning for a
    character class tries every character, several times as slow."""
    for word in words:  # noqa: SIM110 (a generator in `any` costs more than the tests)
        if word in text:
            return True
    return False


class Match(NamedTuple):
    """One extracted value at character offsets [start, end) of the text it was found in."""

    # A NamedTuple, not a frozen dataclass: as immutable, and cheaper to build per match.

    start: int
    end: int
    value: BaseModel


PASSAGES_KEY = "yakkan.passages"
"""Where `doc.user_data` lists the [start, end) offsets of the independent passages a Doc is made
of (the extraction stage joins many provisions into one Doc); without it the Doc is one passage."""


def passage_bounds(doc: Doc) -> list[tuple[int, int]]:
    """The [start, end) offsets of the Doc's passages, each read by the finders on its own."""
    bounds: list[tuple[int, int]] | None = doc.user_data.get(PASSAGES_KEY)
    return [(0, len(doc_text(doc)))] if bounds is None else bounds


def find_in_passages(doc: Doc, find: Callable[[str], list[Match]]) -> list[Match]:
    """`find` run over each passage of the Doc alone, its matches moved to Doc offsets.

    A finder never sees two provisions at once, so what it finds in a Doc of many passages is
    what it finds in each passage's own Doc; the spans inside a value move with it.
    """
    text = doc_text(doc)
    found: list[Match] = []
    for start, end in passage_bounds(doc):
        matches = find(text[start:end])
        if start == 0:
            found += matches
            continue
        found += [
            Match(m.start + start, m.end + start, shift_spans(m.value, start)) for m in matches
        ]
    return found


class PassageFinder(Protocol):
    """What the extraction stage asks of a component: its finder, run on one passage at a time,
    its label, and whether it splits the tokens its matches cut."""

    label: str
    splits_tokens: bool
    """Whether the component splits the tokens a span starts or ends inside, so that the span
    keeps its exact surface (the extraction stage splits its own token boundaries alike);
    otherwise a match that cuts a token is widened to it."""

    def find(self, text: str) -> list[Match]:
        """The matches in one passage's `text`, at its offsets."""
        ...


class FinderComponent:
    """A spaCy component: runs a finder over each passage of the Doc and writes `doc.spans[key]`.

    Every value extractor is one of these around its own pure `find_*` function. As spaCy's
    `span_ruler` does, `overwrite=False` keeps the spans already under the key and adds to them.
    """

    splits_tokens = False
    """A match that cuts a token is widened to it (see `write_spans`)."""

    def __init__(
        self,
        name: str,
        key: str,
        label: str,
        find: Callable[[str], list[Match]],
        overwrite: bool = True,
    ) -> None:
        self.name = name
        self.key = key
        self.label = label
        self.find = find
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
        """Find the values in the Doc's text and store them as typed spans."""
        matches = find_in_passages(doc, self.find)
        return write_spans(doc, self.key, self.label, matches, overwrite=self.overwrite)


def write_spans(
    doc: Doc, key: str, label: str, matches: list[Match], overwrite: bool = True
) -> Doc:
    """Store `matches` as `doc.spans[key]`, each span labelled `label` and carrying its value.

    Offsets that cut through a token are widened to the token boundaries ("expand"). With
    `overwrite` False the spans already under `key` stay, the new ones after them.
    """
    spans: list[Span] = []
    if not overwrite and key in doc.spans:
        spans = list(doc.spans[key])
    if not matches:
        doc.spans[key] = spans  # most passages: every component runs, few find anything
        return doc
    for match in sorted(matches, key=lambda m: (m.start, m.end)):
        span = doc.char_span(match.start, match.end, label=label, alignment_mode="expand")
        if span is None:
            continue
        set_value(span, match.value)  # Span._.value, without building `span._`
        spans.append(span)
    doc.spans[key] = spans
    return doc


def shift_spans(value: Any, delta: int) -> Any:
    """`value` with every `Span` inside it moved by `delta` (passage → Doc or Document offsets);
    a copy when it holds any, `value` itself when it holds none."""
    if isinstance(value, TextSpan):
        return _moved(value, delta)
    if isinstance(value, list):
        return [shift_spans(v, delta) for v in value]
    if not isinstance(value, BaseModel) or not _span_fields(type(value)):
        return value
    moved = value.model_copy(deep=True)
    move_spans(moved, delta)
    return moved


def _moved(span: TextSpan, delta: int) -> TextSpan:
    return TextSpan(start=span.start + delta, end=span.end + delta)


def move_spans(value: BaseModel, delta: int) -> None:
    """Move every Span inside `value` by `delta`, in place (Spans are frozen: each is replaced
    in the model or list that holds it). Copying instead cost five times the validation."""
    for name in _span_fields(type(value)):
        held = getattr(value, name)
        if isinstance(held, TextSpan):
            setattr(value, name, _moved(held, delta))
        elif isinstance(held, BaseModel):
            move_spans(held, delta)
        elif isinstance(held, list):
            for index, item in enumerate(held):
                if isinstance(item, TextSpan):
                    held[index] = _moved(item, delta)
                elif isinstance(item, BaseModel):
                    move_spans(item, delta)


@cache
def _span_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` whose type can hold a Span (directly, in a model, in a list).

    Read from the annotations once per class: most values hold no span, and looking into
    every field of every value cost more than building the Extraction.
    """
    return tuple(
        name
        for name, info in model.model_fields.items()
        if _may_hold_span(info.annotation, {model})
    )


def _may_hold_span(annotation: Any, seen: set[type]) -> bool:
    if annotation is TextSpan:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        return any(
            _may_hold_span(info.annotation, seen | {annotation})
            for info in annotation.model_fields.values()
        )
    return any(_may_hold_span(arg, seen) for arg in get_args(annotation))
