"""The `yakkan` command. Each subcommand turns expected failures into one line and exit 1."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from pipeline.models import YakkanError

app = typer.Typer(
    name="yakkan",
    help="Turn Japanese terms documents into structured, validated, diffable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])


@app.callback()
def _root() -> None:
    """Turn Japanese terms documents into structured, validated, diffable data."""


def fails_cleanly(func: F) -> F:
    """Report a YakkanError as one line on stderr (file and reason) and exit 1, no traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except YakkanError as err:
            typer.echo(f"yakkan: error: {err.path}: {err.reason}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@fails_cleanly
def parse(
    path: Annotated[Path, typer.Argument(help="a terms document: PDF or text file")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text")] = "json",
    no_extract: Annotated[
        bool, typer.Option("--no-extract", help="structure only, skip the extractors")
    ] = False,
    pdf_engine: Annotated[
        str,
        typer.Option(
            "--pdf-engine",
            help="PDF characters from pdfium (default, faster) or pdfplumber (same Document)",
        ),
    ] = "pdfium",
) -> None:
    """Parse a document and print its structure (and extractions) as JSON or as a tree."""
    from pipeline.process import parse_file
    from pipeline.render import document_json, document_tree

    if pdf_engine not in ("pdfplumber", "pdfium"):
        raise YakkanError(str(path), f"unknown PDF engine {pdf_engine!r} (pdfplumber or pdfium)")
    document = parse_file(
        path,
        extract=not no_extract,
        pdf_engine="pdfium" if pdf_engine == "pdfium" else "pdfplumber",
    )
    if fmt == "json":
        sys.stdout.write(document_json(document) + "\n")
    elif fmt == "text":
        sys.stdout.write(document_tree(document) + "\n")
    else:
        raise YakkanError(str(path), f"unknown format {fmt!r} (use json or text)")


@app.command()
@fails_cleanly
def batch(
    inputs: Annotated[
        list[Path], typer.Argument(help="folders (searched for PDF and text) or files")
    ],
    db: Annotated[Path, typer.Option("--db", help="the SQLite store")] = Path("yakkan.db"),
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
) -> None:
    """Process folders of terms into the store; exit 1 if a file failed, 2 if a validation did."""
    from pipeline.batch import render_summary, run_with_progress
    from pipeline.store import Store

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
        )
    typer.echo(render_summary(summary))
    raise typer.Exit(summary.exit_code)


@app.command()
@fails_cleanly
def history(
    family: Annotated[str, typer.Argument(help="document family, e.g. nas")],
    db: Annotated[Path, typer.Option("--db", help="the SQLite store")] = Path("yakkan.db"),
) -> None:
    """List a family's stored versions and what changed between consecutive ones."""
    from pipeline.store import Store, render_history
    from pipeline.store import history as family_history

    if not db.is_file():
        raise YakkanError(str(db), "no such database")
    with Store(db) as store:
        versions, diffs = family_history(store, family)
    typer.echo(render_history(family, versions, diffs))


@app.command()
@fails_cleanly
def export(
    db: Annotated[Path, typer.Option("--db", help="the SQLite store")] = Path("yakkan.db"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or json")] = "jsonl",
    family: Annotated[
        list[str] | None, typer.Option("--family", help="only these families (repeatable)")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default stdout)")
    ] = None,
) -> None:
    """Export stored parameters and extractions, one row per value."""
    from pipeline.export import write_export
    from pipeline.store import Store

    if not db.is_file():
        raise YakkanError(str(db), "no such database")
    with Store(db) as store:
        if output is None:
            write_export(store, fmt, sys.stdout, family or ())
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                write_export(store, fmt, out, family or ())


RulesOption = Annotated[
    str | None,
    typer.Option("--rules", "-r", help="nec, nas or module:attribute (default: the family's)"),
]


@app.command()
@fails_cleanly
def validate(
    path: Annotated[Path, typer.Argument(help="a terms document: PDF or text file")],
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """Check a document against a rule model; exit 1 unless every required check passes."""
    from pipeline.process import parse_file
    from pipeline.rules import render_report, rules_for
    from pipeline.rules import validate as run_validation

    if fmt not in ("text", "json"):
        raise YakkanError(str(path), f"unknown format {fmt!r} (use text or json)")
    document = parse_file(path)
    report = run_validation(document, rules_for(document, rules))
    if fmt == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(render_report(report) + "\n")
    if not report.passed:
        raise typer.Exit(1)


@app.command()
@fails_cleanly
def params(
    path: Annotated[Path, typer.Argument(help="a terms document: PDF or text file")],
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text")] = "json",
) -> None:
    """Print the named parameters of a document and their values (the payload to consume)."""
    from pipeline.process import parse_file
    from pipeline.rules import parameter_payload, rules_for, validate

    if fmt not in ("text", "json"):
        raise YakkanError(str(path), f"unknown format {fmt!r} (use json or text)")
    document = parse_file(path)
    payload = parameter_payload(document, validate(document, rules_for(document, rules)))
    if fmt == "json":
        sys.stdout.write(payload.model_dump_json(indent=2) + "\n")
        return
    for name, entry in payload.parameters.items():
        where = f" ({entry.path})" if entry.path else ""
        sys.stdout.write(f"{name}: {entry.display or '-'} [{entry.status}]{where}\n")


@app.command()
@fails_cleanly
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="directory (default: the repository's schema/)")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="write nothing; exit 1 if a schema is out of date")
    ] = False,
) -> None:
    """Regenerate the published JSON Schemas (schema/*.json) from the models."""
    from pipeline.schema import SCHEMA_DIR, drifted, write_schemas

    directory = out or SCHEMA_DIR
    if check:
        stale = drifted(directory)
        for name in stale:
            typer.echo(f"yakkan: schema out of date: {directory / name}", err=True)
        raise typer.Exit(1 if stale else 0)
    for written in write_schemas(directory):
        typer.echo(str(written))


@app.command()
@fails_cleanly
def refs(
    path: Annotated[Path, typer.Argument(help="a terms document: PDF or text file")],
) -> None:
    """List the cross-references (where, surface, targets, status) and their diagnostics."""
    from pipeline.process import parse_file
    from pipeline.resolve import print_references

    print_references(parse_file(path))


@app.command("diff")
@fails_cleanly
def diff_command(
    old: Annotated[Path, typer.Argument(help="the old version: PDF or text file")],
    new: Annotated[Path, typer.Argument(help="the new version: PDF or text file")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, md or html")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write here")] = None,
) -> None:
    """Compare two versions article by article: a 新旧対照表 and the changed parameters."""
    from pipeline.diff import diff
    from pipeline.diff_render import render
    from pipeline.process import parse_file

    if fmt not in ("json", "md", "html"):
        raise YakkanError(str(new), f"unknown format {fmt!r} (use json, md or html)")
    text = render(diff(parse_file(old), parse_file(new)), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise YakkanError(str(output), f"cannot write: {err.strerror or err}") from None


@app.command()
@fails_cleanly
def serve(
    db: Annotated[Path, typer.Option("--db", help="the SQLite store")] = Path("yakkan.db"),
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
        from pipeline.service.server import serve as run_server
        from pipeline.service.settings import Settings
    except ImportError as err:
        raise YakkanError(
            "serve", f"{err.name} is not installed; install the extra: pip install 'yakkan[serve]'"
        ) from None
    levels = ("critical", "error", "warning", "info", "debug", "trace")
    if log_level not in levels:
        known = ", ".join(levels)
        raise YakkanError("--log-level", f"unknown level {log_level!r} (one of {known})")
    settings = Settings(
        db=str(db),
        allow_upload=allow_upload,
        token_env=token_env,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        upload_timeout=upload_timeout,
        upload_workers=upload_workers,
    )
    run_server(settings, host=host, port=port, workers=workers, log_level=log_level)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
