"""The `yakkan refs` table: a document's cross-references and their 'xref.*' findings."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.models import CrossReferenceValue, Document
from pipeline.refs.diagnostics import DIAGNOSTIC_PREFIX


def reference_status(value: CrossReferenceValue) -> str:
    """'resolved', 'external: 民法', or 'unresolved: <reason>'."""
    if value.external is not None:
        return f"external: {value.external}"
    if value.resolved:
        return "resolved"
    return f"unresolved: {value.reason or 'not resolved yet'}"


def print_references(document: Document, console: Console | None = None) -> None:
    """Print the document's references (where, surface, targets, status) and 'xref.*' findings."""
    console = console or Console()
    table = Table(title=f"references in {document.source.path}", show_lines=False)
    for column in ("where", "reference", "targets", "status"):
        table.add_column(column, overflow="fold")
    count = 0
    for extraction in document.extractions:
        value = extraction.value
        if not isinstance(value, CrossReferenceValue):
            continue
        count += 1
        targets = ", ".join(value.targets)
        if value.excluded:
            targets += " except " + ", ".join(value.excluded)
        status = reference_status(value)
        style = "green" if value.resolved else "yellow" if value.external else "red"
        table.add_row(
            extraction.path, escape(extraction.text), targets, f"[{style}]{escape(status)}[/]"
        )
    console.print(table)
    findings = [d for d in document.diagnostics if d.code.startswith(DIAGNOSTIC_PREFIX)]
    console.print(f"{count} references, {len(findings)} diagnostics", soft_wrap=True)
    for finding in findings:
        line = f"{finding.severity}: {finding.code}: {escape(finding.message)}"
        console.print(line, soft_wrap=True)  # one finding per line, for grep
