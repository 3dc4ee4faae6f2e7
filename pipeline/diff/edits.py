"""Edits: each change between two versions reported once, in reading order.

A renumbering is told as the consequence of the insertion, deletion or move nearest before it;
a provision whose every part is new is one rewrite, not a list of parts.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.diff.labels import path_label
from pipeline.models import ChangedSpan, Edit, ProvisionDiff

_STRUCTURAL = ("added", "deleted", "moved", "split", "merged")


def _where(row: ProvisionDiff) -> str:
    old, new = row.old_label, row.new_label
    if old and new and old != new and row.level == "article" and row.status != "deleted":
        return f"{old} → {row.label}"
    return row.label


def _span_summary(change: ChangedSpan, words: dict[str, str]) -> str:
    if change.note:
        return f"「{change.new_text}」({change.note})"
    if change.op == "insert":
        return words["insert"].format(change.new_text)
    if change.op == "delete":
        return words["delete"].format(change.old_text)
    return f"「{change.old_text}」→「{change.new_text}」"


def _describe(row: ProvisionDiff, words: dict[str, str]) -> str:
    parts = [_span_summary(s, words) for s in row.spans[:3]]
    more = f" (+{len(row.spans) - 3})" if len(row.spans) > 3 else ""
    none = words["none"]
    values = "".join(
        f"; {words[p.kind]} {p.old_text or none} → {p.new_text or none}"
        for p in row.parameter_changes
    )
    return f"{_where(row)}: " + ", ".join(parts) + more + values


def _renumbering_runs(rows: list[ProvisionDiff]) -> list[list[int]]:
    """Maximal runs of consecutive renumbered pairs (an article reduced to 削除 under a shifted
    number included: the run goes on through it)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for k, row in enumerate(rows):
        both = row.old_path is not None and row.new_path is not None
        if row.status == "renumbered" or (
            both and row.status == "deleted" and row.old_label != row.new_label
        ):
            current.append(k)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


_POSITION_UNIT = {"paragraph": "項", "item": "号"}
_OUTLINE_NUMBER = re.compile(r"\d+(?:\.\d+)+")


def _number_label(row: ProvisionDiff, side: str) -> str:
    """A provision's number for a renumbering: articles as numbered (第7条); paragraphs and
    items by position (第3号), since their markers may be typesetting (Markdown's '1.')."""
    label = row.old_label if side == "old" else row.new_label
    path = row.old_path if side == "old" else row.new_path
    unit = _POSITION_UNIT.get(row.level)
    if unit is None or path is None or (label and _OUTLINE_NUMBER.fullmatch(label)):
        return label or ""
    return f"第{path.rsplit(':', 1)[-1]}{unit}"


def _renumbering_span(rows: list[ProvisionDiff], words: dict[str, str]) -> str:
    """'第7条〜第14条 → 第8条〜第15条', or '第7条 → 第8条' for one."""
    first, last = rows[0], rows[-1]

    def side(name: str) -> str:
        a, b = _number_label(first, name), _number_label(last, name)
        return a if first is last else f"{a}{words['to']}{b}"

    return f"{side('old')} → {side('new')}"


def _renumbering_word(level: str, words: dict[str, str]) -> str:
    return words.get(f"renumbered:{level}", words["renumbered"])


def _structural_edit(row: ProvisionDiff, words: dict[str, str]) -> Edit:
    where = _where(row)
    if row.status == "split":
        parts = [row.new_path or "", *row.related]
        where = f"{row.label} → " + "、".join(path_label(p) for p in parts)
    elif row.status == "merged":
        parts = [row.old_path or "", *row.related]
        where = "、".join(path_label(p) for p in sorted(parts, key=_path_order)) + f" → {row.label}"
    deleted_as = (
        words["deleted_as"].format(row.new_label)
        if row.status == "deleted" and row.new_label
        else ""
    )
    summary = f"{where}: {words[row.status]}{deleted_as}"
    return _edit(row, row.status, summary, related=row.related)


def _edit(row: ProvisionDiff, status: str, summary: str, **more: Any) -> Edit:
    """An edit of `row`'s pair: its level and paths, with `summary` and any `more` fields."""
    return Edit(
        status=status,
        level=row.level,
        old_path=row.old_path,
        new_path=row.new_path,
        summary=summary,
        **more,
    )


def _path_order(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def collect_edits(rows: list[ProvisionDiff], words: dict[str, str], within: str = "") -> list[Edit]:
    """Each edit among sibling pairs once, then the edits inside each pair, in reading order.

    `within` names the parent provision, so that a renumbering below an article names it.
    """
    structural = _structural_edits(rows, words)
    standalone = _renumberings(rows, structural, words, within)
    edits: list[Edit] = []
    for k, row in enumerate(rows):
        edits.extend(e for e in (structural.get(k), standalone.get(k)) if e is not None)
        if (
            row.old_path is None
            or row.new_path is None
            or row.status in ("deleted", "split", "merged")
        ):
            continue
        edits.extend(_pair_edits(row, words, within))
    return edits


def _structural_edits(rows: list[ProvisionDiff], words: dict[str, str]) -> dict[int, Edit]:
    """The edit of each added, deleted, moved, split or merged row, by row index (a split or
    a merge once, on its first row)."""
    structural: dict[int, Edit] = {}
    for k, row in enumerate(rows):
        if row.status not in _STRUCTURAL:
            continue
        if row.status in ("split", "merged") and any(
            e.status == row.status
            and {e.old_path, e.new_path} & {row.old_path, row.new_path, *row.related}
            for e in structural.values()
        ):
            continue
        structural[k] = _structural_edit(row, words)
    return structural


def _renumberings(
    rows: list[ProvisionDiff], structural: dict[int, Edit], words: dict[str, str], within: str
) -> dict[int, Edit]:
    """Each run of renumbered rows told once: added to the structural edit that caused it (the
    insertion, deletion or move nearest before it, else after it), or an edit of its own, which
    is returned by the index of the run's first row."""
    standalone: dict[int, Edit] = {}
    for run in _renumbering_runs(rows):
        pairs = [(rows[k].old_path or "", rows[k].new_path or "") for k in run]
        first = rows[run[0]]
        span = _renumbering_span([rows[k] for k in run], words)
        word = _renumbering_word(first.level, words)
        before = [k for k in structural if k < run[0]]
        after = [k for k in structural if k > run[-1]]
        if before or after:
            cause = structural[before[-1] if before else after[0]]
            cause.renumbered.extend(pairs)
            cause.summary += f"; {word} {within}{span}"
        else:
            summary = f"{word} {within}{span}"
            standalone[run[0]] = _edit(first, "renumbered", summary, renumbered=pairs)
    return standalone


def _pair_edits(row: ProvisionDiff, words: dict[str, str], within: str) -> list[Edit]:
    """The edits of a pair present in both versions: its title, its text, then its children."""
    edits: list[Edit] = []
    if row.title_changed:
        summary = f"{_where(row)}: （{row.old_title}） → （{row.new_title}）"
        edits.append(_edit(row, "retitled", summary))
    # Every old part gone and every new part new: one rewrite, not a list of parts.
    rewritten = (
        any(c.old_path is None for c in row.children)
        and any(c.new_path is None for c in row.children)
        and all(c.old_path is None or c.new_path is None for c in row.children)
    )
    if row.text_changed or rewritten:
        summary = f"{_where(row)}: {words['rewritten']}" if rewritten else _describe(row, words)
        edits.append(_edit(row, "modified", summary))
    if not rewritten:
        inner = (row.new_label or "") if row.level in ("article", "supplementary") else within
        edits.extend(collect_edits(row.children, words, inner))
    return edits
