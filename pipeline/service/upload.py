"""Uploads (`POST /documents`, only with --allow-upload): checked, parsed in a process pool with a
timeout, validated and stored like `batch`.

A hostile or pathological PDF must not stall the server: parsing runs in a pebble process pool
whose timeout kills the worker process (a thread could not be stopped) and starts a fresh one.
The server process only sniffs the type, waits on the future and writes the result.
"""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import threading
from concurrent.futures import Future
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
        self._lock = threading.Lock()

    def submit(self, data: bytes, name: str) -> Future[Outcome]:
        """Schedule one upload; the future raises TimeoutError past the timeout (the worker is
        killed and replaced) and pebble's ProcessExpired if the worker dies."""
        from pipeline.store.work import warm_up

        with self._lock:
            if self._pool is None:
                # forkserver: forking a process that runs threads (the server) is unsafe.
                self._pool = ProcessPool(
                    max_workers=self.workers,
                    initializer=warm_up,
                    context=multiprocessing.get_context("forkserver"),
                )
            pool = self._pool
        future: Future[Outcome] = pool.schedule(parse_upload, (data, name), timeout=self.timeout)
        return future

    def close(self) -> None:
        """Stop the worker processes, abandoning what they are doing."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join(timeout=10)


def outcome_error(error: BaseException, timeout: float, name: str) -> ServiceError:
    """The answer for an upload whose worker did not return a result."""
    if isinstance(error, TimeoutError):
        return ServiceError(
            "parse_timeout", f"{name}: not parsed within {timeout:g} s; the worker was stopped"
        )
    return ServiceError(
        "unreadable_document", f"{name}: the parser's worker process died ({error})"
    )
