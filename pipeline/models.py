"""The data model of yakkan: the contract between stages.

Read it as a glossary of the domain. Each stage is a function from one of these models to the
next; nothing else in the project defines document types.

Offsets (`Span`) always index the *normalized* text (`Document.text`); `NormalizedText.raw_span`
maps them back to the raw text, and `RawDocument.lines` to a page and a box.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# --------------------------------------------------------------------------------------------
# Offsets and sources
# --------------------------------------------------------------------------------------------


class Span(BaseModel):
    """A half-open range [start, end) of character offsets into the normalized text."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        """True when `other` lies within this span."""
        return self.start <= other.start and other.end <= self.end


BBox = tuple[float, float, float, float]
"""A box on a PDF page in points: (x0, top, x1, bottom), top-left origin as in pdfplumber."""


class SourceRef(BaseModel):
    """Where a span of the normalized text comes from in the raw input."""

    page: int | None = Field(None, description="1-based PDF page; None for text input")
    bbox: BBox | None = Field(None, description="union box of the raw characters on that page")
    raw_start: int = Field(description="offset into RawDocument.text")
    raw_end: int


SourceKind = Literal["text", "pdf"]


class SourceInfo(BaseModel):
    """The input file a document was read from."""

    path: str
    sha256: str = Field(description="hex digest of the file's bytes")
    kind: SourceKind
    encoding: str | None = Field(None, description="detected text encoding (text input)")
    pages: int | None = Field(None, description="page count (PDF input)")


# --------------------------------------------------------------------------------------------
# Ingest → RawDocument
# --------------------------------------------------------------------------------------------


class RawLine(BaseModel):
    """One line of the input as laid out: a text line, or a PDF text row within one column."""

    text: str
    page: int | None = None
    bbox: BBox | None = None
    column: int | None = Field(None, description="0-based column on the page; None if spanning")
    char_boxes: list[BBox] | None = Field(
        None, description="per-character boxes (PDF input), parallel to `text`", exclude=True
    )


class RawDocument(BaseModel):
    """The input in reading order, before any normalization (the ingest stage's output)."""

    source: SourceInfo
    lines: list[RawLine]

    @property
    def text(self) -> str:
        """The lines joined by newlines: the text that raw offsets index."""
        return "\n".join(line.text for line in self.lines)


# --------------------------------------------------------------------------------------------
# Normalize → NormalizedText
# --------------------------------------------------------------------------------------------


class NormalizedText(BaseModel):
    """Normalized text with its offset map back to the raw text.

    `offsets[i]` is the raw offset of the character that normalized character `i` came from;
    the map has one extra entry at the end (the raw length) so that half-open spans map cleanly.
    """

    raw: str
    text: str
    offsets: list[int] = Field(exclude=True, repr=False)

    @model_validator(mode="after")
    def _map_covers_text(self) -> NormalizedText:
        if len(self.offsets) != len(self.text) + 1:
            raise ValueError("offset map must have len(text) + 1 entries")
        return self

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) to the raw [start, end) it came from."""
        if end <= start:
            raw = self.offsets[start]
            return raw, raw
        return self.offsets[start], self.offsets[end - 1] + 1


# --------------------------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------------------------

Severity = Literal["info", "warning", "error"]


class Diagnostic(BaseModel):
    """A finding about the document: a numbering gap, a dangling reference, a title mismatch."""

    code: str = Field(description="stable machine code, e.g. 'numbering.gap', 'xref.title'")
    severity: Severity
    message: str
    path: str | None = Field(None, description="provision path the finding is about")
    span: Span | None = None


# --------------------------------------------------------------------------------------------
# Structure: 章 / 節 / 条 / 項 / 号 / 附則
# --------------------------------------------------------------------------------------------


NumberingStyle = Literal["article", "numbered-section", "decimal-outline", "heading"]


class Node(BaseModel):
    """Common fields of every provision node."""

    path: str = Field(description="stable address, e.g. 'art:13/para:1/item:1'")
    span: Span = Field(description="the whole node, heading/marker and children included")
    text: str = Field(description="the node's own text, without its marker and its children")
    text_span: Span = Field(description="where `text` stands in the normalized text")
    page: int | None = Field(None, description="1-based PDF page where the node starts")


class Item(Node):
    """A numbered item (号) or sub-item under an item: (1), 一, ①, ア, (ア), ・."""

    label: str = Field(description="the marker ASCII-normalized without brackets: '1', 'ア', '①'")
    marker: str = Field(description="the marker as it stands in the normalized text: '(1)'")
    style: str = Field(description="numbering style, e.g. 'paren-digit', 'circled', 'katakana'")
    ordinal: int = Field(description="the number the label stands for (ア → 1, ③ → 3)")
    items: list[Item] = Field(default_factory=list, description="sub-items")


class Paragraph(Node):
    """A paragraph (項). The first paragraph of an article is usually unnumbered."""

    number: int
    marker: str | None = Field(None, description="'2.' as it stands; None when unnumbered")
    items: list[Item] = Field(default_factory=list)


class Article(Node):
    """An article (条): 第13条, 第5条の2 (number '5-2')."""

    number: str = Field(description="'13', or '5-2' for 第5条の2")
    heading: str = Field(description="the heading as it stands, e.g. '第13条(利用の停止)'")
    title: str | None = Field(None, description="見出し without brackets, e.g. '利用の停止'")
    deleted: bool = Field(False, description="the article reads only 削除")
    chapter: int | None = None
    section: int | None = None
    paragraphs: list[Paragraph] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """第13条, 第5条の2: the article as a 第N条 document cites it (see `article_label`)."""
        return article_label(self.number)


def article_label(number: str, numbering_style: NumberingStyle = "article") -> str:
    """How a document names its article `number`, the one home of that rule.

    In a 第N条 document '13' → '第13条' and '5-2' → '第5条の2' (every branch: '5-2-3' →
    '第5条の2の3'); a document numbered by sections or an outline keeps the number as it is
    numbered ('3' → '3.', '1.2' → '1.2.').
    """
    main, *branches = number.split("-")
    if numbering_style == "article":
        return f"第{main}条" + "".join(f"の{b}" for b in branches)
    return "の".join([main, *branches]) + "."


class Section(BaseModel):
    """A section (節) of a chapter."""

    number: int
    title: str | None = None
    path: str
    span: Span
    articles: list[str] = Field(default_factory=list, description="article numbers")


class Chapter(BaseModel):
    """A chapter (章)."""

    number: int
    branch: int | None = Field(None, description="2 for 第3章の2 (path 'ch:3-2'), else None")
    title: str | None = None
    path: str
    span: Span
    sections: list[Section] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list, description="article numbers")

    @property
    def label(self) -> str:
        """第3章, 第3章の2."""
        return f"第{self.number}章" + (f"の{self.branch}" if self.branch else "")


class SupplementaryProvisions(Node):
    """附則: the supplementary provisions after the main body."""

    title: str = Field(description="the heading as it stands, e.g. '附則'")
    paragraphs: list[Paragraph] = Field(default_factory=list)


class Preamble(Node):
    """Title block and preamble before the first article (or chapter)."""


class Closing(Node):
    """Text after the last provision: 以上, 制定日/最終更新日/改定日 lines, the operator's name.

    It starts at 以上 or at a dated trailer line ('2020年8月1日改正', '【2023年2月1日制定】').
    """


class Appendix(Node):
    """別表 or 別紙 (an appended table or list): '別表第二' → number '2'; a lone '別表' → '1'.

    Its `text` is the caption or body before its items; path 'appx:2', items 'appx:2/item:1'.
    """

    number: str = Field(description="'2' for 別表第二; '1' for a document's only 別表")
    heading: str = Field(description="the heading as it stands, e.g. '別表第二'")
    title: str | None = Field(None, description="the caption after the heading, if any")
    items: list[Item] = Field(default_factory=list)


class DocumentPart(BaseModel):
    """One document of a bundle (a file holding several terms documents one after another).

    Every provision path inside part N starts with 'part:N/', so no two provisions of the bundle
    share a path; each part is checked, resolved, validated and diffed as a document of its own.
    """

    number: int = Field(ge=1, description="1-based position of the part in the file")
    path: str = Field(description="'part:2'")
    span: Span
    title: str | None = None
    numbering_style: NumberingStyle = "article"
    preamble: Preamble | None = None
    chapters: list[Chapter] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    supplementary: list[SupplementaryProvisions] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list)
    closing: Closing | None = None

    def iter_nodes(self) -> Iterator[Node]:
        """Every provision node of the part in document order (see `iter_nodes`)."""
        return iter_nodes(self)


class VersionEntry(BaseModel):
    """One entry of a document's version history, as its 附則 states it."""

    version: str = Field(description="e.g. 'Ver1.0'")
    effective_date: dt.date | None = None
    evidence: str = Field(description="the sentence it was read from")
    span: Span | None = None


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


class PeriodPart(BaseModel):
    """One quantity of a compound period: the 3ヶ月 of 2年3ヶ月."""

    value: float = Field(description="the number of units (2年半 → 2.5 years)")
    unit: PeriodUnit


class PeriodValue(BaseModel):
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


class PercentageValue(BaseModel):
    """割合: a percentage or a rate (年14.5%)."""

    kind: Literal["percentage"] = "percentage"
    value: float = Field(description="in percent: 年14.5% → 14.5; 1割 → 10")
    basis: Literal["year", "month", "day"] | None = Field(None, description="per year for 年…%")
    surface_unit: Literal["%", "パーセント", "割", "分"] = "%"


class FractionValue(BaseModel):
    """分数: 30分の1, or a division stated in words (24で除した数)."""

    kind: Literal["fraction"] = "fraction"
    numerator: float
    denominator: float
    of: str | None = Field(None, description="what the fraction is taken of: '月額利用料金'")


class AmountValue(BaseModel):
    """金額: an amount of money with its bound."""

    kind: Literal["amount"] = "amount"
    value: float
    currency: str = "JPY"
    bound: Bound | None = None
    inclusive: bool | None = None


class DateValue(BaseModel):
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


class DefinedTermValue(BaseModel):
    """定義語: a term the document defines (以下「当社」という; NAS 第2条's list)."""

    kind: Literal["defined_term"] = "defined_term"
    term: str
    definition: str | None = Field(None, description="what the term stands for")
    style: Literal["inline", "list"] = "inline"


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


class ReferenceFragment(BaseModel):
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


class CrossReferenceValue(BaseModel):
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


class Extraction(BaseModel):
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


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------


class Document(BaseModel):
    """A terms document: its structure, extractions and diagnostics.

    A bundle (one file holding several documents, `parts` non-empty) keeps every provision in
    exactly one part: its own `preamble`, `chapters`, `articles`, `supplementary`, `appendices`
    and `closing` stay empty, `title`/`version`/`effective_date`/`family` are read from the
    first part, and `extractions` and `diagnostics` hold those of all parts (paths 'part:N/…').
    `pipeline.structure.parts.part_documents` gives each part as a Document of its own.
    """

    id: str = Field(description="content id: the sha256 of the source bytes")
    family: str | None = Field(None, description="document family, e.g. 'nas', 'nec'")
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    source: SourceInfo
    text: str = Field(description="the normalized text all spans index")
    numbering_style: NumberingStyle = Field(
        "article",
        description="how top-level units are numbered: 第N条 ('article'), '1.'/'１．' sections "
        "('numbered-section'), 1 / 1.1 / 1.1.1 ('decimal-outline') or unnumbered headings "
        "('heading'); the units are `articles` in every style",
    )
    preamble: Preamble | None = None
    chapters: list[Chapter] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    supplementary: list[SupplementaryProvisions] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list, description="別表, path 'appx:2'")
    closing: Closing | None = Field(
        None, description="text after the last provision, path 'closing'"
    )
    parts: list[DocumentPart] = Field(
        default_factory=list,
        description="a bundle's documents, each with its own structure (paths 'part:N/...'); "
        "empty for a single document",
    )
    version_history: list[VersionEntry] = Field(default_factory=list)
    extractions: list[Extraction] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)

    def article(self, number: str) -> Article | None:
        """The article with this number ('13', '5-2'), if any."""
        return next((a for a in self.articles if a.number == number), None)

    def iter_nodes(self) -> Iterator[Node]:
        """Every provision node in document order (see `iter_nodes`)."""
        return iter_nodes(self)


def iter_nodes(holder: Document | DocumentPart) -> Iterator[Node]:
    """Walk a document's provisions in document order, the one home of that walk.

    Yields the preamble, then each article followed by its paragraphs, each paragraph by its
    items and each item by its sub-items (depth first), then each 附則 and its paragraphs and
    items, each 別表/別紙 and its items, and the closing. A bundle Document yields each part's
    nodes in turn (its own structural fields are empty). Callers pick the node types they need
    with `isinstance`; a node's path says where it stands ('appx:1/item:2', 'part:2/art:3').
    """
    if isinstance(holder, Document):
        for part in holder.parts:
            yield from iter_nodes(part)
    if holder.preamble is not None:
        yield holder.preamble
    for article in holder.articles:
        yield article
        yield from _paragraph_nodes(article.paragraphs)
    for supplementary in holder.supplementary:
        yield supplementary
        yield from _paragraph_nodes(supplementary.paragraphs)
    for appendix in holder.appendices:
        yield appendix
        yield from _item_nodes(appendix.items)
    if holder.closing is not None:
        yield holder.closing


def _paragraph_nodes(paragraphs: list[Paragraph]) -> Iterator[Node]:
    for paragraph in paragraphs:
        yield paragraph
        yield from _item_nodes(paragraph.items)


def _item_nodes(items: list[Item]) -> Iterator[Node]:
    for item in items:
        yield item
        yield from _item_nodes(item.items)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class YakkanError(Exception):
    """An expected failure on one input: carries the file and a one-line reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def one_line(text: str) -> str:
    """`text` made safe for a one-line message: a file name or reason holding a line break, a
    control character or undecodable bytes is shown quoted, with escapes, so the line stays one."""
    if text.isprintable() and not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return repr(text)


class IngestError(YakkanError):
    """The file cannot be read as a terms document (encoding, encryption, no text layer...)."""


class SegmentError(YakkanError):
    """The text has no recognisable terms structure."""


# --------------------------------------------------------------------------------------------
# Validation against rule models (owner: rules; machinery in pipeline/rules/)
#
# A rule model states what a family's documents must say (an expectation per named parameter);
# `validate` reads the document and reports, per parameter, what it found and where.
# --------------------------------------------------------------------------------------------


class PeriodExpectation(BaseModel):
    """The period a parameter expects: a value in `unit` (or a range), optionally a bound."""

    kind: Literal["period"] = "period"
    value: float | None = Field(None, description="expected number of `unit`s; None: range only")
    unit: PeriodUnit
    bound: Bound | None = Field(None, description="expected bound; None: any bound")
    minimum: float | None = Field(None, description="inclusive lower limit, in `unit`s")
    maximum: float | None = Field(None, description="inclusive upper limit, in `unit`s")


class PercentageExpectation(BaseModel):
    """The percentage or rate a parameter expects (年14.5% → value 14.5, basis 'year')."""

    kind: Literal["percentage"] = "percentage"
    value: float | None = None
    basis: Literal["year", "month", "day"] | None = None
    minimum: float | None = None
    maximum: float | None = None


class FractionExpectation(BaseModel):
    """The fraction a parameter expects (30分の1 → numerator 1, denominator 30)."""

    kind: Literal["fraction"] = "fraction"
    numerator: float
    denominator: float


class AmountExpectation(BaseModel):
    """The amount of money a parameter expects, optionally with its bound (1円未満)."""

    kind: Literal["amount"] = "amount"
    value: float | None = None
    currency: str = "JPY"
    bound: Bound | None = None
    minimum: float | None = None
    maximum: float | None = None


class DateExpectation(BaseModel):
    """The calendar date a parameter expects."""

    kind: Literal["date"] = "date"
    date: dt.date


class DefinedTermExpectation(BaseModel):
    """A term the document must define."""

    kind: Literal["defined_term"] = "defined_term"
    term: str


class CrossReferenceExpectation(BaseModel):
    """A reference that must resolve to these provision paths."""

    kind: Literal["crossref"] = "crossref"
    targets: list[str]


Expectation = Annotated[
    PeriodExpectation
    | PercentageExpectation
    | FractionExpectation
    | AmountExpectation
    | DateExpectation
    | DefinedTermExpectation
    | CrossReferenceExpectation,
    Field(discriminator="kind"),
]

ParameterStatus = Literal["passed", "changed", "missing", "ambiguous"]
LocatedBy = Literal["article", "title", "phrase"]


class Candidate(BaseModel):
    """One extraction a parameter could read: the value, where it stands, the quoted sentence."""

    value: ExtractionValue
    display: str = Field(description="the value in words, e.g. '3 months before'")
    path: str = Field(description="provision path of the extraction")
    text: str = Field(description="the extraction's surface in the normalized text")
    span: Span
    page: int | None = None
    evidence: str = Field(description="the sentence that states the value, quoted")


class ParameterResult(BaseModel):
    """The outcome for one named parameter of a rule model."""

    name: str = Field(description="stable snake_case name, e.g. 'late_payment_interest_rate'")
    description: str
    kind: ExtractionKind
    required: bool
    status: ParameterStatus = Field(
        description="passed: found and as expected; changed: found, differs from the "
        "expectation; missing: nothing found; ambiguous: several different candidates"
    )
    expected: Expectation
    expected_display: str = Field(description="the expectation in words, e.g. '3 months before'")
    expected_path: str | None = Field(None, description="where the model expects it: 'art:16'")
    located_by: LocatedBy | None = Field(
        None, description="how the provision was found: by number, by title, or by a phrase"
    )
    found: Candidate | None = Field(None, description="the value read (passed and changed)")
    candidates: list[Candidate] = Field(
        default_factory=list, description="every candidate when ambiguous"
    )
    message: str = Field(description="one line for people")


class StructuralFinding(Diagnostic):
    """A finding of a structural rule, with the quoted text it is about."""

    evidence: str | None = None


class StructuralResult(BaseModel):
    """The outcome of one generic structural rule (numbering, references, periods)."""

    rule: str = Field(description="e.g. 'numbering.articles', 'references.titles'")
    description: str
    required: bool = Field(description="whether a finding of severity 'error' fails the report")
    passed: bool
    findings: list[StructuralFinding] = Field(default_factory=list)


class ValidationReport(BaseModel):
    """A document checked against a rule model: parameters and structural rules."""

    document_id: str
    source: str = Field(description="the path the document was read from")
    family: str | None = None
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    rule_model: str = Field(description="name of the rule model applied")
    passed: bool = Field(
        description="every required parameter passed and no required structural rule has errors"
    )
    counts: dict[str, int] = Field(description="number of parameters per status")
    parameters: list[ParameterResult] = Field(default_factory=list)
    structure: list[StructuralResult] = Field(default_factory=list)


class ParameterEntry(BaseModel):
    """One named parameter as read from a document: the payload entry other systems consume."""

    status: ParameterStatus
    kind: ExtractionKind
    description: str
    value: ExtractionValue | None = Field(None, description="None when missing or ambiguous")
    display: str | None = None
    path: str | None = None
    evidence: str | None = None
    span: Span | None = None
    page: int | None = None


class ParameterPayload(BaseModel):
    """The named parameters of one document, keyed by their stable names."""

    document_id: str
    source: str
    family: str | None = None
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    rule_model: str
    parameters: dict[str, ParameterEntry]


class RulesError(YakkanError):
    """A rule model cannot be loaded or does not apply to the document."""


# --------------------------------------------------------------------------------------------
# Differences between two versions (owner: diff; machinery in pipeline/diff/compare.py)
#
# A DocumentDiff aligns the provisions of an old and a new Document (新旧対照): one
# ProvisionDiff per aligned pair, its character-level changes (傍線 parts) and the parameters
# that changed; `edits` lists each edit once, with consequential renumbering folded in.
# --------------------------------------------------------------------------------------------

DiffStatus = Literal[
    "unchanged",
    "modified",  # same provision, its text or title changed
    "added",  # 新設: only in the new version
    "deleted",  # only in the old version, or reduced to 削除 in the new one
    "renumbered",  # same provision under another number, text unchanged or changed
    "moved",  # same provision at another place in the order
    "split",  # one old provision became several new ones
    "merged",  # several old provisions became one new one
]
EditStatus = Literal[
    "added", "deleted", "modified", "retitled", "renumbered", "moved", "split", "merged"
]
DiffLevel = Literal[
    "part", "preamble", "article", "paragraph", "item", "supplementary", "appendix", "closing"
]


class ChangedSpan(BaseModel):
    """One character-level change inside an aligned pair (the 傍線 part of a 新旧対照表)."""

    op: Literal["insert", "delete", "replace"]
    old: Span = Field(description="in the old Document.text; empty for an insertion")
    new: Span = Field(description="in the new Document.text; empty for a deletion")
    old_text: str
    new_text: str
    note: str | None = Field(
        None, description="why same words count as a change: a reference's target moved"
    )


class ParameterChange(BaseModel):
    """A value extracted from an aligned provision that differs between the versions."""

    kind: ExtractionKind
    label: str = Field(description="where, for a reader: '第24条 遅延損害金'")
    old_path: str | None = None
    new_path: str | None = None
    old_text: str | None = Field(None, description="the old surface, e.g. '年14.6%'")
    new_text: str | None = None
    old_span: Span | None = None
    new_span: Span | None = None
    old_value: ExtractionValue | None = None
    new_value: ExtractionValue | None = None
    summary: str = Field(description="'第24条 遅延損害金: 年14.6% → 年14.5%'")


class ProvisionDiff(BaseModel):
    """An aligned pair of provisions (either side may be missing) and how it changed."""

    level: DiffLevel
    status: DiffStatus
    label: str = Field("", description="where, for a reader: '第24条 遅延損害金', '第6条第2項'")
    old_path: str | None = None
    new_path: str | None = None
    old_label: str | None = Field(None, description="'第24条', '第2項', '(1)' as numbered")
    new_label: str | None = None
    old_title: str | None = None
    new_title: str | None = None
    title_changed: bool = False
    text_changed: bool = Field(False, description="the provision's own text changed")
    old_text: str | None = Field(None, description="own text in the old version (not articles)")
    new_text: str | None = None
    old_text_span: Span | None = Field(None, description="where old_text stands in old text")
    new_text_span: Span | None = None
    similarity: float = Field(description="content similarity of the pair, 0..1")
    spans: list[ChangedSpan] = Field(default_factory=list)
    parameter_changes: list[ParameterChange] = Field(default_factory=list)
    related: list[str] = Field(
        default_factory=list, description="for split/merged: the other paths of the group"
    )
    children: list[ProvisionDiff] = Field(default_factory=list)


class Edit(BaseModel):
    """One edit between the versions, reported once (a renumbering it causes is folded in)."""

    status: EditStatus
    level: DiffLevel
    old_path: str | None = None
    new_path: str | None = None
    summary: str
    related: list[str] = Field(
        default_factory=list, description="split/merged: the other paths of the group"
    )
    renumbered: list[tuple[str, str]] = Field(
        default_factory=list, description="(old path, new path) of articles it renumbered"
    )


class DiffSide(BaseModel):
    """One of the two documents compared."""

    id: str
    path: str
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None


class DocumentDiff(BaseModel):
    """The 新旧対照 of two versions: aligned provisions, edits and changed parameters."""

    old: DiffSide
    new: DiffSide
    provisions: list[ProvisionDiff] = Field(
        default_factory=list, description="top-level pairs in reading order"
    )
    edits: list[Edit] = Field(default_factory=list)
    parameter_changes: list[ParameterChange] = Field(default_factory=list)
    typesetting_only: int = Field(
        0,
        description="aligned pairs whose text differs only in typesetting (表記のみの変更: width, "
        "spacing, list markers, Markdown decoration, line wrapping); not edits",
    )


# --------------------------------------------------------------------------------------------
# Batch results and exports (machinery in pipeline/store/: batch.py, sqlite.py, export.py)
#
# A BatchRecord is what one unit of batch work returns for one file; an ExportRow is one value
# (a named parameter or an extraction) of one stored document, flattened for other systems.
# --------------------------------------------------------------------------------------------


class BatchRecord(BaseModel):
    """The outcome of processing one file's bytes: the document and its report, or the reason."""

    name: str = Field(description="the file name the bytes came from")
    sha256: str = Field(description="hex digest of the bytes")
    document: Document | None = None
    report: ValidationReport | None = Field(None, description="None when no rule model applies")
    error: str | None = Field(None, description="why the file could not be processed")
    seconds: float = Field(0.0, description="processing time in the worker")


ExportRecord = Literal["parameter", "extraction", "document"]


class ExportRow(BaseModel):
    """One value of one stored document: a named parameter or an extraction."""

    record: ExportRecord = Field(
        description="parameter: read by a rule model; extraction: raw; document: a stored"
        " document with no value at all (one row, so no stored document is left out)"
    )
    document_id: str = Field(description="sha256 of the source bytes")
    family: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None
    source: str = Field(description="file name of the source")
    name: str | None = Field(None, description="the parameter's stable name (parameters only)")
    status: ParameterStatus | None = Field(None, description="validation status (parameters only)")
    kind: ExtractionKind | None = Field(None, description="the value's kind; None for a document")
    path: str | None = Field(None, description="provision path; None for a missing parameter")
    text: str | None = Field(None, description="the surface in the normalized text")
    start: int | None = None
    end: int | None = None
    page: int | None = None
    value: float | str | None = Field(
        None, description="the principal value: a number, an ISO date, a term, target paths"
    )
    unit: str | None = Field(None, description="'month', '%', 'JPY', 'ratio', ...")
    qualifier: str | None = Field(None, description="bound, rate basis, or what a fraction is of")
    detail: ExtractionValue | None = Field(None, description="the full typed value")


class ExportPayload(BaseModel):
    """The JSON export: every value of the selected stored documents, one row per value."""

    format: Literal["yakkan-export"] = "yakkan-export"
    format_version: int = 1
    families: list[str] = Field(default_factory=list, description="the family filter; [] = all")
    documents: int = Field(description="number of documents exported")
    rows: list[ExportRow]


# --------------------------------------------------------------------------------------------
# The HTTP service (owner: serve; machinery in pipeline/service/)
#
# What `yakkan serve` answers besides the Document, ValidationReport, ParameterPayload and
# DocumentDiff above: the families and versions in the store, one provision with its values,
# and errors. Other systems code against these as against the rest of the schemas.
# --------------------------------------------------------------------------------------------


class FamilySummary(BaseModel):
    """One document family in the store and its newest version."""

    family: str = Field(description="e.g. 'nas'")
    title: str | None = None
    documents: int = Field(description="stored documents (a PDF and its text count twice)")
    versions: int = Field(description="distinct versions (renditions of one version count once)")
    latest_version: str | None = Field(None, description="label of the newest version: 'Ver1.6'")
    latest_effective_date: dt.date | None = None
    latest_document_id: str = Field(description="the document /families/{family}/parameters reads")


class FamilyList(BaseModel):
    """GET /families: every family with at least one stored version."""

    families: list[FamilySummary]


class VersionSummary(BaseModel):
    """One stored document of a family: one rendition (text or PDF) of one version."""

    document_id: str = Field(description="sha256 of the source bytes; the key of /documents/{id}")
    version: str | None = Field(None, description="'Ver1.6' as the title block states it")
    effective_date: dt.date | None = None
    source: str = Field(description="file name the document was read from")
    source_kind: SourceKind
    stored_at: str = Field(description="when it entered the store (ISO 8601, UTC)")
    validated: bool = Field(description="a rule model was applied: it has parameters and a report")


class VersionList(BaseModel):
    """GET /families/{family}/versions: oldest first, a text rendition before its PDF."""

    family: str
    versions: list[VersionSummary]


class ProvisionView(BaseModel):
    """GET /documents/{id}/provisions/{path}: one provision, its text, values and references."""

    document_id: str
    path: str = Field(description="the provision's stable address, e.g. 'art:24/para:1'")
    kind: str = Field(description="article, paragraph, item, chapter, section, supplementary, ...")
    label: str | None = Field(None, description="number or label as numbered: '24', '1', 'ア'")
    title: str | None = Field(None, description="見出し, where the provision has one")
    heading: str | None = Field(None, description="the heading as it stands: '第24条(遅延損害金)'")
    text: str = Field(description="the provision's own text, without its marker and children")
    full_text: str = Field(description="the whole provision, heading and children included")
    span: Span = Field(description="where the whole provision stands in Document.text")
    page: int | None = None
    children: list[str] = Field(default_factory=list, description="paths of the direct children")
    values: list[Extraction] = Field(
        default_factory=list, description="periods, rates, amounts, dates, terms inside it"
    )
    references: list[Extraction] = Field(
        default_factory=list, description="cross-references inside it, with resolved targets"
    )
    referenced_by: list[Extraction] = Field(
        default_factory=list, description="cross-references elsewhere that target it"
    )


class ApiError(BaseModel):
    """The body of every error the service answers: a stable code and one line for people."""

    code: str = Field(description="stable machine code, e.g. 'family_not_found'")
    message: str
