"""A provision's text as the diff reads it: tokens, lines and sentences.

Japanese has no word spaces, so the diff compares characters, keyed in NFKC (width is no
change), with spaces and typesetting left out. An explicit article reference (第13条) is one
token keyed by the article it points to after alignment, so a reference renumbered along with
its target is no change; a number is one token (14.6 → 14.5 is one replacement).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from pipeline.diff.typesetting import decoration, plain
from pipeline.models import Span
from pipeline.text.numerals import NUMERAL_PATTERN, parse_number


@dataclass(frozen=True)
class Token:
    """One diff token: what it compares by (`key`) and where it stands in the document text."""

    key: Hashable
    start: int
    end: int


_ARTICLE_REF = re.compile(
    rf"第\s*(?P<num>{NUMERAL_PATTERN})\s*条(?:\s*の\s*(?P<branch>{NUMERAL_PATTERN}))?"
)
_NUMBER = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*(?P<dot>[.．](?![0-9０-９]))?")
"""A number is one token: 14.6 → 14.5 is one replacement, not a changed last digit. A dot
right after it is notation of the number (14.に定める as 14に定める), not a word."""
_EXTERNAL_BEFORE = re.compile(r"(?:」|(?<!本)(?:規約|規程|規定|約款|法|令))\s*$")
"""Text right before 第N条 that makes it a reference into another document (利用規約第8条)."""


def _ref_number(match: re.Match[str]) -> str | None:
    try:
        number = str(parse_number(match.group("num")))
        if match.group("branch"):
            number += f"-{parse_number(match.group('branch'))}"
    except ValueError:
        return None
    return number


def tokens_of(text: str, span: Span, ref_key: Callable[[str], Hashable]) -> list[Token]:
    """The words of `text[span]` as diff tokens: one per character, keyed in NFKC so width is
    no change, with spaces and typesetting (see `decoration`) left out; an article reference
    or a number is one token.

    An explicit 第N条 is keyed by `ref_key(number)`, so that it compares by the article it
    points to; one into another document (利用規約第8条) by its words.
    """
    own = text[span.start : span.end]
    taken = [False] * len(own)
    refs: dict[int, tuple[int, Hashable]] = {}
    for lo, hi in decoration(own):
        taken[lo:hi] = [True] * (hi - lo)
    skipped = set(i for i, t in enumerate(taken) if t)

    def claim(lo: int, hi: int, key: Hashable) -> None:
        if lo < hi and not any(taken[lo:hi]):
            taken[lo:hi] = [True] * (hi - lo)
            refs[span.start + lo] = (span.start + hi, key)

    for match in _ARTICLE_REF.finditer(own):
        number = _ref_number(match)
        if number is None:
            continue
        external = _EXTERNAL_BEFORE.search(own[: match.start()]) is not None
        key: Hashable = ("ext", plain(match.group())) if external else ("ref", ref_key(number))
        claim(match.start(), match.end(), key)
    for match in _NUMBER.finditer(own):
        number = match.group()[: len(match.group()) - len(match.group("dot") or "")]
        claim(match.start(), match.end(), unicodedata.normalize("NFKC", number))
    tokens: list[Token] = []
    pos = span.start
    while pos < span.end:
        if pos in refs:
            end, key = refs[pos]
            tokens.append(Token(key, pos, end))
            pos = end
            continue
        if pos - span.start not in skipped and not text[pos].isspace():
            tokens.append(Token(unicodedata.normalize("NFKC", text[pos]), pos, pos + 1))
        pos += 1
    return tokens


SENTENCE_END = "。\n"


def sentence_ids(tokens: list[Token], text: str) -> list[int]:
    """For each token, the number of the sentence it stands in (cut after 。 and at line ends)."""
    ids, current = [], 0
    for k, token in enumerate(tokens):
        if k and (
            text[tokens[k - 1].start] in SENTENCE_END
            or "\n" in text[tokens[k - 1].end : token.start]
        ):
            current += 1
        ids.append(current)
    return ids


def line_ranges(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Token ranges of the lines of a text (lines left after wrapped lines were joined)."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(tokens) + 1):
        if k == len(tokens) or "\n" in text[tokens[k - 1].end : tokens[k].start]:
            ranges.append((start, k))
            start = k
    return ranges
