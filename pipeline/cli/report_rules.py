"""The text report of a validation, for people."""

from __future__ import annotations

from pipeline.models import ValidationReport


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
