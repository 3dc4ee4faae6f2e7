"""The structural rules: the earlier stages' diagnostics (numbering, references, periods) mapped
to the rules they belong to, plus the checks only the whole document allows."""

from __future__ import annotations

import math
from collections.abc import Iterator

from pipeline.models import (
    Article,
    CrossReferenceValue,
    Diagnostic,
    Document,
    Extraction,
    Item,
    PeriodValue,
    Severity,
    Span,
    StructuralFinding,
    StructuralResult,
    article_label,
)
from pipeline.rules.engine import quote, same_title_as
from pipeline.rules.rule_model import StructuralRule
from pipeline.structure.numbering import consecutive_numbering
from pipeline.structure.parts import part_documents

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
        if target is None or same_title_as(target.title, value.cited_title):
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
