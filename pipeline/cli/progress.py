"""`yakkan batch` for people: a progress bar of documents, pages and failures on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import one_line
from pipeline.store.discover import discover
from pipeline.store.launch import start_early
from pipeline.store.sqlite import Store
from pipeline.store.work import Processed, check_rules

if TYPE_CHECKING:
    from pipeline.store.batch import BatchSummary, Executor


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
    check_rules(rules)
    files = discover(inputs)  # errors in the arguments come before the progress bar
    if executor == "local":
        # The workers' start-up is most of a short batch's time: begin it before this
        # process imports the executor and builds the bar.
        start_early(files, store, max_bytes)
    from pipeline.store.batch import run_batch

    bar = BatchProgress(show)
    with bar.progress:
        return run_batch(
            files,
            store,
            workers=workers,
            rules=rules,
            executor=executor,
            scheduler=scheduler,
            listener=bar.settled,
            on_start=bar.start,
            timeout=timeout,
            max_bytes=max_bytes,
        )


class BatchProgress:
    """A rich progress bar of a batch on stderr: documents settled, PDF pages, failures."""

    def __init__(self, show: bool = True) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]batch[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("documents"),
            TextColumn("{task.fields[pages]} pages"),
            TextColumn("[red]{task.fields[failed]} failed[/]"),
            TimeElapsedColumn(),
            console=self.console,
            disable=not show,
        )
        self.bar = self.progress.add_task("batch", total=None, pages=0, failed=0)
        self.pages = 0
        self.failed = 0

    def start(self, total: int) -> None:
        """The batch found `total` files."""
        self.progress.update(self.bar, total=total)

    def settled(self, kind: str, path: Path, record: Processed | None, reason: str | None) -> None:
        """A `Listener`: one file settled; a failure is printed above the bar."""
        from rich.markup import escape

        if kind == "failed":
            self.failed += 1
            self.console.print(
                f"yakkan: failed: {escape(one_line(str(path)))}:"
                f" {escape(one_line(reason or 'failed'))}",
                highlight=False,
                soft_wrap=True,
            )
        elif record is not None:
            self.pages += record.pages
        self.progress.update(self.bar, advance=1, pages=self.pages, failed=self.failed)
