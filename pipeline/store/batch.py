"""Batch processing: discovery, content-hash cache, parallel workers, per-file error isolation.

The unit of work (`pipeline.store.work`) runs in local worker processes or on a dask cluster
(`pipeline.store.workers`). Only the calling process writes to the store, one transaction per
document, so an interrupted batch can simply be run again.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import YakkanError
from pipeline.store.discover import discover, sha256_file
from pipeline.store.launch import start_local_workers
from pipeline.store.sqlite import Store
from pipeline.store.work import Processed, check_rules
from pipeline.store.workers import Task, run_dask, run_local

Executor = Literal["local", "dask"]


@dataclass
class Failure:
    """A file the batch could not process, with the one-line reason."""

    path: str
    reason: str


@dataclass
class BatchSummary:
    """What a batch did: stored, skipped as unchanged, failed, failed validation."""

    processed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    # path → the parameters and structural rules that failed there
    validation_failures: dict[str, list[str]] = field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """1 when a file failed, 2 when every file was processed but a validation failed, else 0."""
        if self.failed:
            return 1
        return 2 if self.validation_failures else 0


Listener = Callable[[str, Path, Processed | None, str | None], None]
"""Called as each file is settled with ('stored' | 'skipped' | 'failed', path, the record if the
file was processed, the reason if it failed)."""


def run_batch(
    inputs: Iterable[str | Path],
    store: Store,
    *,
    workers: int = 1,
    rules: tuple[str, ...] = (),
    executor: Executor = "local",
    scheduler: str | None = None,
    listener: Listener | None = None,
    on_start: Callable[[int], None] | None = None,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BatchSummary:
    """Process every discovered file not yet in the store and store the results.

    A file whose content is already stored is skipped (so is a second file with the same bytes
    in this batch, once the first is stored); a file that fails, is refused (not a regular
    file, over `max_bytes`) or overruns `timeout` seconds is recorded in the summary with its
    reason and the batch goes on.
    """
    started = time.perf_counter()
    check_rules(rules)
    files = discover(inputs)
    if on_start is not None:
        on_start(len(files))
    ledger = _Ledger(store, listener)
    # Local workers start as soon as there is a first file to process: their fork server's
    # start-up then runs beside the hashing of the other files, not after it.
    tasks = ledger.plan(
        files, max_bytes, on_first=start_local_workers if executor == "local" else None
    )
    if tasks:
        results = (
            run_dask(tasks, rules, workers, scheduler, timeout, max_bytes)
            if executor == "dask"
            else run_local(tasks, rules, workers, timeout, max_bytes)
        )
        # closing: an interrupted batch stops its workers now, not when the generator is freed
        with contextlib.closing(results):
            for task, record in results:
                ledger.record(task, record)
    ledger.summary.seconds = time.perf_counter() - started
    return ledger.summary


class _Ledger:
    """What a batch has settled so far, file by file, told to the listener as it happens."""

    def __init__(self, store: Store, listener: Listener | None) -> None:
        self.store = store
        self.listener = listener
        self.summary = BatchSummary()
        # sha256 → other files of this batch with the same bytes: they share the first's fate
        self.same_bytes: dict[str, list[Path]] = {}

    def settle(
        self, kind: str, path: Path, record: Processed | None = None, reason: str | None = None
    ) -> None:
        """One file is done: 'stored', 'skipped' or 'failed' (with the reason)."""
        if kind == "failed":
            self.summary.failed.append(Failure(str(path), reason or "failed"))
        if self.listener is not None:
            self.listener(kind, path, record, reason)

    def skipped(self, path: Path, digest: str) -> None:
        """`path` holds bytes already stored: note where they were seen again."""
        self.store.note_source(str(path), digest)
        self.summary.skipped.append(str(path))
        self.settle("skipped", path)

    def plan(
        self, files: list[Path], max_bytes: int, on_first: Callable[[], object] | None = None
    ) -> list[Task]:
        """The files to process: each file hashed, those already stored (or repeating the
        bytes of an earlier file of this batch) set aside, unreadable ones settled as failed.
        `on_first` is called as the first file to process is found."""
        tasks: list[Task] = []
        for path in files:
            try:
                digest = sha256_file(path, max_bytes)
            except YakkanError as err:
                self.settle("failed", path, reason=err.reason)
                continue
            if digest in self.same_bytes:
                self.same_bytes[digest].append(path)
            elif self.store.has(digest):
                self.skipped(path, digest)
            else:
                self.same_bytes[digest] = []
                tasks.append(Task(path=path, sha256=digest))
                if on_first is not None and len(tasks) == 1:
                    on_first()
        return tasks

    def record(self, task: Task, record: Processed) -> None:
        """Store a processed file's rows, or settle it (and its copies) as failed."""
        if record.rows is None:
            for path in [task.path, *self.same_bytes[task.sha256]]:
                self.settle("failed", path, record, record.error)
            return
        self.store.add_rows(record.rows, path=str(task.path))
        for path in self.same_bytes[task.sha256]:
            self.skipped(path, task.sha256)
        self.summary.processed.append(str(task.path))
        self.summary.pages += record.pages
        if record.rows.failures:
            self.summary.validation_failures[str(task.path)] = record.rows.failures
        self.settle("stored", task.path, record)
