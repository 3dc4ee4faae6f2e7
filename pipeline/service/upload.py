"""Uploads (`POST /documents`, only with --allow-upload): checked, parsed in a process pool with a
timeout, validated and stored like `batch`.

A hostile or pathological PDF must not stall the server: parsing runs in a pebble process pool
whose timeout kills the worker process (a thread could not be stopped) and starts a fresh one.
The server process only sniffs the type, waits on the future and writes the result. A worker
hands its result over in a file (`pipeline.store.handoff`): a worker killed while it answered
would otherwise leave pebble's shared result pipe holding half a message, and no upload after
it would be parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import multiprocessing
import tempfile
import threading
from concurrent.futures import Future, InvalidStateError
from concurrent.futures.process import BrokenProcessPool
from pathlib import PurePath

from pebble import ProcessPool

from pipeline.models import BatchRecord, IngestError, SegmentError, YakkanError
from pipeline.service.errors import ServiceError

PDF_MAGIC = b"%PDF-"


def check_token(header: str | None, token: str | None) -> None:
    """Accept `Authorization: Bearer <token>` with the configured token, else 401."""
    if token is None:
        raise ServiceError("unauthorized", "uploads need a token and the server has none set")
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise ServiceError(
            "unauthorized", "missing or wrong bearer token (Authorization: Bearer <token>)"
        )


def upload_name(given: str | None, data: bytes) -> str:
    """The file name recorded as the document's source: the client's base name, or one from
    the type (the store keeps names, not client paths)."""
    name = PurePath((given or "").replace("\\", "/")).name.strip()
    if name:
        return name
    return "upload.pdf" if data.startswith(PDF_MAGIC) else "upload.txt"


def sniff(data: bytes, name: str) -> str:
    """'pdf' or 'text' from the bytes themselves (never from a declared type); 415 otherwise."""
    from pipeline.ingest.sources import decode_text

    if not data:
        raise ServiceError("unsupported_media_type", f"{name}: empty body, neither PDF nor text")
    if data.startswith(PDF_MAGIC):
        return "pdf"
    try:
        decode_text(data, name)
    except IngestError as err:
        raise ServiceError(
            "unsupported_media_type", f"{name}: neither PDF nor text: {err.reason}"
        ) from None
    return "text"


def sha256(data: bytes) -> str:
    """The content id the store keys documents by."""
    return hashlib.sha256(data).hexdigest()


Outcome = BatchRecord | tuple[str, str]
"""What a worker returns: the processed record, or (error code, reason)."""


def parse_upload(data: bytes, name: str) -> Outcome:
    """Parse, extract, resolve and validate an upload in a worker process, as `batch` does.
    A document no rule model applies to is refused: the service exists to serve parameters."""
    from pipeline.process import parse_bytes
    from pipeline.store.work import validate_document

    try:
        document = parse_bytes(data, name, extract=True)
        report = validate_document(document, ())
    except SegmentError as err:
        return ("not_terms_document", f"{name}: {err.reason}")
    except YakkanError as err:
        return ("unreadable_document", f"{name}: {err.reason}")
    if report is None:
        what = f"family {document.family!r}" if document.family else "a document of no known family"
        return (
            "unknown_family",
            f"{name}: {what} (title {document.title!r}): no rule model applies",
        )
    return BatchRecord(name=name, sha256=sha256(data), document=document, report=report)


class UploadPool:
    """The worker processes uploads are parsed in, started on the first upload."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPool | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._lock = threading.Lock()

    def submit(self, data: bytes, name: str) -> Future[Outcome]:
        """Schedule one upload; the future raises TimeoutError past the timeout (the worker is
        killed and replaced) and pebble's ProcessExpired if the worker dies. Cancelling it
        cancels the upload's task (pebble stops a running one's worker)."""
        outcome: Future[Outcome] = Future()
        self._schedule(data, name, outcome, retries=1)
        return outcome

    def _schedule(self, data: bytes, name: str, outcome: Future[Outcome], retries: int) -> None:
        """Run the upload on the live pool; if that pool broke before the upload ran (pebble
        gives up a whole pool when a worker dies while the task waits for one), once more on
        a new pool."""
        from pipeline.store.handoff import call_to_file

        pool, folder = self._live_pool()
        try:
            task: Future[str] = pool.schedule(
                call_to_file, (parse_upload, (data, name), folder), timeout=self.timeout
            )
        except RuntimeError as err:  # the pool broke since _live_pool looked at it
            if retries:
                self._discard(pool)
                self._schedule(data, name, outcome, retries - 1)
            else:
                with contextlib.suppress(InvalidStateError):  # the caller has gone
                    outcome.set_exception(err)
            return

        def done(task: Future[str]) -> None:
            broken = not task.cancelled() and isinstance(task.exception(), BrokenProcessPool)
            if broken and retries and not outcome.done():
                self._discard(pool)
                self._schedule(data, name, outcome, retries - 1)
            else:
                _settle(task, outcome)

        task.add_done_callback(done)
        outcome.add_done_callback(lambda given: task.cancel() if given.cancelled() else None)

    def _live_pool(self) -> tuple[ProcessPool, str]:
        """The running pool and its results folder, started (or replaced, if it broke) now."""
        from pipeline.store.work import warm_up

        with self._lock:
            broken = self._pool is not None and not self._pool.active
            if broken and self._pool is not None:
                _stop_in_background(self._pool)
                self._pool = None
            if self._pool is None or self._folder is None:
                # Where workers leave their results: removed, with any a killed worker left
                # half written, when the pool closes.
                if self._folder is None:
                    self._folder = tempfile.TemporaryDirectory(prefix="yakkan-uploads-")
                # forkserver: forking a process that runs threads (the server) is unsafe.
                self._pool = ProcessPool(
                    max_workers=self.workers,
                    initializer=warm_up,
                    context=multiprocessing.get_context("forkserver"),
                )
            return self._pool, self._folder.name

    def _discard(self, pool: ProcessPool) -> None:
        """Stop `pool` (broken) unless it has been replaced already; the next upload starts a
        new one."""
        with self._lock:
            if self._pool is not pool:
                return
            self._pool = None
        _stop_in_background(pool)

    def close(self) -> None:
        """Stop the worker processes, abandoning what they are doing."""
        with self._lock:
            pool, self._pool = self._pool, None
            folder, self._folder = self._folder, None
        if pool is not None:
            pool.stop()
            pool.join(timeout=10)
        if folder is not None:
            folder.cleanup()


def _stop_in_background(pool: ProcessPool) -> None:
    """Stop a broken pool and end its workers without waiting here: this may run on one of
    the pool's own threads (a future's callback), which could not join itself."""

    def stop() -> None:
        pool.stop()
        with contextlib.suppress(Exception):
            pool.join(timeout=10)

    threading.Thread(target=stop, name="yakkan-pool-stop", daemon=True).start()


def _settle(task: Future[str], outcome: Future[Outcome]) -> None:
    """Give `outcome` what the worker's `task` left in its file, or the task's error. The file
    is taken (and removed) even when nobody waits for the outcome any more."""
    from pipeline.store.handoff import take_from_file

    if task.cancelled():
        outcome.cancel()
        return
    error = task.exception()
    try:
        if error is not None:
            outcome.set_exception(error)
        else:
            outcome.set_result(take_from_file(task.result()))
    except InvalidStateError:
        pass  # the outcome was cancelled: its caller has gone
    except Exception as err:  # the result file gone or unreadable
        with contextlib.suppress(InvalidStateError):
            outcome.set_exception(err)


def outcome_error(error: BaseException, timeout: float, name: str) -> ServiceError:
    """The answer for an upload whose worker did not return a result."""
    if isinstance(error, TimeoutError):
        return ServiceError(
            "parse_timeout", f"{name}: not parsed within {timeout:g} s; the worker was stopped"
        )
    return ServiceError(
        "unreadable_document", f"{name}: the parser's worker process died ({error})"
    )
