"""The commands on one document: parse, validate, params, schema and refs."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.cli.failures import fails_cleanly
from pipeline.cli.options import MaxBytesOption, PathArgument, RulesOption
from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import YakkanError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from pipeline.models import Document


@fails_cleanly
def parse(
    path: PathArgument,
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
def validate_command(
    path: PathArgument,
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Check a document against a rule model; exit 1 unless every required check passes.

    A bundle's parts are checked one by one (JSON: a list of reports, one per part).
    """
    from pipeline.cli.report_rules import render_report
    from pipeline.rules import rules_for, validate

    document, parts = _read_parts(path, fmt, ("text", "json"), max_bytes)
    reports = [validate(part, rules_for(part, rules)) for part in parts]
    if fmt == "json":
        _write_json(reports, document)
    else:
        sys.stdout.write("\n".join(render_report(r) for r in reports) + "\n")
    if not all(r.passed for r in reports):
        raise typer.Exit(1)


@fails_cleanly
def params(
    path: PathArgument,
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text")] = "json",
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Print the named parameters of a document and their values (the payload to consume).

    A bundle gives one payload per part (JSON: a list, in part order).
    """
    from pipeline.rules import parameter_payload, rules_for, validate

    document, parts = _read_parts(path, fmt, ("json", "text"), max_bytes)
    payloads = [parameter_payload(part, validate(part, rules_for(part, rules))) for part in parts]
    if fmt == "json":
        _write_json(payloads, document)
        return
    for payload in payloads:
        for name, entry in payload.parameters.items():
            where = f" ({entry.path})" if entry.path else ""
            sys.stdout.write(f"{name}: {entry.display or '-'} [{entry.status}]{where}\n")


def _read_parts(
    path: Path, fmt: str, formats: tuple[str, str], max_bytes: int
) -> tuple[Document, list[Document]]:
    """The document and its parts (itself unless it is a bundle), once `fmt` is known good."""
    from pipeline.process import parse_file
    from pipeline.structure.parts import part_documents

    if fmt not in formats:
        raise YakkanError(str(path), f"unknown format {fmt!r} (use {formats[0]} or {formats[1]})")
    document = parse_file(path, max_bytes=max_bytes)
    return document, part_documents(document)


def _write_json(results: Sequence[BaseModel], document: Document) -> None:
    """One result as a JSON object; a bundle's, one per part, as a list."""
    dumped = [r.model_dump_json(indent=2) for r in results]
    sys.stdout.write((dumped[0] if not document.parts else f"[{','.join(dumped)}]") + "\n")


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
def refs(path: PathArgument, max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES) -> None:
    """List the cross-references (where, surface, targets, status) and their diagnostics."""
    from pipeline.cli.report_refs import print_references
    from pipeline.process import parse_file

    print_references(parse_file(path, max_bytes=max_bytes))
