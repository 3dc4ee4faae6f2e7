"""Executors: local worker processes or a dask cluster, each yielding (task, record) as
results arrive.

Local workers are forked from a fork server that imported the pipeline once, each tied to the
batch's life by a watchdog; a crashed worker costs a pool restart and a document that overruns
its time (stuck where the in-worker alarm cannot reach) costs its worker, never the batch.
A local worker hands its rows over in a file (`pipeline.store.handoff`), so a worker killed
while it answers cannot leave the pool waiting for the rest of a message.
"""

from __future__ import annotations

import contextlib
import os
import select
import tempfile
import threading
import time
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from pipeline.ingest.sources import DEFAULT_MAX_BYTES, read_input
from pipeline.models import YakkanError
from pipeline.store.handoff import call_to_file, take_from_file
from pipeline.store.launch import start_local_workers
from pipeline.store.work import (
    Processed,
    rows_of_bytes,
    rows_of_file,
    timed_out,
    unexpected,
    warm_up,
)

WINDOW_PER_WORKER = 4
"""Tasks kept in flight per worker: bounds the memory held by file bytes and results."""

WORKER_DIED = "worker process died while processing it"

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
) -> Generator[tuple[Task, Processed], None, None]:
    """Run tasks on local worker processes; a crashed worker costs a pool restart, not the batch.

    Each worker reads its file, processes it and builds the store's rows, so the batch process
    only hashes files and writes rows. The tasks in flight when a worker dies are suspects:
    they run again one at a time, so a file that crashes its worker again is reported as the
    culprit and its neighbours go on. A document over its `timeout` is stopped by an alarm in
    its worker; one that does not stop (stuck in C code) gets its worker killed after
    HARD_TIMEOUT_GRACE more seconds, is reported as timed out, and the documents that were in
    flight beside it run again.
    """
    ctx = start_local_workers()
    with tempfile.TemporaryDirectory(prefix="yakkan-batch-") as folder:
        run = _LocalRun(tasks, rules, workers, timeout, max_bytes, folder)
        while run.pending or run.suspects:
            yield from run.one_pool(ctx)


class _LocalRun:
    """The state of `run_local` across pool restarts: what is left, and what is suspect."""

    def __init__(
        self,
        tasks: list[Task],
        rules: tuple[str, ...],
        workers: int,
        timeout: float | None,
        max_bytes: int,
        folder: str,
    ) -> None:
        self.pending = list(reversed(tasks))  # pop() takes them in the given order
        self.suspects: list[Task] = []
        self.rules, self.workers, self.timeout, self.max_bytes = rules, workers, timeout, max_bytes
        self.folder = folder  # where workers leave their results (`call_to_file`)
        self.window = max(1, workers) * WINDOW_PER_WORKER
        self.running: dict[Future[str], Task] = {}
        self.started: dict[Future[str], float] = {}
        self.isolated = False

    def one_pool(self, ctx: BaseContext) -> Generator[tuple[Task, Processed], None, None]:
        """One pool's life: fed until the work is done or the pool breaks (a worker died or
        overran); then the tasks it held are settled or queued again."""
        self.running, self.started = {}, {}
        broken = False
        overran: Task | None = None
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        try:
            while not broken:
                if not self._submit(pool):
                    broken = True
                    break
                if not self.running:
                    break
                done, _ = wait(
                    self.running,
                    timeout=POLL_SECONDS if self.timeout else None,
                    return_when=FIRST_COMPLETED,
                )
                if self.timeout and not done:
                    overran = _overrunning(self.running, self.started, self.timeout)
                    broken = overran is not None
                for future in done:
                    if isinstance(future.exception(), BrokenProcessPool):
                        broken = True
                        continue
                    task = self.running.pop(future)
                    self.started.pop(future, None)
                    yield task, _outcome(future)
        finally:
            if broken or self.pending or self.suspects or self.running:
                _stop_workers(pool)
            else:
                pool.shutdown(wait=True)
        yield from self._settle_lost(overran)

    def _submit(self, pool: ProcessPoolExecutor) -> bool:
        """Fill the window, or after a crash run one suspect alone; False if the pool broke."""
        if self.suspects:
            batch = [self.suspects.pop()] if not self.running else []
            self.isolated = True
        else:
            room = min(len(self.pending), self.window - len(self.running))
            batch = [self.pending.pop() for _ in range(room)]
            self.isolated = False
        for n, task in enumerate(batch):
            try:
                args = (task.path.absolute(), self.rules, self.timeout, self.max_bytes)
                future = pool.submit(call_to_file, rows_of_file, args, self.folder)
            except BrokenProcessPool:
                # This task and the ones after it never ran: they go back where they came from.
                (self.suspects if self.isolated else self.pending).extend(reversed(batch[n:]))
                return False
            self.running[future] = task
        return True

    def _settle_lost(self, overran: Task | None) -> Generator[tuple[Task, Processed], None, None]:
        """After a broken pool: report the document that overran and queue its neighbours
        again, or report the one suspect that crashed its worker alone, or make every task
        that was in flight a suspect."""
        if overran is not None:
            yield overran, Processed(error=timed_out(self.timeout))
            self.pending.extend(reversed([t for t in self.running.values() if t is not overran]))
            return
        lost = list(self.running.values())
        if self.isolated and len(lost) == 1:
            yield lost[0], Processed(error=WORKER_DIED)
        else:
            self.suspects.extend(reversed(lost))


def _outcome(future: Future[str]) -> Processed:
    """A finished task's result (read from the file its worker left), or its unexpected
    exception as a failure."""
    error = future.exception()
    if error is not None:
        return Processed(error=unexpected(error))
    try:
        processed: Processed = take_from_file(future.result())
    except Exception as err:  # a result file gone or unreadable: this document failed
        return Processed(error=unexpected(err))
    return processed


def _overrunning(
    running: dict[Future[str], Task],
    started: dict[Future[str], float],
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


@contextlib.contextmanager
def _dask_client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A client of the given dask scheduler, or of a LocalCluster of `workers` processes,
    with every worker warmed up; closed (with the cluster) on exit."""
    try:
        from distributed import Client, LocalCluster
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
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_dask(
    tasks: list[Task],
    rules: tuple[str, ...],
    workers: int,
    scheduler: str | None,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Generator[tuple[Task, Processed], None, None]:
    """Run tasks on a dask.distributed cluster: the given scheduler, or a LocalCluster. The
    batch process reads each file and sends its bytes (a remote worker may not see the path)."""
    with _dask_client(workers, scheduler) as client:
        from distributed import as_completed

        window = max(1, workers) * WINDOW_PER_WORKER
        pending = list(reversed(tasks))
        running: dict[Any, Task] = {}
        queue = as_completed()

        def fill() -> Generator[tuple[Task, Processed], None, None]:
            while pending and len(running) < window:
                task = pending.pop()
                try:
                    data = read_input(task.path, max_bytes=max_bytes)
                except YakkanError as err:
                    yield task, Processed(error=err.reason)
                    continue
                future = client.submit(
                    rows_of_bytes, data, task.path.name, rules, timeout, pure=False
                )
                running[future] = task
                queue.add(future)

        yield from fill()
        for future in queue:
            task = running.pop(future)
            try:
                yield task, future.result()
            except Exception as err:  # e.g. KilledWorker: report it, go on
                yield task, Processed(error=f"dask task failed: {type(err).__name__}: {err}")
            yield from fill()
