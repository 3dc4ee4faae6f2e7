"""Shared test constants and fixtures: where the corpus and ../shared are, and the corpus
documents parsed once per session.

../shared (the real-world documents, their versions, the seeds) lies beside the checkout, from a
worktree too; a test that needs it skips with a message when it is absent. The session fixtures
are shared by every test file that reads them: a test that changes a document works on a copy
(`model_copy(deep=True)`), never on the fixture itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.models import Document
from pipeline.process import parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FAMILIES = ("nec", "nas")
NAS = CORPUS / "nas" / "source.txt"
NEC = CORPUS / "nec" / "source.txt"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SHARED_VERSIONS = SHARED / "versions"
REALWORLD = SHARED / "realworld"


def load_json(path: Path) -> dict:
    """Read a UTF-8 JSON fixture."""
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def structure_docs() -> dict[str, Document]:
    """Each corpus family's source text parsed without extractors."""
    return {
        family: parse_file(CORPUS / family / "source.txt", extract=False) for family in FAMILIES
    }


@pytest.fixture(scope="session")
def corpus_docs() -> dict[str, Document]:
    """Each corpus family's source text through the whole pipeline (extraction, references)."""
    return {family: parse_file(CORPUS / family / "source.txt") for family in FAMILIES}
