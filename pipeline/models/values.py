"""Extracted values: one model per kind (期間, 割合, 分数, 金額, 日付, 定義語, 参照), each
carrying its `kind` as the union discriminator, and the `Extraction` placing a value in the text.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from pipeline.models.base import Model, Span

# --------------------------------------------------------------------------------------------
# Extracted values (one model per kind; each carries its `kind` as the union discriminator)
# --------------------------------------------------------------------------------------------

PeriodUnit = Literal["minute", "hour", "day", "business_day", "week", "month", "year"]
Bound = Literal[
    "within",  # 以内: at most, inclusive
    "at_least",  # 以上: inclusive
    "more_than",  # 超/を超える: exclusive
    "less_than",  # 未満: exclusive
    "before",  # 前まで / 前に
    "after",  # 後 / 経過後
    "until",  # まで
    "for",  # 間 (a duration: 1年間)
    "not_elapsed",  # を経過しない
]


class PeriodPart(Model):
    """One quantity of a compound period: the 3ヶ月 of 2年3ヶ月."""

    value: float = Field(description="the number of units (2年半 → 2.5 years)")
    unit: PeriodUnit


class PeriodValue(Model):
    """期間: a span of time with its bound and the event it counts from."""

    kind: Literal["period"] = "period"
    value: float = Field(
        description="the number of units (半年 → 6 months, 半月 → 0.5 month); for a compound "
        "period the total in its finest unit (2年3ヶ月 → 27 months, 2時間15分 → 135 minutes), "
        "or, when months meet days (1年6ヶ月15日), the total of the parts down to months: the "
        "days are then only in `parts`"
    )
    unit: PeriodUnit
    parts: list[PeriodPart] = Field(
        default_factory=list, description="the parts of a compound period (2年3ヶ月); else empty"
    )
    bound: Bound | None = None
    inclusive: bool | None = Field(None, description="以内/以上 include the limit; 未満/超 do not")
    anchor: str | None = Field(None, description="the event counted from: '購入日'")
    anchor_alias: str | None = Field(None, description="an alias given in brackets: '検収日'")
    counting: str | None = Field(None, description="'翌日から起算' and similar counting rules")


class PercentageValue(Model):
    """割合: a percentage or a rate (年14.5%)."""

    kind: Literal["percentage"] = "percentage"
    value: float = Field(description="in percent: 年14.5% → 14.5; 1割 → 10")
    basis: Literal["year", "month", "day"] | None = Field(None, description="per year for 年…%")
    surface_unit: Literal["%", "パーセント", "割", "分"] = "%"


class FractionValue(Model):
    """分数: 30分の1, or a division stated in words (24で除した数)."""

    kind: Literal["fraction"] = "fraction"
    numerator: float
    denominator: float
    of: str | None = Field(None, description="what the fraction is taken of: '月額利用料金'")


class AmountValue(Model):
    """金額: an amount of money with its bound."""

    kind: Literal["amount"] = "amount"
    value: float
    currency: str = "JPY"
    bound: Bound | None = None
    inclusive: bool | None = None


class DateValue(Model):
    """日付: a calendar date, or a year or year-month when that is all the text says."""

    kind: Literal["date"] = "date"
    date: dt.date | None = Field(None, description="set when year, month and day are all known")
    year: int
    month: int | None = None
    day: int | None = None
    era: str | None = Field(None, description="'平成', '令和', ... when written in an era")
    era_year: int | None = None
    era_ended: bool = Field(
        False,
        description="written in an era after its last day (平成31年6月1日, 平成35年, drafted "
        "before the era changed): `date`/`year` say the day it means",
    )


class DefinedTermValue(Model):
    """定義語: a term the document defines (以下「当社」という; 「海外旅行」とは、…をいいます;
    NAS 第2条's list)."""

    kind: Literal["defined_term"] = "defined_term"
    term: str
    definition: str | None = Field(None, description="what the term stands for")
    style: Literal["inline", "clause", "list"] = Field(
        "inline",
        description="'inline' (以下「当社」という, or a gloss in brackets), 'clause' "
        "(「海外旅行」とは、…をいいます) or 'list' (a definition list's entry)",
    )


ReferenceLevel = Literal[
    "chapter", "section", "appendix", "article", "paragraph", "item", "subitem"
]
ReferencePosition = Literal[
    "named", "previous", "next", "here", "same", "each", "previous_each"  # 前各項 / 前各号
]
ReferenceRole = Literal[
    "target",  # the provision cited (a range's start)
    "range_end",  # 第X条から第Y条まで / (1)号乃至(5)号: the end of the range
    "excluded",  # (1)号及び(4)号を除く各号: a provision taken out of the 各号
]


class ReferenceFragment(Model):
    """One step of a reference: which level, which position, which number(s)."""

    level: ReferenceLevel
    position: ReferencePosition
    number: str | None = Field(None, description="'13', '5-2', '1' for named fragments")
    count: int | None = Field(None, description="前二項 → 2; None for one")
    span: Span | None = None
    role: ReferenceRole = "target"
    inherited: bool = Field(
        False, description="taken from an earlier list member: 第3項 in 第4条第1項及び第3項"
    )


class CrossReferenceValue(Model):
    """参照: a reference to another provision, parsed into fragments and resolved to paths."""

    kind: Literal["crossref"] = "crossref"
    fragments: list[ReferenceFragment] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list, description="resolved provision paths")
    excluded: list[str] = Field(default_factory=list, description="paths excluded (…を除く)")
    cited_title: str | None = Field(None, description="title quoted after the number")
    relation: Literal["explicit", "relative"]
    external: str | None = Field(None, description="the other document it cites, if any")
    law_number: str | None = Field(
        None,
        description="a cited statute's law number (法令番号): 平成29年法律第44号 in 民法(…)",
    )
    resolved: bool = False
    reason: str | None = Field(None, description="why it could not be resolved")


ExtractionValue = Annotated[
    PeriodValue
    | PercentageValue
    | FractionValue
    | AmountValue
    | DateValue
    | DefinedTermValue
    | CrossReferenceValue,
    Field(discriminator="kind"),
]

ExtractionKind = Literal[
    "period", "percentage", "fraction", "amount", "date", "defined_term", "crossref"
]


class Extraction(Model):
    """One extracted value with its exact place in the document."""

    kind: ExtractionKind
    path: str = Field(description="the innermost provision holding it")
    text: str = Field(description="the surface as in the normalized text")
    span: Span
    page: int | None = None
    value: ExtractionValue

    @model_validator(mode="after")
    def _kind_matches_value(self) -> Extraction:
        if self.value.kind != self.kind:
            raise ValueError(f"extraction kind {self.kind!r} != value kind {self.value.kind!r}")
        return self
