"""The structure grammar of Japanese terms: headings (章, 節, 条, 附則) and numbering markers.

Every form is a small regular expression over one line of *normalized* text (half-width digits
and brackets), tolerant of full-width input too. `normalize` uses it to decide which line breaks
are structural; `segment` uses it to build the tree. The literal examples for every rule are in
tests/cases/structure_forms.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from extractors.numerals import (
    AIUEO,
    CIRCLED,
    IROHA,
    KANJI_NUMERAL_CHARS,
    NUMERAL_PATTERN,
    circled_value,
    parse_number,
)

NUM = NUMERAL_PATTERN
KANJI_NUM = f"[{KANJI_NUMERAL_CHARS}]+"
OPEN = "(（"
CLOSE = ")）"

MAX_TITLE_CHARS = 40
"""A heading's title (見出し) is short; longer text after the number is the article's body."""

_ARTICLE = re.compile(
    rf"^\s*第\s*(?P<num>{NUM})\s*条(?:\s*の\s*(?P<branch>{NUM}))?(?P<rest>.*)$", re.DOTALL
)
_CHAPTER = re.compile(rf"^\s*第\s*(?P<num>{NUM})\s*章(?P<rest>.*)$", re.DOTALL)
_SECTION = re.compile(rf"^\s*第\s*(?P<num>{NUM})\s*節(?P<rest>.*)$", re.DOTALL)
_SUPPLEMENTARY = re.compile(r"^\s*(?P<title>[附付]\s*則)\s*(?:[(（][^)）]*[)）])?\s*$")
_END = re.compile(
    r"^\s*(?:以上|以下余白|\d{4}年\d{1,2}月\d{1,2}日\s*(?:改定|改訂|制定|施行|実施|発効))\s*$"
)
"""The end of the body: 以上, 以下余白, or a dated trailer ('2023年04月17日 制定')."""
_BRACKET_TITLE = re.compile(
    rf"^\s*[{OPEN}](?P<title>[^{OPEN}{CLOSE}]{{1,{MAX_TITLE_CHARS}}})[{CLOSE}]"
)
_GLUED_SECTION = re.compile(rf"(?<=\S)(?=第\s*(?:{NUM})\s*節)")
_GLUED_ARTICLE = re.compile(
    rf"(?<=。)\s*(?=第\s*(?:{NUM})\s*条(?:の(?:{NUM}))?\s+[^。、]{{1,{MAX_TITLE_CHARS}}}$)"
)

HeadingKind = Literal["chapter", "section", "article", "supplementary", "end"]


@dataclass(frozen=True)
class Heading:
    """A heading line: 第3章 利用契約, 第1節 通則, 第13条(利用の停止), 附則, 以上."""

    kind: HeadingKind
    number: str | None = None
    title: str | None = None
    body_start: int | None = None
    """Offset in the line where the article's first paragraph starts on the same line."""
    deleted: bool = False


def _article_number(match: re.Match[str]) -> str:
    number = str(parse_number(match["num"]))
    if match["branch"]:
        number += f"-{parse_number(match['branch'])}"
    return number


def match_heading(line: str) -> Heading | None:
    """Classify a line as a heading, or None when it is not one.

    An article heading is '第N条' (or '第N条のM') followed by nothing, by a bracketed title, by a
    space and a short title without 。, by 削除, or by a space and the first paragraph's body.
    '第4条(…)、第7条…' — a reference that happens to start a line — is not a heading.
    """
    if _END.match(line):
        return Heading("end")
    if m := _SUPPLEMENTARY.match(line):
        return Heading("supplementary", title=re.sub(r"\s", "", m["title"]))
    if m := _CHAPTER.match(line):
        return Heading("chapter", str(parse_number(m["num"])), _plain_title(m["rest"]))
    if m := _SECTION.match(line):
        return Heading("section", str(parse_number(m["num"])), _plain_title(m["rest"]))
    if m := _ARTICLE.match(line):
        return _article_heading(m)
    return None


def _plain_title(rest: str) -> str | None:
    title = rest.strip().strip("　")
    bracket = _BRACKET_TITLE.match(title)
    if bracket and bracket.end() == len(title):
        title = bracket["title"]
    return title or None


def _article_heading(m: re.Match[str]) -> Heading | None:
    number = _article_number(m)
    rest = m["rest"]
    rest_start = m.start("rest")
    stripped = rest.strip()
    if not stripped:
        return Heading("article", number)
    if stripped == "削除":
        return Heading("article", number, deleted=True)
    bracket = _BRACKET_TITLE.match(rest)
    if bracket:
        after = rest[bracket.end() :]
        if not after.strip():
            return Heading("article", number, bracket["title"].strip())
        if after[0].isspace():
            body = rest_start + bracket.end() + (len(after) - len(after.lstrip()))
            return Heading("article", number, bracket["title"].strip(), body_start=body)
        return None
    if not rest[0].isspace():
        # '第13条に定める…', '第13条第2項…': a reference, not a heading.
        return None
    body = rest_start + (len(rest) - len(rest.lstrip()))
    if len(stripped) <= MAX_TITLE_CHARS and _reads_as_title(stripped):
        return Heading("article", number, stripped)
    return Heading("article", number, body_start=body)


MAX_LISTING_TITLE_CHARS = 20
"""A title may list nouns with 、 ('コンテンツの非表示、削除') only when it is this short."""


def _reads_as_title(text: str) -> bool:
    """No sentence end, and any 、 parts nouns rather than ending a clause ('…は、')."""
    if "。" in text:
        return False
    if "、" not in text:
        return True
    before_commas = [text[i - 1] if i else "" for i, ch in enumerate(text) if ch == "、"]
    return len(text) <= MAX_LISTING_TITLE_CHARS and all(
        prev and not ("\u3040" <= prev <= "\u309f") for prev in before_commas
    )


def standalone_title(line: str) -> str | None:
    """A line that is only a bracketed title, like '(目的)' before '第1条 本文…'."""
    m = _BRACKET_TITLE.match(line)
    if m and not line[m.end() :].strip():
        return m["title"].strip()
    return None


def glued_heading_splits(line: str) -> list[int]:
    """Offsets inside a line where a heading glued to the previous text starts.

    NAS writes '第3章 利用契約第1節 通則' on one line, and once '…準用します。第8条 権利の譲渡…'.
    """
    splits: list[int] = []
    if _CHAPTER.match(line):
        splits += [m.start() for m in _GLUED_SECTION.finditer(line)]
    splits += [m.end() for m in _GLUED_ARTICLE.finditer(line) if m.end() > 0]
    return sorted(set(splits))


# --------------------------------------------------------------------------------------------
# Numbering markers: 2. / (1) / 一 / ① / ア / (ア) / ・
# --------------------------------------------------------------------------------------------

MarkerStyle = Literal[
    "digit-dot",  # 2.  ２．  2 (digit then space): paragraphs, or items in some documents
    "paren-digit",  # (1) （１）
    "digit-paren",  # 1)
    "paren-kanji",  # (一)
    "kanji",  # 一 (followed by a space)
    "circled",  # ①
    "katakana",  # ア (followed by a space or a dot)
    "paren-katakana",  # (ア)
    "iroha",  # イ ロ ハ
    "bullet",  # ・ ● * -
]

PARAGRAPH_STYLES: frozenset[str] = frozenset({"digit-dot"})
"""Styles that can number paragraphs (項); all others number items (号)."""

_KANA = f"[{AIUEO}]"
_MARKERS: list[tuple[MarkerStyle, re.Pattern[str]]] = [
    ("paren-digit", re.compile(r"^[(（](?P<n>[0-9０-９]{1,3})[)）](?!\s*号)\s*")),
    ("paren-kanji", re.compile(rf"^[(（](?P<n>{KANJI_NUM})[)）](?!\s*号)\s*")),
    ("paren-katakana", re.compile(rf"^[(（](?P<n>{_KANA})[)）]\s*")),
    ("circled", re.compile(rf"^(?P<n>[{CIRCLED}])\s*")),
    ("digit-paren", re.compile(r"^(?P<n>[0-9０-９]{1,3})[)）]\s*")),
    ("digit-dot", re.compile(r"^(?P<n>[0-9０-９]{1,3})(?:[.．](?![0-9０-９])\s*|[ 　]+)(?=\S)")),
    ("kanji", re.compile(rf"^(?P<n>{KANJI_NUM})[ 　]+(?=\S)")),
    ("katakana", re.compile(rf"^(?P<n>{_KANA})(?:[ 　]+|[.．)）]\s*)(?=\S)")),
    ("bullet", re.compile(r"^(?P<n>[・●○■◆]|[*\-](?=[ 　]))\s*(?=\S)")),
]


@dataclass(frozen=True)
class Marker:
    """A numbering marker at the start of a line."""

    style: MarkerStyle
    label: str
    """ASCII-normalized label without brackets: '1', 'ア', '①', '・'."""
    ordinal: int
    """The number the label stands for; bullets count 0 (they are not numbered)."""
    end: int
    """Offset in the line where the marker (and the space after it) ends."""
    marker: str
    """The marker as written, without trailing space."""


def match_marker(line: str) -> Marker | None:
    """The numbering marker a line starts with, or None."""
    for style, pattern in _MARKERS:
        m = pattern.match(line)
        if not m:
            continue
        raw = m["n"]
        written = line[: m.end()].rstrip(" 　")
        if style == "bullet":
            return Marker(style, raw, 0, m.end(), written)
        if style == "circled":
            return Marker(style, raw, circled_value(raw), m.end(), written)
        if style in ("katakana", "paren-katakana"):
            return Marker(style, raw, AIUEO.index(raw) + 1, m.end(), written)
        value = parse_number(raw)
        if value == 0:
            return None
        return Marker(style, str(value), value, m.end(), written)
    return None


def iroha_variant(marker: Marker) -> Marker | None:
    """The same katakana marker read in イロハ order, where イ starts a list."""
    if marker.style != "katakana" or marker.label not in IROHA:
        return None
    return Marker("iroha", marker.label, IROHA.index(marker.label) + 1, marker.end, marker.marker)


MAX_SKIP = 2
"""How many numbers a marker may skip after a finished sentence and still count as a marker."""


@dataclass
class NumberingState:
    """What numbering has been seen so far in the current article, to judge a marker plausible.

    A marker starts a block when it continues a list already open (next number in its style),
    or when it starts a new list at 1. Anything else at the start of a line is running text that
    a layout break happened to put there (e.g. a page column starting with '(3)号').
    """

    paragraph: int = 1
    open_lists: dict[str, int] = field(default_factory=dict)

    def reset(self) -> None:
        """Start a new article."""
        self.paragraph = 1
        self.open_lists.clear()

    def accept(self, marker: Marker, *, after_sentence: bool = False) -> bool:
        """True when the marker is plausible here; records it if so.

        After a finished sentence (the previous line ends with 。) a number that skips up to
        `MAX_SKIP` is still a marker: the document has a numbering gap, which the segmenter
        reports, rather than a number that a layout break put at the start of a line.
        """
        if marker.style == "bullet":
            return True
        slack = 1 + (MAX_SKIP if after_sentence else 0)
        last = self.open_lists.get(marker.style)
        if last is not None and last < marker.ordinal <= last + slack:
            self.open_lists[marker.style] = marker.ordinal
            return True
        if (
            marker.style in PARAGRAPH_STYLES
            and self.paragraph < marker.ordinal <= self.paragraph + slack
        ):
            self.paragraph = marker.ordinal
            self.open_lists.clear()
            return True
        if marker.ordinal == 1:
            self.open_lists[marker.style] = 1
            return True
        if marker.style == "katakana":
            variant = iroha_variant(marker)
            if variant and self.open_lists.get("iroha", 0) + 1 == variant.ordinal:
                self.open_lists["iroha"] = variant.ordinal
                return True
        return False
