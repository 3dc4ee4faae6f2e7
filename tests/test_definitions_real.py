"""Definition clauses and definition lists in real documents (../shared), PDF and text.

The terms are read off the documents: COCOA's 第2条 defines ten items with '「…」とは、',
one of them two terms at once; the 手配旅行約款 defines six terms in 第2条; Dayone's 第2条
lists ten terms, each a caption with its definition on the line under it.
"""

from __future__ import annotations

import functools

import pytest
from conftest import REALWORLD, SHARED_VERSIONS
from test_captions import DAYONE_TERMS

from pipeline.models import DefinedTermValue, Document
from pipeline.process import parse_file

pytestmark = pytest.mark.skipif(
    not REALWORLD.is_dir(), reason="../shared/realworld is not beside the project"
)


@functools.cache
def parsed(path: str) -> Document:
    return parse_file(path)


def terms(document: Document, style: str) -> list[tuple[str, str, str | None]]:
    """(path, term, definition) of every defined term of this style, in document order."""
    found = []
    for extraction in document.extractions:
        value = extraction.value
        if isinstance(value, DefinedTermValue) and value.style == style:
            found.append((extraction.path, value.term, value.definition))
    return found


def test_cocoa_definition_clauses() -> None:
    document = parsed(str(SHARED_VERSIONS / "017_mhlw_cocoa_terms_vA.txt"))
    clauses = terms(document, "clause")
    assert [term for _, term, _ in clauses] == [
        "接触",
        "陽性者",
        "接触確認アプリケーション",
        "本アプリ",
        "アプリ利用者",
        "アプリ導入端末",
        "日次鍵",
        "接触符号",
        "通知サーバー",
        "管理システム",
        "処理番号",
    ]
    assert all(path.startswith("art:2/para:1/item:") for path, _, _ in clauses)
    by_term = {term: definition for _, term, definition in clauses}
    assert by_term["陽性者"] == "新型コロナウイルス感染症の陽性診断が確定した者"
    assert by_term["アプリ導入端末"] == "本アプリを導入したスマートフォン端末"
    assert by_term["接触確認アプリケーション"] == by_term["本アプリ"]


@pytest.mark.parametrize("name", ["travel_tehai.pdf", "019_jtc_tehai_ryoko_yakkan_pdf.txt"])
def test_travel_terms_in_the_pdf_and_its_text(name: str) -> None:
    clauses = terms(parsed(str(REALWORLD / name)), "clause")
    assert [(path, term) for path, term, _ in clauses] == [
        ("art:2/para:1", "手配旅行契約"),
        ("art:2/para:2", "国内旅行"),
        ("art:2/para:2", "海外旅行"),
        ("art:2/para:3", "旅行代金"),
        ("art:2/para:4", "通信契約"),
        ("art:2/para:5", "カード利用日"),
    ]
    by_term = {term: definition for _, term, definition in clauses}
    # '「国内旅行」とは、本邦内のみの旅行をいい、「海外旅行」とは、国内旅行以外の旅行をいいます。'
    assert by_term["国内旅行"] == "本邦内のみの旅行"
    assert by_term["海外旅行"] == "国内旅行以外の旅行"


def test_dayone_definition_list_of_captions() -> None:
    listed = terms(parsed(str(REALWORLD / "013_dayone_member_terms.txt")), "list")
    assert [term for _, term, _ in listed] == DAYONE_TERMS
    by_term = {term: definition for _, term, definition in listed}
    assert by_term["本サイト"] == "当社が本サービスを提供するために運営するウェブサイト"
    assert by_term["有料サービス"] == "本サービスのうち、有料にて提供されるサービス"


def test_a_caption_over_other_text_is_no_term() -> None:
    # pequod_hoken_kiyaku.pdf 4.(1) '補償対象事故' heads a sentence that pays, not defines.
    document = parsed(str(REALWORLD / "pequod_hoken_kiyaku.pdf"))
    assert all(term != "補償対象事故" for _, term, _ in terms(document, "list"))


def test_terms_with_a_colon_in_a_bundle() -> None:
    # 002_pequod_hozon_bundle.txt, HOZON利用規約 第1条(用語の定義): '（1）利用契約:…契約',
    # '（2）契約者:利用契約を当社と締結し、本サービスの提供を受ける方', '（3）ユーザーID:…'.
    listed = terms(parsed(str(REALWORLD / "002_pequod_hozon_bundle.txt")), "list")
    first = [(path, term) for path, term, _ in listed if path.startswith("part:1/art:1/")]
    assert first == [
        ("part:1/art:1/para:1/item:1", "利用契約"),
        ("part:1/art:1/para:1/item:2", "契約者"),
        ("part:1/art:1/para:1/item:3", "ユーザーID"),
    ]
    assert listed[1][2] == "利用契約を当社と締結し、本サービスの提供を受ける方"


def test_a_price_after_a_colon_is_no_term() -> None:
    # 001_pequod_madoguchi_support_vA.txt 第3条: '(1)プレミアム安心保証パック:1契約者毎に毎月
    # 1,780円(税込1,958円)とします。' states a price.
    document = parsed(str(SHARED_VERSIONS / "001_pequod_madoguchi_support_vA.txt"))
    assert all(not path.startswith("art:3/") for path, _, _ in terms(document, "list"))


@pytest.mark.parametrize(
    "name", ["travel_jokensho.pdf", "020_jtc_ryoko_jokensho_juchugata_pdf.txt"]
)
def test_bare_terms_before_toha_in_the_pdf_and_its_text(name: str) -> None:
    # 旅行条件書: '(2)受注型企画旅行とは、当社がお客様の依頼により、…', and twice '期日とは、原則
    # として旅行開始日の 31 日前を指しますが、…' (旅行代金) / '…の7日前を指しますが、…' (④).
    clauses = terms(parsed(str(REALWORLD / name)), "clause")
    assert [(path, term) for path, term, _ in clauses] == [
        ("art:2/para:2", "受注型企画旅行"),
        ("art:7/para:1", "期日"),
        ("art:10/para:2/item:4", "期日"),
    ]
    assert [definition for _, term, definition in clauses if term == "期日"] == [
        "原則として旅行開始日の31日前",
        "原則として旅行開始日の7日前",
    ]


def test_a_gloss_that_ends_in_imi_shimasu() -> None:
    # mitsuba 第3条第8項(5): '反社会的勢力(暴力団、…集団または個人を意味します。以下同じ。)'.
    document = parsed(str(REALWORLD / "022_mitsuba_kogyo_space_riyou_kiyaku_pdf.txt"))
    glosses = [(p, t, d) for p, t, d in terms(document, "inline") if t == "反社会的勢力"]
    assert len(glosses) == 1 and glosses[0][0] == "art:3/para:8/item:5"
    assert (glosses[0][2] or "").startswith(
        "暴力団、暴力団員、暴力団準構成員、暴力団関係企業、総会屋"
    )
