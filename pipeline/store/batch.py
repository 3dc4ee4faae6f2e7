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
    summary = BatchSummary()
    check_rules(rules)
    files = discover(inputs)
    if on_start is not None:
        on_start(len(files))

    def settle(
        kind: str, path: Path, record: Processed | None = None, reason: str | None = None
    ) -> None:
        if kind == "failed":
            summary.failed.append(Failure(str(path), reason or "failed"))
        if listener is not None:
            listener(kind, path, record, reason)

    tasks: list[Task] = []
    # sha256 → other files of this batch with the same bytes: they share the first one's fate
    same_bytes: dict[str, list[Path]] = {}
    for path in files:
        try:
            digest = sha256_file(path, max_bytes)
        except YakkanError as err:
            settle("failed", path, reason=err.reason)
            continue
        if digest in same_bytes:
            same_bytes[digest].append(path)
            continue
        if store.has(digest):
            store.note_source(str(path), digest)
            summary.skipped.append(str(path))
            settle("skipped", path)
            continue
        same_bytes[digest] = []
        tasks.append(Task(path=path, sha256=digest))

    if tasks:
        results = (
            run_dask(tasks, rules, workers, scheduler, timeout, max_bytes)
            if executor == "dask"
            else run_local(tasks, rules, workers, timeout, max_bytes)
        )
        # closing: an interrupted batch stops its workers now, not when the generator is freed
        with contextlib.closing(results):
            for task, record in results:
                if record.rows is None:
                    for path in [task.path, *same_bytes[task.sha256]]:
                        settle("failed", path, record, record.error)
                    continue
                store.add_rows(record.rows, path=str(task.path))
                for path in same_bytes[task.sha256]:
                    store.note_source(str(path), task.sha256)
                    summary.skipped.append(str(path))
                    settle("skipped", path)
                summary.processed.append(str(task.path))
                summary.pages += record.pages
                if record.rows.failures:
                    summary.validation_failures[str(task.path)] = record.rows.failures
                settle("stored", task.path, record)
    summary.seconds = time.perf_counter() - started
    return summary
