"""Renderers for a DocumentDiff: JSON, Markdown, and a self-contained HTML 新旧対照表.

`render(diff, fmt, lang)` is the entry point (`pipeline.diff.render.formats`); the table's
words are in `vocabulary`, the cutting of a provision's text into changed and unchanged runs in
`pieces`, and each format in a module of its own (`html_table`, `markdown`).
"""

from pipeline.diff.render.formats import diff_json, render
from pipeline.diff.render.html_table import diff_html
from pipeline.diff.render.markdown import diff_markdown
from pipeline.diff.render.vocabulary import LABELS, STATUS_JA

__all__ = ["LABELS", "STATUS_JA", "diff_html", "diff_json", "diff_markdown", "render"]
