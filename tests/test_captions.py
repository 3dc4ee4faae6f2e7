"""A marker with only a caption on its line, '(1) 補償対象事故', then the text under it.

The caption stays a line of its own in the node's text ('補償対象事故\\n上記3.…'): joined to the
sentence after it, it read '補償対象事故上記3.「補償期間」中に…'. A line that layout broke
mid-phrase is joined as before. Expected texts are read from the documents (for a PDF, its page).
"""

from __future__ import annotations

import functools

import pytest
from conftest import CORPUS, REALWORLD, SHARED_VERSIONS

from pipeline.models import Article, Document, Item, Paragraph
from pipeline.process import parse_bytes, parse_file

needs_shared = pytest.mark.skipif(
    not REALWORLD.is_dir(), reason="../shared/realworld is not beside the project"
)


@functools.cache
def parsed(path: str) -> Document:
    return parse_file(path, extract=False)


def article(document: Document, path: str) -> Article:
    return next(a for a in document.articles if a.path == path)


def node(document: Document, path: str) -> Paragraph | Item:
    art_path = path.split("/")[0]
    found: Paragraph | Item | None = None
    for paragraph in article(document, art_path).paragraphs:
        if paragraph.path == path:
            return paragraph
        stack: list[Item] = list(paragraph.items)
        while stack:
            item = stack.pop()
            if item.path == path:
                found = item
            stack.extend(item.items)
    assert found is not None, path
    return found


DAYONE_TERMS = [
    "会員",
    "運用管理者",
    "ユーザー会員",
    "本サイト",
    "本ソフトウェア",
    "登録情報",
    "ユーザー会員情報",
    "同期可能サイト",
    "同期機能",
    "有料サービス",
]
"""013_dayone_member_terms.txt 第2条(定義): the captions of items (1) to (10), in order."""


def text_of(lines: str) -> Document:
    return parse_bytes(lines.encode("utf-8"), "captions.txt", extract=False)


GENERATED = """利用規約

第1条(補償)
当社は、次のとおり補償します。
(1) 補償対象事故
上記の期間中に、偶然な事故により生じた損害に対して、保険金を支払います。
(2) 保険金額:
以下の各対象機器について、保険金額を限度として修理費用をお支払いします。
(3) ホスティングサービス
(「ホスティングサービス利用規程」)
(4) 契約者が第10条に定める
料金を支払わないときは、当社は補償しません。
第2条(届出)
会員は、住所を変更したときは、30日以内に当社に届け出るものとします。
2. 会員は、前項の届出を怠ったことにより生じた不利益について、当社に異議を述べないものとします。
"""


def test_a_caption_line_stays_apart_from_the_text_under_it() -> None:
    document = text_of(GENERATED)
    items = article(document, "art:1").paragraphs[0].items
    assert [item.text for item in items] == [
        "補償対象事故\n上記の期間中に、偶然な事故により生じた損害に対して、保険金を支払います。",
        "保険金額:\n以下の各対象機器について、保険金額を限度として修理費用をお支払いします。",
        # The next line opens a bracket: it goes on with the name, it is no text under it.
        "ホスティングサービス(「ホスティングサービス利用規程」)",
        # Broken mid-phrase: the line ends on a particle or an inflection (定める).
        "契約者が第10条に定める料金を支払わないときは、当社は補償しません。",
    ]


def test_a_short_document_has_no_captions() -> None:
    # Too few lines to tell a caption's length from the measure of the text.
    short = "第1条(目的)\n(1) 補償対象事故\n上記の期間中に生じた損害に対して、支払います。"
    document = text_of(short)
    assert article(document, "art:1").paragraphs[0].items[0].text == (
        "補償対象事故上記の期間中に生じた損害に対して、支払います。"
    )


def test_the_nas_lines_that_go_on_with_a_name_are_joined() -> None:
    # corpus/nas/source.txt, 第3条: '(3)ホスティングサービス' / '(「日経DMCホスティング…」)'.
    for name in ("source.txt", "source.pdf"):
        document = parsed(str(CORPUS / "nas" / name))
        assert node(document, "art:3/para:1/item:3").text == (
            "ホスティングサービス(「日経DMCホスティングサービス利用規程」)"
        )
    # The PDF breaks 第19条第3項 after '3. 契約者'; 'は、' goes on with it.
    paragraph = node(parsed(str(CORPUS / "nas" / "source.pdf")), "art:19/para:3")
    assert paragraph.text.startswith("契約者は、第13条(利用の停止)第1項(1)号乃至(5)号")


@needs_shared
def test_captions_in_a_real_pdf_and_its_text() -> None:
    # pequod_hoken_kiyaku.pdf, page 2: '4. 補償対象事故および保険金額', '(1) 補償対象事故',
    # '上記3.「補償期間」中に、偶然な事故、…', '(2) 保険金額', '以下の各対象機器について…'.
    document = parsed(str(REALWORLD / "pequod_hoken_kiyaku.pdf"))
    assert node(document, "art:4/para:1").text.startswith(
        "補償対象事故\n上記3.「補償期間」中に、偶然な事故、電気的・機械的事故、盗難により"
    )
    assert node(document, "art:4/para:2").text.startswith(
        "保険金額\n以下の各対象機器について修理可能な場合、保険金額を限度として"
    )
    # 旅行条件書 第12条 '(2) 免責事項' / '当社は、例えば次のような事由により…': PDF and text.
    for name in ("travel_jokensho.pdf", "020_jtc_ryoko_jokensho_juchugata_pdf.txt"):
        document = parsed(str(REALWORLD / name))
        assert node(document, "art:12/para:2").text.startswith(
            "免責事項\n当社は、例えば次のような事由によりお客様が損害を被った場合は、"
        )


@needs_shared
def test_a_definitions_list_keeps_each_term_apart_from_its_definition() -> None:
    # 013_dayone_member_terms.txt, 第2条(定義): '(1) 会員' / '本規約に同意の上、…をいいます。'.
    document = parsed(str(REALWORLD / "013_dayone_member_terms.txt"))
    items = article(document, "art:2").paragraphs[0].items
    assert [item.text.split("\n")[0] for item in items] == DAYONE_TERMS
    assert items[0].text.split("\n")[1].startswith("本規約に同意の上、当社と本サービスの利用に")


@needs_shared
def test_a_caption_in_the_versions() -> None:
    # 001_pequod_madoguchi_support_vA.txt: '(2)営業時間' / '土日、祝祭日、年末年始及び…'.
    document = parsed(str(SHARED_VERSIONS / "001_pequod_madoguchi_support_vA.txt"))
    assert node(document, "art:18/para:1/item:2").text == (
        "営業時間\n土日、祝祭日、年末年始及び当社がウェブサイトに告知をした日を除く、10:00から18:00の間"
    )
