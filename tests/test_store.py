"""The SQLite store: what it holds, idempotence, atomic writes, versions and history."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import NAS, NEC

from pipeline.cli.report_history import render_history
from pipeline.models import Document, ValidationReport, YakkanError
from pipeline.process import parse_bytes, parse_file
from pipeline.rules import load_rules, validate
from pipeline.store.history import history
from pipeline.store.sqlite import Store

# A new NAS version, written the way the issuer would: the title block and 附則 name Ver1.7,
# 第24条 raises the late-payment rate and 第16条 shortens the customer's notice.
NAS_V17_EDITS = [
    ("(Ver1.6)\n", "(Ver1.7)\n"),
    ("2022年4月1日現在", "2023年4月1日現在"),
    ("年14.5%の割合", "年14.6%の割合"),
    ("契約者は、3ヶ月前までに書面にて", "契約者は、2ヶ月前までに書面にて"),
    (
        "本約款(Ver1.6)は2022年4月1日から実施します。",
        "本約款(Ver1.6)は2022年4月1日から実施します。本約款(Ver1.7)は2023年4月1日から実施します。",
    ),
]


def nas_v17_text() -> str:
    """The NAS source with the Ver1.7 edits applied (each edit must apply exactly once)."""
    text = NAS.read_text(encoding="utf-8")
    for old, new in NAS_V17_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def nas(corpus_docs: dict[str, Document]) -> tuple[Document, ValidationReport]:
    document = corpus_docs["nas"]
    return document, validate(document, load_rules("nas"))


@pytest.fixture(scope="module")
def nas_v17() -> Document:
    return parse_bytes(nas_v17_text().encode("utf-8"), "nas_v17.txt")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "yakkan.db")


def test_the_store_holds_the_tree_extractions_and_named_parameters(
    store: Store, nas: tuple[Document, ValidationReport]
) -> None:
    document, report = nas
    assert store.add(document, report, path=str(NAS))
    # NAS: 第1条–第40条 in 7 chapters; 第3章 has 5 sections.
    kinds = dict(
        (r["kind"], r["n"])
        for r in store.query(
            "SELECT kind, COUNT(*) AS n FROM provisions WHERE document_id = ? GROUP BY kind",
            (document.id,),
        )
    )
    assert kinds["article"] == 40
    assert kinds["chapter"] == 7
    assert kinds["section"] == 5
    (art24,) = store.query(
        "SELECT title FROM provisions WHERE document_id = ? AND path = 'art:24'", (document.id,)
    )
    assert art24["title"] == "遅延損害金"
    # 第24条: 年14.5%の割合による遅延損害金
    rate = store.query(
        "SELECT path, text, value_json FROM extractions WHERE kind = 'percentage'"
        " AND path LIKE 'art:24%'"
    )
    assert [r["text"] for r in rate] == ["年14.5%"]
    (param,) = store.query(
        "SELECT status, path, value_json FROM parameters WHERE name = 'late_payment_interest_rate'"
    )
    assert param["status"] == "passed"
    assert param["path"].startswith("art:24")
    assert '"value":14.5' in param["value_json"]
    counts = store.counts()
    assert counts["extractions"] == len(document.extractions)
    assert counts["parameters"] == len(report.parameters)
    assert counts["validation_results"] == len(report.parameters) + len(report.structure)
    assert store.report(document.id) == report
    assert store.document(document.id) == document


def test_the_same_content_is_stored_once(
    store: Store, nas: tuple[Document, ValidationReport]
) -> None:
    document, report = nas
    assert store.add(document, report, path="a/nas.txt")
    before = store.counts()
    assert not store.add(document, report, path="b/copy-of-nas.txt")
    after = store.counts()
    assert after["sources"] == before["sources"] + 1
    assert {k: v for k, v in after.items() if k != "sources"} == {
        k: v for k, v in before.items() if k != "sources"
    }
    assert store.known_ids() == {document.id}


def test_a_write_that_fails_half_way_leaves_no_trace(
    store: Store, nas: tuple[Document, ValidationReport]
) -> None:
    document, report = nas
    # Make the database itself refuse the named parameters, the last rows written: the
    # document, provision and extraction rows of the same transaction are already in.
    store.conn.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON parameters BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        store.add(document, report)
    assert set(store.counts().values()) == {0}
    store.conn.execute("DROP TRIGGER refuse")
    assert store.add(document, report)
    assert store.counts()["documents"] == 1


def test_a_new_version_is_kept_beside_the_old_and_history_shows_the_changes(
    store: Store, nas: tuple[Document, ValidationReport], nas_v17: Document
) -> None:
    document, _ = nas
    assert nas_v17.version == "Ver1.7"
    assert nas_v17.effective_date == dt.date(2023, 4, 1)
    # Stored newest first: history still lists them by effective date.
    assert store.add(nas_v17)
    assert store.add(document)
    versions = store.versions("nas")
    assert [(v.version, v.effective_date) for v in versions] == [
        ("Ver1.6", dt.date(2022, 4, 1)),
        ("Ver1.7", dt.date(2023, 4, 1)),
    ]
    found, steps = history(store, "nas")
    assert found == versions
    (step,) = steps
    assert (step.old.version, step.new.version) == ("Ver1.6", "Ver1.7")
    change = step.diff
    surfaces = {(p.old_text, p.new_text) for p in change.parameter_changes}
    assert ("年14.5%", "年14.6%") in surfaces
    periods = {(p.old_text, p.new_text) for p in change.parameter_changes if p.kind == "period"}
    assert any("3ヶ月" in (old or "") and "2ヶ月" in (new or "") for old, new in periods)
    text = render_history("nas", versions, steps)
    assert text.splitlines()[0] == "nas: 2 stored, 2 versions"
    assert "Ver1.6 → Ver1.7" in text
    assert "14.6" in text


def test_a_pdf_and_its_text_are_one_version_even_without_a_version_label(
    store: Store, structure_docs: dict[str, Document]
) -> None:
    # The NEC document states no version and no date; its PDF reads to the same text.
    text = structure_docs["nec"]
    pdf = parse_file(NEC.with_suffix(".pdf"), extract=False)
    assert (text.version, text.effective_date) == (None, None)
    assert store.add(text) and store.add(pdf)
    versions, steps = history(store, "nec")
    assert len(versions) == 2 and steps == []
    assert render_history("nec", versions, steps).splitlines()[0] == "nec: 2 stored, 1 version"


def test_history_of_an_unknown_family_names_the_known_ones(
    store: Store, nas: tuple[Document, ValidationReport]
) -> None:
    store.add(nas[0])
    with pytest.raises(YakkanError, match=r"no stored versions of family 'nec' \(known: nas\)"):
        history(store, "nec")


def test_a_document_without_family_has_no_version_row(store: Store) -> None:
    text = NEC.read_text(encoding="utf-8")
    document = parse_bytes(text.encode("utf-8"), "unnamed.txt")
    stored = store.add(document.model_copy(update={"family": None}))
    assert stored
    assert store.counts()["versions"] == 0
    assert store.counts()["documents"] == 1


def test_reopening_keeps_everything_and_a_foreign_database_is_refused(
    tmp_path: Path, nas: tuple[Document, ValidationReport]
) -> None:
    path = tmp_path / "yakkan.db"
    with Store(path) as store:
        store.add(*nas)
        counts = store.counts()
    with Store(path) as store:
        assert store.counts() == counts
        assert store.has(nas[0].id)
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("PRAGMA user_version = 42")
    conn.close()
    with pytest.raises(YakkanError, match="schema version 42"):
        Store(foreign)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(YakkanError, match="cannot open the database"):
        Store(garbage)
