"""A batch's head start: its workers' fork server is started as soon as a file is known to need
processing, and never for a batch with nothing to process (a re-run, a bad first file)."""

from __future__ import annotations

import os
from pathlib import Path

import psutil
from conftest import CORPUS

from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.store.launch import start_early
from pipeline.store.sqlite import Store
from pipeline.store.work import process_bytes


def fork_servers() -> list[psutil.Process]:
    """This process's children running multiprocessing's fork server."""
    return [
        child
        for child in psutil.Process().children()
        if "multiprocessing.forkserver" in " ".join(child.cmdline())
    ]


def test_the_workers_start_early_only_when_the_first_file_is_new(tmp_path: Path) -> None:
    stored = CORPUS / "nec" / "source.txt"
    new = tmp_path / "nas_copy.txt"
    new.write_text(
        (CORPUS / "nas" / "source.txt").read_text(encoding="utf-8") + "\n(写し)\n",
        encoding="utf-8",
    )
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    record = process_bytes(stored.read_bytes(), stored.name)
    assert record.document is not None, record.error
    with Store(tmp_path / "yakkan.db") as store:
        store.add(record.document, record.report, path=str(stored))

        running = len(fork_servers())  # an earlier test's batch may have left one
        assert not start_early([], store, DEFAULT_MAX_BYTES)
        # The first file decides: stored (a re-run), or one the batch will report as unreadable.
        assert not start_early([stored, new], store, DEFAULT_MAX_BYTES)
        assert not start_early([fifo, new], store, DEFAULT_MAX_BYTES)
        assert len(fork_servers()) == running

        assert start_early([new, stored], store, DEFAULT_MAX_BYTES)
        assert fork_servers(), "no fork server started"
        # Once running, it is not started twice.
        assert start_early([new], store, DEFAULT_MAX_BYTES)
        assert len(fork_servers()) == 1
