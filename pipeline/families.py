"""The family registry: the document families yakkan knows, declared through entry points.

A family is a package that declares one `Family` (its name, the title its documents carry, where
its rule model is, and the folder of its data: manifest, source documents, expectations) and
registers it in the `yakkan.families` entry point group, as spaCy's components are registered:

    [project.entry-points."yakkan.families"]
    nas = "corpus.nas:FAMILY"

Listing the families imports each family package (a declaration: a few names and a folder),
never its rule model; the rules stage imports a rule model when it is first asked for one. A
new family is a package that registers itself, not an edit to yakkan. This module sits just
above the data model: it imports no stage.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from pipeline.models import RulesError
from pipeline.text.spaces import squash

GROUP = "yakkan.families"
"""The entry point group a family registers in: name = 'package.module:FAMILY'."""



@dataclass(frozen=True)
class Family:
    """A document family: its name, its documents' title, its rule model and its data."""

    name: str
    title: str
    """The title its documents carry; a document whose title reads the same (white space
    aside) belongs to the family."""
    rules: str
    """Where the rule model is, as 'module:attribute' (imported on first use)."""
    data: Path | None = None
    """The folder holding the family's manifest, source documents and expectations."""
    manifest: Mapping[str, object] = field(default_factory=dict)
    expectations: Mapping[str, Path] = field(default_factory=dict)
    """Hand-checked expectations by kind: 'structure' → expected_structure.json."""

    @classmethod
    def from_folder(cls, folder: Path, rules: str) -> Family:
        """The family a folder declares: its manifest.json (family, title) and the
        expected_<kind>.json files beside it."""
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        expectations = {
            path.stem.removeprefix("expected_"): path
            for path in sorted(folder.glob("expected_*.json"))
        }
        return cls(
            name=str(manifest["family"]),
            title=str(manifest["title"]),
            rules=rules,
            data=folder,
            manifest=manifest,
            expectations=expectations,
        )


@cache
def registered() -> dict[str, Family]:
    """Every registered family by name, in name order (read once; see `refresh`)."""
    found: dict[str, Family] = {}
    for entry in _entry_points():
        try:
            family = entry.load()
        except (ImportError, AttributeError, OSError, ValueError, KeyError) as err:
            raise RulesError(entry.value, f"family {entry.name!r} does not load: {err}") from None
        if not isinstance(family, Family):
            raise RulesError(entry.value, f"family {entry.name!r} is not a Family")
        found.setdefault(family.name, family)
    return dict(sorted(found.items()))


def refresh() -> None:
    """Read the entry points again (after installing a family into a running process)."""
    registered.cache_clear()


def family(name: str) -> Family | None:
    """The registered family of that name, if there is one."""
    return registered().get(name)


def family_of_title(title: str | None) -> str | None:
    """The name of the registered family whose documents carry this title (white space aside)."""
    if not title:
        return None
    squeezed = squash(title)
    for known in registered().values():
        if squash(known.title) == squeezed:
            return known.name
    return None


def _entry_points() -> list[EntryPoint]:
    """The installed entry points of the group (`pip install` writes them; an editable install
    made before a family was declared needs installing again, as `make install` does)."""
    return list(entry_points(group=GROUP))
