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
) -> None:
    """Parse a document and print its structure (and extractions) as JSON or as a tree."""
    from pipeline.process import parse_file
    from pipeline.render import document_json, document_tree

    document = parse_file(path, extract=not no_extract)
    if fmt == "json":
        sys.stdout.write(document_json(document) + "\n")
    elif fmt == "text":
        sys.stdout.write(document_tree(document) + "\n")
    else:
        raise YakkanError(str(path), f"unknown format {fmt!r} (use json or text)")


def main() -> None:
    """Console-script entry point."""
    app()
