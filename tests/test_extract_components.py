"""The spaCy factories declare what they assign and their configuration, as spaCy's `span_ruler`
does, and honour it: the span key they write and whether they replace the spans already there."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import extractors.components  # noqa: F401  (registers the factories, as spaCy's entry points do)
from pipeline.extract.language import COMPONENTS, CROSSREFS, get_nlp

TEXT = "第3条第2項に定めるとおり、料金の5%を、平成29年11月4日から30日以内に支払うものとします。"
"""One sentence with a reference, a percentage, a date and a period in it."""


def blank() -> Language:
    return spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": "A"}}})


@pytest.mark.parametrize("name", [*COMPONENTS, CROSSREFS])
def test_factory_declares_assigns_and_default_config(name: str) -> None:
    meta = Language.get_factory_meta(name)
    assert meta.assigns == ["doc.spans"]
    assert set(meta.default_config) == {"spans_key", "overwrite"}
    assert meta.default_config["overwrite"] is True


def test_default_keys_are_the_documented_ones() -> None:
    keys = {
        name: Language.get_factory_meta(name).default_config["spans_key"] for name in COMPONENTS
    }
    assert keys == {
        "yakkan_periods": "periods",
        "yakkan_percentages": "percentages",
        "yakkan_fractions": "fractions",
        "yakkan_amounts": "amounts",
        "yakkan_dates": "dates",
        "yakkan_definitions": "defined_terms",
    }
    assert Language.get_factory_meta(CROSSREFS).default_config["spans_key"] == "crossrefs"


@pytest.mark.parametrize(
    ("name", "surface"),
    [
        ("yakkan_periods", "30日以内"),
        ("yakkan_percentages", "5%"),
        ("yakkan_dates", "平成29年11月4日"),
        ("yakkan_crossrefs", "第3条第2項"),
    ],
)
def test_a_component_configured_with_another_key_writes_there(name: str, surface: str) -> None:
    nlp = blank()
    nlp.add_pipe(name, config={"spans_key": "found"})
    doc = nlp(TEXT)
    assert [s.text for s in doc.spans["found"]] == [surface]
    default = Language.get_factory_meta(name).default_config["spans_key"]
    assert default not in doc.spans


def test_overwrite_false_keeps_the_spans_already_under_the_key() -> None:
    nlp = blank()
    nlp.add_pipe("yakkan_percentages", config={"spans_key": "values"})
    nlp.add_pipe(
        "yakkan_periods", name="periods", config={"spans_key": "values", "overwrite": False}
    )
    doc = nlp(TEXT)
    assert [(s.text, s.label_) for s in doc.spans["values"]] == [
        ("5%", "percentage"),
        ("30日以内", "period"),
    ]
    assert doc.spans["values"][1]._.value.unit == "day"


def test_overwrite_true_replaces_the_spans_under_the_key() -> None:
    nlp = blank()
    nlp.add_pipe("yakkan_percentages", config={"spans_key": "values"})
    nlp.add_pipe("yakkan_periods", name="periods", config={"spans_key": "values"})
    doc = nlp(TEXT)
    assert [s.text for s in doc.spans["values"]] == ["30日以内"]


def test_the_stage_language_uses_the_default_configuration() -> None:
    nlp = get_nlp()
    for name in [*COMPONENTS, CROSSREFS]:
        config = nlp.get_pipe_config(name)
        assert config["spans_key"] == Language.get_factory_meta(name).default_config["spans_key"]
        assert config["overwrite"] is True
