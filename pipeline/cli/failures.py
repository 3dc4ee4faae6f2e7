"""How a command fails: one line on stderr naming the file and the reason, and an exit code.

Never a traceback: a YakkanError is an expected failure, the system's refusal (a full disk, a
closed pipe) is reported as such, and anything else is a bug, still reported in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer

from pipeline.models import YakkanError, one_line

F = TypeVar("F", bound=Callable[..., Any])


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


def _subject(kwargs: dict[str, Any]) -> str:
    """The file a command is about, for an error that does not name one: its first path."""
    for value in kwargs.values():
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, list) and value and isinstance(value[0], Path):
            return str(value[0])
    return "yakkan"


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
