"""The `yakkan` command. Each subcommand turns expected failures into one line and exit 1."""

from __future__ import annotations

import typer

from pipeline.cli import commands_document, commands_store, commands_versions

app = typer.Typer(
    name="yakkan",
    help="Turn Japanese terms documents into structured, validated, diffable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Turn Japanese terms documents into structured, validated, diffable data."""


app.command()(commands_document.parse)
app.command()(commands_store.batch)
app.command()(commands_versions.history)
app.command()(commands_store.export)
app.command()(commands_document.validate)
app.command()(commands_document.params)
app.command()(commands_document.schema)
app.command()(commands_document.refs)
app.command("diff")(commands_versions.diff_command)
app.command()(commands_store.serve)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
