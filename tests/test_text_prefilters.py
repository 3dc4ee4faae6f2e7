"""The first-character checks that let most lines skip the heading and marker patterns.

`match_marker` tries a line only against the forms its first character can open, and
`match_heading` and `glued_heading_splits` return at once for a line that cannot hold a heading.
Each check must be exact: no line that a skipped pattern would match may be skipped. The lines
tried are every line of the real documents and, for every character of the Basic Multilingual
Plane, that character opening suffixes chosen so that the patterns after the first character
can match.
"""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS

from pipeline.structure import joining, layout, normalize, segmenter
from pipeline.text import headings, markers, styles

REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld"

MARKER_SUFFIXES = ["", " 本文", ") 本文", "1) 本文", "1 本文", ".本文", "1項 本文", "2当社"]
HEADING_SUFFIXES = [
    "",
    "1条 目的",
    "則",
    "上",
    "下余白",
    "表第1",
    "023年4月1日 制定",
    "成5年4月1日 改定",
    "和5年4月1日 改定",
    "2023年4月1日 制定】",
    "改定日: 2023年4月1日】",
]
"""After the first character: a heading of each form, and a dated trailer after each first
character of its words (改定, 施行, 実施, 発効, 更新, 最終更新, 作成, 令和, 平成, 昭和)."""
HEADING_SUFFIXES += [
    word + " 2023年4月1日" for word in ["定", "訂", "正", "行", "施", "効", "新", "終更新日", "成"]
]
HEADING_FORMS = [
    (headings._DECORATION, headings._DECORATION_FIRST),
    (headings._END, headings._END_FIRST),
    (headings._SUPPLEMENTARY, headings._SUPPLEMENTARY_FIRST),
    (headings._CHAPTER, "第"),
    (headings._SECTION, "第"),
    (headings._ARTICLE, "第"),
    (headings._APPENDIX, headings._APPENDIX_FIRST),
]


def _document_lines() -> list[str]:
    paths = [*CORPUS.glob("*/source.txt"), *REALWORLD.glob("*.txt")]
    return [line for path in paths for line in path.read_text(encoding="utf-8").split("\n")]


def _first_characters() -> list[str]:
    return [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]


def _skipped_by_marker_check(line: str, style: str, first: str) -> bool:
    return line[:1] not in first and not (style == "digit-kou" and line[:1].isspace())


def test_the_marker_check_skips_only_forms_that_cannot_match() -> None:
    lines = _document_lines() + [ch + s for ch in _first_characters() for s in MARKER_SUFFIXES]
    for style, first, pattern in markers._MARKERS:
        for line in lines:
            if _skipped_by_marker_check(line, style, first):
                assert pattern.match(line) is None, (style, line)


def test_the_heading_checks_skip_only_forms_that_cannot_match() -> None:
    lines = _document_lines() + [
        ch + s for ch in _first_characters() for s in [*HEADING_SUFFIXES, "第1条"]
    ]
    lines += [" " + ch + s for ch in _first_characters() for s in ("1条 目的", "上", "則")]
    for line in lines:
        visible = line.lstrip()[:1]
        for pattern, first in HEADING_FORMS:
            digit = pattern is headings._END and visible.isdecimal()
            if not visible or not (visible in first or digit):
                assert pattern.match(line) is None, (pattern.pattern[:30], line)


def test_a_line_without_dai_holds_no_glued_heading() -> None:
    # `glued_heading_splits` returns at once for a line without 第: its patterns all need one.
    lines = _document_lines() + [ch + "。第8条 権利の譲渡" for ch in "。、 a"]
    lines += [line.replace("第", "") for line in lines]
    for line in lines:
        if "第" not in line:
            assert headings._CHAPTER.match(line) is None, line
            assert headings._GLUED_ARTICLE.search(line) is None, line
            assert headings._GLUED_SECTION.search(line) is None, line


LINE_START_FORMS = [
    (headings._CAPTION, headings.CAPTION_FIRST, ["料金表】", "旅行開始後〕", "注>"]),
    (headings._BRACKET_TITLE, headings.TITLE_OPEN, ["目的)", "目的）", "目的】", "目的]"]),
    (headings._NOTE_LABEL, "備注", ["考 (一) 取消料", "記(1)", "(1) 料金", "考（２）"]),
    (styles._OUTLINE, "", ["1 概要", ". 概要", ".2 本文", "", "2.3. 本文"]),
    (styles._SECTION_HEAD, "", [". 概要", ") 概要", " 概要", "1. 本文"]),
]
"""Patterns of the form '^\\s*[first]…' and the characters their first-character check lets
through (besides white space, and decimal digits where `first` is empty), with suffixes that
complete a match after each first character."""


def test_the_line_start_checks_skip_only_lines_that_cannot_match() -> None:
    # `is_caption`, `standalone_title`, `note_label_end`, `match_outline` and the numbered
    # section scanner try their pattern only on a line opening with one of its characters,
    # a decimal digit (`\d`) or white space (`\s`).
    for pattern, first, suffixes in LINE_START_FORMS:
        lines = _document_lines() + [ch + s for ch in _first_characters() for s in suffixes]
        lines += [" " + line for line in lines[-200:]] + ["　(目的)", " 備考 (一) 取消料"]
        for line in lines:
            head = line[:1]
            skipped = head not in first and not head.isspace()
            if pattern in (styles._OUTLINE, styles._SECTION_HEAD):
                skipped = not head.isdecimal() and not head.isspace()
            if skipped:
                assert pattern.match(line) is None, (pattern.pattern[:30], line)


def test_the_checks_keep_lines_opening_with_white_space() -> None:
    # White space before the form is allowed by each pattern, so the check lets it through.
    assert headings.is_caption("　【料金表】")
    assert headings.standalone_title(" (目的)") == "目的"
    assert headings.note_label_end(" 備考 (一) 取消料の…") == len(" 備考 ")
    outline = styles.match_outline("\t1.2 本文")
    assert outline is not None and outline.parts == (1, 2)
    indented = headings.match_heading("　第1条（目的）")
    assert indented is not None and (indented.kind, indented.number, indented.title) == (
        "article",
        "1",
        "目的",
    )
    assert headings.match_heading(" \t ") is None
    assert headings.match_heading("") is None
    assert not headings.is_caption("料金表】")
    assert headings.standalone_title("目的)") is None


def test_normalize_checks_skip_only_lines_that_cannot_match() -> None:
    # `normalize_text` tries the centred page number and the lone closing bracket only on
    # lines opening with one of their characters, and the table row test only in a text
    # holding '|' or a tab.
    suffixes = ["         12", "        - 3 -", ")", "）。", "」"]
    lines = _document_lines() + [ch + s for ch in _first_characters() for s in suffixes]
    for line in lines:
        if line[:1] not in normalize._PAGE_NUMBER_FIRST:
            assert normalize._PAGE_NUMBER.match(line) is None, line
        if line[:1] not in normalize._CLOSERS:
            assert normalize._CLOSERS_ONLY.match(line) is None, line
        if "|" not in line and "\t" not in line:
            assert not normalize.is_table_row(line), line
    assert normalize.normalize_text("第1条 本文\n" + " " * 10 + "2\n）").text == "第1条 本文)"


def test_a_glued_article_heading_is_sought_only_after_the_last_full_stop() -> None:
    # The heading after 。 runs to the line's end without another 。: trying the pattern right
    # after the last 。 finds what a search of the whole line finds.
    lines = [
        *_document_lines(),
        "…準用します。第8条 権利の譲渡",
        "…準用します。 第8条の2 権利の譲渡",
        "第1条を準用します。第8条 権利の譲渡。第9条 解除",
        "第2条。第3条。",
        "。第4条 目的",
        "第3章 利用契約第1節 通則",
        "第3章 利用契約第1節 通則。第5条 定義",
    ]
    for line in lines:
        searched = [m.end() for m in headings._GLUED_ARTICLE.finditer(line) if m.end() > 0]
        chapter = headings._CHAPTER.match(line) is not None
        expected = sorted(
            set(
                searched
                + ([m.start() for m in headings._GLUED_SECTION.finditer(line)] if chapter else [])
            )
        )
        assert headings.glued_heading_splits(line) == (expected if "第" in line else []), line


def _classifier_lines() -> list[str]:
    """Every line of the real documents, and each character opening forms it could complete."""
    suffixes = ["1条 目的", "則", "上", "表第1", "1) 本文", " 本文", "考 (一) 取消料", "一) 本文"]
    suffixes += ["料金表】", "目的)", "苦情の申出）", "023年4月1日 制定"]
    return _document_lines() + [ch + s for ch in _first_characters() for s in suffixes]


def test_running_text_is_read_as_a_full_look_reads_it() -> None:
    # `running_text` lets a line skip the heading, glued heading, note label and marker reads
    # of `heading_or_marker`: for each such line the full read finds nothing either.
    state = joining._Classifier("article", True, [])
    entry = joining.RawLayout(0, False, False)
    skipped = 0
    for line in _classifier_lines():
        if not line or not joining.running_text(line):
            continue
        skipped += 1
        assert state.read_line(line, entry) == state.heading_or_marker(line, entry), line
        assert headings.match_heading(line) is None, line
        assert markers.match_marker(line) is None, line
    assert skipped > 100_000


def test_title_reads_skip_only_lines_that_cannot_be_titles() -> None:
    # `_LineInfo.read_titles` reads notes, captions, labels and bracketed titles only on a
    # line opening with one of their characters, and `title_without_open` only on a line
    # ending with a closing bracket or white space: every other line is none of them.
    lines = _classifier_lines() + ["苦情の申出" + ch for ch in _first_characters()]
    lines += ["苦情の申出）" + ch for ch in " \t\n\u3000x)"]
    for line in lines:
        info = joining._LineInfo(line, None, False, False)
        info.read_titles()
        assert info.note == headings.is_note(line), line
        assert info.caption == (headings._CAPTION.match(line) is not None), line
        assert info.label == (headings._NOTE_LABEL.match(line) is not None), line
        title = headings._BRACKET_TITLE.match(line)
        expected = bool(title and not line[title.end() :].strip() and title["title"].strip())
        assert info.title == expected, line
        assert info.cut_title == (headings._TITLE_CUT_OPEN.match(line) is not None), line


def test_plain_body_lines_are_no_note_caption_label_or_marker() -> None:
    # `Segmenter.on_body_line` skips the note, caption, note label and marker reads of a line
    # `plain_body_line` calls plain: each of them finds nothing on such a line.
    lines = [*_classifier_lines(), "> 注記", "〔旅行開始後〕", "・本文", " 備考 (一) 取消料"]
    plain = 0
    for line in lines:
        if segmenter.plain_body_line(line):
            plain += 1
            assert not headings.is_note(line), line
            assert not headings.is_caption(line), line
            assert not headings.note_label_end(line), line
            assert markers.match_marker(line) is None, line
    assert 100_000 < plain < len(lines)


def test_a_blank_raw_line_is_white_space_up_to_its_newline() -> None:
    # `layout_of` reads a blank line before a line with `_BLANK_LINE`, where it took the line
    # and asked `str.isspace`: the same answer for every character of the BMP, alone or twice.
    for ch in _first_characters():
        if ch == "\n":
            continue
        for line in (ch, ch * 2, " " + ch, ch + "\t"):
            expected = line.isspace()
            assert (layout._BLANK_LINE.match(f"x\n{line}\n本文", 2) is not None) == expected, line
    assert layout._BLANK_LINE.match("x\n\n本文", 2) is not None
