"""Rule models: what a family's documents must say, and `validate`, which checks a document.

A rule model is a list of named parameters. Each parameter selects a provision (by article
number, by article title, or by a phrase the article contains, so a renumbered article is still
found), reads one kind of extraction there and compares it with an expectation. Generic
structural rules (consecutive numbering, resolved references, cited titles, sane periods) hold
for any terms document; they read the diagnostics of the segmenter and the resolver and add
checks of their own on the tree.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.models import (
    AmountExpectation,
    AmountValue,
    Article,
    Bound,
    Candidate,
    CrossReferenceExpectation,
    CrossReferenceValue,
    DateExpectation,
    DateValue,
    DefinedTermExpectation,
    DefinedTermValue,
    Diagnostic,
    Document,
    Expectation,
    Extraction,
    ExtractionKind,
    ExtractionValue,
    FractionExpectation,
    FractionValue,
    Item,
    LocatedBy,
    Node,
    ParameterEntry,
    ParameterPayload,
    ParameterResult,
    ParameterStatus,
    PercentageExpectation,
    PercentageValue,
    PeriodExpectation,
    PeriodUnit,
    PeriodValue,
    RulesError,
    Severity,
    Span,
    StructuralFinding,
    StructuralResult,
    ValidationReport,
    article_label,
)
from pipeline.structure.numbering import consecutive_numbering
from pipeline.structure.parts import part_documents

# --------------------------------------------------------------------------------------------
# Writing a rule model
# --------------------------------------------------------------------------------------------


class Select(BaseModel):
    """Which provision a parameter reads.

    The article is looked up by number first; if the article with that number no longer has the
    stated title (or no longer contains the phrase), by title; failing that, by the phrase. Then
    the paragraph and item, when given, narrow the search inside the article found.
    """

    model_config = ConfigDict(frozen=True)

    article: str | None = Field(None, description="article number as in Article.number: '24'")
    title: str | None = Field(None, description="the article's title (見出し): '遅延損害金'")
    contains: str | None = Field(None, description="a phrase the article contains")
    paragraph: int | None = Field(None, description="paragraph number (項) within the article")
    item: int | None = Field(None, description="item ordinal (号) within the paragraph")

    @model_validator(mode="after")
    def _selects_something(self) -> Select:
        if self.article is None and self.title is None and self.contains is None:
            raise ValueError("a selection needs an article number, a title or a phrase")
        return self

    @property
    def expected_path(self) -> str | None:
        """The provision path the model expects, when it names an article."""
        if self.article is None:
            return None
        path = f"art:{self.article}"
        if self.paragraph is not None or self.item is not None:
            path += f"/para:{self.paragraph or 1}"
        if self.item is not None:
            path += f"/item:{self.item}"
        return path


class Parameter(BaseModel):
    """A named value the document must state: where to look, what kind, what is expected."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="stable snake_case name")
    description: str
    select: Select
    expect: Expectation
    near: str | None = Field(
        None, description="a phrase the value must stand near: same sentence, within `window`"
    )
    window: int = Field(40, ge=0, description="characters either side of the value for `near`")
    required: bool = True

    @property
    def kind(self) -> ExtractionKind:
        """The kind of extraction the parameter reads."""
        return self.expect.kind


StructuralRuleName = Literal[
    "numbering.articles",
    "numbering.paragraphs",
    "numbering.items",
    "references.resolved",
    "references.titles",
    "periods.valid",
]


class StructuralRule(BaseModel):
    """A generic rule on the document's structure, with how serious its findings are."""

    model_config = ConfigDict(frozen=True)

    rule: StructuralRuleName
    severity: Severity = "error"
    required: bool = True


def default_structure() -> list[StructuralRule]:
    """The structural rules every terms document should satisfy.

    A cited title that differs from the target's title is a drafting slip, not a broken
    reference, so it is a warning; the rest are errors.
    """
    return [
        StructuralRule(rule="numbering.articles"),
        StructuralRule(rule="numbering.paragraphs"),
        StructuralRule(rule="numbering.items"),
        StructuralRule(rule="references.resolved"),
        StructuralRule(rule="references.titles", severity="warning"),
        StructuralRule(rule="periods.valid"),
    ]


class RuleModel(BaseModel):
    """The rule model of one document family: its named parameters and structural rules."""

    name: str
    family: str
    description: str = ""
    parameters: list[Parameter]
    structure: list[StructuralRule] = Field(default_factory=default_structure)

    @model_validator(mode="after")
    def _unique_names(self) -> RuleModel:
        names = [p.name for p in self.parameters]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate parameter names: {', '.join(duplicates)}")
        return self


def period(
    value: float | None,
    unit: PeriodUnit,
    *,
    bound: Bound | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> PeriodExpectation:
    """Expect a period: `period(3, "month", bound="before")`."""
    return PeriodExpectation(value=value, unit=unit, bound=bound, minimum=minimum, maximum=maximum)


def percentage(
    value: float | None,
    *,
    basis: Literal["year", "month", "day"] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> PercentageExpectation:
    """Expect a percentage: `percentage(14.5, basis="year")` for 年14.5%."""
    return PercentageExpectation(value=value, basis=basis, minimum=minimum, maximum=maximum)


def fraction(numerator: float, denominator: float) -> FractionExpectation:
    """Expect a fraction: `fraction(1, 30)` for 30分の1."""
    return FractionExpectation(numerator=numerator, denominator=denominator)


def amount(
    value: float | None, *, currency: str = "JPY", bound: Bound | None = None
) -> AmountExpectation:
    """Expect an amount of money: `amount(1, bound="less_than")` for 1円未満."""
    return AmountExpectation(value=value, currency=currency, bound=bound)


# --------------------------------------------------------------------------------------------
# Loading a rule model
# --------------------------------------------------------------------------------------------

_FAMILY = re.compile(r"^[a-z][a-z0-9_]*$")


def load_rules(spec: str) -> RuleModel:
    """Load a rule model: a family name ('nas' → corpus.nas.rules:RULES) or 'module:attr'.

    The attribute may be a RuleModel, a RuleModel subclass whose fields all have defaults, or a
    function of no arguments returning a RuleModel.
    """
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
    elif _FAMILY.match(spec):
        module_name, attr = f"corpus.{spec}.rules", "RULES"
    else:
        raise RulesError(spec, "not a family name nor 'module:attribute'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise RulesError(spec, f"no rule model module {module_name!r} ({err})") from None
    obj = getattr(module, attr, None)
    if obj is None:
        raise RulesError(spec, f"module {module_name!r} has no attribute {attr!r}")
    if isinstance(obj, type) and not issubclass(obj, RuleModel):
        raise RulesError(spec, f"{module_name}:{attr} is not a RuleModel")
    if callable(obj) and not isinstance(obj, RuleModel):
        try:
            obj = obj()
        except (TypeError, ValidationError) as err:
            raise RulesError(spec, f"{module_name}:{attr}() failed: {err}") from None
    if not isinstance(obj, RuleModel):
        raise RulesError(spec, f"{module_name}:{attr} is not a RuleModel")
    return obj


def rules_for(document: Document, spec: str | None = None) -> RuleModel:
    """The rule model named by `spec`, or else the one of the document's family."""
    if spec:
        return load_rules(spec)
    if not document.family:
        raise RulesError(document.source.path, "unknown document family; pass --rules")
    try:
        return load_rules(document.family)
    except RulesError as err:
        raise RulesError(document.source.path, err.reason) from None


# --------------------------------------------------------------------------------------------
# Reading the document
# --------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_TITLE_BRACKETS = "()（）「」[]［］"


def _squash(text: str) -> str:
    return _SPACES.sub("", text)


def _same_title(found: str | None, wanted: str) -> bool:
    if found is None:
        return False
    return _squash(found).strip(_TITLE_BRACKETS) == _squash(wanted).strip(_TITLE_BRACKETS)


def _node_text(document: Document, node: Node) -> str:
    return document.text[node.span.start : node.span.end]


def _contains(document: Document, node: Node, phrase: str) -> bool:
    return _squash(phrase) in _squash(_node_text(document, node))


def locate(document: Document, select: Select) -> tuple[list[Article], LocatedBy | None]:
    """The articles a selection points at, and how they were found (number, title, phrase)."""
    live = [a for a in document.articles if not a.deleted]
    if select.article is not None:
        art = next((a for a in live if a.number == select.article), None)
        if art is not None and (
            _same_title(art.title, select.title)
            if select.title is not None
            else select.contains is None or _contains(document, art, select.contains)
        ):
            return [art], "article"
    if select.title is not None:
        titled = [a for a in live if _same_title(a.title, select.title)]
        if titled:
            return titled, "title"
    if select.contains is not None:
        phrase = select.contains
        holding = [a for a in live if _contains(document, a, phrase)]
        if holding:
            return holding, "phrase"
    return [], None


def _scope(article: Article, select: Select) -> Node | None:
    """The paragraph or item of `article` the selection narrows to (the article if neither)."""
    if select.paragraph is None and select.item is None:
        return article
    number = select.paragraph if select.paragraph is not None else 1
    para = next((p for p in article.paragraphs if p.number == number), None)
    if para is None or select.item is None:
        return para
    return next((i for i in para.items if i.ordinal == select.item), None)


_OPEN, _CLOSE = "(（「『", ")）」』"


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): a 。 inside brackets ((遅延損害金を除く。)) ends none."""
    left, depth = start, 0
    while left > 0:
        ch = text[left - 1]
        if ch == "\n" or (ch == "。" and depth == 0):
            break
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth = max(depth - 1, 0)
        left -= 1
    right, depth = end, 0
    while right < len(text):
        ch = text[right]
        if ch == "\n" or (ch == "。" and depth == 0):
            break
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        right += 1
    if right < len(text) and text[right] == "。":
        right += 1
    return left, right


def quote(document: Document, start: int, end: int, limit: int = 200) -> str:
    """The sentence around [start, end), quoted; trimmed around the span when it is long."""
    text = document.text
    left, right = _sentence_bounds(text, start, end)
    if right - left > limit:
        margin = max(0, (limit - (end - start)) // 2)
        new_left, new_right = max(left, start - margin), min(right, end + margin)
        prefix = "…" if new_left > left else ""
        suffix = "…" if new_right < right else ""
        return prefix + text[new_left:new_right].strip() + suffix
    return text[left:right].strip()


def _near(document: Document, extraction: Extraction, phrase: str, window: int) -> bool:
    text = document.text
    left, right = _sentence_bounds(text, extraction.span.start, extraction.span.end)
    lo = max(left, extraction.span.start - window)
    hi = min(right, extraction.span.end + window)
    return _squash(phrase) in _squash(text[lo:hi])


# --------------------------------------------------------------------------------------------
# Values: comparison and display
# --------------------------------------------------------------------------------------------

# Exact conversions only: a month is not a number of days.
_PERIOD_BASE: dict[str, tuple[str, float]] = {
    "minute": ("time", 1),
    "hour": ("time", 60),
    "day": ("time", 1440),
    "week": ("time", 10080),
    "business_day": ("business_day", 1),
    "month": ("month", 1),
    "year": ("month", 12),
}


def _period_measure(value: float, unit: str) -> tuple[str, float]:
    family, factor = _PERIOD_BASE[unit]
    return family, value * factor


def _num(x: float) -> str:
    return f"{x:g}"


_UNIT_WORDS = {"business_day": "business day"}


def _period_words(value: float, unit: str) -> str:
    word = _UNIT_WORDS.get(unit, unit)
    return f"{_num(value)} {word}" + ("" if value == 1 else "s")


_BOUND_WORDS: dict[str, str] = {
    "within": "within {}",
    "at_least": "at least {}",
    "more_than": "more than {}",
    "less_than": "less than {}",
    "before": "{} before",
    "after": "{} after",
    "until": "up to {}",
    "for": "for {}",
    "not_elapsed": "{} not yet elapsed",
}


def _bounded(words: str, bound: str | None) -> str:
    return _BOUND_WORDS[bound].format(words) if bound else words


def display(value: ExtractionValue) -> str:
    """A value in words: '3 months before', '14.5% a year', '1/30 of 月額利用料金'."""
    if isinstance(value, PeriodValue):
        return _bounded(_period_words(value.value, value.unit), value.bound)
    if isinstance(value, PercentageValue):
        return f"{_num(value.value)}%" + (f" a {value.basis}" if value.basis else "")
    if isinstance(value, FractionValue):
        text = f"{_num(value.numerator)}/{_num(value.denominator)}"
        return text + (f" of {value.of}" if value.of else "")
    if isinstance(value, AmountValue):
        return _bounded(f"{_num(value.value)} {value.currency}", value.bound)
    if isinstance(value, DateValue):
        if value.date is not None:
            return value.date.isoformat()
        parts = [str(value.year)] + [f"{p:02d}" for p in (value.month, value.day) if p is not None]
        return "-".join(parts)
    if isinstance(value, DefinedTermValue):
        return f"「{value.term}」"
    return ", ".join(value.targets) or "(unresolved)"


def _range_words(minimum: float | None, maximum: float | None, unit_words: str) -> str:
    if minimum is not None and maximum is not None:
        return f"between {_num(minimum)} and {_num(maximum)} {unit_words}"
    if minimum is not None:
        return f"at least {_num(minimum)} {unit_words}"
    return f"at most {_num(maximum or 0)} {unit_words}"


def display_expectation(expect: Expectation) -> str:
    """An expectation in words, in the same style as `display`."""
    if isinstance(expect, PeriodExpectation):
        if expect.value is None:
            unit = _UNIT_WORDS.get(expect.unit, expect.unit) + "s"
            return _range_words(expect.minimum, expect.maximum, unit)
        return _bounded(_period_words(expect.value, expect.unit), expect.bound)
    if isinstance(expect, PercentageExpectation):
        basis = f" a {expect.basis}" if expect.basis else ""
        if expect.value is None:
            return _range_words(expect.minimum, expect.maximum, "%") + basis
        return f"{_num(expect.value)}%{basis}"
    if isinstance(expect, FractionExpectation):
        return f"{_num(expect.numerator)}/{_num(expect.denominator)}"
    if isinstance(expect, AmountExpectation):
        if expect.value is None:
            return _range_words(expect.minimum, expect.maximum, expect.currency)
        return _bounded(f"{_num(expect.value)} {expect.currency}", expect.bound)
    if isinstance(expect, DateExpectation):
        return expect.date.isoformat()
    if isinstance(expect, DefinedTermExpectation):
        return f"「{expect.term}」"
    return ", ".join(expect.targets)


def _in_range(x: float, minimum: float | None, maximum: float | None) -> bool:
    tolerance = 1e-9
    return (minimum is None or x >= minimum - tolerance) and (
        maximum is None or x <= maximum + tolerance
    )


def satisfies(value: ExtractionValue, expect: Expectation) -> bool:
    """Whether a value read from the document meets the expectation."""
    if isinstance(expect, PeriodExpectation) and isinstance(value, PeriodValue):
        family, measure = _period_measure(value.value, value.unit)
        want_family, factor = _PERIOD_BASE[expect.unit]
        if family != want_family:
            return False
        if expect.bound is not None and value.bound != expect.bound:
            return False
        if expect.value is not None and not math.isclose(measure, expect.value * factor):
            return False
        return _in_range(
            measure,
            None if expect.minimum is None else expect.minimum * factor,
            None if expect.maximum is None else expect.maximum * factor,
        )
    if isinstance(expect, PercentageExpectation) and isinstance(value, PercentageValue):
        if expect.basis is not None and value.basis != expect.basis:
            return False
        if expect.value is not None and not math.isclose(value.value, expect.value):
            return False
        return _in_range(value.value, expect.minimum, expect.maximum)
    if isinstance(expect, FractionExpectation) and isinstance(value, FractionValue):
        if value.denominator == 0:
            return False
        return math.isclose(
            value.numerator / value.denominator, expect.numerator / expect.denominator
        )
    if isinstance(expect, AmountExpectation) and isinstance(value, AmountValue):
        if value.currency != expect.currency:
            return False
        if expect.bound is not None and value.bound != expect.bound:
            return False
        if expect.value is not None and not math.isclose(value.value, expect.value):
            return False
        return _in_range(value.value, expect.minimum, expect.maximum)
    if isinstance(expect, DateExpectation) and isinstance(value, DateValue):
        return value.date == expect.date
    if isinstance(expect, DefinedTermExpectation) and isinstance(value, DefinedTermValue):
        return _squash(value.term) == _squash(expect.term)
    if isinstance(expect, CrossReferenceExpectation) and isinstance(value, CrossReferenceValue):
        return set(value.targets) == set(expect.targets)
    return False


def _essence(value: ExtractionValue) -> tuple[object, ...]:
    """What two values must share to state the same thing (anchors and wording aside)."""
    if isinstance(value, PeriodValue):
        family, measure = _period_measure(value.value, value.unit)
        return ("period", family, round(measure, 9), value.bound)
    if isinstance(value, PercentageValue):
        return ("percentage", value.value, value.basis)
    if isinstance(value, FractionValue):
        ratio = value.numerator / value.denominator if value.denominator else math.inf
        return ("fraction", round(ratio, 12))
    if isinstance(value, AmountValue):
        return ("amount", value.value, value.currency, value.bound)
    if isinstance(value, DateValue):
        return ("date", value.year, value.month, value.day)
    if isinstance(value, DefinedTermValue):
        return ("defined_term", _squash(value.term))
    return ("crossref", tuple(sorted(value.targets)))


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


def _candidate(document: Document, extraction: Extraction) -> Candidate:
    return Candidate(
        value=extraction.value,
        display=display(extraction.value),
        path=extraction.path,
        text=extraction.text,
        span=extraction.span,
        page=extraction.page,
        evidence=quote(document, extraction.span.start, extraction.span.end),
    )


def _read(
    document: Document, parameter: Parameter, scope: Node, near_only: bool = False
) -> list[Extraction]:
    """The extractions of the parameter's kind within `scope` (near the phrase, if it has one)."""
    if near_only and parameter.near is None:
        return []
    found: list[Extraction] = []
    seen: set[tuple[int, int]] = set()
    for extraction in document.extractions:
        if extraction.kind != parameter.kind or not scope.span.contains(extraction.span):
            continue
        if parameter.near is not None and not _near(
            document, extraction, parameter.near, parameter.window
        ):
            continue
        key = (extraction.span.start, extraction.span.end)
        if key not in seen:
            seen.add(key)
            found.append(extraction)
    return found


def check_parameter(document: Document, parameter: Parameter) -> ParameterResult:
    """Find one parameter in the document and compare it with its expectation."""
    select = parameter.select
    articles, located_by = locate(document, select)
    extractions: list[Extraction] = []
    for article in articles:
        scope = _scope(article, select)
        in_scope = _read(document, parameter, scope) if scope is not None else []
        # A paragraph inserted or removed shifts the numbers: fall back to the whole article,
        # but only for parameters pinned by a phrase next to the value.
        extractions += in_scope or _read(document, parameter, article, near_only=True)

    base = {
        "name": parameter.name,
        "description": parameter.description,
        "kind": parameter.kind,
        "required": parameter.required,
        "expected": parameter.expect,
        "expected_display": display_expectation(parameter.expect),
        "expected_path": select.expected_path,
        "located_by": located_by,
    }
    expected_words = base["expected_display"]
    where = select.expected_path or select.title or select.contains
    if not extractions:
        reason = "no provision matches" if not articles else f"no {parameter.kind} there"
        return ParameterResult(
            **base,
            status="missing",
            message=f"missing: expected {expected_words} at {where} ({reason})",
        )

    distinct: dict[tuple[object, ...], Extraction] = {}
    for extraction in extractions:
        distinct.setdefault(_essence(extraction.value), extraction)
    if len(distinct) > 1:
        candidates = [_candidate(document, e) for e in extractions]
        listed = "; ".join(f"{c.display} at {c.path}" for c in candidates)
        return ParameterResult(
            **base,
            status="ambiguous",
            candidates=candidates,
            message=f"ambiguous: {len(distinct)} different values ({listed})",
        )

    found = _candidate(document, extractions[0])
    status: ParameterStatus = "passed" if satisfies(found.value, parameter.expect) else "changed"
    moved = ""
    if located_by in ("title", "phrase"):
        expected_article = f"art:{select.article}" if select.article is not None else None
        if expected_article is not None and found.path.split("/")[0] != expected_article:
            moved = f"; found by {located_by}, the model expects {expected_article}"
        elif select.title is not None:
            moved = f"; found by {located_by}, no article is titled '{select.title}' any more"
    if status == "passed":
        message = f"passed: {found.display} at {found.path}{moved}"
    else:
        message = (
            f"changed: expected {expected_words}, found {found.display} at {found.path}{moved}"
        )
    return ParameterResult(
        **base,
        status=status,
        found=found,
        message=message,
    )


# --------------------------------------------------------------------------------------------
# Structural rules
# --------------------------------------------------------------------------------------------

_DESCRIPTIONS: dict[str, str] = {
    "numbering.articles": "articles are numbered consecutively (branches 条の2 after their base)",
    "numbering.paragraphs": "paragraphs of each article are numbered 1, 2, 3, ...",
    "numbering.items": "items and sub-items are numbered consecutively from the first",
    "references.resolved": "every reference resolves to a provision of the document",
    "references.titles": "a title cited with a reference equals the target article's title",
    "periods.valid": "every period is positive and has a unit",
}


def _own_findings(document: Document, rule: str) -> Iterator[tuple[str, str, str | None, int, int]]:
    """This module's own checks: (code, message, path, start, end) per finding."""
    if rule.startswith("numbering."):
        yield from consecutive_numbering(document, rule)
    elif rule == "references.resolved":
        yield from _unresolved(document)
    elif rule == "references.titles":
        yield from _title_mismatches(document)
    elif rule == "periods.valid":
        for e in document.extractions:
            if isinstance(e.value, PeriodValue) and not (
                math.isfinite(e.value.value) and e.value.value > 0 and e.value.unit
            ):
                message = f"period {e.text!r} is not a positive number of units"
                yield "period.invalid", message, e.path, e.span.start, e.span.end


def _all_paths(document: Document) -> set[str]:
    paths: set[str] = set()

    def items(nodes: list[Item]) -> None:
        for node in nodes:
            paths.add(node.path)
            items(node.items)

    for part in part_documents(document):
        for article in part.articles:
            paths.add(article.path)
            for para in article.paragraphs:
                paths.add(para.path)
                items(para.items)
        for suppl in part.supplementary:
            paths.add(suppl.path)
            for para in suppl.paragraphs:
                paths.add(para.path)
                items(para.items)
        for appendix in part.appendices:
            paths.add(appendix.path)
            items(appendix.items)
        if part.preamble is not None:
            paths.add(part.preamble.path)
    return paths


def _target_exists(target: str, paths: set[str]) -> bool:
    if target.endswith("/item:*"):
        return target.removesuffix("/item:*") in paths
    return target in paths


def _unresolved(document: Document) -> Iterator[tuple[str, str, str | None, int, int]]:
    paths = _all_paths(document)
    for e in document.extractions:
        value = e.value
        if not isinstance(value, CrossReferenceValue) or value.external:
            continue
        if not value.resolved:
            reason = f" ({value.reason})" if value.reason else ""
            yield "xref.unresolved", f"{e.text!r} is not resolved{reason}", e.path, *_ends(e)
            continue
        dangling = [t for t in value.targets if not _target_exists(t, paths)]
        if dangling:
            missing = ", ".join(dangling)
            yield (
                "xref.dangling",
                f"{e.text!r} points at {missing}, not in the document",
                (e.path),
                *_ends(e),
            )


def _ends(extraction: Extraction) -> tuple[int, int]:
    return extraction.span.start, extraction.span.end


def _cited_article(document: Document, value: CrossReferenceValue) -> Article | None:
    for target in value.targets:
        head = target.split("/", 1)[0]
        if head.startswith("art:"):
            return document.article(head.removeprefix("art:"))
    for fragment in value.fragments:
        if fragment.level == "article" and fragment.position == "named" and fragment.number:
            return document.article(fragment.number)
    return None


def _title_mismatches(document: Document) -> Iterator[tuple[str, str, str | None, int, int]]:
    for e in document.extractions:
        value = e.value
        if not isinstance(value, CrossReferenceValue) or not value.cited_title or value.external:
            continue
        target = _cited_article(document, value)
        if target is None or _same_title(target.title, value.cited_title):
            continue
        label = article_label(target.number)
        message = (
            f"{e.text!r} cites {label} as '{value.cited_title}', "
            f"but {label} is titled '{target.title or ''}'"
        )
        yield "xref.title", message, e.path, *_ends(e)


def _diagnostic_rule(diagnostic: Diagnostic) -> str:
    """The structural rule a segmenter or resolver diagnostic belongs to, by its code."""
    code = diagnostic.code
    if code.startswith("numbering"):
        path = diagnostic.path or ""
        if "/item:" in path or "item" in code:
            return "numbering.items"
        if "/para:" in path or "paragraph" in code:
            return "numbering.paragraphs"
        return "numbering.articles"
    if code.startswith("xref"):
        return "references.titles" if "title" in code else "references.resolved"
    if code.startswith("period"):
        return "periods.valid"
    return "diagnostics"


def check_structure(document: Document, rules: list[StructuralRule]) -> list[StructuralResult]:
    """Apply the structural rules: the pipeline's diagnostics plus this module's own checks.

    Diagnostics that belong to no listed rule are kept in a last, non-required 'diagnostics'
    result so that nothing the earlier stages noticed is dropped.
    """
    routed: dict[str, list[Diagnostic]] = {}
    for diagnostic in document.diagnostics:
        if diagnostic.severity != "info":
            routed.setdefault(_diagnostic_rule(diagnostic), []).append(diagnostic)

    results: list[StructuralResult] = []
    for rule in rules:
        # The earlier stages' diagnostics come first (their codes and reasons are the more
        # specific); an own finding is added where no diagnostic already covers that place.
        reported = [_from_diagnostic(document, d, rule.severity) for d in routed.pop(rule.rule, [])]
        findings = list(reported)
        for code, message, path, start, end in _own_findings(document, rule.rule):
            if any(_same_place(f, path, start, end) for f in reported):
                continue
            findings.append(
                StructuralFinding(
                    code=code,
                    severity=rule.severity,
                    message=message,
                    path=path,
                    span=_span(start, end),
                    evidence=quote(document, start, max(start, end)),
                )
            )
        findings.sort(key=lambda f: f.span.start if f.span is not None else -1)
        results.append(
            StructuralResult(
                rule=rule.rule,
                description=_DESCRIPTIONS[rule.rule],
                required=rule.required,
                passed=not findings,
                findings=findings,
            )
        )
    leftover = [d for ds in routed.values() for d in ds]
    if leftover:
        results.append(
            StructuralResult(
                rule="diagnostics",
                description="other findings of the segmenter and the resolver",
                required=False,
                passed=False,
                findings=[_from_diagnostic(document, d, d.severity) for d in leftover],
            )
        )
    return results


def _same_place(finding: StructuralFinding, path: str | None, start: int, end: int) -> bool:
    if finding.path != path:
        return False
    if finding.span is None:
        return True
    return finding.span.start < max(end, start + 1) and start < max(
        finding.span.end, finding.span.start + 1
    )


def _span(start: int, end: int) -> Span:
    return Span(start=start, end=max(start, end))


def _from_diagnostic(
    document: Document, diagnostic: Diagnostic, severity: Severity
) -> StructuralFinding:
    span = diagnostic.span
    return StructuralFinding(
        code=diagnostic.code,
        severity=severity,
        message=diagnostic.message,
        path=diagnostic.path,
        span=span,
        evidence=quote(document, span.start, span.end) if span is not None else None,
    )


# --------------------------------------------------------------------------------------------
# Validation and the parameter payload
# --------------------------------------------------------------------------------------------


def validate(document: Document, model: RuleModel) -> ValidationReport:
    """Check a document against a rule model: every parameter, then every structural rule."""
    parameters = [check_parameter(document, p) for p in model.parameters]
    structure = check_structure(document, model.structure)
    counts = {status: 0 for status in ("passed", "changed", "missing", "ambiguous")}
    for result in parameters:
        counts[result.status] += 1
    passed = all(r.status == "passed" for r in parameters if r.required) and not any(
        f.severity == "error" for r in structure if r.required for f in r.findings
    )
    return ValidationReport(
        **_document_fields(document),
        rule_model=model.name,
        passed=passed,
        counts=counts,
        parameters=parameters,
        structure=structure,
    )


def _document_fields(document: Document) -> dict[str, Any]:
    """Which document a report or payload is about, as both of them state it."""
    return {
        "document_id": document.id,
        "source": document.source.path,
        "family": document.family,
        "title": document.title,
        "version": document.version,
        "effective_date": document.effective_date,
    }


def parameter_payload(document: Document, report: ValidationReport) -> ParameterPayload:
    """The named parameters and their values as other systems consume them."""
    return ParameterPayload(
        **_document_fields(document),
        rule_model=report.rule_model,
        parameters=parameter_entries(report),
    )


def stored_parameter_payload(report: ValidationReport) -> ParameterPayload:
    """The parameter payload from a stored report alone: the report names its document with the
    same fields the payload does, so the (much larger) Document need not be loaded."""
    return ParameterPayload(
        document_id=report.document_id,
        source=report.source,
        family=report.family,
        title=report.title,
        version=report.version,
        effective_date=report.effective_date,
        rule_model=report.rule_model,
        parameters=parameter_entries(report),
    )


def parameter_entries(report: ValidationReport) -> dict[str, ParameterEntry]:
    """Each named parameter of the report as a payload entry: the value read, where, and why."""
    entries: dict[str, ParameterEntry] = {}
    for result in report.parameters:
        found = result.found
        entries[result.name] = ParameterEntry(
            status=result.status,
            kind=result.kind,
            description=result.description,
            value=found.value if found else None,
            display=found.display if found else None,
            path=found.path if found else None,
            evidence=found.evidence if found else None,
            span=found.span if found else None,
            page=found.page if found else None,
        )
    return entries


def render_report(report: ValidationReport) -> str:
    """The report as text for people: one line per parameter, then the structural findings."""
    marks = {"passed": "ok", "changed": "CHANGED", "missing": "MISSING", "ambiguous": "AMBIGUOUS"}
    lines = [
        f"{report.source}: rule model {report.rule_model}: "
        + ("PASSED" if report.passed else "FAILED"),
        "  " + ", ".join(f"{n} {s}" for s, n in report.counts.items()),
        "",
        "Parameters:",
    ]
    for result in report.parameters:
        optional = "" if result.required else " (optional)"
        lines.append(f"  [{marks[result.status]}] {result.name}{optional}: {result.message}")
        if result.found is not None and result.status != "passed":
            lines.append(f"      「{result.found.evidence}」")
        for candidate in result.candidates:
            lines.append(f"      {candidate.path}: 「{candidate.evidence}」")
    lines += ["", "Structure:"]
    for structural in report.structure:
        state = "ok" if structural.passed else f"{len(structural.findings)} finding(s)"
        lines.append(f"  [{state}] {structural.rule}: {structural.description}")
        for finding in structural.findings:
            where = f"{finding.path}: " if finding.path else ""
            lines.append(f"      {finding.severity}: {where}{finding.message}")
    return "\n".join(lines)
