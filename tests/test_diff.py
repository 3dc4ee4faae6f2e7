"""The diff on synthetic versions of the NAS terms, each made by documented edits.

tests/fixtures/diff/nas_edits.json lists the edits (made for these tests; none is a real NAS
version). Each test states the edits the diff must report, read from that edit list: every edit
exactly once, with its status, and nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NAS, load_json

from pipeline.diff.compare import diff
from pipeline.models import Document, DocumentDiff, ProvisionDiff
from pipeline.process import parse_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
EDITS = load_json(FIXTURES / "nas_edits.json")


def build_version(name: str) -> str:
    """The NAS text with fixture `name`'s edits applied: renumbering first, then replacements."""
    spec = EDITS["fixtures"][name]
    text = NAS.read_text(encoding="utf-8")
    renumber = spec.get("renumber")
    if renumber:

        def shift(m: re.Match[str]) -> str:
            number = int(m.group(2))
            if number >= renumber["from"]:
                number += renumber["by"]
            return f"第{m.group(1)}{number}{m.group(3)}条"

        text = re.sub(r"第(\s*)(\d+)(\s*)条", shift, text)
    for old, new in spec["replace"]:
        assert text.count(old) == 1, f"{name}: {old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def nas(corpus_docs: dict[str, Document]) -> Document:
    return corpus_docs["nas"]


@pytest.fixture(scope="module")
def versions() -> dict[str, Document]:
    return {
        name: parse_bytes(build_version(name).encode("utf-8"), f"synthetic-{name}.txt")
        for name in EDITS["fixtures"]
    }


def edits_of(result: DocumentDiff) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.status, e.level, e.old_path, e.new_path) for e in result.edits]


def rows_by_old(result: DocumentDiff) -> dict[str, ProvisionDiff]:
    return {row.old_path: row for row in result.provisions if row.old_path}


def test_fixture_texts_differ_from_the_corpus_only_by_their_edits() -> None:
    source = NAS.read_text(encoding="utf-8")
    for name in EDITS["fixtures"]:
        assert build_version(name) != source, name


def test_identical_versions_have_no_edits(nas: Document) -> None:
    result = diff(nas, nas)
    assert result.edits == []
    assert result.parameter_changes == []
    assert {row.status for row in result.provisions} == {"unchanged"}
    assert len([r for r in result.provisions if r.level == "article"]) == 40


def test_changed_rate(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["rate"])
    assert edits_of(result) == [("modified", "paragraph", "art:24/para:1", "art:24/para:1")]
    (change,) = result.parameter_changes
    assert change.kind == "percentage"
    assert change.old_value is not None and change.new_value is not None
    assert change.old_value.model_dump()["value"] == 14.5
    assert change.new_value.model_dump()["value"] == 14.6
    assert change.summary.startswith("第24条 遅延損害金: ")
    assert "14.5%" in change.summary and "14.6%" in change.summary
    (span,) = rows_by_old(result)["art:24"].children[0].spans
    assert (span.op, span.old_text, span.new_text) == ("replace", "14.5", "14.6")


def test_changed_period(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["period"])
    assert edits_of(result) == [("modified", "paragraph", "art:9/para:1", "art:9/para:1")]
    (change,) = result.parameter_changes
    assert change.kind == "period"
    assert change.old_value is not None and change.new_value is not None
    old, new = change.old_value.model_dump(), change.new_value.model_dump()
    assert (old["value"], old["unit"]) == (30, "day")
    assert (new["value"], new["unit"]) == (14, "day")


def test_inserted_article_renumbers_everything_after_it_once(
    nas: Document, versions: dict[str, Document]
) -> None:
    result = diff(nas, versions["inserted_article"])
    assert edits_of(result) == [("added", "article", None, "art:6")]
    (edit,) = result.edits
    assert edit.renumbered == [(f"art:{n}", f"art:{n + 1}") for n in range(6, 41)]
    rows = rows_by_old(result)
    for n in range(6, 41):
        row = rows[f"art:{n}"]
        assert (row.status, row.new_path) == ("renumbered", f"art:{n + 1}")
        # 第13条 → 第14条 inside the text follows its target: no changed span anywhere.
        assert not any(c.status != "unchanged" for c in row.children), n
    assert result.parameter_changes == []


def test_references_are_compared_by_target(nas: Document, versions: dict[str, Document]) -> None:
    # Old 第9条第2項 cites 第6条(利用契約の成立); the new text cites 第7条, the same article.
    new = versions["inserted_article"]
    paragraph = new.article("10").paragraphs[1]  # type: ignore[union-attr]
    assert "第7条(利用契約の成立)" in paragraph.text
    row = rows_by_old(diff(nas, new))["art:9"]
    assert row.children[1].status == "unchanged"
    assert row.children[1].spans == []


def test_reference_to_a_different_article_is_a_change(nas: Document) -> None:
    text = NAS.read_text(encoding="utf-8").replace(
        "承継した法人が第6条(利用契約の成立)", "承継した法人が第7条(利用契約の成立)"
    )
    result = diff(nas, parse_bytes(text.encode("utf-8"), "synthetic-ref.txt", extract=False))
    assert edits_of(result) == [("modified", "paragraph", "art:9/para:2", "art:9/para:2")]
    (span,) = rows_by_old(result)["art:9"].children[1].spans
    assert (span.old_text, span.new_text) == ("第6条", "第7条")


def test_same_words_pointing_elsewhere_are_a_change(
    nas: Document, versions: dict[str, Document]
) -> None:
    # 第6条の2 inserted before 第7条, whose words 前条の規定を準用します stay the same: the
    # reference now points to 第6条の2 instead of 第6条.
    result = diff(nas, versions["branch_article"])
    assert edits_of(result) == [
        ("added", "article", None, "art:6-2"),
        ("modified", "paragraph", "art:7/para:1", "art:7/para:1"),
    ]
    (span,) = rows_by_old(result)["art:7"].children[0].spans
    assert (span.old_text, span.new_text) == ("前条", "前条")
    assert span.note == "参照先 第6条 → 第6条の2"


def test_article_reduced_to_sakujo(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["deleted_article"])
    assert edits_of(result) == [("deleted", "article", "art:37", "art:37")]
    assert result.edits[0].renumbered == []


def test_article_removed_outright(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["removed_article"])
    assert edits_of(result) == [("deleted", "article", "art:37", None)]
    assert result.edits[0].renumbered == [
        ("art:38", "art:37"),
        ("art:39", "art:38"),
        ("art:40", "art:39"),
    ]


def test_paragraph_added(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["paragraph_added"])
    assert edits_of(result) == [("added", "paragraph", None, "art:25/para:2")]
    assert rows_by_old(result)["art:25"].status == "modified"
    assert result.parameter_changes == []


def test_reworded_title(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["retitled"])
    assert edits_of(result) == [("retitled", "article", "art:35", "art:35")]
    row = rows_by_old(result)["art:35"]
    assert (row.old_title, row.new_title, row.title_changed) == (
        "合意管轄裁判所",
        "管轄裁判所",
        True,
    )
    assert not row.text_changed


def test_moved_article(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["moved_article"])
    assert edits_of(result) == [("moved", "article", "art:37", "art:40")]
    assert result.edits[0].renumbered == [
        ("art:38", "art:37"),
        ("art:39", "art:38"),
        ("art:40", "art:39"),
    ]


def test_split_article(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["split_article"])
    assert edits_of(result) == [("split", "article", "art:36", "art:36")]
    (edit,) = result.edits
    assert edit.related == ["art:37"]
    assert edit.renumbered == [(f"art:{n}", f"art:{n + 1}") for n in range(37, 41)]
    # 第4項's 30日以内 moved into the new 第37条 unchanged: no parameter changed.
    assert result.parameter_changes == []


def test_merged_articles(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["merged_articles"])
    assert [(e.status, e.level, e.new_path) for e in result.edits] == [
        ("merged", "article", "art:37")
    ]
    (edit,) = result.edits
    assert sorted([edit.old_path or "", *edit.related]) == ["art:37", "art:38"]
    assert edit.renumbered == [("art:39", "art:38"), ("art:40", "art:39")]


def test_combined_edits_each_reported_once(nas: Document, versions: dict[str, Document]) -> None:
    result = diff(nas, versions["combined"])
    assert edits_of(result) == [
        ("added", "article", None, "art:6"),
        ("modified", "paragraph", "art:9/para:1", "art:10/para:1"),
        ("modified", "paragraph", "art:24/para:1", "art:25/para:1"),
        ("added", "paragraph", None, "art:26/para:2"),
        ("retitled", "article", "art:35", "art:36"),
        ("deleted", "article", "art:37", "art:38"),
    ]
    # The insertion renumbers 第6条–第40条, the article reduced to 削除 included.
    assert result.edits[0].renumbered == [(f"art:{n}", f"art:{n + 1}") for n in range(6, 41)]
    assert sorted(p.kind for p in result.parameter_changes) == ["percentage", "period"]
