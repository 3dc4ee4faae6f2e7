"""Adversarial inputs, faults and sizes: every case ends in a correct result or one line naming
the file and the reason, exit 1, and a batch that goes on. Each input is generated here."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pdfgen
import psutil
import pytest
from longpdf import long_pdf
from typer.testing import CliRunner

import pipeline.store.workers as batch_module
from extractors.percentages import find_percentages
from pipeline.cli.main import app
from pipeline.ingest.sources import DEFAULT_MAX_BYTES, read_input
from pipeline.models import ExportRow, IngestError, YakkanError
from pipeline.process import parse_bytes
from pipeline.store.batch import run_batch
from pipeline.store.export import write_export
from pipeline.store.history import history
from pipeline.store.schema import APPLICATION_ID, SCHEMA_VERSION
from pipeline.store.sqlite import Store
from pipeline.store.work import process_bytes

YAKKAN = Path(sys.executable).with_name("yakkan")

runner = CliRunner()

SMALL = "第1条（目的）\n本約款は、申込日から30日以内に年14.5%の割合で適用します。\n"


def one_line_error(args: list[str]) -> str:
    """Run the CLI in-process; assert exit 1 and exactly one line on stderr; return it."""
    result = runner.invoke(app, args)
    assert result.exit_code == 1, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("yakkan: error: ")
    assert "Traceback" not in result.output
    return lines[0]


def articles(n: int, *, family_line: str = "") -> str:
    """A generated terms text of n articles, each with two paragraphs and a 前項 reference."""
    parts = [family_line] if family_line else []
    for i in range(1, n + 1):
        parts.append(
            f"第{i}条（第{i}の定め）\n契約者は、利用開始日から{i}日以内に申し込むものとします。\n"
            f"2 前項の期間は、年{i % 15}.5%の割合により計算します。\n"
        )
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# What is read: only regular files, under a size limit, never blocking
# --------------------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "terms.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    line = one_line_error(["parse", str(fifo), "--no-extract"])
    assert line == f"yakkan: error: {fifo}: is a FIFO (named pipe), not a regular file"
    assert time.monotonic() - started < 60  # it returned at all: nothing waited on the FIFO


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_before_a_byte_is_read() -> None:
    line = one_line_error(["parse", "/dev/zero", "--no-extract"])
    assert line == "yakkan: error: /dev/zero: is a character device, not a regular file"


def test_a_directory_a_link_loop_and_a_broken_link_are_each_one_line(tmp_path: Path) -> None:
    assert one_line_error(["parse", str(tmp_path)]).endswith(": is a directory, not a file")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert one_line_error(["parse", str(tmp_path / "a.txt")]).endswith(
        f"{tmp_path / 'a.txt'}: symbolic link loop (too many levels of symbolic links)"
    )
    (tmp_path / "gone.txt").symlink_to(tmp_path / "never-there.txt")
    assert one_line_error(["parse", str(tmp_path / "gone.txt")]).endswith(
        "gone.txt: broken symbolic link (its target does not exist)"
    )


def test_the_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    # A sparse file: its size says 1 GB, reading it would take that much memory.
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(1 << 30)
    line = one_line_error(["parse", str(huge), "--no-extract"])
    assert line == (
        f"yakkan: error: {huge}: too large: 1,073,741,824 bytes,"
        f" over the limit of {DEFAULT_MAX_BYTES:,} (--max-bytes)"
    )
    small = tmp_path / "small.txt"
    small.write_text(SMALL, encoding="utf-8")
    size = len(SMALL.encode("utf-8"))
    assert one_line_error(["parse", str(small), "--max-bytes", str(size - 1)]).endswith(
        f"too large: {size:,} bytes, over the limit of {size - 1:,} (--max-bytes)"
    )
    assert read_input(small, max_bytes=size) == SMALL.encode("utf-8")


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "約款\n第2版.txt"
    odd.write_bytes(b"\x00\x01\x02" * 100)
    line = one_line_error(["parse", str(odd), "--no-extract"])
    assert line == f"yakkan: error: {str(odd)!r}: binary file, not text (NUL bytes)"


def test_a_path_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path: Path) -> None:
    too_long = tmp_path / ("長" * 200 + ".txt")
    assert one_line_error(["parse", str(too_long)]).endswith(": cannot read: File name too long")
    regular = tmp_path / "plain.txt"
    regular.write_text(SMALL, encoding="utf-8")
    assert one_line_error(["parse", str(regular / "inside.txt")]).endswith(
        ": cannot read: Not a directory"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(SMALL, encoding="utf-8")
    locked.chmod(0)
    assert one_line_error(["parse", str(locked)]).endswith(": cannot read: Permission denied")


# --------------------------------------------------------------------------------------------
# Decoding and values: nothing invented
# --------------------------------------------------------------------------------------------


def test_undefined_cp932_bytes_are_an_error_naming_the_offset(tmp_path: Path) -> None:
    heading = "第1条（目的）\n".encode("cp932")
    text = heading + "本約款は、申込日から適用します。\n".encode("cp932")
    # 0xFD is no character in Shift_JIS; Python's cp932 codec would make it U+F8F1.
    bad = heading + b"\xfd" + text[len(heading) :]
    path = tmp_path / "sjis.txt"
    path.write_bytes(bad)
    line = one_line_error(["parse", str(path), "--no-extract"])
    assert line.endswith(
        f": invalid CP932 (Shift_JIS) byte 0xFD at byte offset {len(heading)}: not a character"
    )
    path.write_bytes(text)
    assert parse_bytes(text, "ok.txt", extract=False).source.encoding == "cp932"


@pytest.mark.parametrize("surface", ["1e400%", "2e5%", "年率1.2.3%", "1" * 400 + "%"])
def test_numbers_that_are_not_decimals_or_overflow_are_not_percentages(surface: str) -> None:
    assert find_percentages(f"遅延損害金は{surface}とします。") == []


def test_a_decimal_percentage_still_reads() -> None:
    (found,) = find_percentages("遅延損害金は年14.5%とします。")
    assert found.value.value == 14.5


def test_two_articles_with_one_number_citing_the_previous_paragraph() -> None:
    text = (
        "第1条（目的）\n本約款は適用します。\n2 前項の定めは、次による。\n"
        "第1条（重複）\n本約款の用語を定めます。\n"
    )
    document = parse_bytes(text.encode("utf-8"), "dup.txt")
    # 前項 in the first 第1条's second paragraph is that article's first paragraph.
    refs = [(e.path, e.value.targets) for e in document.extractions if e.kind == "crossref"]
    assert refs == [("art:1/para:2", ["art:1/para:1"])]
    assert "numbering.article.repeat" in {d.code for d in document.diagnostics}


# --------------------------------------------------------------------------------------------
# The store: foreign databases, read-only readers, migration
# --------------------------------------------------------------------------------------------


def foreign_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_a_database_that_is_not_yakkans_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    other = tmp_path / "other.db"
    before = foreign_database(other)
    terms = tmp_path / "terms.txt"
    terms.write_text(SMALL, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(terms), "--db", str(other), "-q"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"yakkan: error: {other}: not a yakkan database (application_id 0x0, schema version 0,"
        " other tables: notes); refusing to touch it"
    )
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db", "terms.txt"]
    for command in (["export"], ["history", "nas"]):
        assert "not a yakkan database" in one_line_error([*command, "--db", str(other)])
    assert other.read_bytes() == before


def test_a_database_path_that_is_not_a_regular_file_is_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "y.db"
    os.mkfifo(fifo)
    terms = tmp_path / "terms.txt"
    terms.write_text(SMALL, encoding="utf-8")
    reason = "cannot be a database: it is a FIFO (named pipe), not a regular file"
    for command in (["batch", str(terms), "-q"], ["export"], ["history", "nas"]):
        assert one_line_error([*command, "--db", str(fifo)]) == f"yakkan: error: {fifo}: {reason}"
    assert one_line_error(["export", "--db", str(tmp_path)]).endswith(
        "cannot be a database: it is a directory, not a file"
    )


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding two versions of a generated family and one document without values."""
    folder = tmp_path_factory.mktemp("store")
    db = folder / "yakkan.db"
    with Store(db) as store:
        for version in ("Ver1.0", "Ver1.1"):
            text = f"サンプル約款 ({version})\n" + articles(3)
            if version == "Ver1.1":
                text = text.replace("3日以内", "5日以内")
            store.add(
                parse_bytes(text.encode("utf-8"), f"{version}.txt").model_copy(
                    update={"family": "sample", "version": version}
                )
            )
        bare = "第1条（目的）\n本約款は、サービスの利用について定めます。\n"
        store.add(parse_bytes(bare.encode("utf-8"), "bare.txt"))
    return db


def test_export_lists_a_stored_document_without_values(small_store: Path) -> None:
    out = io.StringIO()
    with Store(small_store, readonly=True) as store:
        write_export(store, "jsonl", out)
    rows = [ExportRow.model_validate_json(line) for line in out.getvalue().splitlines()]
    bare = [r for r in rows if r.source == "bare.txt"]
    assert [(r.record, r.kind, r.value) for r in bare] == [("document", None, None)]
    assert {r.source for r in rows} == {"Ver1.0.txt", "Ver1.1.txt", "bare.txt"}
    result = runner.invoke(app, ["export", "--db", str(small_store), "--format", "json"])
    assert json.loads(result.stdout)["documents"] == 3


def test_readers_open_the_store_read_only_and_leave_it_as_it_was(small_store: Path) -> None:
    before = small_store.read_bytes()
    with Store(small_store, readonly=True) as store:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM documents")
        versions, steps = history(store, "sample")
    assert [v.version for v in versions] == ["Ver1.0", "Ver1.1"] and len(steps) == 1
    assert runner.invoke(app, ["history", "sample", "--db", str(small_store)]).exit_code == 0
    assert runner.invoke(app, ["export", "--db", str(small_store)]).exit_code == 0
    assert small_store.read_bytes() == before


def test_export_into_a_missing_folder_is_one_line(small_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.jsonl"
    line = one_line_error(["export", "--db", str(small_store), "-o", str(target)])
    assert line == f"yakkan: error: {target}: cannot write: No such file or directory"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_disk_is_one_line(small_store: Path, tmp_path: Path) -> None:
    line = one_line_error(["export", "--db", str(small_store), "-o", "/dev/full"])
    assert line == "yakkan: error: /dev/full: cannot write: No space left on device"
    terms = tmp_path / "terms.txt"
    terms.write_text(SMALL, encoding="utf-8")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(YAKKAN), "parse", str(terms), "--no-extract"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert result.returncode == 1
    assert result.stderr == (
        f"yakkan: error: {terms}: cannot write the output: No space left on device\n"
    )


def test_a_schema_1_store_is_backed_up_and_migrated(small_store: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old.write_bytes(small_store.read_bytes())
    # Turn it into what yakkan 1 wrote: no text_sha256, schema version 1, no application_id.
    conn = sqlite3.connect(old)
    conn.execute("ALTER TABLE versions DROP COLUMN text_sha256")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    v1 = old.read_bytes()
    assert "schema version 1" in one_line_error(["history", "sample", "--db", str(old)])
    with Store(old) as store:
        (found,) = store.conn.execute("PRAGMA user_version").fetchone()
        (app_id,) = store.conn.execute("PRAGMA application_id").fetchone()
        assert (found, app_id) == (SCHEMA_VERSION, APPLICATION_ID)
        versions, steps = history(store, "sample")
        assert all(len(v.text_sha256) == 64 for v in versions)
        assert len(steps) == 1
    backup = tmp_path / "old.db.v1.bak"
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(versions)")]
    assert "text_sha256" not in columns
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone() == (3,)
    conn.close()
    assert len(v1) > 0


# --------------------------------------------------------------------------------------------
# The batch: odd files reported, time limits, workers that die with it
# --------------------------------------------------------------------------------------------


def test_a_batch_names_a_fifo_and_a_link_loop_and_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    (folder / "good.txt").write_text(SMALL, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "big.txt").write_text(articles(20), encoding="utf-8")
    with Store(tmp_path / "yakkan.db") as store:
        summary = run_batch([folder], store, workers=1, max_bytes=1000)
        assert store.counts()["documents"] == 1
    assert summary.processed == [str(folder / "good.txt")]
    reasons = {Path(f.path).name: f.reason for f in summary.failed}
    assert reasons == {
        "big.txt": f"too large: {len(articles(20).encode()):,} bytes, over the limit of 1,000"
        " (--max-bytes)",
        "loop1.txt": "symbolic link loop (too many levels of symbolic links)",
        "loop2.txt": "symbolic link loop (too many levels of symbolic links)",
        "pipe.txt": "is a FIFO (named pipe), not a regular file",
    }


def test_a_document_over_its_time_is_reported_in_one_line() -> None:
    data = articles(40).encode("utf-8")
    record = process_bytes(data, "slow.txt", (), timeout=0.001)
    assert record.document is None
    assert record.error == "timed out: not done after 0.001 s (--timeout)"
    assert process_bytes(data, "slow.txt").document is not None


def test_a_worker_stuck_where_no_alarm_reaches_is_killed_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_module, "HARD_TIMEOUT_GRACE", 1.0)
    folder = tmp_path / "terms"
    folder.mkdir()
    for i in (1, 2):
        (folder / f"doc{i}.txt").write_text(articles(i + 1), encoding="utf-8")
    started = time.monotonic()
    with Store(tmp_path / "yakkan.db") as store:
        summary = run_batch([folder], store, workers=1, rules=("stuck_rules:model",), timeout=1.0)
        assert store.counts()["documents"] == 0
    assert sorted(Path(f.path).name for f in summary.failed) == ["doc1.txt", "doc2.txt"]
    assert {f.reason for f in summary.failed} == {"timed out: not done after 1 s (--timeout)"}
    assert time.monotonic() - started < 300


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_workers_die_with_their_batch(tmp_path: Path, sig: signal.Signals) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    for i in range(6):
        (folder / f"doc{i}.txt").write_text(articles(60 + i), encoding="utf-8")
    proc = subprocess.Popen(
        [str(YAKKAN), "batch", str(folder), "--db", str(tmp_path / "y.db"), "-j", "2", "-q"],
        stdout=subprocess.DEVNULL,  # a pipe would stay open as long as any child lives
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    family: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 300
        # Wait for the fork server and both workers (its children) to exist.
        while time.monotonic() < deadline:
            family = descendants(proc.pid)
            if len(family) >= 4 or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the batch ended before the signal"
        assert any(p.ppid() != proc.pid for p in family), "no worker process found"
        proc.send_signal(sig)  # the batch alone, not its process group
        proc.wait(timeout=60)
        deadline = time.monotonic() + 15
        alive = family
        while alive and time.monotonic() < deadline:
            alive = [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
            time.sleep(0.2)
        assert not alive, [(p.pid, p.name()) for p in alive]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for p in family:
            if p.is_running():
                p.kill()


def test_the_store_stays_consistent_after_a_timed_out_document(tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    (folder / "a.txt").write_text(articles(30), encoding="utf-8")
    (folder / "b.txt").write_text(SMALL, encoding="utf-8")
    db = tmp_path / "yakkan.db"
    with Store(db) as store:
        first = run_batch([folder], store, workers=1, timeout=1e-6)
        assert len(first.failed) == 2 and store.counts()["documents"] == 0
        second = run_batch([folder], store, workers=1)
        assert len(second.processed) == 2
        assert store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_errors_carry_the_file_even_for_unexpected_failures() -> None:
    with pytest.raises(IngestError, match="empty file"):
        parse_bytes(b"", "empty.txt")
    with pytest.raises(YakkanError):
        parse_bytes(b"\xff\xfe\x00", "odd.txt")


# --------------------------------------------------------------------------------------------
# PDFs: both engines give the same Document or the same error; long PDFs keep every heading
# --------------------------------------------------------------------------------------------

ENGINES = ("pdfplumber", "pdfium")


def zero_page_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def damaged_xref_pdf() -> bytes:
    """A good one-page PDF whose cross-reference table points every object at byte 7."""
    data = pdfgen.text_pdf()
    start = data.rindex(b"\nxref\n")
    end = data.index(b"trailer", start)
    table = re.sub(rb"\d{10} 00000 n", b"0000000007 00000 n", data[start:end])
    return data[:start] + table + data[end:]


def rotated_pdf() -> bytes:
    """Two articles drawn level on a page carrying /Rotate 90."""
    from reportlab.pdfgen.canvas import Canvas

    font = pdfgen._register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=pdfgen.A4, invariant=1)
    canvas.setPageRotation(90)
    canvas.setFont(font, 10)
    lines = ["第1条（目的）", "本約款は、試験のために作成したものとします。", "第2条（定義）"]
    for number, line in enumerate([*lines, "本約款において用いる用語は、次のとおりとします。"]):
        canvas.drawString(72, 720 - 20 * number, line)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def by_engine(data: bytes, name: str) -> dict[str, object]:
    """What each engine makes of a PDF: (text, articles) or the error's reason."""
    found: dict[str, object] = {}
    for engine in ENGINES:
        try:
            document = parse_bytes(data, name, extract=False, pdf_engine=engine)  # type: ignore[arg-type]
            found[engine] = (document.text, [a.model_dump() for a in document.articles])
        except YakkanError as err:
            found[engine] = err.reason
    return found


def test_an_empty_pdf_is_the_same_error_from_both_engines() -> None:
    found = by_engine(zero_page_pdf(), "empty.pdf")
    assert found == dict.fromkeys(ENGINES, "empty PDF: it has no pages")


def test_a_damaged_xref_table_reads_the_same_with_both_engines() -> None:
    found = by_engine(damaged_xref_pdf(), "xref.pdf")
    text, _ = found["pdfplumber"]  # type: ignore[misc]
    assert text == "第1条 本約款は、試験のために作成したものとします。"
    assert found["pdfium"] == found["pdfplumber"]


def test_a_rotated_page_reads_the_same_with_both_engines() -> None:
    found = by_engine(rotated_pdf(), "rotated.pdf")
    text, articles = found["pdfplumber"]  # type: ignore[misc]
    assert [a["number"] for a in articles] == ["1", "2"]
    assert text.startswith("第1条(目的)\n本約款は、試験のために作成したものとします。")
    assert found["pdfium"] == found["pdfplumber"]


@pytest.mark.parametrize("engine", ENGINES)
def test_headings_differing_only_in_digits_are_not_running_headers(engine: str) -> None:
    # Six pages of seven articles: pages 3 to 6 all start with '第NN条' at the same place.
    document = parse_bytes(long_pdf(6), "long.pdf", extract=False, pdf_engine=engine)  # type: ignore[arg-type]
    assert [a.number for a in document.articles] == [str(n) for n in range(1, 43)]


def save_flood_pdf(pairs: int) -> bytes:
    """One article on a page whose content stream first saves and restores `pairs` times."""
    from reportlab.pdfgen.canvas import Canvas

    font = pdfgen._register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=pdfgen.A4, invariant=1)
    for _ in range(pairs):
        canvas.saveState()
        canvas.restoreState()
    canvas.setFont(font, 10)
    canvas.drawString(72, 720, "第1条 本約款は、試験のために作成したものとします。")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_a_flood_of_empty_saves_is_collapsed_before_pdfminer_reads_it() -> None:
    import pdfplumber
    from pdfminer.pdftypes import stream_value

    from pipeline.ingest.pdf.pdfplumber_chars import SAVE_FLOOD, _drop_empty_saves

    data = save_flood_pdf(SAVE_FLOOD + 1000)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        _drop_empty_saves(page.page_obj)
        content = b"".join(stream_value(s).get_data() for s in page.page_obj.contents)
        assert re.search(rb"(?<!\S)q\s+Q(?!\S)", content) is None
    found = by_engine(data, "flood.pdf")
    text, _ = found["pdfplumber"]  # type: ignore[misc]
    assert text == "第1条 本約款は、試験のために作成したものとします。"
    assert found["pdfium"] == found["pdfplumber"]
    # Below the flood mark a page is read as it is.
    with pdfplumber.open(io.BytesIO(save_flood_pdf(10))) as pdf:
        page = pdf.pages[0]
        before = b"".join(stream_value(s).get_data() for s in page.page_obj.contents)
        _drop_empty_saves(page.page_obj)
        after = b"".join(stream_value(s).get_data() for s in page.page_obj.contents)
        assert after == before and before.count(b"q") >= 10
