"""Every file a docstring names by its path exists, so a reader who follows one finds it.

A path is a name with a folder and a suffix ('tests/cases/crossrefs.json', 'corpus/<family>/
expected_structure.json'), from the top of the repository or from the file's own folder;
'<placeholder>' and '*' stand for any name. Paths into ../shared are
checked only where ../shared is present; paths into git-ignored folders (bench/results/, written
by the benchmarks) are not checked.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

PACKAGES = ("pipeline", "extractors", "corpus", "tests", "bench")
PATH = re.compile(r"(?:\.\./)?[\w.\-]+(?:/[\w.\-<>*]+)+\.(?:py|json|md|txt|pdf|ipynb|toml)\b")
PLACEHOLDER = re.compile(r"<\w+>")


def docstrings(path: Path) -> list[tuple[int, str]]:
    """(line, docstring) of the module and of every class and function in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            text = ast.get_docstring(node, clean=False)
            if text:
                found.append((getattr(node, "lineno", 1), text))
    return found


def ignored_folders() -> list[str]:
    """The folders .gitignore names ('bench/results/'): what is in them is written, not kept."""
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.endswith("/") and "/" in line[:-1]]


def exists(named: str, folder: Path) -> bool | None:
    """Whether the path named in a file in `folder` exists; None without ../shared to look in."""
    pattern = PLACEHOLDER.sub("*", named)
    if pattern.startswith("../shared/"):
        if not SHARED.is_dir():
            return None
        bases, pattern = [SHARED], pattern.removeprefix("../shared/")
    else:
        bases = [ROOT, folder]
    return any(
        any(base.glob(pattern)) if "*" in pattern else (base / pattern).exists() for base in bases
    )


def named_paths() -> list[tuple[str, str]]:
    """(file:line, path) for every path named in a docstring of the project's Python files."""
    found = []
    written = tuple(ignored_folders())
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, text in docstrings(path):
                for match in PATH.finditer(text):
                    if not match.group(0).startswith(written):
                        found.append((f"{path.relative_to(ROOT)}:{line}", match.group(0)))
    return found


def test_docstrings_name_paths() -> None:
    # The check below would pass on nothing: the project's docstrings do name files.
    assert len(named_paths()) > 10


@pytest.mark.parametrize(("where", "named"), named_paths())
def test_a_path_named_in_a_docstring_exists(where: str, named: str) -> None:
    found = exists(named, (ROOT / where.split(":")[0]).parent)
    if found is None:
        pytest.skip(f"{named} cannot be checked here: ../shared is absent")
    assert found, f"{where} names {named}, which does not exist"
