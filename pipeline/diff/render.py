"""Renderers for a DocumentDiff: JSON, Markdown, and a self-contained HTML 新旧対照表.

The HTML table follows the layout of Japanese amendment tables (改正新旧対照表): the new text
(新, 改定後) in the left column, the old text (旧, 改定前) in the right one, one row per aligned
provision, the changed parts underlined (傍線) in both columns, 新設 and 削除 named where a
provision exists on one side only, and runs of unchanged provisions shown as (略). The page has
no external assets (inline CSS, no scripts), and every piece of document text goes through
html.escape.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from pipeline.diff.compare import path_label
from pipeline.models import ChangedSpan, DiffSide, DocumentDiff, ProvisionDiff, Span

STATUS_KEYS = (
    "unchanged",
    "modified",
    "added",
    "deleted",
    "renumbered",
    "moved",
    "split",
    "merged",
    "retitled",
)

LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "unchanged": "変更なし",
        "modified": "変更",
        "added": "追加",
        "deleted": "削除",
        "renumbered": "条番号変更",
        "moved": "移動",
        "split": "分割",
        "merged": "統合",
        "retitled": "見出し変更",
        "period": "期間",
        "percentage": "割合",
        "fraction": "分数",
        "amount": "金額",
        "date": "日付",
        "title": "新旧対照表",
        "md_title": "新旧対照",
        "new": "新",
        "old": "旧",
        "new_column": "新（改定後）",
        "old_column": "旧（改定前）",
        "note": "左欄が新（改定後）、右欄が旧（改定前）。傍線部分は変更部分。"
        "変更のない条は（略）。",
        "md_note": "新は **太字**、旧は ~~取消線~~ が変更部分。",
        "parameters": "変更されたパラメータ",
        "no_parameters": "変更されたパラメータはありません。",
        "edits": "変更点",
        "no_edits": "変更はありません。",
        "table": "対照表",
        "md_table": "対照",
        "where": "箇所",
        "kind": "種類",
        "none": "（なし）",
        "new_only": "（新設）",
        "old_only": "（削除）",
        "omitted": "（略）",
        "deleted_text": "削除",
        "from": "から",
        "typesetting": "表記のみの変更: {n}箇所（全角・半角、空白、改行、番号の書式、"
        "Markdown の記号。変更点には含めない）",
        "unchanged_text": "本文は変更なし",
        "nothing": "なし",
        "sep": "、",
        "colon": "：",
    },
    "en": {
        "unchanged": "unchanged",
        "modified": "modified",
        "added": "added",
        "deleted": "deleted",
        "renumbered": "renumbered",
        "moved": "moved",
        "split": "split",
        "merged": "merged",
        "retitled": "retitled",
        "period": "period",
        "percentage": "percentage",
        "fraction": "fraction",
        "amount": "amount",
        "date": "date",
        "title": "Comparison of versions",
        "md_title": "Comparison of versions",
        "new": "New",
        "old": "Old",
        "new_column": "New (amended)",
        "old_column": "Old (before)",
        "note": "New text on the left, old text on the right; changed parts are underlined. "
        "Unchanged articles are omitted.",
        "md_note": "Changed parts: **bold** in the new text, ~~struck~~ in the old.",
        "parameters": "Changed parameters",
        "no_parameters": "No parameter changed.",
        "edits": "Changes",
        "no_edits": "No changes.",
        "table": "Side by side",
        "md_table": "Side by side",
        "where": "Where",
        "kind": "Kind",
        "none": "(none)",
        "new_only": "(new)",
        "old_only": "(deleted)",
        "omitted": "(omitted)",
        "deleted_text": "deleted",
        "from": " from ",
        "typesetting": "Typesetting only: {n} places (width, spacing, line breaks, numbering "
        "style, Markdown marks; not counted as changes)",
        "unchanged_text": "text unchanged",
        "nothing": "none",
        "sep": ", ",
        "colon": ": ",
    },
}
"""The words of the rendered table by language; document text and labels stay as written."""

STATUS_JA = {k: LABELS["ja"][k] for k in STATUS_KEYS}
"""Japanese names of the statuses, as a 新旧対照表 states them."""


def diff_json(diff: DocumentDiff) -> str:
    """The diff as indented JSON (the DocumentDiff model)."""
    return diff.model_dump_json(indent=2)


# --------------------------------------------------------------------------------------------
# Marking changed parts
# --------------------------------------------------------------------------------------------


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


def _own_pieces(row: ProvisionDiff, side: str) -> list[Piece]:
    text = row.new_text if side == "new" else row.old_text
    span = row.new_text_span if side == "new" else row.old_text_span
    if text is None or span is None:
        return []
    if (row.status == "added" and side == "new") or (row.status == "deleted" and side == "old"):
        return [(text, True, None)]
    return _pieces(text, span.start, _marks(row.spans, side, span))


def _changed_inside(row: ProvisionDiff) -> bool:
    """Whether anything below the pair's number changed (text, title, or a child)."""
    return (
        row.status in ("added", "deleted", "split", "merged")
        or row.text_changed
        or row.title_changed
        or any(c.status != "unchanged" or _changed_inside(c) for c in row.children)
    )


def _present(row: ProvisionDiff, side: str) -> bool:
    return (row.new_path if side == "new" else row.old_path) is not None


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK JP","IPAexGothic","Hiragino Sans",sans-serif;margin:2em;
color:#111;line-height:1.7}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #555;padding:.4em .6em;vertical-align:top;text-align:left}
table.taisho th{background:#eee;width:50%;text-align:center}
table.taisho td{width:50%;white-space:pre-wrap;word-break:break-all}
.chg{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:3px}
.new .chg{background:#fff3c4}.old .chg{background:#e8eefc}
.heading{font-weight:bold}
.note{font-size:.9em;color:#333}
.status{font-size:.8em;color:#555;margin-left:.5em}
.para{margin:.2em 0}.item{margin:.1em 0 .1em 1.5em}
.omitted{text-align:center;color:#555}
.placeholder{color:#555}
"""


def _html_pieces(pieces: list[Piece]) -> str:
    return "".join(
        (f'<span class="chg" title="{escape(note)}">' if note else '<span class="chg">')
        + f"{escape(text)}</span>"
        if changed
        else escape(text)
        for text, changed, note in pieces
    )


def _heading_html(row: ProvisionDiff, side: str) -> str:
    label = row.new_label if side == "new" else row.old_label
    title = row.new_title if side == "new" else row.old_title
    whole = row.status == "added" or (row.status == "deleted" and side == "old")
    number_changed = row.old_label != row.new_label and row.level == "article"
    label_html = escape(label or "")
    if whole or number_changed:
        label_html = f'<span class="chg">{label_html}</span>'
    title_html = ""
    if title:
        title_html = escape(title)
        if whole or row.title_changed:
            title_html = f'<span class="chg">{title_html}</span>'
        title_html = f"（{title_html}）" if row.level == "article" else f" {title_html}"
    return f'<div class="heading">{label_html}{title_html}</div>'


def _node_html(row: ProvisionDiff, side: str, depth: int) -> str:
    if not _present(row, side):
        return ""
    parts: list[str] = []
    css = "para" if row.level == "paragraph" else "item"
    marker = ""
    label = row.new_label if side == "new" else row.old_label
    if row.level == "item":
        marker = escape(label or "") + " "
    elif row.level == "paragraph" and label and label != "第1項":
        marker = escape(label.removeprefix("第").removesuffix("項")) + "　"
    own = _html_pieces(_own_pieces(row, side))
    if own or marker:
        parts.append(f'<div class="{css}">{marker}{own}</div>')
    for child in row.children:
        parts.append(_node_html(child, side, depth + 1))
    return "".join(parts)


def _cell_html(row: ProvisionDiff, side: str, w: dict[str, str]) -> str:
    if not _present(row, side):
        placeholder = w["new_only"] if side == "old" else w["old_only"]
        return f'<span class="placeholder">{escape(placeholder)}</span>'
    body: list[str] = []
    if row.level in ("article", "supplementary", "appendix", "part", "preamble", "closing"):
        body.append(_heading_html(row, side))
        if row.status == "deleted" and side == "new":
            body.append(f'<div class="para"><span class="chg">{w["deleted_text"]}</span></div>')
            return "".join(body)
        if not _changed_inside(row):
            body.append(f'<div class="para omitted">{w["omitted"]}</div>')
            return "".join(body)
        body.extend(_node_html(child, side, 1) for child in row.children)
        own = _own_pieces(row, side)
        if own:
            body.append(f'<div class="para">{_html_pieces(own)}</div>')
    else:
        body.append(_node_html(row, side, 0))
    return "".join(body)


def _row_note(row: ProvisionDiff, w: dict[str, str]) -> str:
    if row.status in ("unchanged", "modified"):
        return ""
    extra = ""
    if row.status == "moved":
        extra = f"{w['colon']}{row.old_label}{w['from']}"
    elif row.related:
        extra = w["colon"] + w["sep"].join(path_label(p) for p in row.related)
    return f'<div class="status">〔{w[row.status]}{escape(extra)}〕</div>'


def _side_html(side: DiffSide, name: str) -> str:
    bits = [escape(side.title or ""), escape(side.version or "")]
    if side.effective_date:
        bits.append(escape(side.effective_date.isoformat()))
    described = " ".join(b for b in bits if b)
    return f"<li>{name}：{described}（{escape(side.path)}）</li>"


def _parameters_html(diff: DocumentDiff, w: dict[str, str]) -> str:
    if not diff.parameter_changes:
        return f"<p>{w['no_parameters']}</p>"
    rows = "".join(
        "<tr>"
        f"<td>{escape(p.label)}</td><td>{escape(w[p.kind])}</td>"
        f"<td>{escape(p.new_text or w['none'])}</td><td>{escape(p.old_text or w['none'])}</td>"
        "</tr>"
        for p in diff.parameter_changes
    )
    return (
        f'<table class="parameters"><thead><tr><th>{w["where"]}</th><th>{w["kind"]}</th>'
        f"<th>{w['new']}</th><th>{w['old']}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _edits_html(diff: DocumentDiff, w: dict[str, str]) -> str:
    items = [f"<li>〔{w[e.status]}〕{escape(e.summary)}</li>" for e in diff.edits]
    if diff.typesetting_only:
        items.append(f'<li class="typesetting">{escape(_typesetting(diff, w))}</li>')
    if not items:
        return f"<p>{w['no_edits']}</p>"
    return f"<ul>{''.join(items)}</ul>"


def _typesetting(diff: DocumentDiff, w: dict[str, str]) -> str:
    """The one collapsed line for differences that are typesetting only (表記のみの変更)."""
    return w["typesetting"].format(n=diff.typesetting_only)


def _flatten_parts(rows: list[ProvisionDiff]) -> list[ProvisionDiff]:
    """Top-level rows with each document of a bundle (part) followed by its own rows."""
    flat: list[ProvisionDiff] = []
    for row in rows:
        flat.append(row)
        if row.level == "part":
            flat.extend(row.children)
    return flat


def _part_row(row: ProvisionDiff, w: dict[str, str]) -> str:
    """The heading row of one document of a bundle, both columns, its status if any."""
    new = row.new_label if row.new_path is not None else w["old_only"]
    old = row.old_label if row.old_path is not None else w["new_only"]
    return (
        f'<tr class="part"><th class="new">{escape(new or "")}{_row_note(row, w)}</th>'
        f'<th class="old">{escape(old or "")}</th></tr>'
    )


def _omitted_row(rows: list[ProvisionDiff], w: dict[str, str]) -> str:
    first, last = rows[0], rows[-1]
    new = first.new_label if first is last else f"{first.new_label}～{last.new_label}"
    old = first.old_label if first is last else f"{first.old_label}～{last.old_label}"
    return (
        f'<tr class="omitted"><td class="new omitted">{escape(new or "")}{w["omitted"]}</td>'
        f'<td class="old omitted">{escape(old or "")}{w["omitted"]}</td></tr>'
    )


def diff_html(diff: DocumentDiff, *, show_unchanged: bool = False, lang: str = "ja") -> str:
    """A self-contained HTML 新旧対照表: 新 (left) and 旧 (right), changed parts underlined."""
    w = LABELS[lang]
    rows: list[str] = []
    unchanged: list[ProvisionDiff] = []
    for row in _flatten_parts(diff.provisions):
        if row.level == "part":
            if unchanged:
                rows.append(_omitted_row(unchanged, w))
                unchanged = []
            rows.append(_part_row(row, w))
            continue
        if row.status == "unchanged" and not show_unchanged:
            unchanged.append(row)
            continue
        if unchanged:
            rows.append(_omitted_row(unchanged, w))
            unchanged = []
        rows.append(
            f'<tr class="{escape(row.status)}">'
            f'<td class="new">{_cell_html(row, "new", w)}{_row_note(row, w)}</td>'
            f'<td class="old">{_cell_html(row, "old", w)}</td></tr>'
        )
    if unchanged:
        rows.append(_omitted_row(unchanged, w))
    title = escape(diff.new.title or diff.old.title or "")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{w['title']} {title}</title><style>{_CSS}</style></head><body>"
        f"<h1>{w['title']} {title}</h1>"
        f"<ul>{_side_html(diff.new, w['new'])}{_side_html(diff.old, w['old'])}</ul>"
        f'<p class="note">{w["note"]}</p>'
        f"<h2>{w['parameters']}</h2>{_parameters_html(diff, w)}"
        f"<h2>{w['edits']}</h2>{_edits_html(diff, w)}"
        f'<h2>{w["table"]}</h2><table class="taisho"><thead><tr><th>{w["new_column"]}</th>'
        f"<th>{w['old_column']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|~" else ch for ch in text)


def _md_pieces(pieces: list[Piece], side: str) -> str:
    wrap = "**" if side == "new" else "~~"
    return "".join(
        f"{wrap}{_md_escape(t)}{wrap}" if changed and t.strip() else _md_escape(t)
        for t, changed, _ in pieces
    )


def _md_lines(row: ProvisionDiff, side: str, depth: int) -> list[str]:
    if not _present(row, side):
        return []
    lines: list[str] = []
    own = _md_pieces(_own_pieces(row, side), side)
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
        if child.status == "unchanged" and not _changed_inside(child):
            if _present(child, side) and (not lines or lines[-1] != f"{'  ' * (depth - 1)}- …"):
                lines.append(f"{'  ' * (depth - 1)}- …")
            continue
        lines.extend(_md_lines(child, side, depth))
    return lines


def diff_markdown(diff: DocumentDiff, lang: str = "ja") -> str:
    """The diff as Markdown: parameters, edits, then each changed provision 新 then 旧."""
    w = LABELS[lang]
    out = [f"# {w['md_title']} {_md_escape(diff.new.title or diff.old.title or '')}", ""]
    for name, side in ((w["new"], diff.new), (w["old"], diff.old)):
        date = side.effective_date.isoformat() if side.effective_date else ""
        out.append(f"- {name}: {_md_escape(side.version or '')} {date} ({_md_escape(side.path)})")
    out += ["", w["md_note"], "", f"## {w['parameters']}", ""]
    if diff.parameter_changes:
        out += [
            f"| {w['where']} | {w['kind']} | {w['old']} | {w['new']} |",
            "| --- | --- | --- | --- |",
        ]
        out += [
            f"| {_md_escape(p.label)} | {w[p.kind]} | {_md_escape(p.old_text or w['none'])} | "
            f"{_md_escape(p.new_text or w['none'])} |"
            for p in diff.parameter_changes
        ]
    else:
        out.append(w["nothing"])
    out += ["", f"## {w['edits']}", ""]
    lines = [f"- 〔{w[e.status]}〕{_md_escape(e.summary)}" for e in diff.edits]
    if diff.typesetting_only:
        lines.append(f"- {_md_escape(_typesetting(diff, w))}")
    out += lines or [w["nothing"]]
    out += ["", f"## {w['md_table']}", ""]
    renumbered: list[ProvisionDiff] = []
    for row in [*_flatten_parts(diff.provisions), None]:
        if row is not None and row.level == "part":
            out += [f"### 〔{_md_escape(row.label)}〕", ""]
            if row.status in ("added", "deleted", "moved", "renumbered"):
                out += [f"{w[row.status]}", ""]
            continue
        if row is not None and row.status == "renumbered" and not _changed_inside(row):
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
    if not _present(row, side):
        return [f"{name}: {w['new_only'] if side == 'old' else w['old_only']}"]
    label = row.new_label if side == "new" else row.old_label
    title = row.new_title if side == "new" else row.old_title
    shown_title = _md_escape(title or "")
    if title and row.title_changed:
        shown_title = _md_pieces([(title, True, None)], side)
    lines = [f"{name}: {_md_escape(label or '')} {shown_title}".rstrip(), ""]
    own = _md_pieces(_own_pieces(row, side), side)
    if own:
        lines.append(f"- {own}")
    if row.status == "deleted" and side == "new":
        lines.append(f"- **{w['deleted_text']}**")
    elif not _changed_inside(row):
        lines.append(f"- {w['omitted']}")
    else:
        lines.extend(_md_children(row.children, side, 1))
    return lines


def render(diff: DocumentDiff, fmt: str, lang: str = "ja") -> str:
    """Render in one of 'json', 'md', 'html' with labels in `lang` ('ja' or 'en');
    ValueError for anything else. JSON keys are the same in every language."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r} (use ja or en)")
    if fmt == "json":
        return diff_json(diff) + "\n"
    if fmt == "md":
        return diff_markdown(diff, lang)
    if fmt == "html":
        return diff_html(diff, lang=lang)
    raise ValueError(f"unknown diff format {fmt!r} (use json, md or html)")
