"""The end-of-batch summary for people: counts, then one line per problem."""

from __future__ import annotations

from pipeline.models import one_line
from pipeline.store.batch import BatchSummary


def render_summary(summary: BatchSummary) -> str:
    """The end-of-batch summary: counts on the first line, then one line per problem."""
    lines = [
        f"processed {len(summary.processed)}, skipped as unchanged {len(summary.skipped)}, "
        f"failed {len(summary.failed)}, validation failures {len(summary.validation_failures)}"
        f" ({summary.pages} PDF pages, {summary.seconds:.1f} s)"
    ]
    if not (summary.processed or summary.skipped or summary.failed):
        lines.append("no PDF or text files found")
    lines += [f"failed: {one_line(f.path)}: {one_line(f.reason)}" for f in summary.failed]
    lines += [
        f"validation failed: {path}: {', '.join(names)}"
        for path, names in summary.validation_failures.items()
    ]
    return "\n".join(lines)
