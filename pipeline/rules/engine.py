"""Selecting provisions: the articles a parameter's selection points at, the paragraph or item
it narrows to, and the sentence quoted as evidence."""

from __future__ import annotations

import re

from pipeline.models import (
    Article,
    Document,
    Extraction,
    LocatedBy,
    Node,
)
from pipeline.rules.rule_model import Select
from pipeline.text.spaces import squash
from pipeline.text.titles import same_title


def _node_text(document: Document, node: Node) -> str:
    return document.text[node.span.start : node.span.end]


def _contains(document: Document, node: Node, phrase: str) -> bool:
    return squash(phrase) in squash(_node_text(document, node))


def locate(document: Document, select: Select) -> tuple[list[Article], LocatedBy | None]:
    """The articles a selection points at, and how they were found (number, title, phrase)."""
    live = [a for a in document.articles if not a.deleted]
    if select.article is not None:
        art = next((a for a in live if a.number == select.article), None)
        if art is not None and (
            same_title(art.title, select.title)
            if select.title is not None
            else select.contains is None or _contains(document, art, select.contains)
        ):
            return [art], "article"
    if select.title is not None:
        titled = [a for a in live if same_title(a.title, select.title)]
        if titled:
            return titled, "title"
    if select.contains is not None:
        phrase = select.contains
        holding = [a for a in live if _contains(document, a, phrase)]
        if holding:
            return holding, "phrase"
    return [], None


def narrow(article: Article, select: Select) -> Node | None:
    """The paragraph or item of `article` the selection narrows to (the article if neither)."""
    if select.paragraph is None and select.item is None:
        return article
    number = select.paragraph if select.paragraph is not None else 1
    para = next((p for p in article.paragraphs if p.number == number), None)
    if para is None or select.item is None:
        return para
    return next((i for i in para.items if i.ordinal == select.item), None)


_OPEN, _CLOSE = "(（「『", ")）」』"


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): a 。 inside brackets ((遅延損害金を除く。)) ends none."""
    left = _sentence_edge(text, start, -1)
    right = _sentence_edge(text, end, 1)
    if right < len(text) and text[right] == "。":
        right += 1
    return left, right


_MARKS = re.compile("[\n。" + re.escape(_OPEN + _CLOSE) + "]")
"""The characters `_sentence_edge` stops at or counts; the walk jumps from one to the next."""


def _sentence_edge(text: str, index: int, step: int) -> int:
    """Walk from `index` left (step -1) or right (+1) to a line break or a 。 outside brackets."""
    if step < 0:
        deeper, shallower = _CLOSE, _OPEN
        edge = text.rfind("\n", 0, index) + 1
        marks = reversed([(m.start(), m.group()) for m in _MARKS.finditer(text, edge, index)])
    else:
        deeper, shallower = _OPEN, _CLOSE
        edge = text.find("\n", index)
        edge = len(text) if edge < 0 else edge
        marks = ((m.start(), m.group()) for m in _MARKS.finditer(text, index, edge))
    depth = 0
    for position, ch in marks:
        if ch == "。" and depth == 0:
            return position + 1 if step < 0 else position
        if ch in deeper:
            depth += 1
        elif ch in shallower:
            depth = max(depth - 1, 0)
    return edge


def quote(document: Document, start: int, end: int, limit: int = 200) -> str:
    """The sentence around [start, end), quoted; trimmed around the span when it is long."""
    text = document.text
    left, right = _sentence_bounds(text, start, end)
    if right - left > limit:
        margin = max(0, (limit - (end - start)) // 2)
        new_left, new_right = max(left, start - margin), min(right, end + margin)
        prefix = "…" if new_left > left else ""
        suffix = "…" if new_right < right else ""
        return prefix + text[new_left:new_right].strip() + suffix
    return text[left:right].strip()


def stands_near(document: Document, extraction: Extraction, phrase: str, window: int) -> bool:
    """Whether `phrase` stands within `window` characters of the extraction, in its sentence."""
    text = document.text
    left, right = _sentence_bounds(text, extraction.span.start, extraction.span.end)
    lo = max(left, extraction.span.start - window)
    hi = min(right, extraction.span.end + window)
    return squash(phrase) in squash(text[lo:hi])
