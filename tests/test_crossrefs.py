"""The cross-reference parser (extractors/crossrefs/) on the forms in tests/cases."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest
import spacy
from conftest import ROOT, load_json

from extractors.crossrefs import ParsedReference, parse_references
from pipeline.models import Document, ReferenceFragment
from pipeline.process import parse_bytes

CASES = load_json(ROOT / "tests" / "cases" / "crossrefs.json")

_LEVELS = {
    "chapter": "ch",
    "section": "sec",
    "appendix": "appx",
    "article": "art",
    "paragraph": "para",
    "item": "item",
    "subitem": "sub",
}
_POSITIONS = {
    "previous": "prev",
    "previous_each": "prev_each",
    "next": "next",
    "here": "here",
    "same": "same",
    "each": "each",
}


def token(fragment: ReferenceFragment) -> str:
    """A fragment in the cases file's notation: 'art:13', 'para:prev2', 'item:4 excluded',
    'sub:ロ', 'ch:3-2', 'appx:2' ('appx:only' for 別表 without a number)."""
    level = _LEVELS[fragment.level]
    if fragment.position == "named":
        text = f"{level}:{fragment.number or 'only'}"  # 別表 alone: the document's only one
    else:
        text = f"{level}:{_POSITIONS[fragment.position]}{fragment.count or ''}"
    if fragment.role != "target":
        text += f" {fragment.role}"
    if fragment.inherited:
        text += " inherited"
    return text


def key(text: str) -> str:
    """Surface forms compared as NFKC with white space removed (normalization may drop spaces)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_cases_file_has_at_least_forty_forms() -> None:
    assert len(CASES["cases"]) + len(CASES["raw_forms"]) >= 40


@pytest.mark.parametrize("form", CASES["raw_forms"], ids=lambda form: form["text"][:24])
def test_raw_forms(form: dict) -> None:
    found = parse_references(form["text"])
    assert [ref.text for ref in found] == [ref["surface"] for ref in form["refs"]]
    for ref, expected in zip(found, form["refs"], strict=True):
        assert form["text"][ref.start : ref.end] == ref.text
        assert [token(f) for f in ref.value.fragments] == expected["fragments"]
        assert ref.value.cited_title == expected.get("cited_title")
        assert ref.value.external == expected.get("external")
        assert ref.value.law_number == expected.get("law_number")


FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"})


@pytest.mark.parametrize("form", CASES["raw_forms"], ids=lambda form: form["text"][:24])
def test_raw_forms_read_alike_in_full_width(form: dict) -> None:
    """Every form with its ASCII written full-width (raw user text) gives the same fragments."""
    wide = form["text"].translate(FULL_WIDTH)
    found = parse_references(wide)
    assert [ref.text for ref in found] == [r["surface"].translate(FULL_WIDTH) for r in form["refs"]]
    for ref, expected in zip(found, form["refs"], strict=True):
        assert [token(f) for f in ref.value.fragments] == expected["fragments"]


@pytest.mark.parametrize("text", CASES["not_references"])
def test_not_references_in_full_width(text: str) -> None:
    assert parse_references(text.translate(FULL_WIDTH)) == []


@pytest.mark.parametrize("text", CASES["not_references"])
def test_not_references(text: str) -> None:
    assert parse_references(text) == []


@pytest.fixture(scope="module")
def case_structure() -> Document:
    data = "\n".join(CASES["document"]).encode("utf-8")
    return parse_bytes(data, "crossref-cases.txt", extract=False)


def _node_text(document: Document, path: str) -> str:
    for article in document.articles:
        for paragraph in article.paragraphs:
            if paragraph.path == path:
                return paragraph.text
            for item in paragraph.items:
                if item.path == path:
                    return item.text
    raise AssertionError(f"no provision {path} in the cases document")


def test_document_cases_parse_to_their_fragments(case_structure: Document) -> None:
    """Each provision's own text, parsed alone, gives exactly the cases listed for it."""
    by_place: dict[str, list[dict]] = {}
    for case in CASES["cases"]:
        by_place.setdefault(case["where"], []).append(case)
    for path, cases in by_place.items():
        found: list[ParsedReference] = parse_references(_node_text(case_structure, path))
        assert [key(r.text) for r in found] == [key(c["text"]) for c in cases], path
        for ref, case in zip(found, cases, strict=True):
            assert [token(f) for f in ref.value.fragments] == case["fragments"], case
            assert ref.value.cited_title == case.get("cited_title"), case
            assert ref.value.external == case.get("external"), case
            first = case["fragments"][0].split()[0] if case["fragments"] else None
            named = first is not None and first.split(":")[1][0].isdigit()
            expected_relation = "explicit" if case.get("external") or named else "relative"
            assert ref.value.relation == expected_relation, case


def test_full_width_and_normalized_text_parse_alike() -> None:
    raw = "第１３条（反社会的勢力との取引排除）第２項もしくは第１４条（利用提供関係の終了）第１項"
    normalized = unicodedata.normalize("NFKC", raw)
    assert [r.value for r in parse_references(raw)] == [
        r.value for r in parse_references(normalized)
    ]


def test_component_writes_spans_with_values() -> None:
    nlp = spacy.blank("ja")
    nlp.add_pipe("yakkan_crossrefs")
    text = "第13条(利用の停止)第1項(1)号及び前条の規定による。"
    doc = nlp(text)
    spans = doc.spans["crossrefs"]
    assert [span.text for span in spans] == ["第13条(利用の停止)第1項(1)号", "前条"]
    assert [token(f) for f in spans[0]._.value.fragments] == ["art:13", "para:1", "item:1"]
    assert spans[1]._.value.relation == "relative"


# In the raw NEC text three names are broken across layout lines: 'サービス仕' / '様書' (line 555),
# '外' / '国為替及び外国貿易法' (616), '米国輸出管' / '理法' (618). Joining such breaks is
# normalization's job: the raw parse misses the first and reads the others cut short.
RAW_DIFFERENCES = {
    "nec": {
        "missing": ["サービス仕様書", "外国為替及び外国貿易法", "米国輸出管理法"],
        "extra": ["国為替及び外国貿易法", "理法"],
    },
    "nas": {"missing": [], "extra": []},
}


@pytest.mark.parametrize("family", ["nec", "nas"])
def test_raw_source_text_gives_the_expected_surfaces(family: str) -> None:
    """The parser alone, on the raw file (full-width, layout breaks, '第 13 条'), finds the
    references of the hand-read expectations, but for names broken by a layout break."""
    raw = (ROOT / "corpus" / family / "source.txt").read_text(encoding="utf-8")
    expected = load_json(ROOT / "corpus" / family / "expected_crossrefs.json")["references"]
    found = Counter(key(r.text) for r in parse_references(raw))
    differences = RAW_DIFFERENCES[family]
    wanted = Counter(key(e["text"]) for e in expected)
    wanted.subtract(Counter(differences["missing"]))
    wanted.update(Counter(differences["extra"]))
    assert found == +wanted
