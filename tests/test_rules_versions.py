"""A rule model written against one published version, applied to the next (real documents).

窓口の安心サポート利用規約 (株式会社pequod), versions of 2024-09-01 (vA) and 2024-10-01 (vB), from
/work/shared/versions (used by path, never copied). Read from the texts: 第3条(1) the premium
pack costs 毎月1,780円(税込1,958円) in vA and 毎月1,618円(税込1,780円) in vB; 第14条 charges
年14.6% on late payment and 第24条 announces an abolition 2ヶ月前まで in both; 第5条第4項 allows
withdrawal 8日間以内.
vB rewrote 第11条 into a single paragraph while 第20条(2) still cites 第11条第1項各号.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED_VERSIONS

from pipeline.models import ValidationReport
from pipeline.process import parse_file
from pipeline.rules import Parameter, RuleModel, Select, amount, percentage, period, validate

VA = SHARED_VERSIONS / "001_pequod_madoguchi_support_vA.txt"
VB = SHARED_VERSIONS / "001_pequod_madoguchi_support_vB.txt"

pytestmark = pytest.mark.skipif(not VA.is_file(), reason=f"{SHARED_VERSIONS} is not available")

PREMIUM_PACK = Select(article="3", title="利用料金", contains="プレミアム安心保証パック", item=1)
"""第3条(1): the premium pack's fee, stated before and with tax."""

PEQUOD = RuleModel(
    name="pequod-2024-09",
    family="pequod",
    parameters=[
        Parameter(
            name="premium_pack_monthly_fee",
            description="第3条(1): monthly fee of the premium pack, before tax",
            select=PREMIUM_PACK,
            near="毎月",
            window=2,
            expect=amount(1780),
        ),
        Parameter(
            name="premium_pack_monthly_fee_with_tax",
            description="第3条(1): the same fee with tax",
            select=PREMIUM_PACK,
            near="税込",
            window=2,
            expect=amount(1958),
        ),
        Parameter(
            name="late_payment_interest_rate",
            description="第14条: interest on late payment, per year",
            select=Select(article="14", title="遅延損害金"),
            expect=percentage(14.6, basis="year"),
        ),
        Parameter(
            name="withdrawal_period",
            description="第5条第4項: withdrawal within this many days",
            select=Select(article="5", title="退会手続き", paragraph=4),
            expect=period(8, "day", bound="within"),
        ),
        Parameter(
            name="service_abolition_notice_period",
            description="第24条: notice before the service is abolished",
            select=Select(article="24", title="サービスの廃止", contains="廃止日"),
            expect=period(2, "month", bound="before"),
        ),
    ],
)


def report(path: Path) -> ValidationReport:
    return validate(parse_file(path), PEQUOD)


def test_the_version_the_model_was_written_for_passes_every_parameter() -> None:
    result = report(VA)
    assert {r.name: r.status for r in result.parameters} == dict.fromkeys(
        [p.name for p in PEQUOD.parameters], "passed"
    )


def test_the_next_version_shows_the_price_change_with_its_evidence() -> None:
    result = report(VB)
    by_name = {r.name: r for r in result.parameters}
    changed = {n: r for n, r in by_name.items() if r.status != "passed"}
    assert set(changed) == {"premium_pack_monthly_fee", "premium_pack_monthly_fee_with_tax"}
    fee = changed["premium_pack_monthly_fee"]
    assert fee.status == "changed"
    assert (fee.expected_display, fee.found and fee.found.display) == ("1780 JPY", "1618 JPY")
    assert fee.found is not None and fee.found.path == "art:3/para:1/item:1"
    assert "毎月1,618円" in fee.found.evidence
    with_tax = changed["premium_pack_monthly_fee_with_tax"]
    assert with_tax.found is not None and with_tax.found.display == "1780 JPY"
    assert not result.passed


def test_without_a_phrase_two_amounts_in_the_item_are_ambiguous() -> None:
    loose = PEQUOD.parameters[0].model_copy(update={"near": None})
    result = validate(parse_file(VB), PEQUOD.model_copy(update={"parameters": [loose]}))
    (fee,) = result.parameters
    assert fee.status == "ambiguous"
    assert [c.text for c in fee.candidates] == ["1,618円", "1,780円"]


def test_the_next_version_cites_a_paragraph_it_no_longer_has() -> None:
    structure = {r.rule: r for r in report(VB).structure}
    dangling = [f for f in structure["references.resolved"].findings if f.code == "xref.dangling"]
    assert [f.path for f in dangling] == ["art:20/para:1/item:2"]
    assert dangling[0].evidence is not None and "第11条第1項各号" in dangling[0].evidence
    before = {r.rule: r for r in report(VA).structure}["references.resolved"]
    assert [f.code for f in before.findings if f.code == "xref.dangling"] == []
