"""Executors: local worker processes or a dask cluster, each yielding (task, record) as
results arrive.

Local workers are forked from a fork server that imported the pipeline once, each tied to the
batch's life by a watchdog; a crashed worker costs a pool restart and a document that overruns
its time (stuck where the in-worker alarm cannot reach) costs its worker, never the batch.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Generator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.ingest.sources import DEFAULT_MAX_BYTES, read_input
from pipeline.models import BatchRecord, YakkanError
from pipeline.store.work import process_bytes, timed_out, warm_up

WORKER_PRELOAD = (
    "pipeline.store.work",
    "pipeline.process",
    "pipeline.extract.runner",
    "pipeline.refs.resolve",
    "pipeline.rules.engine",
)
"""Modules the fork server imports once before forking workers: spaCy's import (seconds) is
paid once per batch, not once per worker and again after every pool restart."""

WINDOW_PER_WORKER = 4
"""Tasks kept in flight per worker: bounds the memory held by file bytes and results."""

SCHEDULER_TIMEOUT = "10s"
"""How long to try to reach a dask scheduler given by address before giving up."""

HARD_TIMEOUT_GRACE = 10.0
"""Seconds past `--timeout` after which a worker that did not stop by itself (stuck in C code,
where the in-worker alarm cannot reach) is killed and its document reported."""

POLL_SECONDS = 1.0
"""How often the batch looks at the clock while it waits for results (for the hard timeout)."""


@dataclass
class Task:
    """One file to process."""

    path: Path
    sha256: str


def _worker_died(task: Task) -> BatchRecord:
    return BatchRecord(
        name=str(task.path), sha256=task.sha256, error="worker process died while processing it"
    )


def _read_failure(task: Task, err: YakkanError) -> BatchRecord:
    return BatchRecord(name=str(task.path), sha256=task.sha256, error=err.reason)


WATCHDOG_SECONDS = 0.5
"""How often a worker looks for its batch where it cannot be told at once (no pidfd)."""


def die_with_batch(batch_pid: int) -> None:
    """End this worker as soon as the batch process `batch_pid` ends, however it ends.

    A worker's parent is the fork server, and the fork server lives as long as any worker
    holds its pipe, so neither a parent-death signal nor the pipes end them: a watchdog thread
    does, waiting on a pidfd of the batch (Linux), else polling it.
    """

    def watch() -> None:
        try:
            pidfd = os.pidfd_open(batch_pid)
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):
            pidfd = -1
        if pidfd >= 0:
            select.select([pidfd], [], [])
            os._exit(1)
        while True:
            try:
                os.kill(batch_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            time.sleep(WATCHDOG_SECONDS)

    threading.Thread(target=watch, name="yakkan-watchdog", daemon=True).start()


def _start_worker(batch_pid: int) -> None:
    """Initializer of a local worker process: tie its life to the batch, then warm up."""
    die_with_batch(batch_pid)
    warm_up()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's worker processes now: a stuck worker does not answer a polite shutdown,
    and an interrupted batch must not leave them running."""
    # ProcessPoolExecutor has no public way to end a running task; _processes is its table of
    # worker processes (stable since Python 3.2).
    processes = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes.values():
        with contextlib.suppress(Exception):
            process.join(5)


def run_local(
    tasks: list[Task],
    rules: tuple[str, ...],
    workers: int,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Generator[tuple[Task, BatchRecord], None, None]:
    """Run tasks on local worker processes; a crashed worker costs a pool restart, not the batch.

    The tasks in flight when a worker dies are suspects: they run again one at a time, so a
    file that crashes its worker again is reported as the culprit and its neighbours go on.
    A document over its `timeout` is stopped by an alarm in its worker; one that does not stop
    (stuck in C code) gets its worker killed after HARD_TIMEOUT_GRACE more seconds, is reported
    as timed out, and the documents that were in flight beside it run again.
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))
    pending = list(reversed(tasks))  # pop() takes them in the given order
    suspects: list[Task] = []
    window = max(1, workers) * WINDOW_PER_WORKER
    while pending or suspects:
        running: dict[Future[BatchRecord], Task] = {}
        started: dict[Future[BatchRecord], float] = {}
        isolated = False
        broken = False
        overran: Task | None = None
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        try:
            while not broken:
                if suspects:
                    batch = [suspects.pop()] if not running else []
                    isolated = True
                else:
                    batch = [pending.pop() for _ in range(min(len(pending), window - len(running)))]
                    isolated = False
                for task in batch:
                    try:
                        data = read_input(task.path, max_bytes=max_bytes)
                    except YakkanError as err:
                        yield task, _read_failure(task, err)
                        continue
                    try:
                        future = pool.submit(process_bytes, data, task.path.name, rules, timeout)
                    except BrokenProcessPool:
                        suspects.append(task)
                        broken = True
                        break
                    running[future] = task
                if broken:
                    break
                if not running:
                    if pending or suspects:
                        continue  # every file of this round was unreadable
                    break
                done, _ = wait(
                    running, timeout=POLL_SECONDS if timeout else None, return_when=FIRST_COMPLETED
                )
                if timeout and not done:
                    overran = _overrunning(running, started, timeout)
                    if overran is not None:
                        broken = True
                        break
                for future in done:
                    error = future.exception()
                    if isinstance(error, BrokenProcessPool):
                        broken = True
                        continue
                    task = running.pop(future)
                    started.pop(future, None)
                    if error is not None:
                        yield (
                            task,
                            BatchRecord(
                                name=str(task.path),
                                sha256=task.sha256,
                                error=f"unexpected {type(error).__name__}: {error}".rstrip(": "),
                            ),
                        )
                    else:
                        yield task, future.result()
        finally:
            if broken or pending or suspects or running:
                _stop_workers(pool)
            else:
                pool.shutdown(wait=True)
        if overran is not None:
            yield (
                overran,
                BatchRecord(
                    name=str(overran.path), sha256=overran.sha256, error=timed_out(timeout)
                ),
            )
            pending.extend(reversed([t for t in running.values() if t is not overran]))
            continue
        lost = list(running.values())
        if isolated and len(lost) == 1:
            yield lost[0], _worker_died(lost[0])
        else:
            suspects.extend(reversed(lost))


def _overrunning(
    running: dict[Future[BatchRecord], Task],
    started: dict[Future[BatchRecord], float],
    timeout: float,
) -> Task | None:
    """The task whose worker has overrun `timeout` by the grace period, if any; notes when each
    task was first seen running (the pool marks a task running as a worker takes it)."""
    now = time.monotonic()
    for future, task in running.items():
        if future.running():
            began = started.setdefault(future, now)
            if now - began > timeout + HARD_TIMEOUT_GRACE:
                return task
    return None


def _warm_up_plugin() -> Any:
    """A dask WorkerPlugin building the spaCy Language once on each worker as it starts."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmUp(WorkerPlugin):
        idempotent = True

        def setup(self, worker: Any) -> None:
            warm_up()

    return WarmUp()


def run_dask(
    tasks: list[Task],
    rules: tuple[str, ...],
    workers: int,
    scheduler: str | None,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Generator[tuple[Task, BatchRecord], None, None]:
    """Run tasks on a dask.distributed cluster: the given scheduler, or a LocalCluster."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as err:
        raise YakkanError(
            "--executor dask",
            "dask.distributed is not installed; install the extra: pip install 'yakkan[dask]'",
        ) from err

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as err:
            raise YakkanError(scheduler, f"cannot reach the dask scheduler: {err}") from None
    else:
        cluster = LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        client.register_plugin(_warm_up_plugin(), name="yakkan-warm-up")
        window = max(1, workers) * WINDOW_PER_WORKER
        pending = list(reversed(tasks))
        running: dict[Any, Task] = {}
        queue = as_completed()

        def fill() -> Generator[tuple[Task, BatchRecord], None, None]:
            while pending and len(running) < window:
                task = pending.pop()
                try:
                    data = read_input(task.path, max_bytes=max_bytes)
                except YakkanError as err:
                    yield task, _read_failure(task, err)
                    continue
                future = client.submit(
                    process_bytes, data, task.path.name, rules, timeout, pure=False
                )
                running[future] = task
                queue.add(future)

        yield from fill()
        for future in queue:
            task = running.pop(future)
            try:
                yield task, future.result()
            except Exception as err:  # e.g. KilledWorker: report it, go on
                yield (
                    task,
                    BatchRecord(
                        name=str(task.path),
                        sha256=task.sha256,
                        error=f"dask task failed: {type(err).__name__}: {err}",
                    ),
                )
            yield from fill()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
