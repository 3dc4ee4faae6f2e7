"""A document as the store's rows: provisions flattened, the report's results and parameters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.models import Document, Item, Paragraph, ValidationReport
from pipeline.structure.parts import part_documents


def _items(items: list[Item]) -> Iterator[Item]:
    for item in items:
        yield item
        yield from _items(item.items)


def _paragraph_rows(paragraph: Paragraph) -> Iterator[tuple[Any, ...]]:
    yield ("paragraph", paragraph, str(paragraph.number), None)
    for item in _items(paragraph.items):
        yield ("item", item, item.label, None)


def provision_rows(document: Document) -> list[tuple[Any, ...]]:
    """The document's provisions flattened for the provisions table: chapters and sections,
    then the preamble, articles (with paragraphs and items), 附則, 別表 and the closing in
    reading order; a bundle's parts one after another (their paths start 'part:N/').

    Each row is (path, kind, number, title, text, start, end, page).
    """
    return [row for part in part_documents(document) for row in _document_rows(part)]


def _document_rows(document: Document) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for chapter in document.chapters:
        rows.append(
            (
                chapter.path,
                "chapter",
                chapter.path.rsplit(":", 1)[1],
                chapter.title,
                chapter.title or "",
                chapter.span.start,
                chapter.span.end,
                None,
            )
        )
        for section in chapter.sections:
            rows.append(
                (
                    section.path,
                    "section",
                    str(section.number),
                    section.title,
                    section.title or "",
                    section.span.start,
                    section.span.end,
                    None,
                )
            )
    nodes: list[tuple[Any, ...]] = []
    if document.preamble is not None:
        nodes.append(("preamble", document.preamble, None, None))
    for article in document.articles:
        nodes.append(("article", article, article.number, article.title))
        for paragraph in article.paragraphs:
            nodes.extend(_paragraph_rows(paragraph))
    for suppl in document.supplementary:
        nodes.append(("supplementary", suppl, None, suppl.title))
        for paragraph in suppl.paragraphs:
            nodes.extend(_paragraph_rows(paragraph))
    for appendix in document.appendices:
        nodes.append(("appendix", appendix, appendix.number, appendix.title))
        nodes.extend(("item", item, item.label, None) for item in _items(appendix.items))
    if document.closing is not None:
        nodes.append(("closing", document.closing, None, None))
    for kind, node, number, title in nodes:
        rows.append(
            (node.path, kind, number, title, node.text, node.span.start, node.span.end, node.page)
        )
    return rows


def report_failures(report: ValidationReport) -> list[str]:
    """What made the report fail: required parameters that did not pass, and required
    structural rules with error findings (the conditions of `ValidationReport.passed`)."""
    failed = [p.name for p in report.parameters if p.required and p.status != "passed"]
    failed += [
        s.rule
        for s in report.structure
        if s.required and any(f.severity == "error" for f in s.findings)
    ]
    return failed


def validation_rows(report: ValidationReport) -> list[tuple[Any, ...]]:
    """(category, rule, status, required, message, detail_json) per parameter and rule."""
    rows: list[tuple[Any, ...]] = [
        ("parameter", p.name, p.status, int(p.required), p.message, p.model_dump_json())
        for p in report.parameters
    ]
    rows += [
        (
            "structure",
            s.rule,
            "passed" if s.passed else "failed",
            int(s.required),
            "; ".join(f.message for f in s.findings) or s.description,
            s.model_dump_json(),
        )
        for s in report.structure
    ]
    return rows


def parameter_rows(report: ValidationReport) -> list[tuple[Any, ...]]:
    """One row per named parameter: (name, kind, status, required, expected, display, path,
    text, start, end, page, value_json, evidence)."""
    rows: list[tuple[Any, ...]] = []
    for p in report.parameters:
        found = p.found
        rows.append(
            (
                p.name,
                p.kind,
                p.status,
                int(p.required),
                p.expected_display,
                found.display if found else None,
                found.path if found else None,
                found.text if found else None,
                found.span.start if found else None,
                found.span.end if found else None,
                found.page if found else None,
                found.value.model_dump_json() if found else None,
                found.evidence if found else None,
            )
        )
    return rows
