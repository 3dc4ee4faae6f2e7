"""The structural rules: the earlier stages' diagnostics mapped to the rules they belong to.

Numbering is checked in one place, `pipeline.structure.numbering` (the segmenter's diagnostics
and the whole-tree count from 1). This module routes the diagnostics to the rules, adds the
checks that need the extractions (a reference unresolved or whose target is not in the
document, a cited title that is not the target's, a period that is not positive) where no
diagnostic already reports that place, and turns each into a finding with its evidence.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable

from pipeline.models import (
    Article,
    Closing,
    CrossReferenceValue,
    Diagnostic,
    Document,
    Extraction,
    PeriodValue,
    Severity,
    Span,
    StructuralFinding,
    StructuralResult,
)
from pipeline.rules.engine import quote
from pipeline.rules.rule_model import StructuralRule
from pipeline.structure.numbering import consecutive_numbering
from pipeline.text.titles import same_title

_DESCRIPTIONS: dict[str, str] = {
    "numbering.articles": "articles are numbered consecutively (branches 条の2 after their base)",
    "numbering.paragraphs": "paragraphs of each article are numbered 1, 2, 3, ...",
    "numbering.items": "items and sub-items are numbered consecutively from the first",
    "references.resolved": "every reference resolves to a provision of the document",
    "references.titles": "a title cited with a reference equals the target article's title",
    "periods.valid": "every period is positive and has a unit",
}


def check_structure(document: Document, rules: list[StructuralRule]) -> list[StructuralResult]:
    """Apply the structural rules to the pipeline's diagnostics and this module's own checks.

    Diagnostics that belong to no listed rule are kept in a last, non-required 'diagnostics'
    result so that nothing the earlier stages noticed is dropped.
    """
    routed = _route(d for d in document.diagnostics if d.severity != "info")
    # The whole-tree count serves the three numbering rules: counted once, when first asked.
    numbering = functools.cache(lambda: _route(consecutive_numbering(document)))
    results = [
        _result(
            document, rule, routed.pop(rule.rule, []), _own_findings(document, rule.rule, numbering)
        )
        for rule in rules
    ]
    leftover = [d for ds in routed.values() for d in ds]
    if leftover:
        results.append(
            StructuralResult(
                rule="diagnostics",
                description="other findings of the segmenter and the resolver",
                required=False,
                passed=False,
                findings=[_finding(document, d, d.severity) for d in leftover],
            )
        )
    return results


def _result(
    document: Document, rule: StructuralRule, reported: list[Diagnostic], own: list[Diagnostic]
) -> StructuralResult:
    # The earlier stages' diagnostics come first (their codes and reasons are the more
    # specific); an own finding is added where no diagnostic already covers that place.
    kept = reported + [d for d in own if not any(_same_place(r, d) for r in reported)]
    findings = [_finding(document, d, rule.severity) for d in kept]
    findings.sort(key=lambda f: f.span.start if f.span is not None else -1)
    return StructuralResult(
        rule=rule.rule,
        description=_DESCRIPTIONS[rule.rule],
        required=rule.required,
        passed=not findings,
        findings=findings,
    )


def _route(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    routed: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        routed.setdefault(_diagnostic_rule(diagnostic), []).append(diagnostic)
    return routed


def _diagnostic_rule(diagnostic: Diagnostic) -> str:
    """The structural rule a diagnostic belongs to, by its code (and path, for numbering)."""
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


def _own_findings(
    document: Document, rule: str, numbering: Callable[[], dict[str, list[Diagnostic]]]
) -> list[Diagnostic]:
    """What the earlier stages leave to this stage, for one rule (`numbering`: the whole-tree
    count's findings by rule)."""
    if rule.startswith("numbering."):
        return numbering().get(rule, [])
    checks: dict[str, Callable[[Document], list[Diagnostic]]] = {
        "references.resolved": _unresolved,
        "references.titles": _title_mismatches,
        "periods.valid": _invalid_periods,
    }
    check = checks.get(rule)
    return check(document) if check is not None else []


def _unresolved(document: Document) -> list[Diagnostic]:
    """References left unresolved, and resolved ones whose target is not in the document."""
    paths = {node.path for node in document.iter_nodes() if not isinstance(node, Closing)}
    found = []
    for e in document.extractions:
        value = e.value
        if not isinstance(value, CrossReferenceValue) or value.external:
            continue
        if not value.resolved:
            reason = f" ({value.reason})" if value.reason else ""
            found.append(_at(e, "xref.unresolved", f"{e.text!r} is not resolved{reason}"))
            continue
        dangling = [t for t in value.targets if not _target_exists(t, paths)]
        if dangling:
            message = f"{e.text!r} points at {', '.join(dangling)}, not in the document"
            found.append(_at(e, "xref.dangling", message))
    return found


def _target_exists(target: str, paths: set[str]) -> bool:
    if target.endswith("/item:*"):
        return target.removesuffix("/item:*") in paths
    return target in paths


def _title_mismatches(document: Document) -> list[Diagnostic]:
    """References citing an article with a title other than the article's own.

    The resolver reports the same (`xref.title`) for the articles it resolved a reference to;
    this check also covers a reference it could not resolve that names its article (第9条(…)),
    and a document whose references were not run through the resolver.
    """
    found = []
    for e in document.extractions:
        value = e.value
        if not isinstance(value, CrossReferenceValue) or not value.cited_title or value.external:
            continue
        target = _cited_article(document, value)
        if target is None or same_title(target.title, value.cited_title):
            continue
        label = target.label
        message = (
            f"{e.text!r} cites {label} as '{value.cited_title}', "
            f"but {label} is titled '{target.title or ''}'"
        )
        found.append(_at(e, "xref.title", message))
    return found


def _cited_article(document: Document, value: CrossReferenceValue) -> Article | None:
    for target in value.targets:
        head = target.split("/", 1)[0]
        if head.startswith("art:"):
            return document.article(head.removeprefix("art:"))
    for fragment in value.fragments:
        if fragment.level == "article" and fragment.position == "named" and fragment.number:
            return document.article(fragment.number)
    return None


def _invalid_periods(document: Document) -> list[Diagnostic]:
    found = []
    for e in document.extractions:
        if isinstance(e.value, PeriodValue) and not (
            math.isfinite(e.value.value) and e.value.value > 0 and e.value.unit
        ):
            message = f"period {e.text!r} is not a positive number of units"
            found.append(_at(e, "period.invalid", message))
    return found


def _at(extraction: Extraction, code: str, message: str) -> Diagnostic:
    """A finding of this stage about one extraction (its severity is the rule's)."""
    return Diagnostic(
        code=code, severity="error", message=message, path=extraction.path, span=extraction.span
    )


def _same_place(reported: Diagnostic, own: Diagnostic) -> bool:
    if reported.path != own.path:
        return False
    if reported.span is None or own.span is None:
        return True
    return _overlap(reported.span, own.span)


def _overlap(a: Span, b: Span) -> bool:
    """Whether two spans share a character; an empty span counts as its first character."""
    return a.start < max(b.end, b.start + 1) and b.start < max(a.end, a.start + 1)


def _finding(document: Document, diagnostic: Diagnostic, severity: Severity) -> StructuralFinding:
    span = diagnostic.span
    return StructuralFinding(
        code=diagnostic.code,
        severity=severity,
        message=diagnostic.message,
        path=diagnostic.path,
        span=span,
        evidence=quote(document, span.start, span.end) if span is not None else None,
    )
