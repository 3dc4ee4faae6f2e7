"""`yakkan history` for people: a family's stored versions and the edits between them."""

from __future__ import annotations

from pipeline.store.history import HistoryStep, StoredVersion


def _version_label(v: StoredVersion) -> str:
    return v.version or v.document_id[:12]


def render_history(family: str, versions: list[StoredVersion], steps: list[HistoryStep]) -> str:
    """The history as text: one line per stored document, then the edits and parameter changes
    from each version to the next."""
    count = len(steps) + 1
    lines = [f"{family}: {len(versions)} stored, {count} version{'s' if count != 1 else ''}"]
    for v in versions:
        day = v.effective_date.isoformat() if v.effective_date else "(no date)"
        lines.append(
            f"  {_version_label(v):<12} {day:<10}  {v.source_kind:<4}  {v.document_id[:12]}"
            f"  {v.source_name}"
        )
    for step in steps:
        change = step.diff
        lines.append("")
        lines.append(
            f"{_version_label(step.old)} → {_version_label(step.new)}: {len(change.edits)} edits,"
            f" {len(change.parameter_changes)} parameter changes"
        )
        lines += [f"  {edit.status}: {edit.summary}" for edit in change.edits]
        lines += [f"  parameter: {p.summary}" for p in change.parameter_changes]
    return "\n".join(lines)
