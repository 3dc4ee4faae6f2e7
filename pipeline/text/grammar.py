"""The structure grammar of Japanese terms: headings (章, 節, 条, 附則) and numbering markers.

Every form is a small regular expression over one line of *normalized* text (half-width digits
and brackets), tolerant of full-width input too. `normalize` uses it to decide which line breaks
are structural; `segment` uses it to build the tree. The literal examples of the forms are the
tables in tests/test_segment.py (FORMS, ITEM_FORMS) and tests/test_segment_layouts.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from pipeline.models import NumberingStyle
from pipeline.text.numerals import (
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
_CHAPTER = re.compile(
    rf"^\s*第\s*(?P<num>{NUM})\s*章(?:\s*の\s*(?P<branch>{NUM}))?(?P<rest>.*)$", re.DOTALL
)
_SECTION = re.compile(rf"^\s*第\s*(?P<num>{NUM})\s*節(?P<rest>.*)$", re.DOTALL)
_SUPPLEMENTARY = re.compile(
    r"^\s*[<＜〈【\[［]?\s*(?P<title>[附付]\s*則)\s*(?:抄)?\s*[>＞〉】\]］]?\s*"
    r"(?:[(（][^)）]*[)）])?\s*(?:抄)?\s*$"
)
"""附則, 附　則　抄, 附則（2024年4月1日）, 付則, <付則>, 【附則】."""
_DATE = r"(?:\d{4}|(?:令和|平成|昭和)\s*(?:\d{1,2}|元))\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_DATE_WORD = r"(?:改定|改訂|改正|制定|施行|実施|発効|更新|最終更新|最終改定|最終改訂|作成)"
_END = re.compile(
    rf"^\s*(?:以上|以下余白|[【\[(（]?{_DATE}\s*(?:{_DATE_WORD}|版)[】\])）]?"
    rf"|[【\[(（]?{_DATE_WORD}日?[】\])）]?\s*[:：]?\s*{_DATE}\s*{_DATE_WORD}?[】\])）]?)\s*$"
)
"""The end of the body: 以上, 以下余白, a dated trailer ('2023年04月17日 制定', '最終更新日：…')."""
_DECORATION = re.compile(r"^\s*[■□◆◇▲△▼▽★☆◎]\s*(?=第|[附付]\s*則|別\s*[表紙])")
_APPENDIX = re.compile(
    rf"^\s*[【\[［]?\s*別\s*[表紙]\s*(?:第?\s*(?P<num>{NUM}))?\s*[】\]］]?(?P<rest>.*)$", re.DOTALL
)
TITLE_OPEN = OPEN + "\\[［【"
TITLE_CLOSE = CLOSE + "\\]］】"
_BRACKET_TITLE = re.compile(
    rf"^\s*[{TITLE_OPEN}](?P<title>[^{TITLE_OPEN}{TITLE_CLOSE}]{{1,{MAX_TITLE_CHARS}}})"
    rf"[{TITLE_CLOSE}]"
)
"""A bracketed title: (目的), （目的）, [目的], ［目的］, 【目的】."""
_GLUED_SECTION = re.compile(rf"(?<=\S)(?=第\s*(?:{NUM})\s*節)")
_GLUED_ARTICLE = re.compile(
    rf"(?<=。)\s*(?=第\s*(?:{NUM})\s*条(?:の(?:{NUM}))?\s+[^。、]{{1,{MAX_TITLE_CHARS}}}$)"
)

HeadingKind = Literal["chapter", "section", "article", "supplementary", "appendix", "end"]


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
    if (decoration := _DECORATION.match(line)) is not None:
        # '■第1章 総則': a mark the layout sets before a heading.
        inner = match_heading(line[decoration.end() :])
        if inner is None or inner.kind == "end":
            return None
        if inner.body_start is not None:
            return replace(inner, body_start=inner.body_start + decoration.end())
        return inner
    if _END.match(line):
        return Heading("end")
    if m := _SUPPLEMENTARY.match(line):
        return Heading("supplementary", title=re.sub(r"\s", "", m["title"]))
    if (m := _CHAPTER.match(line)) and not _runs_on(m["rest"]):
        number = str(parse_number(m["num"]))
        if m["branch"]:
            number += f"-{parse_number(m['branch'])}"  # 第3章の2 → '3-2', as articles are
        return Heading("chapter", number, _plain_title(m["rest"]))
    if (m := _SECTION.match(line)) and not _runs_on(m["rest"]):
        return Heading("section", str(parse_number(m["num"])), _plain_title(m["rest"]))
    if m := _ARTICLE.match(line):
        return _article_heading(m)
    if m := _APPENDIX.match(line):
        return _appendix_heading(m)
    return None


def _appendix_heading(m: re.Match[str]) -> Heading | None:
    """'別表第二', '別表第1（第10条関係）', '【別表】 料金表', '別紙'; not '別表第一に記す…'."""
    rest = m["rest"].strip()
    number = str(parse_number(m["num"])) if m["num"] else "1"
    if not rest:
        return Heading("appendix", number)
    if not ("\u3040" <= rest[0] <= "\u309f"):
        title = _plain_title(rest)
        if (
            title is not None
            and len(title) <= MAX_TITLE_CHARS
            and "。" not in title
            and not ("\u3040" <= title[-1] <= "\u309f")
        ):
            return Heading("appendix", number, title)
    return None


def _unbracketed(title: str) -> str:
    """'(本利用契約の成立(ユーザー会員の入会))' → the title inside its outer brackets."""
    if len(title) < 2 or title[0] not in TITLE_OPEN or title[-1] not in TITLE_CLOSE:
        return title
    depth = 0
    for position, ch in enumerate(title):
        depth += (ch in TITLE_OPEN) - (ch in TITLE_CLOSE)
        if depth == 0 and position < len(title) - 1:
            return title  # '(a)(b)': the first bracket closes before the end
    return title[1:-1].strip()


def _runs_on(rest: str) -> bool:
    """'第2章から前章まで…', '第2章の規定は…': a sentence citing a chapter, not its heading.

    A title stands apart from its number or starts with a noun ('第1章総則'); a particle or a
    comma glued to the number continues a sentence ('第1章 はじめに' is still a heading).
    """
    return bool(rest) and ("\u3041" <= rest[0] <= "\u309f" or rest[0] in "、。,.")


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
        return Heading("article", number, _unbracketed(stripped))
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


_CAPTION = re.compile(
    r"^\s*[〔【\[［<＜《][^〔〕【】\[\]［］<>＜＞《》。]{1,30}[〕】\]］>＞》]\s*$"
)


_NOTE_LABEL = re.compile(
    r"^\s*(?:備考|注記|注)\s*(?=[(（][0-9０-９一二三四五六七八九十]{1,3}[)）])"
)


def note_label_end(line: str) -> int:
    """Where a list labelled '備考' starts: '備考 (一) 取消料の…' → the offset of '(一)'; else 0."""
    m = _NOTE_LABEL.match(line)
    return m.end() if m else 0


def is_caption(line: str) -> bool:
    """A caption standing alone on its line inside a provision: '〔旅行開始後〕', '【料金表】'."""
    return _CAPTION.match(line) is not None


def standalone_title(line: str) -> str | None:
    """A line that is only a bracketed title, like '(目的)' before '第1条 本文…'."""
    m = _BRACKET_TITLE.match(line)
    if m and not line[m.end() :].strip():
        return m["title"].strip()
    return None


_TITLE_CUT_OPEN = re.compile(rf"^\s*[^{TITLE_OPEN}{TITLE_CLOSE}\s。、]{{1,20}}[{CLOSE}]\s*$")


def title_without_open(line: str) -> bool:
    """'苦情の申出）' alone on a line: a bracketed title whose '（' the PDF's text lost."""
    return _TITLE_CUT_OPEN.match(line) is not None


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
    "decimal",  # 1.1.2 (a decimal outline's items)
    "digit-glued",  # ２当社は… (a paragraph number glued to its text, only after a sentence)
    "digit-kou",  # 1項. / 第2項 (a paragraph named as such)
]

PARAGRAPH_STYLES: frozenset[str] = frozenset({"digit-dot", "digit-kou"})
"""Styles that can number paragraphs (項); all others number items (号)."""

_KANA = f"[{AIUEO}]"
PARENTHESIZED = "".join(chr(c) for c in range(0x2474, 0x2488))
"""⑴ to ⒇: one character each, the same style as (1) to (20)."""
_NOT_AFTER_GLUED = (
    r"0-9０-９.．,，:：/／)）\-‐~〜%％年月日時分秒歳条項号章節ヶヵケか箇個人名回件倍万千百円"
    r"割階週度番枚台社者a-zA-Zａ-ｚＡ-Ｚ"
)
"""A digit glued to these is a quantity or a citation ('２項に', '15万円'), never a paragraph."""
_MARKERS: list[tuple[MarkerStyle, re.Pattern[str]]] = [
    ("paren-digit", re.compile(r"^[(（](?P<n>[0-9０-９]{1,3})[)）](?!\s*号)\s*")),
    ("paren-digit", re.compile(rf"^(?P<n>[{PARENTHESIZED}])(?!\s*号)\s*")),
    ("paren-kanji", re.compile(rf"^[(（](?P<n>{KANJI_NUM})[)）](?!\s*号)\s*")),
    ("paren-katakana", re.compile(rf"^[(（](?P<n>{_KANA})[)）]\s*")),
    ("circled", re.compile(rf"^(?P<n>[{CIRCLED}])\s*")),
    ("digit-paren", re.compile(r"^(?P<n>[0-9０-９]{1,3})[)）]\s*")),
    ("digit-dot", re.compile(r"^(?P<n>[0-9０-９]{1,3})(?:[.．](?![0-9０-９])\s*|[ 　]+)(?=\S)")),
    ("kanji", re.compile(rf"^(?P<n>{KANJI_NUM})[ 　]+(?=\S)")),
    ("katakana", re.compile(rf"^(?P<n>{_KANA})(?:[ 　]+|[.．)）]\s*)(?=\S)")),
    ("bullet", re.compile(r"^(?P<n>[・●○■◆]|[*\-](?=[ 　]))\s*(?=\S)")),
    ("digit-kou", re.compile(r"^第?\s*(?P<n>[0-9０-９]{1,2})\s*項(?:\s*[.．:：]\s*|[ 　]+)(?=\S)")),
    ("digit-glued", re.compile(rf"^(?P<n>[0-9０-９]{{1,2}})(?=[^\s{_NOT_AFTER_GLUED}])")),
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
        value = PARENTHESIZED.index(raw) + 1 if raw in PARENTHESIZED else parse_number(raw)
        if value == 0:
            return None
        return Marker(style, str(value), value, m.end(), written)
    return None


def iroha_variant(marker: Marker) -> Marker | None:
    """The same katakana marker read in イロハ order, where イ starts a list."""
    if marker.style != "katakana" or marker.label not in IROHA:
        return None
    return Marker("iroha", marker.label, IROHA.index(marker.label) + 1, marker.end, marker.marker)


REPEATABLE_STYLES = frozenset({"paren-digit", "paren-kanji", "circled"})
"""Bracketed and circled markers: after a sentence, even a repeated number opens a block."""

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

    def accept(self, marker: Marker, *, after_sentence: bool = False, rest: str = "") -> bool:
        """True when the marker is plausible here; records it if so.

        After a finished sentence (the previous line ends with 。) a number that skips up to
        `MAX_SKIP` is still a marker: the document has a numbering gap, which the segmenter
        reports, rather than a number that a layout break put at the start of a line.
        """
        if marker.style == "bullet":
            return True
        if marker.style == "digit-glued":
            # '２当社は…' opens a paragraph only as the next one, right after a sentence ends.
            if (after_sentence or self.open_lists) and marker.ordinal == self.paragraph + 1:
                self.paragraph = marker.ordinal
                self.open_lists.clear()
                return True
            return False
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
        if (
            after_sentence
            and last is not None
            and marker.ordinal <= last
            and marker.style in REPEATABLE_STYLES
            and rest.strip()
            and not starts_with_particle(rest)
        ):
            # '…ものとします。' then '(3)通信契約を…' after (4): the document numbers twice;
            # the segmenter reports it. '(3)の規定により' would continue a citation instead.
            self.open_lists[marker.style] = marker.ordinal
            return True
        if marker.style == "katakana":
            variant = iroha_variant(marker)
            if variant and self.open_lists.get("iroha", 0) + 1 == variant.ordinal:
                self.open_lists["iroha"] = variant.ordinal
                return True
        return False


# --------------------------------------------------------------------------------------------
# Documents without 第N条: numbered sections, decimal outlines and Markdown headings
# --------------------------------------------------------------------------------------------

_OUTLINE = re.compile(
    r"^\s*(?P<num>\d{1,3}(?:[.．]\d{1,3})*)"
    r"(?:(?P<dot>[.．](?!\d))\s*|\s+|$)"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
_SECTION_HEAD = re.compile(r"^\s*(?P<num>\d{1,3})(?:[.．](?!\d)\s*|[)）]\s*|[ 　]+)(?P<rest>\S.*)$")

MIN_OUTLINE_LINES = 3
"""A decimal outline has at least this many '1.1' lines before the document is read as one."""
MIN_HEADED_UNITS = 2
"""Numbered sections or Markdown headings need this many units to stand for articles."""


@dataclass(frozen=True)
class OutlineNumber:
    """A decimal outline number opening a line: '1.2.3' → (1, 2, 3)."""

    parts: tuple[int, ...]
    end: int
    """Offset in the line where the number (and its dot and space) ends."""
    rest: str
    written: str
    """The number as dotted digits without a trailing dot: '1.2.3'."""
    dotted: bool = False
    """A dot follows the number ('1.2.3.' or '１. ')."""


def match_outline(line: str) -> OutlineNumber | None:
    """The decimal outline number a line starts with ('1', '1.1', '1.1.1.'), or None."""
    m = _OUTLINE.match(line)
    if not m:
        return None
    parts = tuple(int(p) for p in re.split(r"[.．]", m["num"]))
    if 0 in parts:
        return None
    # '1.1.' and '1.1' are the same number: the trailing dot is typography (vB vs vA of a text).
    written = ".".join(str(p) for p in parts)
    return OutlineNumber(parts, m.start("rest"), m["rest"], written, bool(m["dot"]))


def reads_as_unit_title(text: str) -> bool:
    """A section title: short, no sentence end, not a clause ('対象機器', '利用申込・承諾')."""
    stripped = text.strip()
    if not stripped or starts_with_particle(stripped):
        return False
    return len(stripped) <= MAX_TITLE_CHARS and _reads_as_title(stripped)


def starts_with_particle(text: str) -> bool:
    """'に定める禁止行為…', 'の規定により…': text continuing a citation that a wrap cut off."""
    return text.lstrip()[:1] in tuple("にのをでがはとへやもよ")


@dataclass
class UnitScanner:
    """Reads the top-level units of a document without 第N条, line by line.

    The same scanner runs in `normalize` (over physical lines) and in `segment` (over logical
    lines), so both agree on which lines open a unit. A unit number must continue the count
    (up to `MAX_SKIP` numbers may be skipped: a gap the segmenter reports); a number that breaks
    the count is running text that a hard wrap put at a line start ('15 万円…').
    """

    style: NumberingStyle
    titled: bool = True
    """Numbered sections carry titles ('1. 概要'); otherwise the body follows the number."""
    top: int = 0
    paragraph: int = 0

    def unit(self, line: str) -> tuple[int, str, int] | None:
        """(number, rest of line, offset of the rest) when the line opens a top-level unit."""
        if self.style == "decimal-outline":
            number = match_outline(line)
            if number is None or len(number.parts) != 1:
                return None
            value, rest, offset = number.parts[0], number.rest, number.end
            if (
                rest.strip() and not reads_as_unit_title(rest) and not number.dotted
            ) or starts_with_particle(rest):
                return None
        elif self.style == "numbered-section":
            m = _SECTION_HEAD.match(line)
            if not m:
                return None
            value, rest, offset = int(m["num"]), m["rest"], m.start("rest")
            if starts_with_particle(rest):
                return None
            if self.titled and not reads_as_unit_title(rest):
                return None
        else:
            return None
        if not self.top < value <= self.top + 1 + (MAX_SKIP if self.top else 0):
            return None
        self.top = value
        self.paragraph = 0
        return value, rest, offset

    def sub(self, line: str) -> OutlineNumber | None:
        """A '1.2' paragraph or '1.2.3' item number inside the current unit (decimal outline)."""
        if self.style != "decimal-outline" or not self.top:
            return None
        number = match_outline(line)
        if number is None or len(number.parts) < 2 or number.parts[0] != self.top:
            return None
        if len(number.parts) == 2:
            self.paragraph = number.parts[1]
        return number


def detect_numbering_style(lines: list[str], markdown_levels: list[int]) -> NumberingStyle:
    """How the document numbers its top-level units, read from all its lines.

    第N条 headings win; then a decimal outline (several '1.1' lines), Markdown headings, and
    numbered sections with titles ('１．概要') or, failing those, with bodies ('1. 本規約は…').
    """
    if any((h := match_heading(line)) is not None and h.kind == "article" for line in lines):
        return "article"
    outline = sum(
        1
        for line in lines
        if (n := match_outline(line)) is not None
        and len(n.parts) >= 2
        and (not n.rest.strip() or n.dotted or " " in line[: n.end])
    )
    if outline >= MIN_OUTLINE_LINES and _count_units(lines, "decimal-outline", True):
        return "decimal-outline"
    if markdown_article_level(markdown_levels) is not None:
        return "heading"
    if _count_units(lines, "numbered-section", True) >= MIN_HEADED_UNITS:
        return "numbered-section"
    if _count_units(lines, "numbered-section", False) >= MIN_HEADED_UNITS:
        return "numbered-section"
    return "article"


def sections_titled(lines: list[str]) -> bool:
    """Whether a numbered-section document titles its sections ('1. 概要') or not."""
    return _count_units(lines, "numbered-section", True) >= MIN_HEADED_UNITS


def _count_units(lines: list[str], style: NumberingStyle, titled: bool) -> int:
    scanner = UnitScanner(style, titled)
    return sum(1 for line in lines if scanner.unit(line) is not None)


def markdown_article_level(levels: list[int]) -> int | None:
    """The Markdown heading level ('###' → 3) that marks articles: the deepest used repeatedly."""
    counts: dict[int, int] = {}
    for level in levels:
        if level:
            counts[level] = counts.get(level, 0) + 1
    repeated = [level for level, count in counts.items() if count >= MIN_HEADED_UNITS]
    return max(repeated) if repeated else None


_MARKDOWN_MARK = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t　]")


def markdown_level(raw_line: str) -> int:
    """The Markdown heading level of a raw line ('## 総則' → 2), 0 when it is not a heading."""
    m = _MARKDOWN_MARK.match(raw_line)
    return len(m.group(1)) if m else 0


_VERSION_LABEL = r"(?:改正後|改定後|変更後|新)(?:\s*[(（][^)）]{0,20}[)）])?"
_OLD_LABEL = r"(?:現行|改正前|改定前|変更前|旧)(?:\s*[(（][^)）]{0,20}[)）])?"
_COMPARISON_HEADER = re.compile(
    rf"^\s*(?:[|｜]?\s*(?:条項|条文|項目|区分)\s*)?[|｜]?\s*{_VERSION_LABEL}"
    rf"\s*[|｜]?\s*{_OLD_LABEL}\s*[|｜]?\s*$"
)
"""A 新旧対照表's column header: '改正後 現行', '| 変更後 | 変更前 |', '新（4月1日） 旧'."""
COMPARISON_HEAD_LINES = 30
"""A comparison table names itself or its columns within this many lines of its start."""


def is_comparison_table(lines: list[str]) -> bool:
    """A 新旧対照表: titled so, or with a '改正後 | 現行' column header near the top."""
    head = lines[:COMPARISON_HEAD_LINES]
    titled = any("新旧対照表" in line and len(line) <= 60 and "。" not in line for line in head)
    return titled or any(_COMPARISON_HEADER.match(line) for line in head)
