"""Numbering: whether 章, 節, 条, 項 and 号 are numbered in sequence, the one home of that check.

The segmenter reports what it notices while it reads the markers (a list starting at '(3)', an
item repeating a number) and what the built tree shows (a gap between articles, a chapter out
of order); both are `numbering.*` diagnostics of the Document. `consecutive_numbering` is the
stricter check of the whole tree that the rules stage adds to them: every article, paragraph and
item list counted from 1, each finding at the node itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pipeline.models import Article, Diagnostic, Document, Item, Node, Span


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


def article_number(
    number: str, previous: str | None, seen: set[str], path: str, start: int, end: int
) -> Diagnostic | None:
    """第N条 after 第{previous}条: the first must be 第1条, none repeats, none skips one."""
    if previous is None:
        if number != "1":
            return warning(
                "numbering.article",
                f"the first article is 第{number}条, not 第1条",
                path,
                start,
                end,
            )
        return None
    if number in seen:
        return warning("numbering.article.repeat", f"第{number}条 appears twice", path, start, end)
    main, _, branch = previous.partition("-")
    expected = {str(int(main) + 1)}
    expected.add(f"{main}-{int(branch) + 1 if branch else 2}")
    if number not in expected:
        return warning(
            "numbering.article.gap",
            f"第{kanji_free(number)}条 follows 第{kanji_free(previous)}条",
            path,
            start,
            end,
        )
    return None


def item_sequence(
    label: str,
    ordinal: int,
    last: int,
    *,
    bullet: bool,
    restart_ok: bool,
    path: str,
    start: int,
    end: int,
) -> Diagnostic | None:
    """An item continuing a list whose last ordinal was `last`: the next number, or a restart
    at 1 where a caption allows one; bullets carry no number."""
    if bullet or ordinal == last + 1:
        return None
    if ordinal == 1 and restart_ok:
        return None
    kind = "repeat" if ordinal <= last else "gap"
    return warning(
        f"numbering.item.{kind}", f"item {label!r} follows item number {last}", path, start, end
    )


def paragraph_diagnostics(articles: list[Article]) -> list[Diagnostic]:
    """Paragraph numbers must run 1, 2, 3… within each article."""
    found = []
    for article in articles:
        for expected, paragraph in enumerate(article.paragraphs, start=1):
            if paragraph.number != expected:
                found.append(
                    Diagnostic(
                        code="numbering.paragraph",
                        severity="warning",
                        message=(
                            f"第{kanji_free(article.number)}条: paragraph {paragraph.number}"
                            f" where {expected} was expected"
                        ),
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


def _article_label(number: str) -> str:
    base, _, branch = number.partition("-")
    return f"第{base}条" + (f"の{branch}" if branch else "")


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
            want = " or ".join(_article_label(f"{a}-{b}" if b else str(a)) for a, b in expected)
            got = _article_label(article.number)
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


def consecutive_numbering(
    document: Document, rule: str
) -> Iterator[tuple[str, str, str | None, int, int]]:
    """The whole-tree numbering check for one structural rule: (code, message, path, start, end)."""
    if rule == "numbering.articles":
        for code, message, node in _check_article_numbering(document):
            yield code, message, node.path, node.span.start, node.text_span.start
    elif rule == "numbering.paragraphs":
        for article in document.articles:
            paras = [(p.number, p) for p in article.paragraphs]
            for code, message, node in _check_sequence(paras, "paragraph", "numbering.paragraph"):
                yield (
                    code,
                    f"{article.path}: {message}",
                    node.path,
                    node.span.start,
                    node.span.start,
                )
    elif rule == "numbering.items":
        for article in document.articles:
            for para in article.paragraphs:
                for code, message, node in _check_item_numbering(para.items, para.path):
                    yield code, message, node.path, node.span.start, node.text_span.start
