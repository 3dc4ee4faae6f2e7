"""Batch processing: discovery, content-hash cache, parallel workers, per-file error isolation.

The unit of work is `process_bytes(data, name, rules)`: a pure function from a file's bytes to a
`BatchRecord` (the parsed, extracted, resolved and validated document, or the reason it failed).
It runs in local worker processes (`ProcessPoolExecutor`, one spaCy Language per worker) or on a
dask.distributed cluster. Only the calling process writes to the store, one transaction per
document, so an interrupted batch can simply be run again.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline.ingest.sources import DEFAULT_MAX_BYTES, open_input, read_input
from pipeline.models import (
    BatchRecord,
    Document,
    ValidationReport,
    YakkanError,
    one_line,
)
from pipeline.store.sqlite import Store, report_failures

SUFFIXES = (".pdf", ".txt")
"""File suffixes discovered in folders; files named explicitly are taken whatever their suffix."""

WORKER_PRELOAD = (
    "pipeline.store.batch",
    "pipeline.process",
    "pipeline.extract.runner",
    "pipeline.refs.resolve",
    "pipeline.rules",
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

Executor = Literal["local", "dask"]


class DocumentTimeout(BaseException):
    """Raised in a worker when a document overruns its time. A BaseException, so the pipeline's
    own `except Exception` handlers cannot swallow it."""


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


@dataclass
class Task:
    """One file to process."""

    path: Path
    sha256: str


# --------------------------------------------------------------------------------------------
# The unit of work
# --------------------------------------------------------------------------------------------


WARM_UP_TEXT = "第1条(目的)\n本約款は、申込日から30日以内に年14.5%の割合で適用します。\n"
"""A tiny document run once per worker: it builds the cached spaCy Language (and Sudachi)."""


def warm_up() -> None:
    """Run the pipeline once on a tiny document so the worker's first real file does not pay
    for building the spaCy Language. A failure here only costs that time, so it is ignored."""
    from pipeline.process import parse_bytes

    with contextlib.suppress(Exception):
        parse_bytes(WARM_UP_TEXT.encode("utf-8"), "<warm-up>", extract=True)


def _raise_timeout(signum: int, frame: Any) -> None:
    raise DocumentTimeout


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in this process after `seconds` (a no-op off the main thread,
    where signals cannot be delivered, or without a limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_bytes(
    data: bytes, name: str, rules: tuple[str, ...] = (), timeout: float | None = None
) -> BatchRecord:
    """Parse, extract, resolve and validate one file's bytes; never raises for a bad file.

    With a `timeout` (seconds), a document that takes longer is given up and reported.
    """
    from pipeline.process import parse_bytes

    started = time.perf_counter()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        with time_limit(timeout):
            document = parse_bytes(data, name, extract=True)
            report = validate_document(document, rules)
    except DocumentTimeout:
        return BatchRecord(
            name=name,
            sha256=sha256,
            error=_timed_out(timeout),
            seconds=time.perf_counter() - started,
        )
    except YakkanError as err:
        return BatchRecord(
            name=name, sha256=sha256, error=err.reason, seconds=time.perf_counter() - started
        )
    except Exception as err:  # one broken file must not stop the batch
        return BatchRecord(
            name=name,
            sha256=sha256,
            error=f"unexpected {type(err).__name__}: {err}".rstrip(": "),
            seconds=time.perf_counter() - started,
        )
    return BatchRecord(
        name=name,
        sha256=sha256,
        document=document,
        report=report,
        seconds=time.perf_counter() - started,
    )


def _timed_out(timeout: float | None) -> str:
    return f"timed out: not done after {timeout:g} s (--timeout)"


def check_rules(rules: tuple[str, ...]) -> None:
    """Load every rule model named, so a bad --rules fails the batch once, before any work."""
    from pipeline.rules import rule_model

    for spec in rules:
        rule_model(spec)


def validate_document(document: Document, rules: tuple[str, ...]) -> ValidationReport | None:
    """The validation report for this document, or None when no rule model applies."""
    from pipeline.rules import choose_rules, validate

    model = choose_rules(document, rules)
    return validate(document, model) if model is not None else None


# --------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------


def discover(inputs: Iterable[str | Path]) -> list[Path]:
    """The files to process: folders searched recursively for PDFs and text files, files as given.

    Entries named like documents that are not regular files (a FIFO, a device, a broken link or
    a symbolic link loop) are kept, so the batch reports each of them instead of skipping it
    silently. Raises YakkanError for an input that does not exist.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and not p.is_dir()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists() or path.is_symlink():
            candidates = [path]
        else:
            raise YakkanError(str(path), "no such file or folder")
        for candidate in candidates:
            try:
                key = candidate.resolve()
            except (OSError, RuntimeError):  # a symbolic link loop: reported when it is read
                key = candidate.absolute()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def sha256_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The hex sha256 of a regular file's bytes, read in chunks; anything `read_input` refuses
    (a FIFO, a device, a link loop, a file over `max_bytes`) is an IngestError."""
    digest = hashlib.sha256()
    with open_input(path, max_bytes=max_bytes) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Executors: each yields (task, record) as results arrive
# --------------------------------------------------------------------------------------------


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


def _run_local(
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
                    name=str(overran.path), sha256=overran.sha256, error=_timed_out(timeout)
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


def _run_dask(
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


# --------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------

Listener = Callable[[str, Path, BatchRecord | None, str | None], None]
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
        kind: str, path: Path, record: BatchRecord | None = None, reason: str | None = None
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
            _run_dask(tasks, rules, workers, scheduler, timeout, max_bytes)
            if executor == "dask"
            else _run_local(tasks, rules, workers, timeout, max_bytes)
        )
        # closing: an interrupted batch stops its workers now, not when the generator is freed
        with contextlib.closing(results):
            for task, record in results:
                if record.document is None:
                    for path in [task.path, *same_bytes[task.sha256]]:
                        settle("failed", path, record, record.error)
                    continue
                store.add(record.document, record.report, path=str(task.path))
                for path in same_bytes[task.sha256]:
                    store.note_source(str(path), task.sha256)
                    summary.skipped.append(str(path))
                    settle("skipped", path)
                summary.processed.append(str(task.path))
                summary.pages += record.document.source.pages or 0
                if record.report is not None:
                    failures = report_failures(record.report)
                    if failures:
                        summary.validation_failures[str(task.path)] = failures
                settle("stored", task.path, record)
    summary.seconds = time.perf_counter() - started
    return summary


# --------------------------------------------------------------------------------------------
# For people: a progress bar and a summary
# --------------------------------------------------------------------------------------------


def run_with_progress(
    inputs: Iterable[str | Path],
    store: Store,
    *,
    show: bool = True,
    workers: int = 1,
    rules: tuple[str, ...] = (),
    executor: Executor = "local",
    scheduler: str | None = None,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BatchSummary:
    """`run_batch` with a rich progress bar (documents, pages, failures) on stderr; each failure
    is printed as one line above the bar as it happens."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]batch[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("documents"),
        TextColumn("{task.fields[pages]} pages"),
        TextColumn("[red]{task.fields[failed]} failed[/]"),
        TimeElapsedColumn(),
        console=console,
        disable=not show,
    )
    bar = progress.add_task("batch", total=None, pages=0, failed=0)
    counts = {"pages": 0, "failed": 0}

    def on_start(total: int) -> None:
        progress.update(bar, total=total)

    def listener(kind: str, path: Path, record: BatchRecord | None, reason: str | None) -> None:
        if kind == "failed":
            counts["failed"] += 1
            console.print(
                f"yakkan: failed: {escape(one_line(str(path)))}:"
                f" {escape(one_line(reason or 'failed'))}",
                highlight=False,
                soft_wrap=True,
            )
        elif record is not None and record.document is not None:
            counts["pages"] += record.document.source.pages or 0
        progress.update(bar, advance=1, pages=counts["pages"], failed=counts["failed"])

    check_rules(rules)
    files = discover(inputs)  # errors in the arguments come before the progress bar
    with progress:
        return run_batch(
            files,
            store,
            workers=workers,
            rules=rules,
            executor=executor,
            scheduler=scheduler,
            listener=listener,
            on_start=on_start,
            timeout=timeout,
            max_bytes=max_bytes,
        )


def render_summary(summary: BatchSummary) -> str:
    """The end-of-batch summary: counts on the first line, then one line per problem."""
    lines = [
        f"processed {len(summary.processed)}, skipped as unchanged {len(summary.skipped)}, "
        f"failed {len(summary.failed)}, validation failures {len(summary.validation_failures)}"
        f" ({summary.pages} PDF pages, {summary.seconds:.1f} s)"
    ]
    if not (summary.processed or summary.skipped or summary.failed):
        lines.append("no PDF or text files found")
    lines += [f"failed: {one_line(f.path)}: {one_line(f.reason)}" for f in summary.failed]
    lines += [
        f"validation failed: {path}: {', '.join(names)}"
        for path, names in summary.validation_failures.items()
    ]
    return "\n".join(lines)
