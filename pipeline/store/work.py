"""The unit of batch work: one file to the rows the store adds, in whatever process runs it.

`process_bytes(data, name, rules)` is a pure function from a file's bytes to the parsed,
extracted, resolved and validated document (or the reason it failed). It never raises for a bad
file, and a document that overruns its time is given up by an alarm in the process running it.
The rule model is chosen by the rules stage (`pipeline.rules.choose_rules`).
`rows_of_file` and `rows_of_bytes` go on to the store's rows (`Processed`), so the batch's
writing process has nothing left to do but the SQL.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.ingest.sources import DEFAULT_MAX_BYTES, read_input
from pipeline.models import BatchRecord, Document, ValidationReport, YakkanError

if TYPE_CHECKING:
    # Imported where rows are built (`rows_of_bytes`): the batch's writing process imports this
    # module before it starts its workers and need not load the rule models for it first.
    from pipeline.store.rows import DocumentRows


class DocumentTimeout(BaseException):
    """Raised in a worker when a document overruns its time. A BaseException, so the pipeline's
    own `except Exception` handlers cannot swallow it."""


WARM_UP_TEXT = "第1条(目的)\n本約款は、申込日から30日以内に年14.5%の割合で適用します。\n"
"""A tiny document run once per worker: it builds the cached spaCy Language (and Sudachi)."""


def warm_up() -> None:
    """Run the pipeline once on a tiny document so the worker's first real file does not pay
    for building the spaCy Language. A failure here only costs that time, so it is ignored.

    Then everything alive (spaCy, Sudachi, the compiled patterns) is frozen out of the garbage
    collector: a full collection would otherwise walk those objects again every few documents,
    about 5 ms a document, to find no garbage among them.
    """
    from pipeline.process import parse_bytes

    with contextlib.suppress(Exception):
        parse_bytes(WARM_UP_TEXT.encode("utf-8"), "<warm-up>", extract=True)
    gc.collect()
    gc.freeze()


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
            error=timed_out(timeout),
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
            error=unexpected(err),
            seconds=time.perf_counter() - started,
        )
    return BatchRecord(
        name=name,
        sha256=sha256,
        document=document,
        report=report,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class Processed:
    """What a worker hands back for one file: the rows to store, or why it failed. Plain
    values, so it pickles in a fraction of the time a Document takes."""

    rows: DocumentRows | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        """PDF pages of the stored document (0 for text or a failure)."""
        return (self.rows.pages or 0) if self.rows is not None else 0


def rows_of_bytes(
    data: bytes, name: str, rules: tuple[str, ...] = (), timeout: float | None = None
) -> Processed:
    """`process_bytes`, then the store's rows of the document; never raises for a bad file."""
    from pipeline.store.rows import document_rows

    record = process_bytes(data, name, rules, timeout)
    if record.document is None:
        return Processed(error=record.error, seconds=record.seconds)
    try:
        rows = document_rows(record.document, record.report, path=name)
    except Exception as err:  # one broken file must not stop the batch
        return Processed(error=unexpected(err), seconds=record.seconds)
    return Processed(rows=rows, seconds=record.seconds)


def rows_of_file(
    path: Path,
    rules: tuple[str, ...] = (),
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Processed:
    """Read a file here (a local worker: the batch process only hashed it) and process it; a
    file `read_input` refuses is a failure with its reason."""
    try:
        data = read_input(path, max_bytes=max_bytes)
    except YakkanError as err:
        return Processed(error=err.reason)
    return rows_of_bytes(data, path.name, rules, timeout)


def unexpected(err: BaseException) -> str:
    """The reason given for an exception nobody expected: its type and message."""
    return f"unexpected {type(err).__name__}: {err}".rstrip(": ")


def timed_out(timeout: float | None) -> str:
    """The reason given for a document that overran `timeout` seconds."""
    return f"timed out: not done after {timeout:g} s (--timeout)"


def check_rules(rules: tuple[str, ...]) -> None:
    """Load every rule model named, so a bad --rules fails the batch once, before any work."""
    if not rules:
        return  # nothing to load: the rules stage need not be imported for it
    from pipeline.rules import rule_model

    for spec in rules:
        rule_model(spec)


def validate_document(document: Document, rules: tuple[str, ...]) -> ValidationReport | None:
    """The validation report for this document, or None when no rule model applies."""
    from pipeline.rules import choose_rules, validate

    model = choose_rules(document, rules)
    return validate(document, model) if model is not None else None
