"""Properties of the whole `parse` (hypothesis): on arbitrary bytes, on generated terms-like text
and on corpus files cut short, with bytes flipped or lines duplicated and deleted, parsing ends
in a Document or a YakkanError (one line naming the file), never another exception, and each
example ends within its time budget. Example counts are modest: the machine is shared."""

from __future__ import annotations

import pytest
from conftest import CORPUS
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.ingest.sources import PdfEngine
from pipeline.models import Document, YakkanError
from pipeline.process import parse_bytes
from pipeline.store.work import DocumentTimeout, time_limit

BUDGET = 120.0
"""Seconds one example may take (a loaded machine parses a corpus file in a few)."""

PROPERTY = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parses_or_fails_cleanly(
    data: bytes, name: str, *, extract: bool = True, pdf_engine: PdfEngine = "pdfplumber"
) -> Document | None:
    """Parse; a YakkanError naming the file is a clean failure, anything else fails the test."""
    try:
        with time_limit(BUDGET):
            return parse_bytes(data, name, extract=extract, pdf_engine=pdf_engine)
    except YakkanError as err:
        assert err.path == name
        assert err.reason and "\n" not in err.reason
        return None
    except DocumentTimeout:
        pytest.fail(f"{name}: not done within {BUDGET:g} s ({len(data)} bytes)")


FRAGMENTS = [
    "第1条",
    "第2条",
    "第2条の2",
    "第十三条",
    "第1章 総則",
    "第1節",
    "(目的)",
    "（定義）",
    "\n2 ",
    "\n３ ",
    "\n(1) ",
    "\n一 ",
    "\nイ ",
    "\n①",
    "附則",
    "別表",
    "前項",
    "前条",
    "同項",
    "前各号",
    "第3条第2項第1号",
    "第99条",
    "年14.5%",
    "1e400%",
    "3分の1",
    "30日以内",
    "2ヶ月前まで",
    "令和5年4月1日",
    "2023年13月40日",
    "1,000,000円",
    "本約款(Ver1.6)は2022年4月1日から実施します。",
    "「本サービス」とは、",
    "契約者は、",
    "当社は、",
    "ものとします。",
    "、",
    "。",
    "\n",
    "\n\n",
    "　",
    " ",
    "\t",
    "ｶﾞ",
    "**",
    "# ",
    "> ",
    "<div>",
    "\u200b",
    "\ufeff",
    "(",
    ")",
    "「",
]


@st.composite
def terms_like(draw: st.DrawFn) -> bytes:
    """Text assembled from the pieces terms are made of, in any order, in one of the encodings
    ingestion detects."""
    text = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=120)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "euc_jp", "utf-16"]))
    return text.encode(encoding, errors="ignore")


@settings(PROPERTY, max_examples=60)
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_parse_or_fail_in_one_line(data: bytes) -> None:
    parses_or_fails_cleanly(data, "fuzz.txt")


@settings(PROPERTY, max_examples=15)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_posing_as_a_pdf_fail_in_one_line(data: bytes) -> None:
    parses_or_fails_cleanly(b"%PDF-1.4\n" + data, "fuzz.pdf")


@settings(PROPERTY, max_examples=60)
@given(terms_like())
def test_terms_like_text_parses_or_fails_in_one_line(data: bytes) -> None:
    parses_or_fails_cleanly(data, "generated.txt")


Mutation = tuple[str, int, int]


def mutated(data: bytes, mutations: list[Mutation]) -> bytes:
    """Apply each (kind, position, amount) in turn: truncate, flip a byte, duplicate or delete
    a line; positions wrap around the current length."""
    for kind, position, amount in mutations:
        if not data:
            break
        if kind == "truncate":
            data = data[: position % len(data)]
        elif kind == "flip":
            at = position % len(data)
            data = data[:at] + bytes([data[at] ^ (amount % 255 + 1)]) + data[at + 1 :]
        else:
            lines = data.split(b"\n")
            at = position % len(lines)
            count = 1 + amount % 5
            if kind == "duplicate":
                lines[at:at] = lines[at : at + count]
            else:
                del lines[at : at + count]
            data = b"\n".join(lines)
    return data


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["truncate", "flip", "duplicate", "delete"]),
        st.integers(min_value=0, max_value=1 << 20),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=6,
)


@settings(PROPERTY, max_examples=12)
@given(st.sampled_from(["nas", "nec"]), MUTATIONS)
def test_mutated_corpus_texts_parse_or_fail_in_one_line(family: str, mutations: list) -> None:
    data = mutated((CORPUS / family / "source.txt").read_bytes(), mutations)
    parses_or_fails_cleanly(data, f"{family}-mutated.txt")


@settings(PROPERTY, max_examples=6)
@given(MUTATIONS)
# Found by this test: closing a PDF whose page lost its MediaBox raised TypeError.
@example(
    [
        ("delete", 816341, 19),
        ("delete", 743614, 64),
        ("duplicate", 688108, 12),
        ("delete", 993473, 69),
    ]
)
def test_mutated_corpus_pdfs_parse_or_fail_in_one_line(mutations: list) -> None:
    data = mutated((CORPUS / "nec" / "source.pdf").read_bytes(), mutations)
    for engine in ("pdfplumber", "pdfium"):
        parses_or_fails_cleanly(data, "nec-mutated.pdf", extract=False, pdf_engine=engine)


def test_an_unmutated_corpus_file_still_parses() -> None:
    data = (CORPUS / "nas" / "source.txt").read_bytes()
    assert mutated(data, [("duplicate", 0, 4), ("delete", 0, 4)]) == data
    document = parses_or_fails_cleanly(data, "nas.txt", extract=False)
    assert document is not None and len(document.articles) > 0
