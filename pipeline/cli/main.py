"""The `yakkan` command. Each subcommand turns expected failures into one line and exit 1."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import YakkanError, one_line

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


DEFAULT_TIMEOUT = 120.0
"""Seconds a batch gives one document (`--timeout`) before reporting it and going on."""

MaxBytesOption = Annotated[
    int,
    typer.Option("--max-bytes", min=1, help="refuse an input file larger than this many bytes"),
]


def _subject(kwargs: dict[str, Any]) -> str:
    """The file a command is about, for an error that does not name one: its first path."""
    for value in kwargs.values():
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, list) and value and isinstance(value[0], Path):
            return str(value[0])
    return "yakkan"


def fails_cleanly(func: F) -> F:
    """Report a failure as one line on stderr (file and reason) and exit 1, never a traceback."""
    return failing_with(1)(func)


def failing_with(code: int) -> Callable[[F], F]:
    """Report a failure as one line on stderr (file and reason), exit `code`, never a traceback.

    A YakkanError is an expected failure; anything else is a bug, still reported in one line
    (with its type) so that a script reading stderr is never handed a traceback.
    """

    def decorate(func: F) -> F:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return _run_cleanly(func, code, args, kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def _run_cleanly(func: Callable[..., Any], code: int, args: Any, kwargs: dict[str, Any]) -> Any:
    """Call `func`; turn every failure but an exit into one line on stderr and exit `code`."""
    try:
        return func(*args, **kwargs)
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except YakkanError as err:
        typer.echo(f"yakkan: error: {one_line(err.path)}: {one_line(err.reason)}", err=True)
        raise typer.Exit(code) from None
    except KeyboardInterrupt:
        typer.echo("yakkan: interrupted", err=True)
        raise typer.Exit(130) from None
    except OSError as err:  # the system's refusal (a full disk, a closed pipe): no bug
        named = isinstance(err.filename, str)
        where = err.filename if named else _subject(kwargs)
        reason = ("" if named else "cannot write the output: ") + (err.strerror or str(err))
        typer.echo(f"yakkan: error: {one_line(where)}: {one_line(reason)}", err=True)
        raise typer.Exit(code) from None
    except Exception as err:  # a bug: one line, and the type to report it by
        reason = f"internal error: {type(err).__name__}: {err}"
        typer.echo(f"yakkan: error: {one_line(_subject(kwargs))}: {one_line(reason)}", err=True)
        raise typer.Exit(code) from None


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
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Parse a document and print its structure (and extractions) as JSON or as a tree."""
    from pipeline.cli.render import document_json, document_tree
    from pipeline.process import parse_file

    if pdf_engine not in ("pdfplumber", "pdfium"):
        raise YakkanError(str(path), f"unknown PDF engine {pdf_engine!r} (pdfplumber or pdfium)")
    document = parse_file(
        path,
        extract=not no_extract,
        pdf_engine="pdfium" if pdf_engine == "pdfium" else "pdfplumber",
        max_bytes=max_bytes,
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
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0.1, help="seconds per document before it is reported and skipped"
        ),
    ] = DEFAULT_TIMEOUT,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Process folders of terms into the store; exit 1 if a file failed, 2 if a validation did."""
    from pipeline.store.batch import render_summary, run_with_progress
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


@app.command()
@fails_cleanly
def history(
    family: Annotated[str, typer.Argument(help="document family, e.g. nas")],
    db: Annotated[Path, typer.Option("--db", help="the SQLite store")] = Path("yakkan.db"),
) -> None:
    """List a family's stored versions and what changed between consecutive ones."""
    from pipeline.store.sqlite import Store, render_history
    from pipeline.store.sqlite import history as family_history

    with Store(db, readonly=True) as store:
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
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Check a document against a rule model; exit 1 unless every required check passes.

    A bundle's parts are checked one by one (JSON: a list of reports, one per part).
    """
    from pipeline.process import parse_file
    from pipeline.rules.engine import render_report, rules_for
    from pipeline.rules.engine import validate as run_validation
    from pipeline.structure.parts import part_documents

    if fmt not in ("text", "json"):
        raise YakkanError(str(path), f"unknown format {fmt!r} (use text or json)")
    document = parse_file(path, max_bytes=max_bytes)
    parts = part_documents(document)
    reports = [run_validation(part, rules_for(part, rules)) for part in parts]
    if fmt == "json":
        dumped = [r.model_dump_json(indent=2) for r in reports]
        sys.stdout.write((dumped[0] if not document.parts else f"[{','.join(dumped)}]") + "\n")
    else:
        sys.stdout.write("\n".join(render_report(r) for r in reports) + "\n")
    if not all(r.passed for r in reports):
        raise typer.Exit(1)


@app.command()
@fails_cleanly
def params(
    path: Annotated[Path, typer.Argument(help="a terms document: PDF or text file")],
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text")] = "json",
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Print the named parameters of a document and their values (the payload to consume).

    A bundle gives one payload per part (JSON: a list, in part order).
    """
    from pipeline.process import parse_file
    from pipeline.rules.engine import parameter_payload, rules_for, validate
    from pipeline.structure.parts import part_documents

    if fmt not in ("text", "json"):
        raise YakkanError(str(path), f"unknown format {fmt!r} (use json or text)")
    document = parse_file(path, max_bytes=max_bytes)
    payloads = [
        parameter_payload(part, validate(part, rules_for(part, rules)))
        for part in part_documents(document)
    ]
    if fmt == "json":
        dumped = [p.model_dump_json(indent=2) for p in payloads]
        sys.stdout.write((dumped[0] if not document.parts else f"[{','.join(dumped)}]") + "\n")
        return
    for payload in payloads:
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
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """List the cross-references (where, surface, targets, status) and their diagnostics."""
    from pipeline.cli.report_refs import print_references
    from pipeline.process import parse_file

    print_references(parse_file(path, max_bytes=max_bytes))


@app.command("diff")
@failing_with(2)
def diff_command(
    old: Annotated[Path, typer.Argument(help="the old version: PDF or text file")],
    new: Annotated[Path, typer.Argument(help="the new version: PDF or text file")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, md or html")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write here")] = None,
    lang: Annotated[str, typer.Option("--lang", help="labels: ja or en")] = "ja",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="exit 1 on any substantive change ('any'), or only when a named parameter "
            "changed ('parameters': the rule model's, else the extracted values)",
        ),
    ] = "any",
    rules: RulesOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Compare two versions: a 新旧対照表 and the changed parameters.

    Exit status as git diff --exit-code: 0 nothing substantive changed, 1 changed, 2 error.
    """
    changed = _diff(old, new, fmt, output, lang, fail_on, rules, max_bytes)
    raise typer.Exit(1 if changed else 0)


def _diff(
    old: Path,
    new: Path,
    fmt: str,
    output: Path | None,
    lang: str,
    fail_on: str,
    rules: str | None,
    max_bytes: int,
) -> bool:
    """Write the diff; whether it changed what `fail_on` watches."""
    from pipeline.diff.compare import diff
    from pipeline.diff.render import render
    from pipeline.process import parse_file

    if fmt not in ("json", "md", "html"):
        raise YakkanError(str(new), f"unknown format {fmt!r} (use json, md or html)")
    if lang not in ("ja", "en"):
        raise YakkanError("--lang", f"unknown language {lang!r} (use ja or en)")
    if fail_on not in ("any", "parameters"):
        raise YakkanError("--fail-on", f"unknown value {fail_on!r} (use any or parameters)")
    old_doc = parse_file(old, max_bytes=max_bytes)
    new_doc = parse_file(new, max_bytes=max_bytes)
    result = diff(old_doc, new_doc, lang=lang)
    text = render(result, fmt, lang=lang)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as err:
            raise YakkanError(str(output), f"cannot write: {err.strerror or err}") from None
    if fail_on == "any":
        return bool(result.edits or result.parameter_changes)
    if rules or new_doc.family:
        from pipeline.diff.compare import named_parameter_changes

        names = named_parameter_changes(old_doc, new_doc, rules)
        if names:
            typer.echo(f"yakkan: named parameters changed: {', '.join(names)}", err=True)
        return bool(names)
    return bool(result.parameter_changes)


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
