"""`yakkan batch`: discovery, per-file isolation, idempotent re-runs, crashes, the dask executor."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import CORPUS, REALWORLD

from pipeline.models import Document, YakkanError
from pipeline.process import parse_bytes
from pipeline.rules import RuleModel, choose_rules
from pipeline.store.batch import run_batch
from pipeline.store.discover import discover
from pipeline.store.schema import TABLE_NAMES
from pipeline.store.sqlite import Store
from pipeline.store.work import validate_document

YAKKAN = Path(sys.executable).with_name("yakkan")

# A new NAS version: Ver1.7 from 2023-04-01, 第24条 年14.5% → 年14.6%, 第16条 3ヶ月 → 2ヶ月前.
NAS_V17_EDITS = [
    ("(Ver1.6)\n", "(Ver1.7)\n"),
    ("2022年4月1日現在", "2023年4月1日現在"),
    ("年14.5%の割合", "年14.6%の割合"),
    ("契約者は、3ヶ月前までに書面にて", "契約者は、2ヶ月前までに書面にて"),
]


def edited(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def yakkan(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(YAKKAN), *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def summary_line(stdout: str) -> str:
    return stdout.splitlines()[0]


def copies(folder: Path, n: int) -> list[Path]:
    """n distinct documents: the NAS and NEC texts with a note appended (a new sha256 each)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [CORPUS / "nas" / "source.txt", CORPUS / "nec" / "source.txt"]
    made = []
    for i in range(n):
        source = sources[i % 2]
        path = folder / f"{source.parent.name}_{i:02d}.txt"
        path.write_text(source.read_text(encoding="utf-8") + f"\n(写し{i})\n", encoding="utf-8")
        made.append(path)
    return made


def check_consistent(db: Path) -> int:
    """Every stored document is whole (its rows match its own counts); returns how many."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        docs = conn.execute("SELECT id, articles, extractions, family FROM documents").fetchall()
        for doc_id, articles, extractions, family in docs:
            found_articles = conn.execute(
                "SELECT COUNT(*) FROM provisions WHERE document_id = ? AND kind = 'article'",
                (doc_id,),
            ).fetchone()[0]
            found_extractions = conn.execute(
                "SELECT COUNT(*) FROM extractions WHERE document_id = ?", (doc_id,)
            ).fetchone()[0]
            versions = conn.execute(
                "SELECT COUNT(*) FROM versions WHERE document_id = ?", (doc_id,)
            ).fetchone()[0]
            assert (found_articles, found_extractions) == (articles, extractions)
            assert versions == (1 if family else 0)
        for table in ("provisions", "extractions", "parameters", "validation_results"):
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE document_id NOT IN (SELECT id FROM documents)"
            ).fetchone()[0]
            assert orphans == 0, table
        return len(docs)
    finally:
        conn.close()


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0


def wait_for_documents(db: Path, proc: subprocess.Popen[str], n: int, limit: float = 300) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        count = stored_count(db)
        if count >= n:
            return count
        assert proc.poll() is None, "the batch ended before the kill"
        time.sleep(0.05)
    raise AssertionError(f"no {n} documents stored within {limit} s")


def test_discovery_takes_pdfs_and_texts_from_folders_and_files_as_named(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("a.txt", "b.PDF", "sub/c.pdf", "notes.md", "data.bin", ".hidden/d.txt"):
        (tmp_path / name).write_bytes(b"x")
    found = discover([tmp_path, tmp_path / "data.bin", tmp_path / "a.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.txt",
        "b.PDF",
        "sub/c.pdf",
        "data.bin",
    ]
    with pytest.raises(YakkanError, match="no such file or folder"):
        discover([tmp_path / "missing"])


def test_a_mixed_folder_stores_the_good_files_and_reports_the_bad(tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    good = {}
    for family in ("nas", "nec"):
        for suffix in ("txt", "pdf"):
            source = CORPUS / family / f"source.{suffix}"
            assert source.is_file(), source
            good[f"{family}.{suffix}"] = source.read_bytes()
    nas_text = (CORPUS / "nas" / "source.txt").read_text(encoding="utf-8")
    good["nas_v17.txt"] = edited(nas_text, NAS_V17_EDITS).encode("utf-8")
    for name, data in good.items():
        (folder / name).write_bytes(data)
    # A PDF cut short, and a binary file posing as text.
    (folder / "broken.pdf").write_bytes((CORPUS / "nas" / "source.pdf").read_bytes()[:4000])
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    db = tmp_path / "yakkan.db"

    first = yakkan("batch", folder, "--db", db, "--workers", "2")
    assert first.returncode == 1, first.stderr
    assert summary_line(first.stdout).startswith(
        "processed 5, skipped as unchanged 0, failed 2, validation failures 1"
    )
    failed = sorted(line for line in first.stdout.splitlines() if line.startswith("failed: "))
    assert [line.split(": ")[1] for line in failed] == [
        str(folder / "binary.txt"),
        str(folder / "broken.pdf"),
    ]
    assert all(len(line.split(": ", 2)[2]) > 0 for line in failed)
    # Each failure is also reported on stderr as it happens, one line naming the file.
    assert f"yakkan: failed: {folder / 'broken.pdf'}: " in first.stderr
    assert "Traceback" not in first.stderr
    # The edited version fails its rule model exactly where it was edited.
    (bad_validation,) = [line for line in first.stdout.splitlines() if "validation failed" in line]
    assert bad_validation.startswith(f"validation failed: {folder / 'nas_v17.txt'}: ")
    assert set(bad_validation.rsplit(": ", 1)[1].split(", ")) == {
        "late_payment_interest_rate",
        "termination_notice_period",
    }

    assert check_consistent(db) == 5
    with Store(db) as store:
        assert {v.version for v in store.versions("nas")} == {"Ver1.6", "Ver1.7"}
        assert len(store.versions("nas")) == 3  # text, PDF and the edited text
        assert len(store.versions("nec")) == 2
        sources = {Path(r["path"]).name for r in store.query("SELECT path FROM sources")}
        assert sources == set(good)
        pages = store.query("SELECT source_name, pages FROM documents WHERE source_kind = 'pdf'")
        assert all(r["pages"] > 0 for r in pages)

    # Unchanged files are not processed again; the bad ones are still reported.
    second = yakkan("batch", folder, "--db", db, "--quiet")
    assert second.returncode == 1
    assert summary_line(second.stdout).startswith(
        "processed 0, skipped as unchanged 5, failed 2, validation failures 0"
    )
    assert check_consistent(db) == 5

    history = yakkan("history", "nas", "--db", db)
    assert history.returncode == 0, history.stderr
    assert history.stdout.splitlines()[0] == "nas: 3 stored, 2 versions"
    assert "Ver1.6 → Ver1.7" in history.stdout
    assert "年14.5% → 年14.6%" in history.stdout


def start_batch(folder: Path, db: Path) -> subprocess.Popen[str]:
    """A one-worker batch in its own process group, so a test can kill all of it. Its
    temporary files go to `tmp` beside the folder, so a test can see what it leaves."""
    (folder.parent / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen(
        [str(YAKKAN), "batch", str(folder), "--db", str(db), "-j", "1", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(folder.parent / "tmp")},
    )


def batch_under_way(tmp_path: Path) -> tuple[list[Path], Path, subprocess.Popen[str]]:
    """Six documents, and a one-worker batch of them that has stored the first."""
    files = copies(tmp_path / "terms", 6)
    db = tmp_path / "yakkan.db"
    proc = start_batch(tmp_path / "terms", db)
    try:
        wait_for_documents(db, proc, 1)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return files, db, proc


def test_a_batch_killed_half_way_is_completed_by_the_rerun(tmp_path: Path) -> None:
    files, db, proc = batch_under_way(tmp_path)
    os.killpg(proc.pid, signal.SIGKILL)  # the batch, its fork server and its workers
    proc.communicate()
    stored = check_consistent(db)
    assert 1 <= stored < len(files)

    rerun = yakkan("batch", tmp_path / "terms", "--db", db, "-j", "2", "-q")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert summary_line(rerun.stdout).startswith(
        f"processed {len(files) - stored}, skipped as unchanged {stored}, failed 0"
    )
    assert check_consistent(db) == len(files)
    with Store(db) as store:
        assert store.counts()["sources"] == len(files)


def test_a_worker_killed_mid_batch_costs_a_retry_not_the_batch(tmp_path: Path) -> None:
    files, db, proc = batch_under_way(tmp_path)
    try:
        # Workers are the fork server's children; the fork server is the batch's child.
        batch = psutil.Process(proc.pid)
        workers = [
            p for p in batch.children(recursive=True) if p.ppid() != proc.pid and p.is_running()
        ]
        assert workers, "no worker process found"
        workers[0].send_signal(signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, stdout + stderr
    assert summary_line(stdout).startswith(
        f"processed {len(files)}, skipped as unchanged 0, failed 0"
    )
    assert check_consistent(db) == len(files)
    # The results the workers left in files were read and removed, with their folder.
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_workers_answer_is_one_atomic_pipe_write(tmp_path: Path) -> None:
    """A worker killed at any moment must not leave half an answer in the pool's result pipe
    (the pool then waits for the rest forever): its rows go in a file, and the message that
    names the file is one write of at most PIPE_BUF bytes, which the kernel does whole."""
    import select
    from concurrent.futures.process import _ResultItem
    from multiprocessing.reduction import ForkingPickler

    from pipeline.store.handoff import call_to_file, take_from_file
    from pipeline.store.work import rows_of_file

    source = CORPUS / "nas" / "source.txt"
    name = call_to_file(rows_of_file, (source,), str(tmp_path))
    message = ForkingPickler.dumps(_ResultItem(2**31, result=name))
    assert 4 + len(message) <= select.PIPE_BUF  # the Connection's 4-byte length header
    spilled = take_from_file(name)
    assert not Path(name).exists()
    direct = rows_of_file(source)
    assert spilled.error is None and spilled.rows is not None
    assert spilled.rows == direct.rows
    # The rows themselves would take many writes: a pipe holds 64 KiB, so several refills.
    assert len(ForkingPickler.dumps(direct)) > 16 * select.PIPE_BUF


def test_a_bad_rule_model_or_input_is_one_line_before_any_work(tmp_path: Path) -> None:
    copies(tmp_path / "terms", 1)
    db = tmp_path / "yakkan.db"
    bad_rules = yakkan("batch", tmp_path / "terms", "--db", db, "--rules", "nosuchfamily")
    assert bad_rules.returncode == 1
    assert bad_rules.stderr.startswith("yakkan: error: nosuchfamily: ")
    assert len(bad_rules.stderr.strip().splitlines()) == 1
    missing = yakkan("batch", tmp_path / "missing", "--db", db)
    assert missing.returncode == 1
    assert (
        missing.stderr.strip() == f"yakkan: error: {tmp_path / 'missing'}: no such file or folder"
    )
    assert stored_count(db) == 0


def test_the_dask_executor_runs_the_same_unit_of_work(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    folder = tmp_path / "terms"
    copies(folder, 2)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    with Store(tmp_path / "dask.db") as store:
        summary = run_batch([folder], store, workers=2, executor="dask")
        assert sorted(Path(p).name for p in summary.processed) == ["nas_00.txt", "nec_01.txt"]
        assert [Path(f.path).name for f in summary.failed] == ["binary.txt"]
        assert summary.exit_code == 1
    with Store(tmp_path / "local.db") as store:
        run_batch([folder], store, workers=1)
    # Both executors store the same rows.
    for name in ("dask.db", "local.db"):
        assert check_consistent(tmp_path / name) == 2
    with Store(tmp_path / "dask.db") as a, Store(tmp_path / "local.db") as b:
        assert a.counts() == b.counts()


def stored_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, without the columns that record when it was written."""
    conn = sqlite3.connect(db)
    try:
        rows = {}
        for table in TABLE_NAMES:
            columns = [
                f'"{c[1]}"'
                for c in conn.execute(f"PRAGMA table_info({table})")
                if c[1] not in ("stored_at", "seen_at")
            ]
            found = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            rows[table] = sorted(found, key=repr)
        return rows
    finally:
        conn.close()


def test_a_two_worker_batch_writes_the_rows_store_add_writes(tmp_path: Path) -> None:
    # The workers build the rows; Store.add builds them from the Document in this process.
    files = [CORPUS / "nas" / "source.txt", CORPUS / "nec" / "source.txt"]
    files += [CORPUS / "nas" / "source.pdf"]
    bundle = REALWORLD / "002_pequod_hozon_bundle.txt"
    if bundle.exists():
        files.append(bundle)
    with Store(tmp_path / "batch.db") as store:
        summary = run_batch(files, store, workers=2)
    assert len(summary.processed) == len(files), summary.failed
    with Store(tmp_path / "add.db") as store:
        for path in files:
            document = parse_bytes(path.read_bytes(), path.name, extract=True)
            assert store.add(document, validate_document(document, ()), path=str(path))
    batch, added = stored_rows(tmp_path / "batch.db"), stored_rows(tmp_path / "add.db")
    assert len(batch["documents"]) == len(files)
    assert batch["provisions"] and batch["extractions"] and batch["parameters"]
    for table in TABLE_NAMES:
        assert batch[table] == added[table], table


def test_rule_models_are_chosen_by_family(structure_docs: dict[str, Document]) -> None:
    nas, nec = structure_docs["nas"], structure_docs["nec"]
    unknown = nec.model_copy(update={"family": None})

    def family_of(model: RuleModel | None) -> str | None:
        return model.family if model is not None else None

    assert family_of(choose_rules(nas, ())) == "nas"
    assert family_of(choose_rules(nec, ("nas",))) == "nec"  # its own family's model
    assert family_of(choose_rules(unknown, ())) is None  # stored unvalidated
    assert family_of(choose_rules(unknown, ("nas",))) == "nas"  # the one model given
    assert family_of(choose_rules(unknown, ("nas", "nec"))) is None


def test_files_with_the_same_bytes_are_processed_once_and_share_the_outcome(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    nec = (CORPUS / "nec" / "source.txt").read_bytes()
    (folder / "a_nec.txt").write_bytes(nec)
    (folder / "b_nec_again.txt").write_bytes(nec)
    junk = bytes(range(256)) * 16
    (folder / "c_binary.txt").write_bytes(junk)
    (folder / "d_binary_again.txt").write_bytes(junk)
    seen: list[tuple[str, str]] = []
    with Store(tmp_path / "yakkan.db") as store:
        summary = run_batch(
            [folder], store, listener=lambda kind, path, _r, _why: seen.append((kind, path.name))
        )
        assert [Path(p).name for p in summary.processed] == ["a_nec.txt"]
        assert [Path(p).name for p in summary.skipped] == ["b_nec_again.txt"]
        assert sorted(Path(f.path).name for f in summary.failed) == [
            "c_binary.txt",
            "d_binary_again.txt",
        ]
        assert store.counts()["documents"] == 1
        assert {Path(r["path"]).name for r in store.query("SELECT path FROM sources")} == {
            "a_nec.txt",
            "b_nec_again.txt",
        }
    assert sorted(seen) == [
        ("failed", "c_binary.txt"),
        ("failed", "d_binary_again.txt"),
        ("skipped", "b_nec_again.txt"),
        ("stored", "a_nec.txt"),
    ]
