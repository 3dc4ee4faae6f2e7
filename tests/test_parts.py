"""Bundles: each part of a file holding several documents is treated as a document of its own."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.diff.compare import diff
from pipeline.models import Document
from pipeline.process import parse_bytes
from pipeline.store.rows import provision_rows
from pipeline.store.sqlite import Store
from pipeline.structure.parts import part_documents

runner = CliRunner()

BUNDLE = """Aサービス利用規約
第1条（目的）
本規約は、Aサービスの利用条件を定めます。
第2条（料金）
1.利用料金は月額500円とします。
2.前項の料金は前払いとします。
以上
Bサービス利用規約
第1条（目的）
本規約は、Bサービスの利用条件を定めます。
第2条（料金）
利用料金は月額800円とします。
以上
"""


def parse(text: str) -> Document:
    """A bundle with its extractions (references resolved part by part)."""
    return parse_bytes(text.encode("utf-8"), "bundle.txt")


def test_each_part_is_a_document_view() -> None:
    bundle = parse(BUNDLE)
    views = part_documents(bundle)
    assert [v.title for v in views] == ["Aサービス利用規約", "Bサービス利用規約"]
    assert [v.id for v in views] == [f"{bundle.id}#part:1", f"{bundle.id}#part:2"]
    assert [[a.path for a in v.articles] for v in views] == [
        ["part:1/art:1", "part:1/art:2"],
        ["part:2/art:1", "part:2/art:2"],
    ]
    # Every extraction of the bundle lands in exactly one part.
    assert sum(len(v.extractions) for v in views) == len(bundle.extractions) > 0
    assert all(e.path.startswith("part:2/") for e in views[1].extractions)


def test_a_document_that_is_not_a_bundle_is_its_own_part() -> None:
    document = parse("規約\n第1条 本文です。\n")
    assert part_documents(document) == [document]


def test_the_store_keeps_every_part_with_unique_paths(tmp_path: Path) -> None:
    bundle = parse(BUNDLE)
    rows = provision_rows(bundle)
    paths = [row[0] for row in rows]
    assert len(paths) == len(set(paths))
    assert {"part:1/art:2/para:2", "part:2/art:2/para:1", "part:2/closing"} <= set(paths)
    with Store(tmp_path / "store.db") as store:
        assert store.add(bundle)


def test_a_diff_of_two_bundles_finds_the_change_in_its_part() -> None:
    old = parse(BUNDLE)
    new = parse(BUNDLE.replace("月額800円", "月額900円"))
    result = diff(old, new)
    # Each document of the bundle is one row, aligned with its counterpart, its provisions below.
    assert [(part.level, part.status) for part in result.provisions] == [
        ("part", "unchanged"),
        ("part", "modified"),
    ]
    changed = [
        row.new_path
        for part in result.provisions
        for row in part.children
        if row.status != "unchanged"
    ]
    assert changed == ["part:2/art:2"]
    assert [(c.old_text, c.new_text) for c in result.parameter_changes] == [("800円", "900円")]


def test_params_and_validate_give_one_result_per_part(tmp_path: Path) -> None:
    path = tmp_path / "bundle.txt"
    path.write_text(BUNDLE, encoding="utf-8")
    result = runner.invoke(app, ["params", str(path), "--rules", "nas"])
    payloads = json.loads(result.stdout)
    assert [p["document_id"].rsplit("#", 1)[1] for p in payloads] == ["part:1", "part:2"]
    result = runner.invoke(app, ["validate", str(path), "--rules", "nas", "--format", "json"])
    assert len(json.loads(result.stdout)) == 2
    assert "Traceback" not in result.output


def test_a_cited_title_is_checked_inside_a_part() -> None:
    """Part 2's 第3条 cites 第2条(目的)第1項, but part 2's 第2条 is titled 料金: the mismatch is
    found there as in a single document (the paragraph's path 'part:2/art:2/para:1' reaches its
    article)."""
    text = BUNDLE.replace(
        "利用料金は月額800円とします。\n以上\n",
        "利用料金は月額800円とします。\n第3条（変更）\n第2条（目的）第1項の料金は変更することがあります。\n以上\n",
    )
    bundle = parse(text)
    titles = [d for d in bundle.diagnostics if d.code == "xref.title"]
    assert [d.path for d in titles] == ["part:2/art:3/para:1"]
    assert "'目的'" in titles[0].message
