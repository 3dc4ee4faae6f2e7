"""The commands on one document: parse, validate, params, schema and refs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.failures import fails_cleanly
from pipeline.cli.options import MaxBytesOption, RulesOption
from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import YakkanError


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


@fails_cleanly
def refs(
    path: Annotated[Path, typer.Argument(help="a terms document: PDF or text file")],
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """List the cross-references (where, surface, targets, status) and their diagnostics."""
    from pipeline.cli.report_refs import print_references
    from pipeline.process import parse_file

    print_references(parse_file(path, max_bytes=max_bytes))
