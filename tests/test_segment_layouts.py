"""One generated document per layout class the structure grammar reads (issue 11).

Each text is written here, in the layout it exercises, so the classes are covered beyond the
real files; the expected trees are read off the texts themselves.
"""

from __future__ import annotations

import pytest

from pipeline.models import Document, SegmentError
from pipeline.process import parse_bytes
from pipeline.structure.segment import COMPARISON_TABLE, NOT_TERMS


def parse(text: str, name: str = "generated.txt") -> Document:
    """Structure only: the extractors are not what these tests are about."""
    return parse_bytes(text.encode("utf-8"), name, extract=False)


def shape(document: Document) -> list[tuple[str, str | None, list[int]]]:
    """(number, title, direct item count per paragraph) for every article."""
    return [(a.number, a.title, [len(p.items) for p in a.paragraphs]) for a in document.articles]


def numbering(document: Document) -> list[str]:
    return [d.code for d in document.diagnostics if d.code.startswith("numbering")]


# -- documents without 第N条 -------------------------------------------------------------------

NUMBERED_SECTIONS = """サービス利用条件
本条件は、当社のサービスの利用条件を定めます。
１．概要
本サービスは、会員向けの修理サービスです。
２．対象機器
（１）本サービスの対象となる機器は、次のとおりとします。
① 会員が所有する機器
② 会員の住所に設置された機器
（２）前項の機器には、中古品を含みません。
３．補償期間
会員の補償期間は、利用開始日から1年間とします。
"""


def test_numbered_sections_are_articles() -> None:
    document = parse(NUMBERED_SECTIONS)
    assert document.numbering_style == "numbered-section"
    # '（１）' right under a section numbers its paragraphs (項): (2) cites (1) as 前項.
    assert shape(document) == [
        ("1", "概要", [0]),
        ("2", "対象機器", [2, 0]),
        ("3", "補償期間", [0]),
    ]
    assert [p.marker for p in document.articles[1].paragraphs] == ["(1)", "(2)"]
    assert document.title == "サービス利用条件"
    assert numbering(document) == []


@pytest.mark.parametrize("marker", ["1.", "1 ", "1)"])
def test_numbered_section_markers(marker: str) -> None:
    text = "利用条件\n" + "".join(
        f"{marker.replace('1', str(n))}見出し{n}\n本文{n}です。\n" for n in (1, 2, 3)
    )
    document = parse(text)
    assert document.numbering_style == "numbered-section"
    assert [(a.number, a.title) for a in document.articles] == [
        ("1", "見出し1"),
        ("2", "見出し2"),
        ("3", "見出し3"),
    ]


DECIMAL_INLINE = """利用規約
1. 申込
1.1. お客様は、当社所定の方法で申し込みます。当社は、次の場合に申込を拒絶できます。
1.1.1. 虚偽の情報を提供したとき
1.1.2. 審査基準を満たさないとき
1.2. 前項の申込は、取り消すことができます。
2. 変更
当社は、本規約を変更できます。
3. 禁止事項
お客様は、次の行為をしてはなりません。
3.1. 法令に違反する行為
3.2. 第三者の権利を侵害する行為
"""

DECIMAL_ALONE = """利用規約

1

申込

1.1

お客様は、当社所定の方法で申し込みます。当社は、次の場合に申込を拒絶できます。

1.1.1

虚偽の情報を提供したとき

1.1.2

審査基準を満たさないとき

1.2

前項の申込は、取り消すことができます。

2

変更

当社は、本規約を変更できます。

3

禁止事項

お客様は、次の行為をしてはなりません。

3.1

法令に違反する行為

3.2

第三者の権利を侵害する行為
"""


@pytest.mark.parametrize("text", [DECIMAL_INLINE, DECIMAL_ALONE], ids=["inline", "alone"])
def test_decimal_outline(text: str) -> None:
    document = parse(text)
    assert document.numbering_style == "decimal-outline"
    # 3.1/3.2 list the items of the unnumbered paragraph that introduces them.
    assert shape(document) == [("1", "申込", [2, 0]), ("2", "変更", [0]), ("3", "禁止事項", [2])]
    first = document.articles[0].paragraphs[0]
    assert first.items[1].path == "art:1/para:1/item:2"
    assert first.items[1].text == "審査基準を満たさないとき"
    assert numbering(document) == []


MARKDOWN = """# サンプル利用規約
このサンプル利用規約は、本サービスの利用条件を定めます。

## 総則
### 本規約の目的
当社は、第２項に定める契約者に対して本サービスを提供します。

本サービスに係る契約者は、本規約を遵守するものとします。

### 申込の承諾
当社は、申込みを受け付けた順序に従って承諾します。

当社は前項の規定にかかわらず、次の場合には承諾しないことがあります。

- 技術上著しく困難なとき。
- 虚偽の内容を申し出たとき。

当社は第１項に定める承諾をもって、APIキーを払い出します。

## 雑則
### 準拠法
本規約は日本法に準拠します。
"""


def test_markdown_headings_without_numbers() -> None:
    document = parse(MARKDOWN, "terms.md")
    assert document.numbering_style == "heading"
    assert shape(document) == [
        ("1", "本規約の目的", [0, 0]),
        ("2", "申込の承諾", [0, 2, 0]),
        ("3", "準拠法", [0]),
    ]
    assert [(c.number, c.title, c.articles) for c in document.chapters] == [
        (1, "総則", ["1", "2"]),
        (2, "雑則", ["3"]),
    ]


def test_references_resolve_in_a_document_without_articles() -> None:
    document = parse_bytes(MARKDOWN.encode("utf-8"), "terms.md")
    targets = {
        e.text: e.value.targets  # type: ignore[union-attr]
        for e in document.extractions
        if e.kind == "crossref"
    }
    assert targets["第2項"] == ["art:1/para:2"]
    assert targets["前項"] == ["art:2/para:1"]
    assert targets["第1項"] == ["art:2/para:1"]


def test_text_without_any_structure_is_refused_in_one_line() -> None:
    with pytest.raises(SegmentError) as err:
        parse("お知らせ\n本日は晴天なり。\n明日も晴れるでしょう。\n")
    assert err.value.reason == NOT_TERMS
    assert "\n" not in str(err.value)


# -- bundles ---------------------------------------------------------------------------------

BUNDLE = """Aサービス利用規約
第1条（目的）
本規約は、Aサービスの利用条件を定めます。
第2条（変更）
1.当社は、本規約を変更できます。
2.前項の変更は、掲示により通知します。
以上
Bサービス利用規約
第1条(目的)
本規約は、Bサービスの利用条件を定めます。
第2条(禁止事項)
会員は、次の行為をしてはなりません。
(1)法令に違反する行為
(2)前号に準ずる行為
第3条(準拠法)
前条の規定は、第1条の目的に従い解釈します。
以上
"""


def test_bundle_parts_have_their_own_structure() -> None:
    document = parse(BUNDLE)
    assert document.articles == []
    assert [(p.path, p.title) for p in document.parts] == [
        ("part:1", "Aサービス利用規約"),
        ("part:2", "Bサービス利用規約"),
    ]
    assert [[a.path for a in p.articles] for p in document.parts] == [
        ["part:1/art:1", "part:1/art:2"],
        ["part:2/art:1", "part:2/art:2", "part:2/art:3"],
    ]
    assert [len(p.items) for p in document.parts[1].articles[1].paragraphs] == [2]
    assert numbering(document) == []
    assert all(p.closing is not None and p.closing.text == "以上" for p in document.parts)


def test_bundle_references_resolve_inside_their_part() -> None:
    document = parse_bytes(BUNDLE.encode("utf-8"), "bundle.txt")
    found = {
        (e.path, e.text): e.value.targets  # type: ignore[union-attr]
        for e in document.extractions
        if e.kind == "crossref"
    }
    assert found[("part:1/art:2/para:2", "前項")] == ["part:1/art:2/para:1"]
    assert found[("part:2/art:3/para:1", "前条")] == ["part:2/art:2"]
    assert found[("part:2/art:3/para:1", "第1条")] == ["part:2/art:1"]


def test_a_repeated_article_number_gets_a_path_of_its_own() -> None:
    document = parse("規約\n第1条 本文です。\n第2条 本文です。\n第2条 もう一度です。\n")
    paths = [a.path for a in document.articles]
    assert len(set(paths)) == len(paths) == 3
    assert "numbering.article.repeat" in numbering(document)


# -- paragraphs vs items ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "paragraph_items"),
    [
        ("当社は、本規約を定めます。\n２ 前項の規約は公開します。\n３ 会員は従います。", [0, 0, 0]),
        ("当社は、本規約を定めます。\n２　前項の規約は公開します。", [0, 0]),
        ("当社は、本規約を定めます。\n２前項の規約は公開します。", [0, 0]),
        ("1.当社は次の場合に通知します。\n(1)変更\n(2)廃止\n2.前項の通知は書面です。", [2, 0]),
        ("会員は次の行為をしてはなりません。\n- 違法行為\n- 迷惑行為", [2]),
        ("当社は、料金を定めます。料金は月額\n15 万円とします。", [0]),
        ("①本規約は目的を定めます。\n②前項の目的は公開します。", [0, 0]),
        ("当社は、次の場合に通知します。\n①変更\n②廃止", [2]),
        ("当社は、次の場合に通知します。\n⑴ 変更\n⑵ 廃止\n２ 前項の通知は書面です。", [2, 0]),
        ("1 項. 本規約は目的を定めます。\n2 項. 前項の目的は公開します。", [0, 0]),
        ("当社は、本規約を定めます。第\n２項に定める場合も同様です。", [0]),
    ],
    ids=[
        "zenkaku-space",
        "ideographic-space",
        "glued",
        "dot-paren",
        "bullets",
        "wrapped-number",
        "circled-body",
        "circled-items",
        "parenthesized-items",
        "kou",
        "wrapped-kou",
    ],
)
def test_paragraph_and_item_levels_follow_usage(body: str, paragraph_items: list[int]) -> None:
    document = parse(f"規約\n第１条（目的）\n{body}\n第２条（その他）\n本文です。\n")
    assert document.articles[0].title == "目的"
    assert [len(p.items) for p in document.articles[0].paragraphs] == paragraph_items


@pytest.mark.parametrize(
    "heading", ["第1条［目的］", "第1条 (目的)", "第１条　目的", "（目的）\n第1条"]
)
def test_article_title_forms(heading: str) -> None:
    document = parse(f"規約\n{heading}\n本規約は目的を定めます。\n第2条 本文です。\n")
    assert document.articles[0].title == "目的"
    assert document.articles[0].paragraphs[0].text == "本規約は目的を定めます。"


# -- what stands around the articles ---------------------------------------------------------


@pytest.mark.parametrize("heading", ["附　則　抄", "附則（2024年4月1日）", "付則", "<付則>"])
def test_supplementary_heading_forms(heading: str) -> None:
    document = parse(f"規約\n第1条 本文です。\n{heading}\n本規約は2024年4月1日から施行します。\n")
    assert len(document.supplementary) == 1
    assert document.supplementary[0].paragraphs[0].text.startswith("本規約は")


def test_preamble_closing_and_appendix_are_nodes() -> None:
    text = (
        "サンプル規約\n本規約は利用条件を定めます。\n"
        "第1条 会員は別表第二の各号に掲げる料金を支払います。\n"
        "別表第二（第1条関係）\n一 基本料金 月額1000円\n二 追加料金 月額500円\n"
        "以上\n2024年4月1日 制定\n株式会社サンプル\n"
    )
    document = parse(text)
    assert document.preamble is not None and document.preamble.path == "preamble"
    assert [a.path for a in document.appendices] == ["appx:2"]
    appendix = document.appendices[0]
    assert appendix.title == "第1条関係"
    assert [i.path for i in appendix.items] == ["appx:2/item:1", "appx:2/item:2"]
    assert document.closing is not None and document.closing.path == "closing"
    assert document.closing.text.split("\n") == ["以上", "2024年4月1日制定", "株式会社サンプル"]
    assert document.articles[0].paragraphs[0].text.endswith("支払います。")


def test_a_comparison_table_is_reported_in_one_line() -> None:
    text = "利用規約 新旧対照表\n改正後\t現行\n第1条 本文\t第1条 旧本文\n第2条 本文\t第2条 旧本文\n"
    with pytest.raises(SegmentError) as err:
        parse(text)
    assert err.value.reason == COMPARISON_TABLE


# -- size ------------------------------------------------------------------------------------


def test_a_100_kb_paragraph_is_one_paragraph() -> None:
    sentence = "会員は、本サービスの利用にあたり、当社の定める方法に従うものとします。"
    long_body = sentence * (100_000 // len(sentence.encode("utf-8")) + 1)
    document = parse(f"規約\n第1条（目的）\n{long_body}\n第2条 本文です。\n")
    assert len(document.articles) == 2
    assert document.articles[0].paragraphs[0].text == long_body
    assert len(long_body.encode("utf-8")) > 100_000


def test_a_paragraph_glued_after_a_sentence_end_is_split() -> None:
    document = parse(
        "規約\n第1条（届出）\n1.会員は、変更を届け出ます。 2.当社は、前項の届出を確認します。\n"
        "第2条 本文です。料金は1.5倍とします。\n"
    )
    assert [p.text for p in document.articles[0].paragraphs] == [
        "会員は、変更を届け出ます。",
        "当社は、前項の届出を確認します。",
    ]
    assert len(document.articles[1].paragraphs) == 1


def test_a_caption_lets_a_list_start_again() -> None:
    document = parse(
        "規約\n第1条（解除）\n当社は、次の場合に解除します。\n〔旅行開始前〕\n①病気のとき。\n②迷惑なとき。\n"
        "〔旅行開始後〕\n①病気のとき。\n②規律を乱すとき。\n第2条 本文です。\n"
    )
    items = document.articles[0].paragraphs[0].items
    assert [i.label for i in items] == ["①", "②", "①", "②"]
    assert len({i.path for i in items}) == 4
    assert numbering(document) == []


def test_a_repeated_paragraph_number_is_reported_once() -> None:
    document = parse(
        "条件書\n1.申込\n(1)申込みは書面によります。\n(2)申込金は20%です。\n"
        "(3)契約は承諾により成立します。\n(2)通信契約は通知により成立します。\n(3)代表者を定めます。\n"
        "2.取消\n(1)取消料をいただきます。\n"
    )
    paragraphs = document.articles[0].paragraphs
    assert [p.marker for p in paragraphs] == ["(1)", "(2)", "(3)", "(2)", "(3)"]
    assert len({p.path for p in paragraphs}) == 5
    assert numbering(document) == ["numbering.paragraph"]


def test_decorated_headings_and_a_separate_sheet() -> None:
    document = parse(
        "保管規約\n■第1章 総則\n第1条（適用）\n寄託者は、別紙に掲げる物品を寄託できません。\n"
        "■第2章 雑則\n第2条（準拠法）\n本規約は日本法に準拠します。\n以上\n"
        "別紙\n【寄託不可物品】\n・現金\n・有価証券\n以上\n"
    )
    assert [(c.title, c.articles) for c in document.chapters] == [("総則", ["1"]), ("雑則", ["2"])]
    assert [len(p.items) for a in document.articles for p in a.paragraphs] == [0, 0]
    assert [(a.path, len(a.items)) for a in document.appendices] == [("appx:1", 2)]
    assert document.closing is not None and document.closing.text == "以上"


def test_tables_and_html_comments_are_not_provisions() -> None:
    text = (
        "# 規約\n\n## 総則\n### 用語の定義\n次の用語を使用します。\n\n"
        " \t用語\t意味\n1\tAPIキー\t識別符号\n2\t契約者\t利用者\n\n"
        "| 番号 | 用語 |\n| ---- | ---- |\n| 1 | APIキー |\n\n"
        "### 準拠法\n本規約は日本法に準拠します。\n\n"
        "<!-- 附則\nこの規約は平成25年より実施します。 -->\n"
    )
    document = parse(text, "terms.md")
    assert shape(document) == [("1", "用語の定義", [0]), ("2", "準拠法", [0])]
    assert document.supplementary == []
    assert "平成25年" not in document.text


def test_a_reference_to_an_appendix_targets_it() -> None:
    text = (
        "サンプル規約\n第1条 会員は、別表第二の各号に掲げる料金を支払います。\n"
        "別表第二（第1条関係）\n一 基本料金 月額1000円\n二 追加料金 月額500円\n"
    )
    document = parse_bytes(text.encode("utf-8"), "appendix.txt")
    targets = [
        e.value.targets  # type: ignore[union-attr]
        for e in document.extractions
        if e.kind == "crossref" and e.text.endswith("各号")
    ]
    assert targets == [["appx:2/item:*"]]


def test_bracketed_paragraphs_of_a_section_are_cited_as_such() -> None:
    text = (
        "保険サービス利用規約\n1. 概要\n本特典は会員に保険金を支払います。\n2. 対象機器\n"
        "(1) 対象機器は、会員が所有する機器とします。\n"
        "(2) 本条(1)の対象機器には、中古品を含みません。\n(3) 前項の定めは、本項(1)にも及びます。\n"
    )
    document = parse_bytes(text.encode("utf-8"), "sections.txt")
    targets = {
        e.text: e.value.targets  # type: ignore[union-attr]
        for e in document.extractions
        if e.kind == "crossref"
    }
    assert targets["本条(1)"] == ["art:2/para:1"]
    assert targets["前項"] == ["art:2/para:2"]
    assert targets["本項(1)"] == ["art:2/para:1"]


def test_articles_inside_supplementary_provisions_stay_there() -> None:
    document = parse(
        "規約\n第1条（目的）\n本規約は目的を定めます。\n第2条（準拠法）\n本規約は日本法に準拠します。\n"
        "附 則\n第1条（施行期日）\nこの規約は、2024年4月1日から施行します。\n"
        "第2条（経過措置）\n従前の契約は、なお従前の例によります。\n"
    )
    assert document.parts == []
    assert [a.number for a in document.articles] == ["1", "2"]
    paragraphs = document.supplementary[0].paragraphs
    assert [(p.path, p.marker) for p in paragraphs] == [
        ("suppl:1/para:1", "第1条(施行期日)"),
        ("suppl:1/para:2", "第2条(経過措置)"),
    ]
    assert numbering(document) == []


def test_a_bracket_or_full_stop_pushed_onto_its_own_line_opens_nothing() -> None:
    document = parse(
        "規約\n第1条（目的\n）\n本規約は目的を定めます。\n第2条（定義\n）\n"
        "1. 会員とは、登録者をいう\n。\n2. 前項の会員は、次の者とする\n（1）個人\n（2）法人\n"
    )
    assert document.numbering_style == "article"
    assert shape(document) == [("1", "目的", [0]), ("2", "定義", [0, 2])]
    assert document.articles[1].paragraphs[0].text == "会員とは、登録者をいう。"


def test_running_headers_and_page_numbers_inside_a_list_are_layout() -> None:
    header = "　　　　サンプル約款（第三版）"
    number = " " * 30
    pages = [
        f"{header}\nサンプル約款\n第1条（目的）\n本約款は、次の事項を定めます。\n一 料金\n",
        f"\f{header}\n二 支払方法\n三 解約\n{number}2\n",
        f"\f{header}\n第2条（準拠法）\n本約款は日本法に準拠します。\n{number}3\n",
    ]
    document = parse("".join(pages))
    items = document.articles[0].paragraphs[0].items
    assert [i.text for i in items] == ["料金", "支払方法", "解約"]
    assert "第三版" not in document.text
