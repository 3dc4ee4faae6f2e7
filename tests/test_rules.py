"""Rule-model machinery on small documents: selection, comparison, statuses, structural rules.

The documents are segmented by the real segmenter; the extractions are written by hand so that
each test states exactly which values the text holds (the corpus tests run the extractors).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.cli.report_rules import render_report
from pipeline.models import (
    CrossReferenceExpectation,
    CrossReferenceValue,
    DateExpectation,
    DateValue,
    DefinedTermExpectation,
    DefinedTermValue,
    Document,
    Extraction,
    ExtractionValue,
    FractionValue,
    Node,
    PercentageValue,
    PeriodValue,
    ReferenceFragment,
    RulesError,
    Span,
)
from pipeline.process import parse_bytes
from pipeline.rules import (
    Parameter,
    RuleModel,
    Select,
    StructuralRule,
    check_parameter,
    check_structure,
    display,
    fraction,
    load_rules,
    parameter_payload,
    percentage,
    period,
    rules_for,
    validate,
)

TERMS = """テスト約款
第1条 目的
本約款は、テストのためのものとします。
第2条 遅延損害金
契約者は、支払期日の翌日から起算して年14.5%の割合による遅延損害金を支払うものとします。
第3条 解約
契約者は、3ヶ月前までに書面にて通知することにより、解約することができます。
2.当社は、次の各号の場合、1年間の猶予期間を置き、その後さらに6ヶ月間延長することがあります。
(1)第2条(遅延損害金)に定める場合
(2)第2条(解約)に定める場合
"""


def _innermost(document: Document, start: int, end: int) -> str:
    best: Node | None = None
    stack: list[Node] = list(document.articles)
    while stack:
        node = stack.pop()
        if node.span.start <= start and end <= node.span.end:
            best = node
            stack = list(getattr(node, "paragraphs", [])) + list(getattr(node, "items", []))
    assert best is not None
    return best.path


def extraction(
    document: Document, surface: str, value: ExtractionValue, nth: int = 0
) -> Extraction:
    """An extraction of `surface` (its nth occurrence) with a hand-written value."""
    start = -1
    for _ in range(nth + 1):
        start = document.text.index(surface, start + 1)
    end = start + len(surface)
    return Extraction(
        kind=value.kind,
        path=_innermost(document, start, end),
        text=surface,
        span=Span(start=start, end=end),
        value=value,
    )


def parse(text: str = TERMS) -> Document:
    return parse_bytes(text.encode("utf-8"), "terms.txt", extract=False)


def with_values(document: Document, *found: tuple[str, ExtractionValue]) -> Document:
    return document.model_copy(
        update={"extractions": [extraction(document, surface, v) for surface, v in found]}
    )


RATE = Parameter(
    name="late_payment_interest_rate",
    description="遅延損害金 per year",
    select=Select(article="2", title="遅延損害金", contains="遅延損害金"),
    expect=percentage(14.5, basis="year"),
)
NOTICE = Parameter(
    name="termination_notice_period",
    description="notice before cancelling",
    select=Select(article="3", title="解約", contains="書面にて", paragraph=1),
    expect=period(3, "month", bound="before"),
)
GRACE = Parameter(
    name="grace_period",
    description="grace period",
    select=Select(article="3", title="解約", paragraph=2),
    near="猶予",
    window=5,
    expect=period(1, "year", bound="for"),
)


def rate(value: float) -> PercentageValue:
    return PercentageValue(value=value, basis="year")


def test_a_value_as_expected_passes_with_path_and_quoted_sentence() -> None:
    doc = with_values(parse(), ("年14.5%", rate(14.5)))
    result = check_parameter(doc, RATE)
    assert result.status == "passed"
    assert result.located_by == "article"
    assert result.found is not None
    assert result.found.path == "art:2/para:1"
    assert result.found.evidence.startswith("契約者は、支払期日の翌日から起算して年14.5%")
    assert result.found.evidence.endswith("支払うものとします。")


def test_a_different_value_is_changed_with_old_expectation_and_new_value() -> None:
    doc = parse(TERMS.replace("14.5%", "14.6%"))
    doc = with_values(doc, ("年14.6%", rate(14.6)))
    result = check_parameter(doc, RATE)
    assert result.status == "changed"
    assert result.expected_display == "14.5% a year"
    assert result.found is not None and result.found.display == "14.6% a year"
    assert "年14.6%" in result.found.evidence


def test_nothing_of_the_kind_in_the_provision_is_missing() -> None:
    result = check_parameter(parse(), RATE)
    assert result.status == "missing"
    assert result.found is None


def test_two_different_values_in_scope_are_ambiguous_with_every_candidate() -> None:
    text = TERMS.replace("年14.5%の割合", "年14.5%又は年10%の割合")
    doc = with_values(parse(text), ("年14.5%", rate(14.5)), ("年10%", rate(10)))
    result = check_parameter(doc, RATE)
    assert result.status == "ambiguous"
    assert [c.text for c in result.candidates] == ["年14.5%", "年10%"]


def test_near_picks_the_value_next_to_its_phrase() -> None:
    doc = with_values(
        parse(),
        ("1年間", PeriodValue(value=1, unit="year", bound="for")),
        ("6ヶ月間", PeriodValue(value=6, unit="month", bound="for")),
    )
    assert check_parameter(doc, GRACE).status == "passed"
    without_near = GRACE.model_copy(update={"near": None})
    assert check_parameter(doc, without_near).status == "ambiguous"


def test_a_renumbered_article_is_found_by_its_title() -> None:
    moved = TERMS.replace(
        "第2条 遅延損害金", "第2条 端数処理\n端数は切り捨てます。\n第3条 遅延損害金"
    )
    moved = moved.replace("第3条 解約", "第4条 解約")
    doc = with_values(parse(moved), ("年14.5%", rate(14.5)))
    result = check_parameter(doc, RATE)
    assert result.status == "passed"
    assert result.located_by == "title"
    assert result.found is not None and result.found.path == "art:3/para:1"
    assert "expects art:2" in result.message


def test_a_renamed_and_renumbered_article_is_found_by_its_phrase() -> None:
    moved = TERMS.replace("第2条 遅延損害金", "第2条 目的その2\n特になし。\n第3条 延滞利息")
    moved = moved.replace("第3条 解約", "第4条 解約")
    doc = with_values(parse(moved), ("年14.5%", rate(14.5)))
    result = check_parameter(doc, RATE)
    assert (result.status, result.located_by) == ("passed", "phrase")


def test_a_deleted_article_leaves_the_parameter_missing() -> None:
    deleted = TERMS.replace(
        "契約者は、支払期日の翌日から起算して年14.5%の割合による遅延損害金を支払うものとします。",
        "削除",
    ).replace("第2条 遅延損害金", "第2条")
    result = check_parameter(parse(deleted), RATE)
    assert result.status == "missing"


def test_a_period_is_compared_by_its_length_not_its_wording() -> None:
    same = with_values(parse(), ("3ヶ月前", PeriodValue(value=0.25, unit="year", bound="before")))
    assert check_parameter(same, NOTICE).status == "passed"
    longer = with_values(parse(), ("3ヶ月前", PeriodValue(value=6, unit="month", bound="before")))
    assert check_parameter(longer, NOTICE).status == "changed"
    days = with_values(parse(), ("3ヶ月前", PeriodValue(value=90, unit="day", bound="before")))
    assert check_parameter(days, NOTICE).status == "changed", "a month is not a number of days"
    other_bound = with_values(parse(), ("3ヶ月前", PeriodValue(value=3, unit="month")))
    assert check_parameter(other_bound, NOTICE).status == "changed"


def test_a_range_accepts_values_inside_and_flags_values_outside() -> None:
    ranged = NOTICE.model_copy(update={"expect": period(None, "month", minimum=1, maximum=3)})
    inside = with_values(parse(), ("3ヶ月前", PeriodValue(value=2, unit="month", bound="before")))
    outside = with_values(parse(), ("3ヶ月前", PeriodValue(value=4, unit="month")))
    assert check_parameter(inside, ranged).status == "passed"
    assert check_parameter(outside, ranged).status == "changed"


def test_fractions_compare_as_ratios() -> None:
    text = TERMS.replace("書面にて通知", "書面にて料金の30分の1を添えて通知")
    param = NOTICE.model_copy(update={"name": "share", "expect": fraction(1, 30)})
    doc = with_values(parse(text), ("30分の1", FractionValue(numerator=1, denominator=30)))
    assert check_parameter(doc, param).status == "passed"
    doc = with_values(parse(text), ("30分の1", FractionValue(numerator=1, denominator=31)))
    assert check_parameter(doc, param).status == "changed"


def test_display_states_values_in_words() -> None:
    assert display(PeriodValue(value=3, unit="month", bound="before")) == "3 months before"
    assert display(PeriodValue(value=30, unit="day", bound="within")) == "within 30 days"
    assert display(PercentageValue(value=14.5, basis="year")) == "14.5% a year"
    assert display(FractionValue(numerator=1, denominator=30, of="月額利用料金")) == (
        "1/30 of 月額利用料金"
    )


def _reference(
    doc: Document, surface: str, nth: int, targets: list[str], cited: str | None
) -> Extraction:
    return extraction(
        doc,
        surface,
        CrossReferenceValue(
            fragments=[ReferenceFragment(level="article", position="named", number="2")],
            targets=targets,
            cited_title=cited,
            relation="explicit",
            resolved=bool(targets),
        ),
        nth,
    )


def test_a_cited_title_other_than_the_target_title_is_a_warning_finding() -> None:
    doc = parse()
    refs = [
        _reference(doc, "第2条(遅延損害金)", 0, ["art:2"], "遅延損害金"),
        _reference(doc, "第2条(解約)", 0, ["art:2"], "解約"),
    ]
    doc = doc.model_copy(update={"extractions": refs})
    (titles,) = check_structure(doc, [StructuralRule(rule="references.titles", severity="warning")])
    assert not titles.passed
    (finding,) = titles.findings
    assert finding.severity == "warning"
    assert finding.path == "art:3/para:2/item:2"
    assert "as '解約'" in finding.message and "titled '遅延損害金'" in finding.message
    report = validate(doc, RuleModel(name="t", family="t", parameters=[]))
    assert report.passed, "a title mismatch is a warning: it does not fail the report"


def test_unresolved_and_dangling_references_are_errors() -> None:
    doc = parse()
    refs = [
        _reference(doc, "第2条(遅延損害金)", 0, [], None),
        _reference(doc, "第2条(解約)", 0, ["art:12"], None),
    ]
    doc = doc.model_copy(update={"extractions": refs})
    (resolved,) = check_structure(doc, [StructuralRule(rule="references.resolved")])
    assert [f.code for f in resolved.findings] == ["xref.unresolved", "xref.dangling"]
    assert not validate(doc, RuleModel(name="t", family="t", parameters=[])).passed


def test_numbering_gaps_are_found_at_every_level() -> None:
    doc = parse(TERMS.replace("第3条 解約", "第5条 解約"))
    # The segmenter only accepts the next number as a marker, so paragraph and item gaps are
    # made in the tree, as a segmenter of another family might deliver them.
    doc = doc.model_copy(deep=True)
    doc.articles[-1].paragraphs[1].number = 3
    doc.articles[-1].paragraphs[1].items[1].ordinal = 4
    model = RuleModel(name="t", family="t", parameters=[])
    results = {r.rule: r for r in validate(doc, model).structure}
    (article,) = results["numbering.articles"].findings
    assert (article.path, article.severity) == ("art:5", "error")
    assert article.code.startswith("numbering") and "第5条" in article.message
    paragraph_paths = [f.path for f in results["numbering.paragraphs"].findings]
    assert paragraph_paths == ["art:5/para:2"]
    assert [f.path for f in results["numbering.items"].findings] == ["art:5/para:2/item:2"]
    assert (
        "item under art:5/para:2 4 where 2 was expected"
        in results["numbering.items"].findings[0].message
    )


def test_an_article_gap_in_the_tree_alone_is_found_too() -> None:
    doc = parse().model_copy(deep=True)
    doc.articles[-1].number = "5"
    (articles,) = check_structure(doc, [StructuralRule(rule="numbering.articles")])
    (finding,) = articles.findings
    assert finding.code == "numbering.article"
    assert finding.message == "第5条 where 第3条 or 第2条の2 was expected"


def test_branch_articles_follow_their_base() -> None:
    text = TERMS.replace("第3条 解約", "第2条の2 補足\n補足します。\n第3条 解約")
    (articles,) = check_structure(parse(text), [StructuralRule(rule="numbering.articles")])
    assert articles.passed, articles.findings


def test_a_period_that_is_not_positive_is_a_finding() -> None:
    doc = with_values(parse(), ("3ヶ月前", PeriodValue(value=0, unit="month", bound="before")))
    (periods,) = check_structure(doc, [StructuralRule(rule="periods.valid")])
    assert [f.path for f in periods.findings] == ["art:3/para:1"]


def test_report_payload_and_text_carry_every_parameter() -> None:
    doc = with_values(
        parse(),
        ("年14.5%", rate(14.5)),
        ("3ヶ月前", PeriodValue(value=6, unit="month", bound="before")),
    )
    model = RuleModel(name="t", family="t", parameters=[RATE, NOTICE, GRACE])
    report = validate(doc, model)
    assert report.counts == {"passed": 1, "changed": 1, "missing": 1, "ambiguous": 0}
    assert not report.passed
    payload = parameter_payload(doc, report)
    assert list(payload.parameters) == [RATE.name, NOTICE.name, GRACE.name]
    assert payload.parameters[NOTICE.name].display == "6 months before"
    assert payload.parameters[GRACE.name].value is None
    text = render_report(report)
    assert "[CHANGED] termination_notice_period" in text and "「契約者は、3ヶ月前までに" in text
    optional = model.model_copy(
        update={"parameters": [RATE, NOTICE.model_copy(update={"required": False})]}
    )
    assert validate(doc, optional).passed


def test_rule_models_reject_duplicate_names_and_bad_selections() -> None:
    with pytest.raises(ValidationError):
        RuleModel(name="t", family="t", parameters=[RATE, RATE])
    with pytest.raises(ValidationError):
        Select()
    with pytest.raises(ValidationError):
        RATE.model_copy(update={}).model_validate({**RATE.model_dump(), "name": "Late Rate"})


def test_rule_models_load_by_family_or_module_path() -> None:
    assert load_rules("nas").family == "nas"
    assert load_rules("corpus.nec.rules:RULES").family == "nec"
    for bad in ("nope", "corpus.nas.rules:NOPE", "pipeline.models:Span", "../x"):
        with pytest.raises(RulesError):
            load_rules(bad)
    with pytest.raises(RulesError, match="unknown document family"):
        rules_for(parse())


def test_a_renamed_article_in_place_is_found_by_its_phrase_and_says_so() -> None:
    renamed = TERMS.replace("第2条 遅延損害金", "第2条 延滞利息")
    doc = with_values(parse(renamed), ("年14.5%", rate(14.5)))
    result = check_parameter(doc, RATE)
    assert (result.status, result.located_by) == ("passed", "phrase")
    assert "no article is titled '遅延損害金' any more" in result.message


def test_an_inserted_paragraph_does_not_lose_a_value_pinned_by_its_phrase() -> None:
    inserted = TERMS.replace(
        "2.当社は、次の各号", "2.契約者は、解約理由を示すものとします。\n3.当社は、次の各号"
    )
    doc = parse(inserted)
    assert [p.number for p in doc.articles[2].paragraphs] == [1, 2, 3]
    doc = with_values(doc, ("1年間", PeriodValue(value=1, unit="year", bound="for")))
    result = check_parameter(doc, GRACE)
    assert result.status == "passed"
    assert result.found is not None and result.found.path.startswith("art:3/para:3")
    assert check_parameter(doc, GRACE.model_copy(update={"near": None})).status == "missing"


RULES_MODULE = """
from pipeline.rules import Parameter, RuleModel, Select, percentage

RATE = Parameter(
    name="late_payment_interest_rate",
    description="rate",
    select=Select(article="2", title="遅延損害金"),
    expect=percentage(14.5, basis="year"),
)


class MyRules(RuleModel):
    name: str = "mine"
    family: str = "mine"
    parameters: list[Parameter] = [RATE]


def make_rules() -> RuleModel:
    return RuleModel(name="made", family="mine", parameters=[RATE])


def broken() -> RuleModel:
    return RuleModel(name="broken", family="mine", parameters=[RATE, RATE])
"""


def test_rule_models_load_from_a_class_or_a_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_terms_rules.py").write_text(RULES_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert load_rules("my_terms_rules:MyRules").name == "mine"
    assert load_rules("my_terms_rules:make_rules").name == "made"
    with pytest.raises(RulesError, match="failed"):
        load_rules("my_terms_rules:broken")
    doc = with_values(parse(), ("年14.5%", rate(14.5)))
    assert validate(doc, rules_for(doc, "my_terms_rules:MyRules")).passed


def test_dates_defined_terms_and_references_compare_by_meaning() -> None:
    text = TERMS.replace(
        "本約款は、テストのためのものとします。",
        "本約款(以下「本約款」という。)は、2024年4月1日から実施します。",
    )
    doc = parse(text)
    where = Select(article="1", title="目的")
    found = with_values(
        doc,
        ("2024年4月1日", DateValue(date=dt.date(2024, 4, 1), year=2024, month=4, day=1)),
        ("本約款", DefinedTermValue(term="本約款")),
    )
    on_date = Parameter(
        name="effective",
        description="d",
        select=where,
        expect=DateExpectation(date=dt.date(2024, 4, 1)),
    )
    later = on_date.model_copy(update={"expect": DateExpectation(date=dt.date(2024, 5, 1))})
    term = Parameter(
        name="term", description="t", select=where, expect=DefinedTermExpectation(term="本約款")
    )
    assert [check_parameter(found, p).status for p in (on_date, later, term)] == [
        "passed",
        "changed",
        "passed",
    ]
    cites = Parameter(
        name="cites_rate_article",
        description="item (1) of 第3条第2項 cites 第2条",
        select=Select(article="3", title="解約", paragraph=2, item=1),
        expect=CrossReferenceExpectation(targets=["art:2"]),
    )
    ref = _reference(doc, "第2条(遅延損害金)", 0, ["art:2"], "遅延損害金")
    assert check_parameter(doc.model_copy(update={"extractions": [ref]}), cites).status == "passed"
    elsewhere = _reference(doc, "第2条(遅延損害金)", 0, ["art:1"], "遅延損害金")
    changed = check_parameter(doc.model_copy(update={"extractions": [elsewhere]}), cites)
    assert (changed.status, changed.found and changed.found.display) == ("changed", "art:1")
