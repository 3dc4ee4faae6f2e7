"""Headings of Japanese terms: 章, 節, 条, 附則, 別表 and 以上, with their titles (見出し).

Every form is a small regular expression over one line of *normalized* text (half-width digits
and brackets), tolerant of full-width input too. `normalize` uses them to decide which line
breaks are structural; `segment` uses them to build the tree. Literal examples of the forms are
in tests/test_segment.py (`FORMS`) and tests/test_segment_layouts.py.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from pipeline.text.numerals import NUMERAL_PATTERN, parse_number

NUM = NUMERAL_PATTERN
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
_FIRST_VISIBLE = re.compile(r"\s*(\S)")
_DECORATION_FIRST = "■□◆◇▲△▼▽★☆◎"
_END_FIRST = "以【[(（令平昭改制施実発更最作"
"""With any decimal digit (`\\d`, `str.isdecimal`): a dated trailer may open with its year."""
_SUPPLEMENTARY_FIRST = "<＜〈【[［附付"
_APPENDIX_FIRST = "【[［別"
"""The characters each heading form can open with after its white space (第 for 章, 節, 条): a
line is tried only against the forms its first visible character can open."""
HEADING_FIRST = _DECORATION_FIRST + _END_FIRST + _SUPPLEMENTARY_FIRST + "第" + _APPENDIX_FIRST
"""Every first visible character a heading opens with, but the decimal digits (`str.isdecimal`)."""
_GLUED_SECTION = re.compile(rf"(?<=\S)(?=第\s*(?:{NUM})\s*節)")
_GLUED_ARTICLE = re.compile(
    rf"(?<=。)\s*(?=第\s*(?:{NUM})\s*条(?:の(?:{NUM}))?\s+[^。、]{{1,{MAX_TITLE_CHARS}}}$)"
)

HeadingKind = Literal["chapter", "section", "article", "supplementary", "appendix", "end"]


class Heading(NamedTuple):
    """A heading line: 第3章 利用契約, 第1節 通則, 第13条(利用の停止), 附則, 以上 (a tuple: one is
    built for each heading line read, at a third of the cost of a frozen dataclass)."""

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
    first = line[:1]
    if not first or first.isspace():
        # Most lines open with their first visible character: the pattern only for the others.
        visible = _FIRST_VISIBLE.match(line)
        if visible is None:
            return None
        first = visible[1]
    if first in _DECORATION_FIRST and (decoration := _DECORATION.match(line)) is not None:
        # '■第1章 総則': a mark the layout sets before a heading.
        inner = match_heading(line[decoration.end() :])
        if inner is None or inner.kind == "end":
            return None
        if inner.body_start is not None:
            return inner._replace(body_start=inner.body_start + decoration.end())
        return inner
    if (first in _END_FIRST or first.isdecimal()) and _END.match(line):
        return Heading("end")
    if first in _SUPPLEMENTARY_FIRST and (m := _SUPPLEMENTARY.match(line)):
        return Heading("supplementary", title=re.sub(r"\s", "", m["title"]))
    if first == "第":
        return _numbered_heading(line)
    if first in _APPENDIX_FIRST and (m := _APPENDIX.match(line)):
        return _appendix_heading(m)
    return None


def _numbered_heading(line: str) -> Heading | None:
    """A line opening with 第: a chapter, a section or an article heading, or None."""
    if (m := _CHAPTER.match(line)) and not _runs_on(m["rest"]):
        number = str(parse_number(m["num"]))
        if m["branch"]:
            number += f"-{parse_number(m['branch'])}"  # 第3章の2 → '3-2', as articles are
        return Heading("chapter", number, _heading_title(m["rest"]))
    if (m := _SECTION.match(line)) and not _runs_on(m["rest"]):
        return Heading("section", str(parse_number(m["num"])), _heading_title(m["rest"]))
    if m := _ARTICLE.match(line):
        return _article_heading(m)
    return None


def _appendix_heading(m: re.Match[str]) -> Heading | None:
    """'別表第二', '別表第1（第10条関係）', '【別表】 料金表', '別紙'; not '別表第一に記す…'."""
    rest = m["rest"].strip()
    number = str(parse_number(m["num"])) if m["num"] else "1"
    if not rest:
        return Heading("appendix", number)
    if not ("\u3040" <= rest[0] <= "\u309f"):
        title = _heading_title(rest)
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


def _heading_title(rest: str) -> str | None:
    """The title after a heading's number: stripped, and without brackets around all of it."""
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
    if len(stripped) <= MAX_TITLE_CHARS and reads_as_title(stripped):
        return Heading("article", number, _unbracketed(stripped))
    return Heading("article", number, body_start=body)


MAX_LISTING_TITLE_CHARS = 20
"""A title may list nouns with 、 ('コンテンツの非表示、削除') only when it is this short."""


def reads_as_title(text: str) -> bool:
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
CAPTION_FIRST = "〔【[［<＜《"
"""The characters a caption can open with after its white space (`\\s`, `str.isspace`)."""


_NOTE_LABEL = re.compile(
    r"^\s*(?:備考|注記|注)\s*(?=[(（][0-9０-９一二三四五六七八九十]{1,3}[)）])"
)


NOTE_LABEL_FIRST = "備注"
"""The characters a note label opens with after its white space (see `note_label_end`)."""


def note_label_end(line: str) -> int:
    """Where a list labelled '備考' starts: '備考 (一) 取消料の…' → the offset of '(一)'; else 0."""
    first = line[:1]
    if first not in NOTE_LABEL_FIRST and not first.isspace():
        return 0  # the pattern opens with white space, then 備考 or 注: most lines skip it
    m = _NOTE_LABEL.match(line)
    return m.end() if m else 0


def is_caption(line: str) -> bool:
    """A caption standing alone on its line inside a provision: '〔旅行開始後〕', '【料金表】'."""
    first = line[:1]
    if first not in CAPTION_FIRST and not first.isspace():
        return False  # most lines: no need to try the pattern
    return _CAPTION.match(line) is not None


NOTE_FIRST = ">"
"""What a note opens with (see `is_note`)."""


def is_note(line: str) -> bool:
    """A Markdown quote line: an editorial note beside the clauses, not part of them."""
    return line.startswith(NOTE_FIRST)


def standalone_title(line: str) -> str | None:
    """A line that is only a bracketed title, like '(目的)' before '第1条 本文…'."""
    first = line[:1]
    if first not in TITLE_OPEN and not first.isspace():
        return None  # most lines: no need to try the pattern
    m = _BRACKET_TITLE.match(line)
    if m and not line[m.end() :].strip():
        return m["title"].strip()
    return None


_TITLE_CUT_OPEN = re.compile(rf"^\s*[^{TITLE_OPEN}{TITLE_CLOSE}\s。、]{{1,20}}[{CLOSE}]\s*$")


def title_without_open(line: str) -> bool:
    """'苦情の申出）' alone on a line: a bracketed title whose '（' the PDF's text lost."""
    last = line[-1:]
    if last not in CLOSE and not last.isspace():
        return False  # the pattern ends with the bracket and white space: most lines skip it
    return _TITLE_CUT_OPEN.match(line) is not None


def glued_heading_splits(line: str) -> list[int]:
    """Offsets inside a line where a heading glued to the previous text starts.

    NAS writes '第3章 利用契約第1節 通則' on one line, and once '…準用します。第8条 権利の譲渡…'.
    """
    if "第" not in line:
        return []  # every glued heading starts with 第 (most lines hold none)
    splits: list[int] = []
    if _CHAPTER.match(line):
        splits += [m.start() for m in _GLUED_SECTION.finditer(line)]
    # A glued article heading runs to the line's end without a 。: only right after the last
    # 。 can it start, and the pattern is tried there alone rather than searched for.
    last = line.rfind("。")
    if last >= 0 and (m := _GLUED_ARTICLE.match(line, last + 1)) is not None:
        splits.append(m.end())
    return sorted(set(splits)) if len(splits) > 1 else splits


def starts_with_particle(text: str) -> bool:
    """'に定める禁止行為…', 'の規定により…': text continuing a citation that a wrap cut off."""
    return text.lstrip()[:1] in tuple("にのをでがはとへやもよ")
