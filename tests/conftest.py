"""Shared fixtures: the corpus documents, parsed once per session (structure only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.models import Document
from pipeline.process import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_VERSIONS = ROOT.parent / "shared" / "versions"
FAMILIES = ("nec", "nas")


def load_json(path: Path) -> dict:
    """Read a UTF-8 JSON fixture."""
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def structure_docs() -> dict[str, Document]:
    """Each corpus family's source text parsed without extractors."""
    return {
        family: parse_file(CORPUS / family / "source.txt", extract=False) for family in FAMILIES
    }
