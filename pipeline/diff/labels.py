"""How the diff names things for a reader: provisions, paths, and the words of summaries."""

from __future__ import annotations

from pipeline.diff.nodes import DiffNode
from pipeline.models import article_label

WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "added": "追加",
        "deleted": "削除",
        "modified": "変更",
        "renumbered": "条番号変更",
        "renumbered:paragraph": "項番号変更",
        "renumbered:item": "号番号変更",
        "renumbered:appendix": "別表番号変更",
        "moved": "移動",
        "split": "分割",
        "merged": "統合",
        "retitled": "見出し変更",
        "rewritten": "全文変更",
        "insert": "「{}」を追加",
        "delete": "「{}」を削除",
        "none": "(なし)",
        "deleted_as": "（{} 削除）",
        "period": "期間",
        "percentage": "割合",
        "fraction": "分数",
        "amount": "金額",
        "date": "日付",
        "to": "〜",
        "term": "定義語",
        "term_added": "追加",
        "term_removed": "削除",
        "term_redefined": "定義の変更",
    },
    "en": {
        "added": "added",
        "deleted": "deleted",
        "modified": "modified",
        "renumbered": "renumbered",
        "renumbered:paragraph": "paragraphs renumbered",
        "renumbered:item": "items renumbered",
        "renumbered:appendix": "appendices renumbered",
        "moved": "moved",
        "split": "split",
        "merged": "merged",
        "retitled": "retitled",
        "rewritten": "rewritten",
        "insert": "「{}」 added",
        "delete": "「{}」 deleted",
        "none": "(none)",
        "deleted_as": " ({} deleted)",
        "period": "period",
        "percentage": "percentage",
        "fraction": "fraction",
        "amount": "amount",
        "date": "date",
        "to": "–",
        "term": "defined term",
        "term_added": "added",
        "term_removed": "removed",
        "term_redefined": "defined otherwise",
    },
}
"""The words of summaries, by language; labels from the document (第7条, 見出し) stay as written."""


def path_label(path: str) -> str:
    """'art:37' → '第37条'; other paths as they are."""
    return article_label(path[4:]) if path.startswith("art:") and "/" not in path else path


def provision_label(
    a: DiffNode | None, b: DiffNode | None, art_a: DiffNode | None, art_b: DiffNode | None
) -> str:
    """'第24条 遅延損害金', '第6条第2項 利用契約の成立', '第13条第1項(3) 利用の停止'."""
    node = b or a
    article = art_b if b is not None else art_a
    assert node is not None
    if node.level in ("preamble", "supplementary", "closing", "part"):
        return node.label
    if article is None or node.level == "article":
        head = node.label
        title = node.title
    elif node.outline:
        head, title = node.label, article.title  # 1.1.3 says where it stands by itself
    else:
        head = article.label + _sub_label(article, node)
        title = article.title if article.title != article.label else None
    return f"{head} {title}" if title else head


def _sub_label(article: DiffNode, node: DiffNode) -> str:
    for paragraph in article.children:
        if paragraph is node:
            return paragraph.label if len(article.children) > 1 else ""
        trail = _find_item(paragraph, node)
        if trail is not None:
            head = paragraph.label if len(article.children) > 1 else ""
            return head + "".join(trail)
    return ""


def _find_item(parent: DiffNode, target: DiffNode) -> list[str] | None:
    for child in parent.children:
        if child is target:
            return [child.label]
        deeper = _find_item(child, target)
        if deeper is not None:
            return [child.label, *deeper]
    return None
