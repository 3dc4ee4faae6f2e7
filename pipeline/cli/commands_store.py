"""The commands on the store: batch (many files in), export (values out) and serve (HTTP)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.failures import fails_cleanly
from pipeline.cli.options import DEFAULT_DB, DbOption, MaxBytesOption
from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import YakkanError

DEFAULT_TIMEOUT = 120.0
"""Seconds a batch gives one document (`--timeout`) before reporting it and going on."""


@fails_cleanly
def batch(
    inputs: Annotated[
        list[Path], typer.Argument(help="folders (searched for PDF and text) or files")
    ],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int, typer.Option("--workers", "-j", min=1, help="worker processes")] = 2,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules",
            help="rule model: family or module:attr (repeatable); "
            "default: each document's family model",
        ),
    ] = None,
    executor: Annotated[str, typer.Option("--executor", help="local or dask")] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="dask scheduler address (else a local cluster)"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0.1, help="seconds per document before it is reported and skipped"
        ),
    ] = DEFAULT_TIMEOUT,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Process folders of terms into the store; exit 1 if a file failed, 2 if a validation did."""
    from pipeline.cli.progress import run_with_progress
    from pipeline.cli.report_batch import render_summary
    from pipeline.store.sqlite import Store

    if executor not in ("local", "dask"):
        raise YakkanError("--executor", f"unknown executor {executor!r} (use local or dask)")
    with Store(db) as store:
        summary = run_with_progress(
            inputs,
            store,
            show=not quiet,
            workers=workers,
            rules=tuple(rules or ()),
            executor="dask" if executor == "dask" else "local",
            scheduler=scheduler,
            timeout=timeout,
            max_bytes=max_bytes,
        )
    typer.echo(render_summary(summary))
    raise typer.Exit(summary.exit_code)


@fails_cleanly
def export(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or json")] = "jsonl",
    family: Annotated[
        list[str] | None, typer.Option("--family", help="only these families (repeatable)")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default stdout)")
    ] = None,
) -> None:
    """Export stored parameters and extractions, one row per value."""
    from pipeline.store.export import write_export
    from pipeline.store.sqlite import Store

    with Store(db, readonly=True) as store:
        if output is None:
            write_export(store, fmt, sys.stdout, family or ())
            return
        try:
            out = output.open("w", encoding="utf-8", newline="")
        except OSError as err:
            raise YakkanError(str(output), f"cannot write: {err.strerror or err}") from None
        try:
            with out:
                write_export(store, fmt, out, family or ())
        except OSError as err:
            raise YakkanError(str(output), f"cannot write: {err.strerror or err}") from None


LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
"""uvicorn's log levels (`--log-level`)."""


@fails_cleanly
def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="server processes")] = 1,
    allow_upload: Annotated[
        bool, typer.Option("--allow-upload", help="accept POST /documents (needs a token)")
    ] = False,
    token_env: Annotated[
        str, typer.Option("--token-env", help="environment variable holding the upload token")
    ] = "YAKKAN_TOKEN",
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", min=0.001, help="larger uploads get 413")
    ] = 20.0,
    upload_timeout: Annotated[
        float, typer.Option("--upload-timeout", min=0.001, help="seconds to parse one upload")
    ] = 120.0,
    upload_workers: Annotated[
        int, typer.Option("--upload-workers", min=1, help="parsing processes per server process")
    ] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level")] = "info",
) -> None:
    """Serve the store over HTTP (read-only unless --allow-upload): families, versions,
    parameters, documents, provisions and diffs as JSON. Needs the extra yakkan[serve]."""
    try:
        from pipeline.service.server import serve
        from pipeline.service.settings import Settings
    except ImportError as err:
        raise YakkanError(
            "serve", f"{err.name} is not installed; install the extra: pip install 'yakkan[serve]'"
        ) from None
    if log_level not in LOG_LEVELS:
        known = ", ".join(LOG_LEVELS)
        raise YakkanError("--log-level", f"unknown level {log_level!r} (one of {known})")
    settings = Settings(
        db=str(db),
        allow_upload=allow_upload,
        token_env=token_env,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        upload_timeout=upload_timeout,
        upload_workers=upload_workers,
    )
    serve(settings, host=host, port=port, workers=workers, log_level=log_level)
