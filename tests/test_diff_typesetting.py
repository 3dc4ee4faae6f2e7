"""Typesetting is not change: one version re-typeset diffs to nothing substantive.

Each variant below re-typesets a real document in one way a publisher does (list markers of one
level restyled, width, spacing, Markdown decoration, hard-wrapped lines) and changes no word,
so the diff must report no edit and no parameter; where the normalized text still differs, the
difference is counted once as 表記のみの変更 (`typesetting_only`). The base is the COCOA terms
vB (../shared/versions; 第１条　… / items 　一　 / paragraphs ２　), and the NEC corpus text for
width. A PDF against its own text: a real Word PDF and its pdftotext text below, and the corpus
source.pdf against source.txt in test_diff_cli.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from conftest import CORPUS, REALWORLD, SHARED_VERSIONS

from pipeline.diff.compare import diff
from pipeline.diff.render import diff_markdown
from pipeline.models import Document, DocumentDiff, ProvisionDiff
from pipeline.process import parse_bytes, parse_file

COCOA = SHARED_VERSIONS / "017_mhlw_cocoa_terms_vB.txt"
needs_cocoa = pytest.mark.skipif(
    not COCOA.is_file(), reason=f"real version file not present at {COCOA}"
)

KANJI = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
ITEM = re.compile(r"^　(十一|[一二三四五六七八九十])　", re.MULTILINE)
"""An item of the COCOA text: '　一　' at the start of a line."""
PARAGRAPH = re.compile(r"^([２-９])　", re.MULTILINE)
"""A numbered paragraph of the COCOA text: '２　'."""


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def half_width(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)


def restyle_items(text: str, marker: Callable[[int], str]) -> str:
    return ITEM.sub(lambda m: "　" + marker(KANJI.index(m.group(1)) + 1), text)


def restyle_paragraphs(text: str, marker: Callable[[str], str]) -> str:
    return PARAGRAPH.sub(lambda m: marker(half_width(m.group(1))), text)


def markdown(text: str) -> str:
    """As the app-embedded Markdown of COCOA vA: '# ' title, '**第１条**', a '* ' bullet, an
    emphasised phrase, a closing rule."""
    text = re.sub(r"^(第[０-９]+条)", r"**\1**", text, flags=re.MULTILINE)
    text = text.replace("**第１条**　本利用規約は", "**第１条**\n* 本利用規約は", 1)
    text = text.replace("本アプリの利用は", "**本アプリの利用**は")
    return "# " + text + "\n\n----\n"


def wrap(text: str, width: int = 30) -> str:
    """Hard-wrap every paragraph and item line at about `width` characters, as a PDF's text
    does; a line never starts with something that reads as a marker (a digit, a kanji numeral,
    a bracket, 第)."""
    out = []
    for line in text.split("\n"):
        while len(line) > width and not line.startswith("第"):
            cut = width
            while (
                cut < len(line)
                and line[cut]
                in "0123456789０１２３４５６７８９一二三四五六七八九十（(「第・ 　、。）)"
            ):
                cut += 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return "\n".join(out)


VARIANTS: dict[str, Callable[[str], str]] = {
    "items (1)": lambda t: restyle_items(t, lambda n: f"({n})"),
    "items （１）": lambda t: restyle_items(t, lambda n: f"（{full_width(str(n))}）"),
    "items ①": lambda t: restyle_items(t, lambda n: "①②③④⑤⑥⑦⑧⑨⑩⑪"[n - 1]),
    "items ⑴": lambda t: restyle_items(t, lambda n: "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾"[n - 1]),
    "paragraphs 2.": lambda t: restyle_paragraphs(t, lambda n: f"{n}. "),
    "paragraphs ２．": lambda t: restyle_paragraphs(t, lambda n: f"{full_width(n)}．"),
    "full width": lambda t: re.sub(r"[0-9A-Za-z]+", lambda m: full_width(m.group()), t),
    "spacing": lambda t: t.replace("、", "、 ").replace("第１条", "第 １ 条"),
    "markdown": markdown,
    "wrapped lines": wrap,
    "paragraphs 2. and indented items 1.": lambda t: restyle_paragraphs(
        ITEM.sub(lambda m: f"    {KANJI.index(m.group(1)) + 1}. ", t), lambda n: f"{n}. "
    ),
}

@pytest.fixture(scope="module")
def cocoa() -> Document:
    return parse_file(COCOA)


def assert_no_edit(result: DocumentDiff) -> None:
    assert [e.summary for e in result.edits] == []
    assert result.parameter_changes == []


def retypeset(name: str, make: Callable[[str], str]) -> Document:
    text = make(COCOA.read_text(encoding="utf-8"))
    assert text != COCOA.read_text(encoding="utf-8"), name
    return parse_bytes(text.encode("utf-8"), f"cocoa-{name}.txt")


@needs_cocoa
@pytest.mark.parametrize(
    "name",
    list(VARIANTS),
)
def test_retypeset_version_has_no_edit(cocoa: Document, name: str) -> None:
    assert_no_edit(diff(cocoa, retypeset(name, VARIANTS[name])))


@needs_cocoa
def test_typesetting_only_differences_are_one_collapsed_line(cocoa: Document) -> None:
    result = diff(cocoa, retypeset("markdown", markdown))
    assert_no_edit(result)
    # Read from `markdown` above: the '**第N条**' headings, 第1条's '* ' bullet and the emphasis
    # in 第5条 leave no trace once the Markdown marks are read as such; what still reads
    # differently is the '# ' title line (the preamble) and a second closing '----' rule after
    # vB's own, both read as the end of 第15条第2項's text: two places.
    assert result.typesetting_only == 2
    lines = [line for line in diff_markdown(result).splitlines() if "表記のみの変更" in line]
    assert lines == [
        "- 表記のみの変更: 2箇所（全角・半角、空白、改行、番号の書式、Markdown の記号。"
        "変更点には含めない）"
    ]


def test_full_width_corpus_text_against_half_width() -> None:
    source = CORPUS / "nec" / "source.txt"
    text = half_width(source.read_text(encoding="utf-8"))
    assert_no_edit(diff(parse_file(source), parse_bytes(text.encode("utf-8"), "nec-half.txt")))


@needs_cocoa
def test_a_real_change_inside_typesetting_is_found_in_whole_words() -> None:
    # 第2条 六 「アプリ導入端末」: …導入したコンピュータ端末 → …導入したコンピューター端末, the
    # new version re-typeset in Markdown besides: one edit, shown as the word that changed.
    text = COCOA.read_text(encoding="utf-8")
    phrase = "本アプリを導入したスマートフォン端末"
    assert text.count(phrase) == 1
    old = text.replace(phrase, "本アプリを導入したコンピュータ端末")
    new = markdown(text.replace(phrase, "本アプリを導入したコンピューター端末"))
    result = diff(
        parse_bytes(old.encode("utf-8"), "cocoa-old.txt"),
        parse_bytes(new.encode("utf-8"), "cocoa-new.txt"),
    )
    assert [(e.status, e.new_path) for e in result.edits] == [("modified", "art:2/para:1/item:6")]
    (span,) = [s for row in walk(result.provisions) for s in row.spans]
    assert (span.op, span.old_text, span.new_text) == ("replace", "コンピュータ", "コンピューター")
    assert "「コンピュータ」→「コンピューター」" in result.edits[0].summary


def walk(rows: list[ProvisionDiff]) -> Iterator[ProvisionDiff]:
    for row in rows:
        yield row
        yield from walk(row.children)


@needs_cocoa
def test_a_sentence_rewritten_reads_as_one_replaced_sentence(cocoa: Document) -> None:
    # 第13条 譲渡等禁止 reworded throughout, its meaning kept: not a scatter of fragments
    # (利用権 → 利用する権利, 第三者 → 他人, …) but the old sentence and the new one.
    old = (
        "本アプリの利用権は、第三者に譲渡、貸与、承継、相続又は担保として提供することはできません。"
    )
    new = "アプリ利用者は、本アプリを利用する権利を他人に渡すことも、担保に入れることもできません。"
    text = COCOA.read_text(encoding="utf-8")
    assert text.count(old) == 1
    result = diff(cocoa, parse_bytes(text.replace(old, new).encode("utf-8"), "cocoa-13.txt"))
    assert [(e.status, e.new_path) for e in result.edits] == [("modified", "art:13/para:1")]
    (span,) = [s for row in walk(result.provisions) for s in row.spans]
    assert (span.op, span.old_text, span.new_text) == ("replace", old, new)


TEHAI_TEXT = REALWORLD / "019_jtc_tehai_ryoko_yakkan_pdf.txt"
TEHAI_PDF = REALWORLD / "travel_tehai.pdf"


@pytest.mark.skipif(not TEHAI_PDF.is_file(), reason=f"real-world PDF not present at {TEHAI_PDF}")
def test_a_real_pdf_against_its_own_text_has_no_edit() -> None:
    # 旅行業約款 手配旅行契約の部: the Word PDF and its text by pdftotext -layout (hard-wrapped
    # lines, letter-spaced headings, page numbers and form feeds) are one version.
    assert_no_edit(diff(parse_file(TEHAI_TEXT), parse_file(TEHAI_PDF)))
