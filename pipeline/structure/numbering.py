"""Numbering: whether 章, 節, 条, 項 and 号 are numbered in sequence, the one home of that check.

The segmenter reports what it notices while it reads the markers (a list starting at '(3)', an
item repeating a number) and what the built tree shows (a gap between articles, a chapter out
of order); both are `numbering.*` diagnostics of the Document. `consecutive_numbering` is the
stricter check of the whole tree that the rules stage adds to them: every article, paragraph and
item list counted from 1, each finding at the node itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise
from typing import Protocol

from pipeline.models import Article, Chapter, Diagnostic, Document, Item, Node, Span, article_label
from pipeline.text.markers import Marker


class Line(Protocol):
    """Where a marker stands: a line's offsets in the normalized text."""

    start: int
    end: int


def warning(code: str, message: str, path: str | None, start: int, end: int) -> Diagnostic:
    """A numbering problem as the segmenter reports it: a warning over the line it is on."""
    return Diagnostic(
        code=code,
        severity="warning",
        message=message,
        path=path,
        span=Span(start=start, end=end),
    )


def kanji_free(number: str) -> str:
    """An article number as the segmenter's messages write it: '5-2' → '5の2'."""
    return number.replace("-", "の")


# --------------------------------------------------------------------------------------------
# What the segmenter reports: Document.diagnostics
# --------------------------------------------------------------------------------------------


def segment_diagnostics(
    articles: list[Article],
    chapters: list[Chapter],
    line_ends: Mapping[int, int],
    while_reading: list[Diagnostic],
) -> list[Diagnostic]:
    """The numbering diagnostics of a built tree (or a bundle's part), in reading order.

    `line_ends` maps a heading line's start to its end (a finding covers the heading's line);
    `while_reading` are the segmenter's findings on markers, which the tree no longer shows (a
    repeated '(3)' is renumbered, a caption allows a list to restart). The paragraph check of
    each article comes last, as one finding per article.
    """
    from_tree = [
        *_article_diagnostics(articles, line_ends),
        *_chapter_diagnostics(chapters, line_ends),
    ]
    # Both lists run in text order; at one offset the heading comes before its line's markers.
    merged = sorted([*from_tree, *while_reading], key=lambda d: d.span.start if d.span else -1)
    return merged + paragraph_diagnostics(articles)


def _article_diagnostics(
    articles: list[Article], line_ends: Mapping[int, int]
) -> Iterator[Diagnostic]:
    """第N条 in sequence: the first is 第1条, none repeats, each follows the one before it."""
    previous: str | None = None
    seen: set[str] = set()
    for article in articles:
        number = article.number
        start = article.span.start
        found = _article_number(number, previous, seen)
        if found is not None:
            code, message = found
            # A repeated number's path is 'art:4#2'; the finding names the number as written.
            path = article.path.partition("#")[0]
            yield warning(code, message, path, start, line_ends[start])
        seen.add(number)
        previous = number


def _article_number(number: str, previous: str | None, seen: set[str]) -> tuple[str, str] | None:
    if previous is None:
        if number != "1":
            return "numbering.article", f"the first article is 第{number}条, not 第1条"
        return None
    if number in seen:
        return "numbering.article.repeat", f"第{number}条 appears twice"
    if number not in successors(previous):
        return (
            "numbering.article.gap",
            f"第{kanji_free(number)}条 follows 第{kanji_free(previous)}条",
        )
    return None


def successors(number: str) -> list[str]:
    """The article numbers that may follow `number`: the next article or the next branch
    ('4' → '5' or '4-2'; '4-2' → '5' or '4-3')."""
    main, _, branch = number.partition("-")
    return [str(int(main) + 1), f"{main}-{int(branch) + 1 if branch else 2}"]


def _chapter_diagnostics(
    chapters: list[Chapter], line_ends: Mapping[int, int]
) -> Iterator[Diagnostic]:
    """章 in sequence (第3章の2 after 第3章), and 節 within each chapter from 第1節."""
    for previous, chapter in pairwise(chapters):
        expected = previous.number + (0 if chapter.branch else 1)
        if chapter.number != expected:
            start = chapter.span.start
            message = f"{chapter.label} follows {previous.label}"
            yield warning("numbering.chapter", message, chapter.path, start, line_ends[start])
    for chapter in chapters:
        last = 0
        for section in chapter.sections:
            if section.number != last + 1:
                start = section.span.start
                message = f"第{section.number}節 follows 第{last}節 in {chapter.label}"
                yield warning("numbering.section", message, section.path, start, line_ends[start])
            last = section.number


def paragraph_sequence(
    label: str, ordinal: int, previous: int, path: str, line: Line
) -> Diagnostic | None:
    """A paragraph marker after paragraph `previous`: it should number the next one."""
    if ordinal == previous + 1:
        return None
    message = f"paragraph {label} follows paragraph {previous}"
    return warning("numbering.paragraph", message, path, line.start, line.end)


def list_start(style: str, label: str, ordinal: int, path: str, line: Line) -> Diagnostic | None:
    """The first marker of a new list: it should be its 1 (or 0 for a marker list; an outline
    '1.0' is no start)."""
    if ordinal == 1 or (ordinal == 0 and style != "outline"):
        return None
    message = f"a list of {style} items starts at {label!r}, not at 1"
    return warning("numbering.item.start", message, path, line.start, line.end)


def item_sequence(
    marker: Marker, last: int, *, restart_ok: bool, path: str, line: Line
) -> Diagnostic | None:
    """An item continuing a list whose last ordinal was `last`: the next number, or a restart
    at 1 where a caption allows one; bullets carry no number."""
    if marker.style == "bullet" or marker.ordinal == last + 1:
        return None
    if marker.ordinal == 1 and restart_ok:
        return None
    kind = "repeat" if marker.ordinal <= last else "gap"
    message = f"item {marker.label!r} follows item number {last}"
    return warning(f"numbering.item.{kind}", message, path, line.start, line.end)


def appendix_repeat(number: str, path: str, start: int, end: int) -> Diagnostic:
    """別表 with a number an earlier 別表 has (the segmenter gives the second the next number)."""
    return warning("numbering.appendix", f"別表 {number} appears twice", path, start, end)


def paragraph_diagnostics(articles: list[Article]) -> list[Diagnostic]:
    """Paragraph numbers must run 1, 2, 3… within each article (the first slip per article)."""
    found = []
    for article in articles:
        for expected, paragraph in enumerate(article.paragraphs, start=1):
            if paragraph.number != expected:
                message = (
                    f"第{kanji_free(article.number)}条: paragraph {paragraph.number}"
                    f" where {expected} was expected"
                )
                found.append(
                    Diagnostic(
                        code="numbering.paragraph",
                        severity="warning",
                        message=message,
                        path=paragraph.path,
                        span=paragraph.span,
                    )
                )
                break
    return found


# --------------------------------------------------------------------------------------------
# The whole tree, counted from 1 (what the rules stage adds to the segmenter's diagnostics)
# --------------------------------------------------------------------------------------------


def _article_key(number: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", number)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def _check_article_numbering(document: Document) -> Iterator[tuple[str, str, Node]]:
    previous: tuple[int, int] | None = None
    for article in document.articles:
        key = _article_key(article.number)
        if key is None:
            yield "numbering.article", f"unreadable article number {article.number!r}", article
            continue
        if previous is None:
            expected = [(1, 0)]
        else:
            expected = [(previous[0] + 1, 0), (previous[0], max(previous[1], 1) + 1)]
        if key not in expected:
            want = " or ".join(article_label(f"{a}-{b}" if b else str(a)) for a, b in expected)
            got = article_label(article.number)
            yield "numbering.article", f"{got} where {want} was expected", article
        previous = key


def _check_sequence(
    nodes: Iterable[tuple[int, Node]], what: str, code: str
) -> Iterator[tuple[str, str, Node]]:
    expected = 1
    for number, node in nodes:
        if number != expected:
            yield code, f"{what} {number} where {expected} was expected", node
        expected = number + 1


def _check_item_numbering(items: list[Item], parent: str) -> Iterator[tuple[str, str, Node]]:
    numbered = [(i.ordinal, i) for i in items if i.label != "・"]
    yield from _check_sequence(numbered, f"item under {parent}", "numbering.item")
    for item in items:
        yield from _check_item_numbering(item.items, item.path)


def consecutive_numbering(document: Document) -> list[Diagnostic]:
    """Every article, paragraph and item list of the document counted from 1, each finding at
    the node itself: what the rules stage adds to the segmenter's diagnostics."""
    found: list[Diagnostic] = []
    for code, message, node in _check_article_numbering(document):
        found.append(_at_node(code, message, node, node.text_span.start))
    for article in document.articles:
        paras = [(p.number, p) for p in article.paragraphs]
        for code, message, node in _check_sequence(paras, "paragraph", "numbering.paragraph"):
            found.append(_at_node(code, f"{article.path}: {message}", node, node.span.start))
    for article in document.articles:
        for para in article.paragraphs:
            for code, message, node in _check_item_numbering(para.items, para.path):
                found.append(_at_node(code, message, node, node.text_span.start))
    return found


def _at_node(code: str, message: str, node: Node, end: int) -> Diagnostic:
    """A finding at the start of a node, up to `end` (its marker's end, for an item)."""
    start = node.span.start
    return warning(code, message, node.path, start, max(start, end))
