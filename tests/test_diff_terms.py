"""Defined terms (定義語) between real versions: added, removed, defined otherwise.

What changed is read off the version files: COCOA vB adds 第2条三 「感染可能期間」 and rewrites
the definition of 「接触確認アプリケーション」及び「本アプリ」 (now 近接(接触を含む。…) ); the
スコラボ 規約 vB pays 確定売上 '翌月1日に' (第17条第2項: '…翌月1日に振り込み対象である売上金額
(以下、「確定売上」といいます。)').
"""

from __future__ import annotations

import functools

import pytest
from conftest import CORPUS, SHARED_VERSIONS

from pipeline.diff.compare import diff
from pipeline.diff.render.formats import render
from pipeline.models import Document, DocumentDiff
from pipeline.process import parse_file

needs_versions = pytest.mark.skipif(
    not SHARED_VERSIONS.is_dir(), reason=f"real version files not present at {SHARED_VERSIONS}"
)


@functools.cache
def parsed(path: str) -> Document:
    return parse_file(path)


def pair(stem: str, old: str, new: str) -> DocumentDiff:
    return diff(
        parsed(str(SHARED_VERSIONS / f"{stem}_{old}.txt")),
        parsed(str(SHARED_VERSIONS / f"{stem}_{new}.txt")),
    )


@needs_versions
def test_cocoa_adds_a_term_and_redefines_the_app() -> None:
    result = pair("017_mhlw_cocoa_terms", "vA", "vB")
    assert [(t.term, t.status) for t in result.term_changes] == [
        ("感染可能期間", "added"),
        ("接触確認アプリケーション", "redefined"),
        ("本アプリ", "redefined"),
    ]
    added = result.term_changes[0]
    assert (added.old_path, added.new_path, added.old_definitions) == (
        None,
        "art:2/para:1/item:3",
        [],
    )
    assert added.new_definitions[0].startswith(
        "陽性者に新型コロナウイルス感染症の症状がある場合には発症日から約2日前以降"
    )
    app = result.term_changes[1]
    assert "人と人との近接(接触を含む。以下同じ。)を検知及び記録し" in app.new_definitions[0]
    assert "人と人との接触を検知及び記録し" in app.old_definitions[0]
    assert added.summary == "定義語「感染可能期間」: 追加"

    markdown = render(result, "md")
    assert "## 定義語の変更" in markdown
    assert "| 感染可能期間 | 追加 | （なし） | 陽性者に" in markdown
    html = render(result, "html", lang="en")
    assert '<table class="terms">' in html and "<td>defined otherwise</td>" in html


@needs_versions
def test_a_changed_inline_definition_is_a_redefined_term() -> None:
    result = pair("003_luco_sucomado_terms", "vA", "vB")
    changed = {t.term: t for t in result.term_changes}
    assert changed["確定売上"].status == "redefined"
    assert changed["確定売上"].old_definitions == ["振り込み対象である売上金額"]
    assert changed["確定売上"].new_definitions == ["翌月1日に振り込み対象である売上金額"]


def test_the_same_version_as_text_and_pdf_changes_no_term() -> None:
    result = diff(
        parsed(str(CORPUS / "nas" / "source.txt")), parsed(str(CORPUS / "nas" / "source.pdf"))
    )
    assert result.term_changes == []
    assert "## 定義語の変更\n\nなし\n" in render(result, "md")
    assert "<p>定義語の変更はありません。</p>" in render(result, "html")
