"""Value identity (pipeline/extract/values.py), which the diff uses to tell a changed parameter.

The values are read by the real pipeline from one-article texts written for these tests; what
each states is read from the sentence.
"""

from __future__ import annotations

import pytest

from pipeline.extract.values import same_value, value_key
from pipeline.models import ExtractionValue
from pipeline.process import parse_bytes

SENTENCES = {
    "from_purchase": "お客様は、購入日から30日以内に申し出るものとします。",
    "from_purchase_again": "利用者は、購入日から30日以内に申し出るものとします。",
    "from_receipt": "お客様は、受領日から30日以内に申し出るものとします。",
    "one_month": "お客様は、購入日から1ヶ月以内に申し出るものとします。",
}


@pytest.fixture(scope="module")
def periods() -> dict[str, ExtractionValue]:
    """The one period each sentence states, as the extractors read it."""
    found = {}
    for name, sentence in SENTENCES.items():
        text = f"第1条（申出）\n{sentence}\n"
        document = parse_bytes(text.encode("utf-8"), f"values-{name}.txt")
        values = [e.value for e in document.extractions if e.kind == "period"]
        assert len(values) == 1, f"{name}: {values}"
        found[name] = values[0]
    return found


def test_the_same_period_in_other_words_is_the_same_value(
    periods: dict[str, ExtractionValue],
) -> None:
    assert same_value(periods["from_purchase"], periods["from_purchase_again"])
    assert value_key(periods["from_purchase"]) == value_key(periods["from_purchase_again"])


def test_another_starting_event_is_another_value(periods: dict[str, ExtractionValue]) -> None:
    # 30 days either way, but counted from receipt instead of purchase.
    assert not same_value(periods["from_purchase"], periods["from_receipt"])
    assert value_key(periods["from_purchase"]) != value_key(periods["from_receipt"])


def test_a_month_is_not_thirty_days(periods: dict[str, ExtractionValue]) -> None:
    assert not same_value(periods["from_purchase"], periods["one_month"])


def test_a_missing_value_is_only_the_same_as_another_missing_one(
    periods: dict[str, ExtractionValue],
) -> None:
    assert same_value(None, None)
    assert not same_value(periods["from_purchase"], None)
    assert not same_value(None, periods["from_purchase"])
