"""PDF ingestion on the corpus PDFs: the same Document as the source text, page by page.

Expected values come from the documents: the source texts the PDFs were typeset from, and what
the pages show (NEC page 1 ends inside 第６条; the running headers and page numbers).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pdfgen
import pypdfium2
import pytest
from conftest import CORPUS, FAMILIES
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.ingest.pdf import CharSource, read_pdf
from pipeline.ingest.sources import ingest_bytes
from pipeline.models import Document, IngestError, Item, RawDocument
from pipeline.process import parse_file

ARTICLE_COUNT = {"nec": 19, "nas": 40}  # 第１条–第１９条; 第1条–第40条 (manifests)


def source_lines(family: str) -> list[str]:
    """The source text's lines without blank ones, edge spaces stripped."""
    text = (CORPUS / family / "source.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module")
def pdf_docs() -> dict[str, Document]:
    """Each corpus PDF parsed without extractors."""
    return {
        family: parse_file(CORPUS / family / "source.pdf", extract=False) for family in FAMILIES
    }


@pytest.fixture(scope="module")
def raw_pdfs() -> dict[tuple[str, CharSource], RawDocument]:
    """Each corpus PDF read by both character sources."""
    out = {}
    for family in FAMILIES:
        data = (CORPUS / family / "source.pdf").read_bytes()
        for source in ("pdfplumber", "pdfium"):
            out[(family, source)] = read_pdf(data, f"{family}.pdf", char_source=source)
    return out


# --------------------------------------------------------------------------------------------
# The Document from the PDF equals the Document from the text, node by node
# --------------------------------------------------------------------------------------------


def _items(items: list[Item], depth: int = 0) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for item in items:
        out.append(
            ("item", item.path, item.label, item.marker, item.style, item.ordinal, item.text)
        )
        out.extend(_items(item.items, depth + 1))
    return out


def outline(doc: Document) -> list[tuple[Any, ...]]:
    """Every node of the tree with the fields that must agree, in document order."""
    out: list[tuple[Any, ...]] = []
    if doc.preamble is not None:
        out.append(("preamble", doc.preamble.text))
    for chapter in doc.chapters:
        out.append(("chapter", chapter.path, chapter.number, chapter.title, chapter.articles))
        for section in chapter.sections:
            out.append(("section", section.path, section.number, section.title, section.articles))
    for article in doc.articles:
        out.append(
            (
                "article",
                article.path,
                article.number,
                article.heading,
                article.title,
                article.deleted,
                article.chapter,
                article.section,
                article.text,
            )
        )
        for paragraph in article.paragraphs:
            out.append(("paragraph", paragraph.path, paragraph.number, paragraph.marker))
            out.append(("text", paragraph.path, paragraph.text))
            out.extend(_items(paragraph.items))
    for supplementary in doc.supplementary:
        out.append(("supplementary", supplementary.path, supplementary.title, supplementary.text))
        for paragraph in supplementary.paragraphs:
            out.append(("paragraph", paragraph.path, paragraph.number, paragraph.text))
            out.extend(_items(paragraph.items))
    return out


@pytest.mark.parametrize("family", FAMILIES)
def test_pdf_document_equals_text_document_node_by_node(
    family: str, pdf_docs: dict[str, Document], structure_docs: dict[str, Document]
) -> None:
    from_pdf, from_text = pdf_docs[family], structure_docs[family]
    assert len(from_pdf.articles) == ARTICLE_COUNT[family]
    pdf_nodes, text_nodes = outline(from_pdf), outline(from_text)
    for pdf_node, text_node in zip(pdf_nodes, text_nodes, strict=False):
        assert pdf_node == text_node
    assert len(pdf_nodes) == len(text_nodes)
    assert from_pdf.text == from_text.text
    assert (from_pdf.title, from_pdf.version, from_pdf.family) == (
        from_text.title,
        from_text.version,
        from_text.family,
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_pdf_document_records_its_source(family: str, pdf_docs: dict[str, Document]) -> None:
    path = CORPUS / family / "source.pdf"
    data = path.read_bytes()
    source = pdf_docs[family].source
    assert source.kind == "pdf"
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.pages == len(pypdfium2.PdfDocument(data))
    assert source.path == str(path)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_article_knows_its_page(family: str, pdf_docs: dict[str, Document]) -> None:
    doc = pdf_docs[family]
    pages = [article.page for article in doc.articles]
    assert all(page is not None for page in pages)
    assert pages == sorted(pages)  # type: ignore[type-var]
    assert pages[0] == 1
    assert pages[-1] == doc.source.pages
    for article in doc.articles:
        for paragraph in article.paragraphs:
            assert paragraph.page is not None and article.page <= paragraph.page  # type: ignore[operator]


def test_nec_pages_as_printed(pdf_docs: dict[str, Document]) -> None:
    # Page 1 holds 第１条 to the start of 第６条 (its right column ends in 第６条 (1));
    # page 2 starts with 第６条 (2), so 第６条 (2) and 第７条 are on page 2.
    doc = pdf_docs["nec"]
    assert [doc.article(str(n)).page for n in range(1, 8)] == [1, 1, 1, 1, 1, 1, 2]  # type: ignore[union-attr]
    article6 = doc.article("6")
    assert article6 is not None
    items = article6.paragraphs[0].items
    assert (items[0].page, items[1].page) == (1, 2)


# --------------------------------------------------------------------------------------------
# Raw lines: reading order, columns, running headers and page numbers
# --------------------------------------------------------------------------------------------


def test_nec_lines_are_the_source_column_lines_in_order(
    raw_pdfs: dict[tuple[str, CharSource], RawDocument],
) -> None:
    # The NEC PDF sets the source's own lines; reading it back column by column gives them all,
    # in the source's order, with no running header and no page number among them.
    for source in ("pdfplumber", "pdfium"):
        raw = raw_pdfs[("nec", source)]
        assert [line.text.strip() for line in raw.lines] == source_lines("nec")


def test_nec_title_and_preamble_span_and_articles_sit_in_two_columns(
    raw_pdfs: dict[tuple[str, CharSource], RawDocument],
) -> None:
    raw = raw_pdfs[("nec", "pdfplumber")]
    first = raw.lines[0]
    assert (first.text, first.page, first.column) == (
        "ＳｕｐｐｏｒｔＰａｃｋ サービス実施条件",
        1,
        None,
    )
    assert raw.lines[1].text.startswith("日本電気株式会社（以下ＮＥＣといいます）は")
    assert all(line.column is None for line in raw.lines[:4])
    heading = raw.lines[4]
    assert (heading.text.strip(), heading.column) == ("第１条（登録）", 0)
    for page in (1, 2, 3):
        columns = {line.column for line in raw.lines if line.page == page}
        assert {0, 1} <= columns
    right = [line for line in raw.lines if line.column == 1]
    left = [line for line in raw.lines if line.column == 0]
    assert min(line.bbox[0] for line in right) > max(line.bbox[2] for line in left)  # type: ignore[index]


@pytest.mark.parametrize(
    ("family", "title", "header"),
    [
        (
            "nec",
            "ＳｕｐｐｏｒｔＰａｃｋ サービス実施条件",
            "ＳｕｐｐｏｒｔＰａｃｋ サービス実施条件",
        ),
        (
            "nas",
            "日経統合システム(NAS)サービス契約約款",
            "日経統合システム(NAS)サービス契約約款 Ver1.6",
        ),
    ],
)
def test_running_header_and_page_numbers_go_but_the_title_stays(
    family: str, title: str, header: str, raw_pdfs: dict[tuple[str, CharSource], RawDocument]
) -> None:
    for source in ("pdfplumber", "pdfium"):
        raw = raw_pdfs[(family, source)]
        texts = [line.text.strip() for line in raw.lines]
        assert texts.count(title) == 1
        assert raw.lines[texts.index(title)].page == 1
        assert header == title or header not in texts
        numbers = {f"－ {chr(0xFF10 + n)} －" for n in range(1, 10)} | {
            f"- {n} -" for n in range(1, 20)
        }
        assert not numbers & set(texts)


def test_nas_wrapped_lines_join_back_to_the_source_lines(
    raw_pdfs: dict[tuple[str, CharSource], RawDocument],
) -> None:
    raw = raw_pdfs[("nas", "pdfplumber")]
    assert raw.source.pages == 10
    assert all(line.column == 0 for line in raw.lines)
    assert "".join(line.text for line in raw.lines) == "".join(source_lines("nas"))
    assert len(raw.lines) > len(source_lines("nas"))  # the long paragraphs were wrapped


@pytest.mark.parametrize("family", FAMILIES)
def test_lines_carry_page_box_and_character_boxes(
    family: str, raw_pdfs: dict[tuple[str, CharSource], RawDocument]
) -> None:
    raw = raw_pdfs[(family, "pdfplumber")]
    pages = raw.source.pages or 0
    for line in raw.lines:
        assert line.page is not None and 1 <= line.page <= pages
        assert line.bbox is not None and line.char_boxes is not None
        assert len(line.char_boxes) == len(line.text)
        x0, top, x1, bottom = line.bbox
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842
        for box in line.char_boxes:
            assert x0 <= box[0] <= box[2] <= x1 and top <= box[1] <= box[3] <= bottom


@pytest.mark.parametrize("family", FAMILIES)
def test_pdfium_source_reads_the_same_lines_and_boxes(
    family: str, raw_pdfs: dict[tuple[str, CharSource], RawDocument]
) -> None:
    plumber, pdfium = raw_pdfs[(family, "pdfplumber")], raw_pdfs[(family, "pdfium")]
    assert [line.text.strip() for line in pdfium.lines] == [
        line.text.strip() for line in plumber.lines
    ]
    for a, b in zip(plumber.lines, pdfium.lines, strict=True):
        assert (a.page, a.column) == (b.page, b.column)
        assert all(abs(p - q) < 3 for p, q in zip(a.bbox, b.bbox, strict=True))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Bad PDFs: each kind fails with its own one-line reason
# --------------------------------------------------------------------------------------------

BAD_PDFS = {
    "encrypted": (pdfgen.encrypted_pdf, "encrypted PDF: it needs a password to be read"),
    "image-only": (pdfgen.image_only_pdf, "no text at all (an image-only or scanned PDF?)"),
    "cid-garbled": (pdfgen.cid_garbled_pdf, "no usable text layer: OCR needed"),
    "control-garbled": (pdfgen.control_garbled_pdf, "no usable text layer: OCR needed"),
    "truncated": (
        lambda: pdfgen.truncated_pdf((CORPUS / "nec" / "source.pdf").read_bytes()),
        "truncated PDF",
    ),
    "not-a-pdf": (lambda: pdfgen.NOT_A_PDF, "not a PDF file (no %PDF header)"),
}


@pytest.mark.parametrize("kind", BAD_PDFS)
@pytest.mark.parametrize("char_source", ["pdfplumber", "pdfium"])
def test_bad_pdf_fails_with_its_reason(kind: str, char_source: CharSource) -> None:
    build, reason = BAD_PDFS[kind]
    with pytest.raises(IngestError) as caught:
        read_pdf(build(), f"{kind}.pdf", char_source=char_source)
    assert caught.value.path == f"{kind}.pdf"
    assert reason in caught.value.reason
    assert "\n" not in str(caught.value)


def test_garbled_reason_counts_the_unmapped_characters() -> None:
    with pytest.raises(IngestError) as caught:
        read_pdf(pdfgen.cid_garbled_pdf(), "cid.pdf")
    # the PDF shows 20 rows of 30 glyphs, none of them mapped to Unicode
    assert "(600 of 600 characters have no Unicode mapping)" in caught.value.reason


@pytest.mark.parametrize("kind", BAD_PDFS)
def test_ingest_dispatches_pdf_bytes_and_pdf_names(kind: str) -> None:
    build, reason = BAD_PDFS[kind]
    with pytest.raises(IngestError, match=r"^bad\.pdf: ") as caught:
        ingest_bytes(build(), "bad.pdf")
    assert reason in caught.value.reason


@pytest.mark.parametrize("kind", BAD_PDFS)
def test_cli_prints_one_line_and_exits_non_zero(kind: str, tmp_path: Path) -> None:
    build, reason = BAD_PDFS[kind]
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(build())
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"yakkan: error: {path}: ")
    assert reason in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_parses_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "nec.pdf"
    path.write_bytes((CORPUS / "nec" / "source.pdf").read_bytes())
    result = CliRunner().invoke(app, ["parse", str(path), "--no-extract"])
    assert result.exit_code == 0, result.stderr
    doc = Document.model_validate_json(result.stdout)
    assert (doc.source.kind, doc.source.pages, len(doc.articles)) == ("pdf", 3, 19)


def test_a_good_one_line_pdf_reads() -> None:
    raw = read_pdf(pdfgen.text_pdf("第1条 本約款は、試験のために作成したものとします。"), "one.pdf")
    assert [line.text for line in raw.lines] == [
        "第1条 本約款は、試験のために作成したものとします。"
    ]
    assert raw.lines[0].page == 1 and raw.source.pages == 1


@pytest.mark.parametrize("family", FAMILIES)
def test_pdfplumber_source_gives_exactly_page_chars(family: str) -> None:
    # read_pdf takes pdfplumber's characters from the layout underneath page.chars, without
    # pdfplumber's per-character dict: the values must be the very same
    import io

    import pdfplumber

    from pipeline.ingest.pdf.pdfplumber_chars import pdfplumber_pages

    data = (CORPUS / family / "source.pdf").read_bytes()
    ours = [[tuple(char) for char in page.chars] for page in pdfplumber_pages(data, "x.pdf")]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        theirs = [
            [(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]) for c in page.chars]
            for page in pdf.pages
        ]
    assert ours == theirs


@pytest.mark.parametrize("family", FAMILIES)
def test_pdfium_source_gives_exactly_the_loose_char_boxes(family: str) -> None:
    # read_pdf asks PDFium for every box through a bare prototype of the call, into one
    # array: the values must be the very ones pypdfium2's own `get_charbox(loose=True)` gives
    from pipeline.ingest.pdf.pdfium_chars import pdfium_pages

    data = (CORPUS / family / "source.pdf").read_bytes()
    ours = [[tuple(char) for char in page.chars] for page in pdfium_pages(data, "x.pdf")]
    pdf = pypdfium2.PdfDocument(data)
    theirs = []
    for index in range(len(pdf)):
        page = pdf[index]
        height = page.get_height()
        textpage = page.get_textpage()
        chars = []
        for i in range(textpage.count_chars()):
            text = chr(pypdfium2.raw.FPDFText_GetUnicode(textpage.raw, i))
            if text in " \n\r\u2028\u2029\ufffe\x02":
                continue  # spaces, line breaks and PDFium's own markers: rows find their own
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            chars.append((text, left, right, height - top, height - bottom, top - bottom))
        theirs.append(chars)
    assert ours == theirs
    assert sum(map(len, theirs)) > 1000


@pytest.mark.parametrize("family", FAMILIES)
def test_corpus_pdf_rebuilds_byte_for_byte(family: str) -> None:
    # corpus/build_pdfs.py typesets in reportlab's invariant mode: no date, fixed document id
    from corpus.build_pdfs import build

    assert build(family) == (CORPUS / family / "source.pdf").read_bytes()


@pytest.mark.parametrize("char_source", ["pdfplumber", "pdfium"])
def test_encrypted_pdf_without_a_user_password_reads(char_source: CharSource) -> None:
    # encryption that only guards the owner's permissions opens with the empty password
    raw = read_pdf(pdfgen.encrypted_pdf(user_password=""), "open.pdf", char_source=char_source)
    assert [line.text for line in raw.lines] == ["第1条 暗号化された約款です。"]


@pytest.mark.parametrize("family", FAMILIES)
def test_both_engines_give_the_same_document(family: str) -> None:
    # pdfium is the default because it gives the very Document pdfplumber gives, extractions
    # and their pages included
    path = CORPUS / family / "source.pdf"
    from_plumber = parse_file(path, pdf_engine="pdfplumber")
    from_pdfium = parse_file(path, pdf_engine="pdfium")
    assert from_plumber.model_dump(mode="json") == from_pdfium.model_dump(mode="json")
