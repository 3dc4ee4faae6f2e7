"""`yakkan batch` for people: a progress bar of documents, pages and failures on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import one_line
from pipeline.store.batch import BatchSummary, Executor, run_batch
from pipeline.store.discover import discover
from pipeline.store.sqlite import Store
from pipeline.store.work import Processed, check_rules


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

    def listener(kind: str, path: Path, record: Processed | None, reason: str | None) -> None:
        if kind == "failed":
            counts["failed"] += 1
            console.print(
                f"yakkan: failed: {escape(one_line(str(path)))}:"
                f" {escape(one_line(reason or 'failed'))}",
                highlight=False,
                soft_wrap=True,
            )
        elif record is not None:
            counts["pages"] += record.pages
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
