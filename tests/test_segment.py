"""The segmenter against the real structure of both corpus documents, read by hand.

Expectations live in corpus/<family>/expected_structure.json; they were written from reading
the documents, article by article, not from the program's output.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import CORPUS, FAMILIES, SHARED_VERSIONS, load_json

from pipeline.ingest.sources import ingest_bytes
from pipeline.models import Document, Item, SegmentError
from pipeline.structure.normalize import normalize
from pipeline.structure.segment import segment


def _items(items: list[Item]) -> list[Any]:
    shaped: list[Any] = []
    for item in items:
        shaped.append(
            {"label": item.label, "items": _items(item.items)} if item.items else item.label
        )
    return shaped


def _article_shape(document: Document, number: str) -> dict[str, Any]:
    article = document.article(number)
    assert article is not None, f"第{number}条 missing"
    paragraphs = []
    for paragraph in article.paragraphs:
        shaped: dict[str, Any] = {"number": paragraph.number}
        if paragraph.items:
            shaped["items"] = _items(paragraph.items)
        paragraphs.append(shaped)
    return {"number": article.number, "title": article.title, "paragraphs": paragraphs}


@pytest.mark.parametrize("family", FAMILIES)
def test_article_numbers_and_titles(structure_docs: dict[str, Document], family: str) -> None:
    expected = load_json(CORPUS / family / "expected_structure.json")
    document = structure_docs[family]
    assert [a.number for a in document.articles] == [a["number"] for a in expected["articles"]]
    assert [a.title for a in document.articles] == [a["title"] for a in expected["articles"]]
    assert document.title == expected["title"]


@pytest.mark.parametrize(
    ("family", "number"),
    [
        (f, a["number"])
        for f in FAMILIES
        for a in load_json(CORPUS / f / "expected_structure.json")["articles"]
    ],
)
def test_article_structure(structure_docs: dict[str, Document], family: str, number: str) -> None:
    expected = load_json(CORPUS / family / "expected_structure.json")
    want = next(a for a in expected["articles"] if a["number"] == number)
    assert _article_shape(structure_docs[family], number) == want


@pytest.mark.parametrize("family", FAMILIES)
def test_chapters_and_sections(structure_docs: dict[str, Document], family: str) -> None:
    expected = load_json(CORPUS / family / "expected_structure.json")
    got = [
        {
            "number": c.number,
            "title": c.title,
            "sections": [
                {"number": s.number, "title": s.title, "articles": s.articles} for s in c.sections
            ],
            "articles": c.articles,
        }
        for c in structure_docs[family].chapters
    ]
    assert got == expected["chapters"]


@pytest.mark.parametrize("family", FAMILIES)
def test_paragraph_and_item_texts(structure_docs: dict[str, Document], family: str) -> None:
    expected = load_json(CORPUS / family / "expected_structure.json")
    document = structure_docs[family]
    nodes = {}
    for article in document.articles:
        for paragraph in article.paragraphs:
            nodes[paragraph.path] = paragraph.text
            stack = list(paragraph.items)
            while stack:
                item = stack.pop()
                nodes[item.path] = item.text
                stack.extend(item.items)
    for path, text in expected["texts"].items():
        assert nodes.get(path) == text, path


@pytest.mark.parametrize("family", FAMILIES)
def test_no_numbering_diagnostics_on_the_corpus(
    structure_docs: dict[str, Document], family: str
) -> None:
    assert [d for d in structure_docs[family].diagnostics if d.code.startswith("numbering")] == []


def test_nas_supplementary_and_metadata(structure_docs: dict[str, Document]) -> None:
    nas = structure_docs["nas"]
    assert [s.title for s in nas.supplementary] == ["附則"]
    suppl_text = " ".join(p.text for p in nas.supplementary[0].paragraphs)
    assert suppl_text.startswith("本約款(Ver1.0)は、平成29年11月4日から実施します。")
    assert "本約款(Ver1.6)は2022年4月1日から実施します。" in suppl_text
    assert "以下余白" not in suppl_text
    assert nas.version == "Ver1.6"
    assert str(nas.effective_date) == "2022-04-01"
    assert nas.family == "nas"
    assert structure_docs["nec"].family == "nec"


def test_nec_article_heading_at_column_start_and_end_marker(
    structure_docs: dict[str, Document],
) -> None:
    nec = structure_docs["nec"]
    # ' 第４条（本サービスの利用中止）' starts a column with a space in the source.
    assert nec.article("4") is not None
    assert nec.article("4").title == "本サービスの利用中止"  # type: ignore[union-attr]
    last = nec.articles[-1].paragraphs[-1].text
    assert last.endswith("第一審の専属的合意管轄裁判所とします。")  # '以上' is not part of it


@pytest.mark.parametrize("family", FAMILIES)
def test_spans_cover_their_text(structure_docs: dict[str, Document], family: str) -> None:
    document = structure_docs[family]
    for article in document.articles:
        assert document.text[article.span.start : article.span.end].lstrip().startswith("第")
        for paragraph in article.paragraphs:
            assert article.span.contains(paragraph.span)
            assert (
                document.text[paragraph.text_span.start : paragraph.text_span.end] == paragraph.text
            )
            for item in paragraph.items:
                assert paragraph.span.contains(item.span)
                assert document.text[item.text_span.start : item.text_span.end] == item.text
                assert document.text[item.span.start :].startswith(item.marker)


# Literal examples of every structural form, in a small synthetic document each.
FORMS = [
    ("第１条（目的）\n本規約は目的を定めます。", [("1", "目的")]),
    ("第 13 条 利用の停止\n本文です。", [("13", "利用の停止")]),
    ("第十三条（停止）\n本文です。", [("13", "停止")]),
    ("第5条の2（追加）\n本文です。", [("5-2", "追加")]),
    ("第五条の二　削除", [("5-2", None)]),
    ("（目的）\n第１条　この規約は、目的を定める。", [("1", "目的")]),
    ("第1条\n(目的)\n本文です。", [("1", "目的")]),
    ("## 第 1 条 定義\n本文です。", [("1", "定義")]),
    ("**第１条**　本利用規約は、次のとおりとします。", [("1", None)]),
]


@pytest.mark.parametrize(("text", "articles"), FORMS)
def test_article_heading_forms(text: str, articles: list[tuple[str, str | None]]) -> None:
    raw = ingest_bytes(text.encode(), "form.txt")
    document = segment(normalize(raw), raw.source)
    assert [(a.number, a.title) for a in document.articles] == articles


def test_deleted_article() -> None:
    raw = ingest_bytes(
        "第1条（目的）\n本文。\n第2条　削除\n第3条（範囲）\n本文。".encode(), "d.txt"
    )
    document = segment(normalize(raw), raw.source)
    assert [(a.number, a.deleted) for a in document.articles] == [
        ("1", False),
        ("2", True),
        ("3", False),
    ]


ITEM_FORMS = [
    ("2．次のとおり。\n（１）甲\n（２）乙", 2, ["1", "2"]),
    ("2. 次のとおり。\n(1)甲\n(2)乙", 2, ["1", "2"]),
    ("２　次のとおり。\n一　甲\n二　乙", 2, ["1", "2"]),
    ("2.次のとおり。\n①甲\n②乙", 2, ["①", "②"]),
    ("2.次のとおり。\nア 甲\nイ 乙", 2, ["ア", "イ"]),
    ("2.次のとおり。\n(ア)甲\n(イ)乙", 2, ["ア", "イ"]),
]


@pytest.mark.parametrize(("body", "paragraphs", "labels"), ITEM_FORMS)
def test_paragraph_and_item_forms(body: str, paragraphs: int, labels: list[str]) -> None:
    raw = ingest_bytes(f"第1条（例）\n本文です。\n{body}".encode(), "f.txt")
    document = segment(normalize(raw), raw.source)
    article = document.articles[0]
    assert len(article.paragraphs) == paragraphs
    assert [i.label for i in article.paragraphs[-1].items] == labels


def test_parenthesis_inside_a_sentence_is_not_an_item() -> None:
    text = (
        "第1条（例）\n当社は、第13条(利用の停止)第1項\n(1)号及び(4)号以外の各号に該当する"
        "ときは、解除できます。\n(以下\n「申込者」という。)"
    )
    raw = ingest_bytes(text.encode(), "p.txt")
    document = segment(normalize(raw), raw.source)
    paragraph = document.articles[0].paragraphs[0]
    assert paragraph.items == []
    assert "第1項(1)号及び(4)号以外の各号" in paragraph.text


def test_numbering_gap_is_a_diagnostic_not_a_failure() -> None:
    text = "第1条（例）\n本文。\n(1)甲\n(3)丙\n第3条（次）\n本文。"
    raw = ingest_bytes(text.encode(), "g.txt")
    document = segment(normalize(raw), raw.source)
    codes = {d.code for d in document.diagnostics}
    assert "numbering.article.gap" in codes


def test_skipped_paragraph_and_item_numbers_are_reported() -> None:
    text = "第1条（例）\n本文です。\n2.第二項です。\n4.第四項です。\n(1)甲とする。\n(3)丙とする。"
    raw = ingest_bytes(text.encode(), "skip.txt")
    document = segment(normalize(raw), raw.source)
    article = document.articles[0]
    assert [p.number for p in article.paragraphs] == [1, 2, 4]
    assert [i.label for i in article.paragraphs[-1].items] == ["1", "3"]
    codes = [d.code for d in document.diagnostics]
    assert "numbering.paragraph" in codes and "numbering.item.gap" in codes


def test_a_number_broken_onto_a_line_start_stays_text() -> None:
    # Layout put '3' at a line start mid-sentence: not a paragraph marker.
    text = "第1条（例）\n本文です。\n2.利用料金は、請求日から\n4 日以内に支払うものとします。"
    raw = ingest_bytes(text.encode(), "broken.txt")
    document = segment(normalize(raw), raw.source)
    assert [p.number for p in document.articles[0].paragraphs] == [1, 2]


def test_not_a_terms_document() -> None:
    raw = ingest_bytes("今日は良い天気です。\n明日も晴れるでしょう。".encode(), "weather.txt")
    with pytest.raises(SegmentError, match="not a terms document"):
        segment(normalize(raw), raw.source)


def test_markdown_quotes_are_notes_outside_the_clauses() -> None:
    text = (
        "## 第 2 条 同意\n1.  運営会社は、周知を行います。\n2.  利用者は同意します。\n\n"
        "> 利用規約の変更にあたってはお知らせします。\n\n## 第 3 条 連携\n本文です。\n"
        '<div style="text-align: right">\n2024年05月07日 改定\n\n2023年04月17日 制定\n</div>'
    )
    raw = ingest_bytes(text.encode(), "quote.md")
    document = segment(normalize(raw), raw.source)
    second, third = document.articles
    assert second.paragraphs[-1].text == "利用者は同意します。"
    assert third.paragraphs[-1].text == "本文です。"
    assert "<div" not in document.text


def test_a_tag_inside_a_sentence_is_text() -> None:
    raw = ingest_bytes(
        "第1条（例）\n表示は<script>alert(1)</script>のとおりとします。".encode(), "t.txt"
    )
    document = segment(normalize(raw), raw.source)
    assert (
        document.articles[0].paragraphs[0].text
        == "表示は<script>alert(1)</script>のとおりとします。"
    )


COCOA_VA = SHARED_VERSIONS / "017_mhlw_cocoa_terms_vA.txt"


@pytest.mark.skipif(not COCOA_VA.exists(), reason="../shared/versions is not beside the project")
def test_markdown_auto_numbered_lists_nest_by_indentation() -> None:
    # Read from the file: every paragraph is written '1.', every item '    1.', and 第2条's
    # only body line is a '* ' bullet with ten indented definitions under it.
    from pipeline.process import parse_file

    document = parse_file(COCOA_VA, extract=False)
    shape = {
        a.number: [(p.number, len(p.items)) for p in a.paragraphs]
        for a in document.articles
        if a.number in ("2", "4", "5")
    }
    assert shape == {"2": [(1, 10)], "4": [(1, 5), (2, 0)], "5": [(1, 0), (2, 4), (3, 0)]}
    items = document.article("4").paragraphs[0].items  # type: ignore[union-attr]
    assert [i.path for i in items][-1] == "art:4/para:1/item:5"
