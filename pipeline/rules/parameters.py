"""Checking a named parameter: find its provision, read the extractions of its kind there and
compare the value with the expectation."""

from __future__ import annotations

from pipeline.models import (
    Candidate,
    Document,
    Extraction,
    LocatedBy,
    Node,
    ParameterResult,
    ParameterStatus,
)
from pipeline.rules.engine import locate, narrow, quote, stands_near
from pipeline.rules.rule_model import Parameter
from pipeline.rules.values import display, display_expectation, essence, satisfies


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
    document: Document,
    parameter: Parameter,
    of_kind: list[Extraction],
    scope: Node,
    near_only: bool = False,
) -> list[Extraction]:
    """The extractions of the parameter's kind (`of_kind`) within `scope` (near the phrase, if
    it has one)."""
    if near_only and parameter.near is None:
        return []
    found: list[Extraction] = []
    seen: set[tuple[int, int]] = set()
    for extraction in of_kind:
        if not scope.span.contains(extraction.span):
            continue
        if parameter.near is not None and not stands_near(
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
    of_kind = [e for e in document.extractions if e.kind == parameter.kind]
    extractions: list[Extraction] = []
    for article in articles:
        scope = narrow(article, select)
        in_scope = _read(document, parameter, of_kind, scope) if scope is not None else []
        # A paragraph inserted or removed shifts the numbers: fall back to the whole article,
        # but only for parameters pinned by a phrase next to the value.
        extractions += in_scope or _read(document, parameter, of_kind, article, near_only=True)

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
    if not extractions:
        reason = "no provision matches" if not articles else f"no {parameter.kind} there"
        where = select.expected_path or select.title or select.contains
        message = f"missing: expected {base['expected_display']} at {where} ({reason})"
        return ParameterResult(**base, status="missing", message=message)

    distinct = {essence(e.value) for e in extractions}
    if len(distinct) > 1:
        candidates = [_candidate(document, e) for e in extractions]
        listed = "; ".join(f"{c.display} at {c.path}" for c in candidates)
        message = f"ambiguous: {len(distinct)} different values ({listed})"
        return ParameterResult(**base, status="ambiguous", candidates=candidates, message=message)

    found = _candidate(document, extractions[0])
    status: ParameterStatus = "passed" if satisfies(found.value, parameter.expect) else "changed"
    moved = _moved(parameter, located_by, found)
    if status == "passed":
        message = f"passed: {found.display} at {found.path}{moved}"
    else:
        message = (
            f"changed: expected {base['expected_display']}, found {found.display} at"
            f" {found.path}{moved}"
        )
    return ParameterResult(**base, status=status, found=found, message=message)


def _moved(parameter: Parameter, located_by: LocatedBy | None, found: Candidate) -> str:
    """What to add to the message when the value was found elsewhere than the model says."""
    select = parameter.select
    if located_by not in ("title", "phrase"):
        return ""
    expected_article = f"art:{select.article}" if select.article is not None else None
    if expected_article is not None and found.path.split("/")[0] != expected_article:
        return f"; found by {located_by}, the model expects {expected_article}"
    if select.title is not None:
        return f"; found by {located_by}, no article is titled '{select.title}' any more"
    return ""
