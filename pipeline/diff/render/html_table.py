"""A self-contained HTML 新旧対照表.

The table follows the layout of Japanese amendment tables (改正新旧対照表): the new text
(新, 改定後) in the left column, the old text (旧, 改定前) in the right one, one row per aligned
provision, the changed parts underlined (傍線) in both columns, 新設 and 削除 named where a
provision exists on one side only, and runs of unchanged provisions shown as (略). The page has
no external assets (inline CSS, no scripts), and every piece of document text goes through
html.escape.
"""

from __future__ import annotations

from html import escape

from pipeline.diff.labels import path_label
from pipeline.diff.render.pieces import (
    Piece,
    changed_inside,
    flatten_parts,
    own_pieces,
    present,
)
from pipeline.diff.render.vocabulary import LABELS, typesetting_line
from pipeline.models import DiffSide, DocumentDiff, ProvisionDiff

_CSS = """
body{font-family:"Noto Sans CJK JP","IPAexGothic","Hiragino Sans",sans-serif;margin:2em;
color:#111;line-height:1.7}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #555;padding:.4em .6em;vertical-align:top;text-align:left}
table.taisho th{background:#eee;width:50%;text-align:center}
table.taisho td{width:50%;white-space:pre-wrap;word-break:break-all}
table.terms td:nth-child(-n+2),table.terms th:nth-child(-n+2){white-space:nowrap}
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
    if not present(row, side):
        return ""
    parts: list[str] = []
    css = "para" if row.level == "paragraph" else "item"
    marker = ""
    label = row.new_label if side == "new" else row.old_label
    if row.level == "item":
        marker = escape(label or "") + " "
    elif row.level == "paragraph" and label and label != "第1項":
        marker = escape(label.removeprefix("第").removesuffix("項")) + "　"
    own = _html_pieces(own_pieces(row, side))
    if own or marker:
        parts.append(f'<div class="{css}">{marker}{own}</div>')
    for child in row.children:
        parts.append(_node_html(child, side, depth + 1))
    return "".join(parts)


def _cell_html(row: ProvisionDiff, side: str, w: dict[str, str]) -> str:
    if not present(row, side):
        placeholder = w["new_only"] if side == "old" else w["old_only"]
        return f'<span class="placeholder">{escape(placeholder)}</span>'
    body: list[str] = []
    if row.level in ("article", "supplementary", "appendix", "part", "preamble", "closing"):
        body.append(_heading_html(row, side))
        if row.status == "deleted" and side == "new":
            body.append(f'<div class="para"><span class="chg">{w["deleted_text"]}</span></div>')
            return "".join(body)
        if not changed_inside(row):
            body.append(f'<div class="para omitted">{w["omitted"]}</div>')
            return "".join(body)
        body.extend(_node_html(child, side, 1) for child in row.children)
        own = own_pieces(row, side)
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


def _summary_table(css: str, headings: list[str], rows: list[list[str]]) -> str:
    """A small table of the diff's summary (parameters, defined terms), its cells escaped."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _parameters_html(diff: DocumentDiff, w: dict[str, str]) -> str:
    if not diff.parameter_changes:
        return f"<p>{w['no_parameters']}</p>"
    rows = [
        [p.label, w[p.kind], p.new_text or w["none"], p.old_text or w["none"]]
        for p in diff.parameter_changes
    ]
    return _summary_table("parameters", [w["where"], w["kind"], w["new"], w["old"]], rows)


def _terms_html(diff: DocumentDiff, w: dict[str, str]) -> str:
    if not diff.term_changes:
        return f"<p>{w['no_terms']}</p>"
    rows = [
        [
            t.term,
            w["term_" + t.status],
            w["sep"].join(t.new_definitions) or w["none"],
            w["sep"].join(t.old_definitions) or w["none"],
        ]
        for t in diff.term_changes
    ]
    return _summary_table("terms", [w["term"], w["kind"], w["new"], w["old"]], rows)


def _edits_html(diff: DocumentDiff, w: dict[str, str]) -> str:
    items = [f"<li>〔{w[e.status]}〕{escape(e.summary)}</li>" for e in diff.edits]
    if diff.typesetting_only:
        items.append(f'<li class="typesetting">{escape(typesetting_line(diff, w))}</li>')
    if not items:
        return f"<p>{w['no_edits']}</p>"
    return f"<ul>{''.join(items)}</ul>"


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
    for row in flatten_parts(diff.provisions):
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
        f"<h2>{w['terms']}</h2>{_terms_html(diff, w)}"
        f"<h2>{w['edits']}</h2>{_edits_html(diff, w)}"
        f'<h2>{w["table"]}</h2><table class="taisho"><thead><tr><th>{w["new_column"]}</th>'
        f"<th>{w['old_column']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>\n"
    )
