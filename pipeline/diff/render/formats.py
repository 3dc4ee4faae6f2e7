"""The entry point of rendering: a DocumentDiff in one of 'json', 'md', 'html'."""

from __future__ import annotations

from pipeline.diff.render.html_table import diff_html
from pipeline.diff.render.markdown import diff_markdown
from pipeline.diff.render.vocabulary import LABELS
from pipeline.models import DocumentDiff


def diff_json(diff: DocumentDiff) -> str:
    """The diff as indented JSON (the DocumentDiff model)."""
    return diff.model_dump_json(indent=2)


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
