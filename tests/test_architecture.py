"""The house's layering, read from the imports: every stage imports only the stages below it.

The ranks below are the data flow of README's "How it works", top to bottom. A module may import
from its own package and from any package of a lower rank, never from a higher one, so there is
no cycle between packages. Imports inside functions count as much as those at the top: a lazy
import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. `extractors` (the spaCy components) sit on the language layer and the model;
# the extraction stage runs them. The families in `corpus/` plug into the rules stage.
LAYERS: list[tuple[str, ...]] = [
    ("pipeline.models",),
    ("pipeline.text",),
    ("pipeline.families",),
    ("pipeline.ingest",),
    ("pipeline.structure",),
    ("extractors",),
    ("pipeline.extract",),
    ("pipeline.refs",),
    ("pipeline.process",),
    ("pipeline.rules",),
    ("corpus",),
    ("pipeline.diff",),
    ("pipeline.schema",),
    ("pipeline.store",),
    ("pipeline.service",),
    ("pipeline.cli",),
]
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


def package_of(module: str) -> str | None:
    """The layer package a dotted module name belongs to (the longest listed prefix)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in RANK:
            return prefix
    return None


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, root).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from pipeline import store` imports the package pipeline.store
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def source_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for top in ("pipeline", "extractors", "corpus"):
        files.extend(sorted((root / top).rglob("*.py")))
    return files


def upward_imports(root: Path = ROOT) -> list[str]:
    """Every import of a package from one of a lower rank, as 'file:line (...) imports ...'."""
    problems: list[str] = []
    for path in source_files(root):
        importer = package_of(module_name(path, root))
        if importer is None:
            continue
        for line, module in imported_modules(path, root):
            imported = package_of(module)
            if imported is None or imported == importer:
                continue
            if RANK[imported] >= RANK[importer]:
                problems.append(f"{path.relative_to(root)}:{line} {importer} imports {imported}")
    return sorted(set(problems))


def test_every_package_has_a_layer():
    unplaced = [
        str(p.relative_to(ROOT))
        for p in source_files()
        if package_of(module_name(p)) is None and module_name(p) not in {"pipeline"}
    ]
    assert unplaced == []


def test_no_stage_imports_a_later_stage():
    assert upward_imports() == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("pipeline.structure.segment", "pipeline.structure"),
        ("pipeline.models", "pipeline.models"),
        ("extractors.periods", "extractors"),
        ("corpus.nas.rules", "corpus"),
        ("spacy.tokens", None),
    ],
)
def test_package_of(module, expected):
    assert package_of(module) == expected


def test_an_upward_import_is_caught(tmp_path):
    """The check itself: a lazy import of a stage from the text layer, and a relative import of
    a later stage from a lower one, are both reported; an import from below is not."""
    (tmp_path / "pipeline" / "text").mkdir(parents=True)
    (tmp_path / "pipeline" / "text" / "probe.py").write_text(
        "from pipeline.models import Span\n\n\ndef f():\n"
        "    from pipeline.structure.segment import segment\n"
    )
    (tmp_path / "pipeline" / "ingest").mkdir()
    (tmp_path / "pipeline" / "ingest" / "probe.py").write_text("from ..diff import compare\n")
    assert upward_imports(tmp_path) == [
        "pipeline/ingest/probe.py:1 pipeline.ingest imports pipeline.diff",
        "pipeline/text/probe.py:5 pipeline.text imports pipeline.structure",
    ]


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
LONG_FUNCTION_REASON = "Kept in one piece"
"""A function over MAX_FUNCTION_LINES says why in its docstring, in a sentence starting so."""


def oversized() -> list[str]:
    """Modules over MAX_MODULE_LINES and functions over MAX_FUNCTION_LINES without a reason."""
    found: list[str] = []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            found.append(f"{rel}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            reason = LONG_FUNCTION_REASON in (ast.get_docstring(node) or "")
            if length > MAX_FUNCTION_LINES and not reason:
                found.append(f"{rel}:{node.lineno} {node.name}: {length} lines")
    return found


def test_modules_and_functions_stay_small():
    """Issue 16's house rule: a module is one concept (≤ 400 lines), a function one step."""
    assert oversized() == []
