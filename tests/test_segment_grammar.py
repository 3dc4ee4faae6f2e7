"""The structure grammar line by line: literal examples of every heading and marker form.

Mirrors pipeline/text/headings.py, markers.py and styles.py, and the layout the segmenter reads
(pipeline/structure/layout.py). Each expected value is read off the form itself: what a reader
of the document takes the line to be.
"""

from __future__ import annotations

import pytest

from pipeline.structure.layout import Layout
from pipeline.text.headings import glued_heading_splits, match_heading, standalone_title
from pipeline.text.markers import NumberingState, match_marker
from pipeline.text.styles import detect_numbering_style, is_comparison_table

# (line, (kind, number, title, deleted)) — None where the line is not a heading.
HEADINGS: list[tuple[str, tuple[str, str | None, str | None, bool] | None]] = [
    ("第1条（目的）", ("article", "1", "目的", False)),
    ("第１３条 (利用の停止)", ("article", "13", "利用の停止", False)),
    ("第十三条 利用の停止", ("article", "13", "利用の停止", False)),
    ("第5条の2【追加条項】", ("article", "5-2", "追加条項", False)),
    ("第五条の二　削除", ("article", "5-2", None, True)),
    ("第4条", ("article", "4", None, False)),
    ("第13条に定める措置", None),
    ("第13条第2項の規定により", None),
    ("第3章 利用契約", ("chapter", "3", "利用契約", False)),
    ("第3章の2 特則", ("chapter", "3-2", "特則", False)),
    ("第1章 はじめに", ("chapter", "1", "はじめに", False)),
    ("第2章の規定は適用しない。", None),
    ("第1節 通則", ("section", "1", "通則", False)),
    ("附　則　抄", ("supplementary", None, "附則", False)),
    ("【付則】", ("supplementary", None, "付則", False)),
    ("附則（2024年4月1日）", ("supplementary", None, "附則", False)),
    ("別表第二", ("appendix", "2", None, False)),
    ("【別表】 料金表", ("appendix", "1", "料金表", False)),
    ("別表第一に記す料金", None),
    ("以上", ("end", None, None, False)),
    ("2023年04月17日 制定", ("end", None, None, False)),
    ("最終更新日：2024年1月5日", ("end", None, None, False)),
    ("■第1章 総則", ("chapter", "1", "総則", False)),
]


@pytest.mark.parametrize(("line", "expected"), HEADINGS)
def test_heading_forms(
    line: str, expected: tuple[str, str | None, str | None, bool] | None
) -> None:
    heading = match_heading(line)
    if expected is None:
        assert heading is None
    else:
        assert heading is not None
        assert (heading.kind, heading.number, heading.title, heading.deleted) == expected


def test_an_article_heading_with_its_first_paragraph_on_the_line() -> None:
    line = "第1条 本規約は、当社の提供するサービスの利用条件を定めるものです。"
    heading = match_heading(line)
    assert heading is not None
    assert (heading.kind, heading.number, heading.title) == ("article", "1", None)
    assert heading.body_start is not None
    assert line[heading.body_start :].startswith("本規約は")


def test_headings_glued_inside_a_line() -> None:
    line = "第3章 利用契約第1節 通則"
    assert [line[cut:] for cut in glued_heading_splits(line)] == ["第1節 通則"]
    sentence = "…準用します。第8条 権利の譲渡"
    assert [sentence[cut:] for cut in glued_heading_splits(sentence)] == ["第8条 権利の譲渡"]


def test_standalone_titles() -> None:
    assert standalone_title("（目的）") == "目的"
    assert standalone_title("【利用料金】") == "利用料金"
    assert standalone_title("(目的) 本規約は…") is None


# (line, (style, label, ordinal)) — None where the line does not open with a marker.
MARKERS: list[tuple[str, tuple[str, str, int] | None]] = [
    ("(1)甲", ("paren-digit", "1", 1)),
    ("（１２）甲", ("paren-digit", "12", 12)),
    ("⑶甲", ("paren-digit", "3", 3)),
    ("(三) 甲", ("paren-kanji", "3", 3)),
    ("(イ)甲", ("paren-katakana", "イ", 2)),
    ("②甲", ("circled", "②", 2)),
    ("4)甲", ("digit-paren", "4", 4)),
    ("2. 甲", ("digit-dot", "2", 2)),
    ("２．甲", ("digit-dot", "2", 2)),
    ("2 甲", ("digit-dot", "2", 2)),
    ("十一 甲", ("kanji", "11", 11)),
    ("ウ 甲", ("katakana", "ウ", 3)),
    ("・甲", ("bullet", "・", 0)),
    ("第2項 甲", ("digit-kou", "2", 2)),
    ("２当社は", ("digit-glued", "2", 2)),
    ("(3)号に該当する", None),
    ("2.5倍とします", None),
    ("15万円", None),
    ("本文です", None),
]


@pytest.mark.parametrize(("line", "expected"), MARKERS)
def test_marker_forms(line: str, expected: tuple[str, str, int] | None) -> None:
    marker = match_marker(line)
    if expected is None:
        assert marker is None
    else:
        assert marker is not None
        assert (marker.style, marker.label, marker.ordinal) == expected
        assert line[marker.end :].startswith("甲" if "甲" in line else "当社")


def _accepts(lines: list[str]) -> list[bool]:
    state = NumberingState()
    found = []
    previous = ""
    for line in lines:
        marker = match_marker(line)
        assert marker is not None, line
        found.append(
            state.accept(marker, after_sentence=previous.endswith("。"), rest=line[marker.end :])
        )
        previous = line
    return found


def test_a_marker_is_plausible_when_it_continues_a_list_or_starts_one() -> None:
    # (1), (2) continue; (7) after (2) in the middle of a sentence is a wrapped citation.
    assert _accepts(["(1)甲", "(2)乙", "(7)丙"]) == [True, True, False]
    # After a finished sentence a skip of up to two numbers is a gap the segmenter reports.
    assert _accepts(["(1)甲。", "(4)乙"]) == [True, True]
    assert _accepts(["(1)甲。", "(5)乙"]) == [True, False]
    # '２当社は…' opens the next paragraph only right after a sentence ends.
    assert _accepts(["(1)甲。", "２当社は"]) == [True, True]
    assert _accepts(["(1)甲", "３当社は"]) == [True, False]


# (lines, style) — how each document numbers its top-level units.
STYLES: list[tuple[list[str], str]] = [
    (["利用規約", "第1条（目的）", "本規約は…。"], "article"),
    (["１．概要", "本サービスは…。", "２．対象機器", "対象は…。"], "numbered-section"),
    (["1 総則", "1.1 本規約は…。", "1.2 当社は…。", "2 利用", "2.1 会員は…。"], "decimal-outline"),
]


@pytest.mark.parametrize(("lines", "style"), STYLES)
def test_numbering_style_of_a_document(lines: list[str], style: str) -> None:
    assert detect_numbering_style(lines, [0] * len(lines)) == style


def test_markdown_headings_number_the_articles() -> None:
    lines = ["規約", "総則", "目的", "本規約は…。", "定義", "用語は…。"]
    levels = [1, 2, 3, 0, 3, 0]
    assert detect_numbering_style(lines, levels) == "heading"
    layout = Layout("heading", True, [1, 2, 3, 0, 3, 0, 2, 3, 0], [False] * 9)
    # '###' repeats: the articles; '##' repeats above them: the chapters; '#' once: the title.
    assert (layout.article_level, layout.chapter_level) == (3, 2)
    part = layout.part(2, 6)
    assert part.markdown_levels == [3, 0, 3, 0]
    assert (part.article_level, part.chapter_level) == (3, None)


def test_a_comparison_table_is_recognized() -> None:
    assert is_comparison_table(["利用規約 新旧対照表", "改正後 現行"])
    assert is_comparison_table(["| 変更後 | 変更前 |"])
    assert not is_comparison_table(["利用規約", "第1条（目的）"])
