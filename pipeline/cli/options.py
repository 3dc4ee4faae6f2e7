"""Options several commands share, declared once so that they read and behave the same."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_DB = Path("yakkan.db")
"""The SQLite store a command uses unless `--db` names another."""

MaxBytesOption = Annotated[
    int,
    typer.Option("--max-bytes", min=1, help="refuse an input file larger than this many bytes"),
]

RulesOption = Annotated[
    str | None,
    typer.Option("--rules", "-r", help="nec, nas or module:attribute (default: the family's)"),
]

DbOption = Annotated[Path, typer.Option("--db", help="the SQLite store")]

PathArgument = Annotated[Path, typer.Argument(help="a terms document: PDF or text file")]
