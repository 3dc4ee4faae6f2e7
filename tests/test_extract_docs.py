"""The extraction stage joins consecutive provisions into one Doc; it must find what one Doc per
provision finds, on every corpus and development file.

The reference below is the plain reading of the stage: each passage (a provision's own text)
through the Language as a Doc of its own, each span moved to Document.text offsets. The stage
builds one Doc per run of passages (`batches`) with `SudachiTokenizer.passages_doc`, and the
components read each passage of it alone (`extractors.spans.passage_bounds`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SHARED
from test_tokenizer import CORPUS_FILES, DEVELOPMENT_FILES

from extractors.periods import find_periods
from extractors.spans import (
    PASSAGES_KEY,
    FinderComponent,
    Match,
    get_value,
    passage_bounds,
    shift_spans,
    take_value,
)
from pipeline.extract.language import get_nlp
from pipeline.extract.runner import Passage, batches, extract, fitted, passages
from pipeline.extract.tokenizer import SudachiTokenizer
from pipeline.models import Document, YakkanError
from pipeline.process import parse_file


def one_doc_per_passage(document: Document) -> list[tuple[Any, ...]]:
    """(kind, path, start, end, value) of every span, each passage tokenized as its own Doc."""
    found = []
    texts = passages(document)
    for passage, doc in zip(texts, get_nlp().pipe(p.text for p in texts), strict=True):
        for key in doc.spans:
            for span in doc.spans[key]:
                value = shift_spans(get_value(span), passage.start)
                start, end = passage.start + span.start_char, passage.start + span.end_char
                found.append((span.label_, passage.path, start, end, value.model_dump(mode="json")))
    return sorted(found, key=lambda f: (f[2], f[3], f[0]))


def as_tuples(document: Document) -> list[tuple[Any, ...]]:
    return [
        (e.kind, e.path, e.span.start, e.span.end, e.value.model_dump(mode="json"))
        for e in document.extractions
    ]


def structure(path: Path) -> Document:
    try:
        return parse_file(path, extract=False)
    except YakkanError as err:
        pytest.skip(f"{path.name} does not parse: {err.reason}")


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in CORPUS_FILES + DEVELOPMENT_FILES],
)
def test_one_doc_per_run_finds_what_one_doc_per_passage_finds(path: Path) -> None:
    document = structure(path)
    expected = one_doc_per_passage(document)
    assert expected, f"{path.name} states values"
    assert as_tuples(extract(document)) == expected


def test_development_files_are_compared() -> None:
    """The comparison above covers ../shared/realworld and ../shared/versions when present."""
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: only the corpus is compared")
    folders = {p.parent.name for p in DEVELOPMENT_FILES}
    assert folders == {"realworld", "versions"}


def test_a_doc_of_passages_holds_each_passages_own_tokens() -> None:
    tokenizer = get_nlp().tokenizer
    assert isinstance(tokenizer, SudachiTokenizer)
    texts = ["第1条 目的", " 先頭に空白", "末尾に空白 ", "A  B\n C", "前項の規定により30日以内に"]
    doc = tokenizer.passages_doc(texts)
    assert doc.text == "\n".join(texts)
    bounds = passage_bounds(doc)
    assert [doc.text[a:b] for a, b in bounds] == texts
    for text, (start, end) in zip(texts, bounds, strict=True):
        inside = [(t.idx - start, t.text) for t in doc if start <= t.idx < end]
        assert inside == [(t.idx, t.text) for t in tokenizer(text)]


def test_a_doc_without_passages_is_one_passage() -> None:
    doc = get_nlp()("前条第2項に定める期間は30日とします。")
    assert PASSAGES_KEY not in doc.user_data
    assert passage_bounds(doc) == [(0, len(doc.text))]


def test_batches_keep_the_order_and_cut_near_the_limit(structure_docs: dict[str, Document]) -> None:
    document = structure_docs["nec"]
    found = passages(document)
    runs = batches(found, limit=2_000)
    assert [p for run in runs for p in run] == found
    assert len(runs) > 1
    for run in runs:
        # A run passes the limit only by its last passage (or is one long passage).
        assert len(run) == 1 or sum(len(p.text) + 1 for p in run[:-1]) <= 2_000


def test_values_moved_for_the_stage_leave_the_doc_as_it_was() -> None:
    doc = get_nlp()("第3条第2項及び前条の規定により")
    span = doc.spans["crossrefs"][0]
    stored = get_value(span)
    assert stored is not None
    moved = get_value(span, 100)
    assert [f.span.start for f in moved.fragments] == [f.span.start + 100 for f in stored.fragments]
    assert get_value(span) == stored, "reading a moved value changes nothing stored"
    copied = shift_spans(stored, 7)
    assert copied is not stored
    assert [f.span.end for f in copied.fragments] == [f.span.end + 7 for f in stored.fragments]
    assert get_value(span) == stored


def test_a_taken_value_is_the_stored_model_and_the_doc_keeps_its_record() -> None:
    """take_value hands the stage the model the component stored, moved; the Doc's JSON stays."""
    doc = get_nlp()("第3条第2項及び前条の規定により")
    references = doc.spans["crossrefs"]
    before = [get_value(span) for span in references]
    taken = [take_value(span, 100) for span in references]
    assert len(taken) == 2 and all(t is not b for t, b in zip(taken, before, strict=True))
    starts = [[f.span.start for f in v.fragments] for v in taken]  # type: ignore[union-attr]
    assert starts == [[100, 103], [108]]  # 第3条 at 0, 第2項 at 3, 前条 at 8
    assert [get_value(span) for span in references] == before, "user_data is untouched"
    again = [take_value(span) for span in references]
    assert again == before, "once taken, a value is read from the data again"


def test_a_value_written_into_user_data_is_taken_from_there() -> None:
    doc = get_nlp()("30日以内に")
    span = doc.spans["periods"][0]
    key = next(k for k in doc.user_data if isinstance(k, tuple) and k[1] == "period")
    doc.user_data[key] = {**doc.user_data[key], "value": 60.0}
    taken = take_value(span)
    assert taken is not None and taken.value == 60.0  # type: ignore[attr-defined]


def test_matches_widened_to_one_span_get_the_value_the_doc_records() -> None:
    """The stage fits matches to the tokens as a component writes them into a Doc: two matches
    widened to the same token share the Doc's one record of that span, the later value."""
    tokenizer = get_nlp().tokenizer
    assert isinstance(tokenizer, SudachiTokenizer)
    text = "料金は30日以内に支払う。"  # '30' is one token, at 3 to 5
    thirty, sixty = (find_periods(t)[0].value for t in ("30日以内", "60日以内"))

    def find(passage: str) -> list[Match]:
        return [Match(3, 4, thirty), Match(4, 5, sixty)] if passage == text else []

    component = FinderComponent("test_periods", "test_periods", "period", find)
    written = component(tokenizer.passages_doc(["前文", text]))  # the passage at 3 in the Doc
    recorded = [(s.start_char, s.end_char, get_value(s)) for s in written.spans["test_periods"]]
    assert recorded == [(6, 8, sixty), (6, 8, sixty)]

    run = [Passage("preamble", "前文", 0, None), Passage("art:1/para:1", text, 100, None)]
    doc = tokenizer.passages_doc([p.text for p in run])
    found = fitted(doc, run, [find(p.text) for p in run], component)
    assert [(start, end, value) for start, end, _, value in found] == [
        (103, 105, sixty),
        (103, 105, sixty),
    ]
    assert found[0][3] is not found[1][3], "each Extraction holds its own value"
