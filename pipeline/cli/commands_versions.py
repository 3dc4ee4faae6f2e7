"""The commands on versions of a document: diff (新旧対照表) and a family's history."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.failures import failing_with, fails_cleanly
from pipeline.cli.options import DEFAULT_DB, DbOption, MaxBytesOption, RulesOption
from pipeline.ingest.sources import DEFAULT_MAX_BYTES
from pipeline.models import YakkanError


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
        from pipeline.diff.parameters import named_parameter_changes

        names = named_parameter_changes(old_doc, new_doc, rules)
        if names:
            typer.echo(f"yakkan: named parameters changed: {', '.join(names)}", err=True)
        return bool(names)
    return bool(result.parameter_changes)


@fails_cleanly
def history_command(
    family: Annotated[str, typer.Argument(help="document family, e.g. nas")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """List a family's stored versions and what changed between consecutive ones."""
    from pipeline.cli.report_history import render_history
    from pipeline.store.history import history
    from pipeline.store.sqlite import Store

    with Store(db, readonly=True) as store:
        versions, diffs = history(store, family)
    typer.echo(render_history(family, versions, diffs))
