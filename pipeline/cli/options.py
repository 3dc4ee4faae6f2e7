"""Options several commands share, declared once so that they read and behave the same."""

from __future__ import annotations

from typing import Annotated

import typer

MaxBytesOption = Annotated[
    int,
    typer.Option("--max-bytes", min=1, help="refuse an input file larger than this many bytes"),
]


RulesOption = Annotated[
    str | None,
    typer.Option("--rules", "-r", help="nec, nas or module:attribute (default: the family's)"),
]
