"""The words of the rendered 新旧対照表 by language; document text and labels stay as written."""

from __future__ import annotations

from pipeline.diff.labels import WORDS
from pipeline.models import DocumentDiff

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
        "terms": "定義語の変更",
        "no_terms": "定義語の変更はありません。",
        "term": "定義語",
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
        "terms": "Defined terms",
        "no_terms": "No defined term changed.",
        "term": "Term",
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
for _lang, _words in LABELS.items():
    # What became of a defined term, in the words of the diff's own summaries.
    _words.update({k: WORDS[_lang][k] for k in ("term_added", "term_removed", "term_redefined")})

STATUS_JA = {k: LABELS["ja"][k] for k in STATUS_KEYS}
"""Japanese names of the statuses, as a 新旧対照表 states them."""


def typesetting_line(diff: DocumentDiff, w: dict[str, str]) -> str:
    """The one collapsed line for differences that are typesetting only (表記のみの変更)."""
    return w["typesetting"].format(n=diff.typesetting_only)
