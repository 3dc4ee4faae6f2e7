"""Version history from the 附則, read by hand from corpus/nas/source.txt (lines 284–287)."""

from __future__ import annotations

import datetime as dt

from conftest import CORPUS

from pipeline.extract.versions import version_history
from pipeline.models import Document
from pipeline.process import parse_bytes, parse_file

NAS_HISTORY = [
    ("Ver1.0", dt.date(2017, 11, 4)),  # 平成29年11月4日
    ("Ver1.1", dt.date(2018, 5, 17)),  # 平成30年5月17日
    ("Ver1.2", dt.date(2019, 12, 1)),
    ("Ver1.3", dt.date(2020, 1, 1)),
    ("Ver1.4", dt.date(2020, 8, 17)),
    ("Ver1.5", dt.date(2020, 9, 30)),
    ("Ver1.6", dt.date(2022, 4, 1)),
]


def test_nas_version_history(structure_docs: dict[str, Document]) -> None:
    doc = structure_docs["nas"]
    assert [(e.version, e.effective_date) for e in doc.version_history] == NAS_HISTORY
    for entry in doc.version_history:
        assert entry.span is not None
        assert doc.text[entry.span.start : entry.span.end] == entry.evidence
        assert entry.evidence.startswith(f"本約款({entry.version})は")
        assert entry.evidence.endswith("から実施します。")
        # Every entry stands in the 附則.
        assert doc.supplementary[0].span.contains(entry.span)


def test_nec_states_no_versions(structure_docs: dict[str, Document]) -> None:
    assert structure_docs["nec"].version_history == []


def test_other_wordings_and_eras() -> None:
    # A synthetic 附則 in other common wordings: この規約 / 第N版 / 施行 / 令和元年.
    text = (
        "第1条 目的\nこの規約は、サービスの利用条件を定めます。\n附則\n"
        "この規約(第1版)は、令和元年5月1日から施行する。\n"
        "この規約(第2版)は2021年4月1日より施行します。\n"
    )
    doc = parse_bytes(text.encode("utf-8"), "synthetic-history.txt", extract=False)
    assert [(e.version, e.effective_date) for e in version_history(doc)] == [
        ("第1版", dt.date(2019, 5, 1)),
        ("第2版", dt.date(2021, 4, 1)),
    ]


def test_nas_pdf_rendition_has_the_same_history() -> None:
    doc = parse_file(CORPUS / "nas" / "source.pdf", extract=False)
    assert [(e.version, e.effective_date) for e in doc.version_history] == NAS_HISTORY
