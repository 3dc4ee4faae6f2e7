"""The extraction stage on the corpus, against the hand-checked expectation files, both ways.

corpus/<family>/expected_extractions.json lists every period, percentage, fraction, amount,
date and defined term of the document, read from the document itself. The pipeline must find
each of them (nothing missing) and nothing else of those kinds (nothing extra).
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections import Counter
from typing import Any

import pytest
from conftest import FAMILIES, ROOT
from pydantic import BaseModel

from pipeline.extract.language import COMPONENTS, OWN_KINDS, SPLIT_MODE, get_nlp
from pipeline.extract.runner import extract, passages
from pipeline.models import (
    AmountValue,
    DateValue,
    Document,
    FractionValue,
    Item,
    PercentageValue,
    PeriodValue,
)
from pipeline.process import parse_file

MODELS: dict[str, type[BaseModel]] = {
    "period": PeriodValue,
    "percentage": PercentageValue,
    "fraction": FractionValue,
    "amount": AmountValue,
    "date": DateValue,
}


@pytest.fixture(scope="module")
def documents(corpus_docs: dict[str, Document]) -> dict[str, Document]:
    return corpus_docs


def expected_entries(family: str) -> list[dict[str, Any]]:
    path = ROOT / "corpus" / family / "expected_extractions.json"
    return json.loads(path.read_text(encoding="utf-8"))["extractions"]


def key(kind: str, path: str, text: str, value: dict[str, Any]) -> tuple[str, str, str, str]:
    return kind, path, text, json.dumps(value, ensure_ascii=False, sort_keys=True)


def compared(document: Document, family: str) -> tuple[Counter[Any], Counter[Any]]:
    """(expected, actual) as multisets of (kind, path, text, value) in comparable form.

    Values are compared whole, unset fields included; for defined terms the fields the file
    states (term, style, and the definition of list entries).
    """
    expected: Counter[Any] = Counter()
    fields: dict[tuple[str, str, str], set[str]] = {}
    for e in expected_entries(family):
        if e["kind"] in MODELS:
            value = MODELS[e["kind"]](**e["value"]).model_dump(mode="json")
        else:
            value = e["value"]
            fields[(e["kind"], e["path"], e["text"])] = set(value)
        expected[key(e["kind"], e["path"], e["text"], value)] += 1
    actual: Counter[Any] = Counter()
    for x in document.extractions:
        if x.kind not in OWN_KINDS:
            continue
        value = x.value.model_dump(mode="json")
        if x.kind not in MODELS:
            wanted = fields.get((x.kind, x.path, x.text), {"term", "style"})
            value = {k: v for k, v in value.items() if k in wanted}
        actual[key(x.kind, x.path, x.text, value)] += 1
    return expected, actual


@pytest.mark.parametrize("family", FAMILIES)
def test_nothing_missing(documents: dict[str, Document], family: str) -> None:
    expected, actual = compared(documents[family], family)
    missing = expected - actual
    assert not missing, "expected but not extracted:\n" + "\n".join(map(str, missing))


@pytest.mark.parametrize("family", FAMILIES)
def test_nothing_extra(documents: dict[str, Document], family: str) -> None:
    expected, actual = compared(documents[family], family)
    extra = actual - expected
    assert not extra, "extracted but not in the expectation file:\n" + "\n".join(map(str, extra))


@pytest.mark.parametrize("family", FAMILIES)
def test_spans_index_the_document_text(documents: dict[str, Document], family: str) -> None:
    document = documents[family]
    paths = {p.path for p in passages(document)}
    assert document.extractions
    for x in document.extractions:
        assert document.text[x.span.start : x.span.end] == x.text
        assert x.path in paths, x


@pytest.mark.parametrize("family", FAMILIES)
def test_passages_are_the_nodes_own_text(documents: dict[str, Document], family: str) -> None:
    document = documents[family]
    nodes: dict[str, Any] = {}
    if document.preamble:
        nodes["preamble"] = document.preamble
    for container in [*document.articles, *document.supplementary]:
        for paragraph in container.paragraphs:
            nodes[paragraph.path] = paragraph
            stack: list[Item] = list(paragraph.items)
            while stack:
                item = stack.pop()
                nodes[item.path] = item
                stack.extend(item.items)
    found = passages(document)
    assert {p.path for p in found} == {path for path, n in nodes.items() if n.text.strip()}
    for p in found:
        node = nodes[p.path]
        assert document.text[p.start : p.start + len(p.text)] == p.text
        marker = node.marker if isinstance(node, Item) and node.marker == "・" else ""
        assert p.text == marker + node.text


@pytest.mark.parametrize("family", FAMILIES)
def test_extract_runs_twice_without_duplicates(documents: dict[str, Document], family: str) -> None:
    document = documents[family]
    again = extract(document)
    assert len(again.extractions) == len(document.extractions)
    assert [x.model_dump() for x in again.extractions if x.kind in OWN_KINDS] == [
        x.model_dump() for x in document.extractions if x.kind in OWN_KINDS
    ]


@pytest.mark.parametrize("family", FAMILIES)
def test_crossref_fragments_are_moved_to_document_offsets(
    documents: dict[str, Document], family: str
) -> None:
    """Fragment spans index Document.text and lie in the passage the reference stands in."""
    document = documents[family]
    crossrefs = [x for x in document.extractions if x.kind == "crossref"]
    if "yakkan_crossrefs" not in get_nlp().pipe_names:
        pytest.skip("extractors.crossrefs provides no component")
    assert crossrefs
    by_path = {p.path: p for p in passages(document)}
    for x in crossrefs:
        passage = by_path[x.path]
        for fragment in x.value.fragments:  # type: ignore[union-attr]
            if fragment.span is not None:
                assert passage.start <= fragment.span.start, (x.text, fragment)
                assert fragment.span.end <= passage.start + len(passage.text), (x.text, fragment)


def test_one_cached_language_in_split_mode_a() -> None:
    nlp = get_nlp()
    assert nlp is get_nlp()
    assert nlp.lang == "ja"
    assert nlp.tokenizer.split_mode == SPLIT_MODE == "A"  # type: ignore[attr-defined]
    assert nlp.pipe_names[: len(COMPONENTS)] == list(COMPONENTS)


USER_SCRIPT = """
import json, sys
import spacy
nlp = spacy.blank("ja")
for name in sys.argv[1:]:
    nlp.add_pipe(name)
doc = nlp("ご購入日（検収日）から３０日以内に、年１４．５％、利用料金の３０分の１、１円未満、"
          "平成２９年１１月４日、株式会社日経統合システム（以下「当社」という。）")
print(json.dumps({key: [[s.text, s._.value.model_dump(mode="json")] for s in doc.spans[key]]
                  for key in doc.spans}, ensure_ascii=False))
"""


def test_components_work_in_a_users_pipeline_through_entry_points() -> None:
    """`spacy.blank("ja").add_pipe("yakkan_periods")` with no import of our packages."""
    run = subprocess.run(
        [sys.executable, "-c", USER_SCRIPT, *COMPONENTS],
        capture_output=True, text=True, check=True, cwd="/",
    )
    spans = json.loads(run.stdout)
    assert [s[0] for s in spans["periods"]] == ["３０日以内"]
    assert spans["periods"][0][1]["anchor"] == "購入日"
    assert spans["periods"][0][1]["anchor_alias"] == "検収日"
    assert [s[0] for s in spans["percentages"]] == ["年１４．５％"]
    assert spans["percentages"][0][1]["value"] == 14.5
    assert [s[0] for s in spans["fractions"]] == ["３０分の１"]
    assert [s[0] for s in spans["amounts"]] == ["１円未満"]
    assert spans["dates"][0][1]["date"] == "2017-11-04"
    assert [s[1]["term"] for s in spans["defined_terms"]] == ["当社"]


@pytest.mark.parametrize("family", FAMILIES)
def test_pdf_gives_the_same_extractions_with_pages(family: str) -> None:
    """The PDF built from the source reads to the same extractions, each on its page."""
    pdf = ROOT / "corpus" / family / "source.pdf"
    if not pdf.exists():
        pytest.skip(f"{pdf} not built")
    document = parse_file(pdf)
    expected, actual = compared(document, family)
    assert expected == actual
    own = [x for x in document.extractions if x.kind in OWN_KINDS]
    assert all(x.page is not None and 1 <= x.page <= (document.source.pages or 0) for x in own)
    first = next(x for x in own if x.path.startswith("art:1/"))
    assert first.page == 1
    closing = [x for x in own if x.path.startswith("suppl:")]
    assert all(x.page == document.source.pages for x in closing)


def test_docs_with_extractions_serialize_and_cross_processes() -> None:
    """Values live in user_data as JSON data: DocBin round trips and n_process=2 keep them."""
    from spacy.tokens import DocBin

    nlp = get_nlp()
    texts = ["購入日(検収日)から30日以内に", "本約款は平成29年11月4日から実施します。"] * 2
    expected = [[(s.text, s._.value) for k in d.spans for s in d.spans[k]] for d in nlp.pipe(texts)]
    assert expected[0][0][1].anchor_alias == "検収日"

    in_workers = list(nlp.pipe(texts, n_process=2))
    assert [[(s.text, s._.value) for k in d.spans for s in d.spans[k]] for d in in_workers] == (
        expected
    )
    data = DocBin(store_user_data=True, docs=nlp.pipe(texts)).to_bytes()
    loaded = DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab)
    assert [[(s.text, s._.value) for k in d.spans for s in d.spans[k]] for d in loaded] == expected


def _folded(value: Any) -> Any:
    """Strings width-folded (ＮＥＣ → NEC) and without layout breaks, for raw-text comparison."""
    if isinstance(value, str):
        return "".join(unicodedata.normalize("NFKC", value).split())
    if isinstance(value, dict):
        return {k: _folded(v) for k, v in value.items()}
    return value


CORE = {
    "period": ("value", "unit", "bound", "inclusive"),
    "percentage": ("value", "basis"),
    "fraction": ("numerator", "denominator"),
    "amount": ("value", "bound", "inclusive"),
    "date": ("date", "year", "month", "day", "era", "era_year"),
    "defined_term": ("term", "style"),
}
"""What raw text must give as the normalized text does; anchors and list definitions that a
layout break cuts are read as far as the raw text lets them, so they are not compared here."""


@pytest.mark.parametrize("family", FAMILIES)
def test_components_read_the_raw_source_text(family: str) -> None:
    """The whole raw source (full-width, layout breaks inside words) through the components
    finds what the expectation file lists, paths aside: users need not normalize first."""
    raw = (ROOT / "corpus" / family / "source.txt").read_text(encoding="utf-8")
    doc = get_nlp()(raw)
    actual: Counter[Any] = Counter()
    for group in doc.spans.values():
        for span in group:
            value = span._.value.model_dump(mode="json")
            if value["kind"] in CORE:
                core = {k: value[k] for k in CORE[value["kind"]]}
                actual[key(value["kind"], "", "", _folded(core))] += 1
    expected: Counter[Any] = Counter()
    for e in expected_entries(family):
        model = MODELS.get(e["kind"])
        value = model(**e["value"]).model_dump(mode="json") if model else e["value"]
        core = {k: value[k] for k in CORE[e["kind"]]}
        expected[key(e["kind"], "", "", _folded(core))] += 1
    assert expected - actual == Counter(), "missing"
    assert actual - expected == Counter(), "extra"
