"""The diff as Markdown: parameters, edits, then each changed provision 新 then 旧."""

from __future__ import annotations

from pipeline.diff.render.pieces import Piece, changed_inside, flatten_parts, own_pieces, present
from pipeline.diff.render.vocabulary import LABELS, typesetting_line
from pipeline.models import DocumentDiff, ProvisionDiff


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|~" else ch for ch in text)


def _md_pieces(pieces: list[Piece], side: str) -> str:
    wrap = "**" if side == "new" else "~~"
    return "".join(
        f"{wrap}{_md_escape(t)}{wrap}" if changed and t.strip() else _md_escape(t)
        for t, changed, _ in pieces
    )


def _md_lines(row: ProvisionDiff, side: str, depth: int) -> list[str]:
    if not present(row, side):
        return []
    lines: list[str] = []
    own = _md_pieces(own_pieces(row, side), side)
    label = row.new_label if side == "new" else row.old_label
    if row.level == "paragraph" and label == "第1項":
        label = ""
    if row.level in ("paragraph", "item") and (own or label):
        marker = f"{_md_escape(label)} " if label else ""
        lines.append(f"{'  ' * max(depth - 1, 0)}- {marker}{own}")
    lines.extend(_md_children(row.children, side, depth + 1))
    return lines


def _md_children(children: list[ProvisionDiff], side: str, depth: int) -> list[str]:
    """Changed children in full; each run of unchanged ones as one '…' line (略)."""
    lines: list[str] = []
    for child in children:
        if child.status == "unchanged" and not changed_inside(child):
            if present(child, side) and (not lines or lines[-1] != f"{'  ' * (depth - 1)}- …"):
                lines.append(f"{'  ' * (depth - 1)}- …")
            continue
        lines.extend(_md_lines(child, side, depth))
    return lines


def _md_table(headings: list[str], rows: list[list[str]], nothing: str) -> list[str]:
    """A summary table (parameters, defined terms), its cells escaped; `nothing` without rows."""
    if not rows:
        return [nothing]
    return [
        "| " + " | ".join(headings) + " |",
        "|" + " --- |" * len(headings),
        *("| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows),
    ]


def diff_markdown(diff: DocumentDiff, lang: str = "ja") -> str:
    """The diff as Markdown: parameters, edits, then each changed provision 新 then 旧."""
    w = LABELS[lang]
    out = [f"# {w['md_title']} {_md_escape(diff.new.title or diff.old.title or '')}", ""]
    for name, side in ((w["new"], diff.new), (w["old"], diff.old)):
        date = side.effective_date.isoformat() if side.effective_date else ""
        out.append(f"- {name}: {_md_escape(side.version or '')} {date} ({_md_escape(side.path)})")
    parameters = [
        [p.label, w[p.kind], p.old_text or w["none"], p.new_text or w["none"]]
        for p in diff.parameter_changes
    ]
    terms = [
        [
            t.term,
            w["term_" + t.status],
            w["sep"].join(t.old_definitions) or w["none"],
            w["sep"].join(t.new_definitions) or w["none"],
        ]
        for t in diff.term_changes
    ]
    out += ["", w["md_note"], "", f"## {w['parameters']}", ""]
    out += _md_table([w["where"], w["kind"], w["old"], w["new"]], parameters, w["nothing"])
    out += ["", f"## {w['terms']}", ""]
    out += _md_table([w["term"], w["kind"], w["old"], w["new"]], terms, w["nothing"])
    out += ["", f"## {w['edits']}", ""]
    lines = [f"- 〔{w[e.status]}〕{_md_escape(e.summary)}" for e in diff.edits]
    if diff.typesetting_only:
        lines.append(f"- {_md_escape(typesetting_line(diff, w))}")
    out += lines or [w["nothing"]]
    out += ["", f"## {w['md_table']}", ""]
    renumbered: list[ProvisionDiff] = []
    for row in [*flatten_parts(diff.provisions), None]:
        if row is not None and row.level == "part":
            out += [f"### 〔{_md_escape(row.label)}〕", ""]
            if row.status in ("added", "deleted", "moved", "renumbered"):
                out += [f"{w[row.status]}", ""]
            continue
        if row is not None and row.status == "renumbered" and not changed_inside(row):
            renumbered.append(row)
            continue
        if renumbered:
            first, last = renumbered[0], renumbered[-1]
            new = (first.new_label or "") + (f"〜{last.new_label}" if last is not first else "")
            old = (first.old_label or "") + (f"〜{last.old_label}" if last is not first else "")
            out += [
                f"### {new}〔{w['renumbered']}〕",
                "",
                f"{w['old']}{old}{w['sep']}{w['unchanged_text']}{w['omitted']}",
                "",
            ]
            renumbered = []
        if row is not None and row.status != "unchanged":
            out += [f"### {_md_escape(row.label)}〔{w[row.status]}〕", ""]
            out += [*_md_side(row, "new", w), "", *_md_side(row, "old", w), ""]
    return "\n".join(out).rstrip() + "\n"


def _md_side(row: ProvisionDiff, side: str, w: dict[str, str]) -> list[str]:
    name = w["new"] if side == "new" else w["old"]
    if not present(row, side):
        return [f"{name}: {w['new_only'] if side == 'old' else w['old_only']}"]
    label = row.new_label if side == "new" else row.old_label
    title = row.new_title if side == "new" else row.old_title
    shown_title = _md_escape(title or "")
    if title and row.title_changed:
        shown_title = _md_pieces([(title, True, None)], side)
    lines = [f"{name}: {_md_escape(label or '')} {shown_title}".rstrip(), ""]
    own = _md_pieces(own_pieces(row, side), side)
    if own:
        lines.append(f"- {own}")
    if row.status == "deleted" and side == "new":
        lines.append(f"- **{w['deleted_text']}**")
    elif not changed_inside(row):
        lines.append(f"- {w['omitted']}")
    else:
        lines.extend(_md_children(row.children, side, 1))
    return lines
