"""Each extractor against its cases file (tests/cases/<kind>.json): text → expected values.

Every case runs through the extractor's spaCy component in a blank `ja` pipeline, as a user
would add it, and again with ASCII written full-width (raw user text, not normalized): the
components must read both.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import spacy
from pydantic import BaseModel
from spacy.language import Language

from pipeline.models import (
    AmountValue,
    DateValue,
    DefinedTermValue,
    FractionValue,
    PercentageValue,
    PeriodValue,
)

CASES = Path(__file__).parent / "cases"
KINDS: dict[str, type[BaseModel]] = {
    "periods": PeriodValue,
    "percentages": PercentageValue,
    "fractions": FractionValue,
    "amounts": AmountValue,
    "dates": DateValue,
    "definitions": DefinedTermValue,
}
MINIMUM_CASES = {"periods": 40, "dates": 20}
TEXT_FIELDS = ("anchor", "anchor_alias", "of", "term", "definition")
"""Value fields that quote the text, and so change with it when it is written full-width."""

FULL_WIDTH = str.maketrans(
    {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}
)


def load(kind: str) -> dict[str, Any]:
    return json.loads((CASES / f"{kind}.json").read_text(encoding="utf-8"))


@cache
def pipeline_with(component: str) -> Language:
    nlp = spacy.blank("ja")
    nlp.add_pipe(component)
    return nlp


def run(kind: str, text: str) -> list[tuple[str, dict[str, Any]]]:
    spec = load(kind)
    doc = pipeline_with(spec["component"])(text)
    return [(span.text, span._.value.model_dump()) for span in doc.spans[spec["span_key"]]]


def expected(kind: str, case: dict[str, Any], widen: bool) -> list[tuple[str, dict[str, Any]]]:
    model = KINDS[kind]
    out = []
    for entry in case["expect"]:
        value = dict(entry["value"])
        surface = entry["text"]
        if widen:
            surface = surface.translate(FULL_WIDTH)
            for name in TEXT_FIELDS:
                if isinstance(value.get(name), str):
                    value[name] = value[name].translate(FULL_WIDTH)
        out.append((surface, model(**value).model_dump()))
    return out


def all_cases() -> list[Any]:
    params = []
    for kind in KINDS:
        for i, case in enumerate(load(kind)["cases"]):
            for widen in (False, True):
                tag = f"{kind}-{i}-{'fullwidth' if widen else 'ascii'}"
                params.append(pytest.param(kind, case, widen, id=tag))
    return params


@pytest.mark.parametrize(("kind", "case", "widen"), all_cases())
def test_case(kind: str, case: dict[str, Any], widen: bool) -> None:
    text = case["text"].translate(FULL_WIDTH) if widen else case["text"]
    assert run(kind, text) == expected(kind, case, widen), case.get("note", text)


@pytest.mark.parametrize("kind", list(KINDS))
def test_cases_file_has_negatives_and_enough_cases(kind: str) -> None:
    cases = load(kind)["cases"]
    assert any(not c["expect"] for c in cases), "a cases file lists what must not be extracted"
    assert len(cases) >= MINIMUM_CASES.get(kind, 5)
