"""A provision's text cut into unchanged and changed runs (傍線部分), for every format."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.models import ChangedSpan, ProvisionDiff, Span

Piece = tuple[str, bool, str | None]
"""A run of text: its words, whether it changed, and why when the words alone do not say."""


def _marks(spans: Iterable[ChangedSpan], side: str, within: Span) -> list[tuple[Span, str | None]]:
    chosen = []
    for change in spans:
        span = change.new if side == "new" else change.old
        if len(span) and within.start <= span.start and span.end <= within.end:
            chosen.append((span, change.note))
    return sorted(chosen, key=lambda m: m[0].start)


def _pieces(text: str, start: int, marks: list[tuple[Span, str | None]]) -> list[Piece]:
    """`text` (standing at `start`) cut into unchanged and changed runs."""
    pieces: list[Piece] = []
    pos = 0
    for mark, note in marks:
        lo, hi = mark.start - start, mark.end - start
        if lo > pos:
            pieces.append((text[pos:lo], False, None))
        if hi > max(lo, pos):
            pieces.append((text[max(lo, pos) : hi], True, note))
        pos = max(pos, hi)
    if pos < len(text):
        pieces.append((text[pos:], False, None))
    return pieces


def own_pieces(row: ProvisionDiff, side: str) -> list[Piece]:
    """The row's own text on one side cut into runs (all changed where only that side has it)."""
    text = row.new_text if side == "new" else row.old_text
    span = row.new_text_span if side == "new" else row.old_text_span
    if text is None or span is None:
        return []
    if (row.status == "added" and side == "new") or (row.status == "deleted" and side == "old"):
        return [(text, True, None)]
    return _pieces(text, span.start, _marks(row.spans, side, span))


def changed_inside(row: ProvisionDiff) -> bool:
    """Whether anything below the pair's number changed (text, title, or a child)."""
    return (
        row.status in ("added", "deleted", "split", "merged")
        or row.text_changed
        or row.title_changed
        or any(c.status != "unchanged" or changed_inside(c) for c in row.children)
    )


def present(row: ProvisionDiff, side: str) -> bool:
    """Whether the row's provision exists on `side` ('old' or 'new')."""
    return (row.new_path if side == "new" else row.old_path) is not None


def flatten_parts(rows: list[ProvisionDiff]) -> list[ProvisionDiff]:
    """Top-level rows with each document of a bundle (part) followed by its own rows."""
    flat: list[ProvisionDiff] = []
    for row in rows:
        flat.append(row)
        if row.level == "part":
            flat.extend(row.children)
    return flat
