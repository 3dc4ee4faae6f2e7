"""pipeline.text.numerals against tests/cases/numerals.json: ASCII, full-width, kanji numerals."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.text.numerals import (
    QUANTITY_PATTERN,
    circled_value,
    parse_decimal,
    parse_number,
    parse_quantity,
)

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "cases" / "numerals.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(("text", "value"), CASES["parse_number"])
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "value"), CASES["parse_decimal"])
def test_parse_decimal(text: str, value: float) -> None:
    assert parse_decimal(text) == value


@pytest.mark.parametrize(("text", "value"), CASES["parse_quantity"])
def test_parse_quantity(text: str, value: float | None) -> None:
    """A quantity the pattern matches whole reads to its value; '半' is no numeral."""
    if value is None:
        assert re.fullmatch(QUANTITY_PATTERN, text) is None
        return
    assert re.fullmatch(QUANTITY_PATTERN, text)
    assert parse_quantity(text) == value


@pytest.mark.parametrize(("text", "value"), CASES["circled"])
def test_circled(text: str, value: int) -> None:
    assert circled_value(text) == value


@pytest.mark.parametrize("text", CASES["not_numerals"])
def test_not_numerals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)
