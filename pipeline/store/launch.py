"""Starting the local workers' fork server, apart from the rest of the executor machinery.

A batch's start-up is mostly the fork server's: it imports spaCy, the Sudachi dictionary and
the components and warms them up (WORKER_PRELOAD) before it forks the first worker. This module
is light (multiprocessing and the store's discovery), so a batch can start the server as soon
as it knows a file needs processing, and do its own imports and set-up while the server's run.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from multiprocessing import forkserver
from multiprocessing.context import BaseContext
from pathlib import Path

from pipeline.models import YakkanError
from pipeline.store.discover import sha256_file
from pipeline.store.sqlite import Store

WORKER_PRELOAD = (
    "pipeline.store.workers",
    "pipeline.store.work",
    "pipeline.store.rows",
    "pipeline.process",
    "pipeline.extract.runner",
    "pipeline.refs.resolve",
    "pipeline.rules",
    "pipeline.store.preload",
)
"""Modules the fork server imports once before forking workers: spaCy's import (seconds) is
paid once per batch, not once per worker and again after every pool restart. The workers
module is among them because a worker's initializer is unpickled from it."""


def start_local_workers() -> BaseContext:
    """Start the local workers' fork server now, if it is not running, and return the context
    that forks workers from it.

    The server imports WORKER_PRELOAD in its own process, so calling this as soon as a file to
    process is known lets that run beside the rest of this process's start-up.
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))
    forkserver.ensure_running()
    # This process unpickles the rows the workers send: import their module (and the rule
    # models it brings) while the server starts, not on the first result, when two workers
    # would compete with this process for the CPU.
    import pipeline.store.rows  # noqa: F401

    return ctx


def start_early(files: Sequence[Path], store: Store, max_bytes: int) -> bool:
    """Start the local workers' fork server now if the first file is not stored yet (so the
    batch will process at least that one); True when it did (or the server was running).

    Only the first file is looked at: this is a head start for the common case, a batch of new
    files, taken before the caller's own set-up. A batch still starts the server when its plan
    finds the first file to process, so a re-run that skips every file never starts it.
    """
    if not files:
        return False
    try:
        digest = sha256_file(files[0], max_bytes)
    except YakkanError:
        return False  # the batch reports it; whether there is work is for its plan to find
    if store.has(digest):
        return False
    start_local_workers()
    return True
