"""Start-up: commands that extract nothing never import spaCy or load the Sudachi dictionary.

Each command runs in a fresh interpreter, as the `yakkan` script runs it, and reports which
modules it imported; spaCy's import and the dictionary load cost seconds of a command's time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from pipeline.store.sqlite import Store
from pipeline.store.work import process_bytes

HEAVY = ("spacy", "sudachipy", "thinc")
"""Packages whose import means the extraction machinery was loaded."""

RUN = """
import json, sys
from pipeline.cli.main import main
sys.argv = ["yakkan", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}),
      file=sys.stderr)
"""


def run_cli(*args: str) -> tuple[int, set[str]]:
    """Run `yakkan ARGS` in a fresh interpreter: its exit code and the top-level modules it
    imported."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the NAS text, processed here as a batch worker would."""
    db = tmp_path_factory.mktemp("startup") / "yakkan.db"
    source = CORPUS / "nas" / "source.txt"
    record = process_bytes(source.read_bytes(), source.name)
    assert record.document is not None, record.error
    with Store(db) as opened:
        opened.add(record.document, record.report, path=str(source))
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["history", "nas", "--db", "{db}"],
        ["export", "--db", "{db}", "--format", "jsonl", "-o", "{out}"],
        ["export", "--db", "{db}", "--format", "csv", "-o", "{out}"],
        ["batch", str(CORPUS / "nas" / "source.txt"), "--db", "{db}", "-q"],
    ],
    ids=["help", "history", "export-jsonl", "export-csv", "batch-rerun"],
)
def test_commands_that_extract_nothing_never_load_spacy(
    store: Path, tmp_path: Path, args: list[str]
) -> None:
    out = tmp_path / "export.out"
    code, modules = run_cli(*(a.format(db=store, out=out) for a in args))
    assert code == 0
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    if args[0] == "export":
        assert "art:24/para:1" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "source",
    [CORPUS / "nas" / "source.txt", CORPUS / "nas" / "source.pdf"],
    ids=["text", "pdf"],
)
def test_parse_without_extraction_never_imports_spacy(source: Path) -> None:
    """`parse --no-extract` still reads the version history (NAS states its dates in 附則,
    read with extractors.dates' finder), yet imports neither spaCy nor SudachiPy."""
    code, modules = run_cli("parse", str(source), "--no-extract", "-f", "json")
    assert code == 0
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_parse_without_extraction_keeps_version_dates() -> None:
    """The spaCy-free finder still dates the versions: NAS 附則 '本約款(Ver1.0)は、平成29年11月4日
    から実施します。'"""
    source = CORPUS / "nas" / "source.txt"
    done = subprocess.run(
        [sys.executable, "-c", RUN, "parse", str(source), "--no-extract"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert "spacy" not in report["modules"]
    history = json.loads(done.stdout)["version_history"]
    assert {"version": "Ver1.0", "effective_date": "2017-11-04"}.items() <= history[0].items()


def test_extractor_modules_import_without_spacy() -> None:
    """Every finder imports without spaCy; its factory, asked for by name (as spaCy's entry
    points do), brings the components in."""
    names = ("periods", "percentages", "fractions", "amounts", "dates", "definitions", "crossrefs")
    probe = f"""
import importlib, json, sys
modules = [importlib.import_module("extractors." + name) for name in {names!r}]
before = "spacy" in sys.modules
factories = [getattr(module, "make_" + name).__name__ for module, name in zip(modules, {names!r})]
print(json.dumps([before, "spacy" in sys.modules, factories]))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    before, after, factories = json.loads(done.stdout)
    assert not before
    assert after
    assert factories == [f"make_{name}" for name in names]


def test_parse_loads_spacy_when_it_extracts() -> None:
    """The checks above can fail: a parse that extracts does import spaCy and SudachiPy."""
    code, modules = run_cli("parse", str(CORPUS / "nec" / "source.txt"), "-f", "text")
    assert code == 0
    assert set(HEAVY) <= modules


def test_parse_leaves_spacy_cli_out() -> None:
    """spaCy's command-line package (weasel, httpx, requests; a third of spaCy's import) is no
    part of extraction: a parse that extracts does without it."""
    code, modules = run_cli("parse", str(CORPUS / "nas" / "source.txt"), "-f", "text")
    assert code == 0
    assert "spacy" in modules
    assert not modules & {"weasel", "httpx", "requests"}, sorted(modules & {"weasel", "httpx"})


def test_spacy_cli_still_works_after_extraction() -> None:
    """After the Language is built without spacy.cli, spaCy's CLI and `spacy.info` still
    import and run in the same process."""
    probe = """
import json, sys
from pipeline.extract.language import get_nlp
nlp = get_nlp()
doc = nlp("30日以内に第3条")
spans = [s.text for group in doc.spans.values() for s in group]
import spacy
import spacy.cli
info = spacy.info(markdown=False, silent=True)
print(json.dumps([spans, callable(spacy.cli.download), info["spacy_version"] == spacy.__version__]))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    spans, has_download, same_version = json.loads(done.stdout)
    assert sorted(spans) == ["30日以内", "第3条"]
    assert has_download
    assert same_version


def test_models_are_imported_on_first_use() -> None:
    """`pipeline.models` re-exports lazily: its errors alone import no pydantic, and a Document
    needs the modules it is built of, none of the diffs, feeds, reports or expectations."""
    probe = """
import json, sys
def loaded():
    return sorted(m for m in sys.modules if m.startswith("pipeline.models."))
from pipeline.models import YakkanError
errors_only, pydantic_loaded = loaded(), "pydantic" in sys.modules
from pipeline.models import Document
print(json.dumps([errors_only, pydantic_loaded, loaded(), Document.__module__]))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    errors_only, pydantic_loaded, for_document, module = json.loads(done.stdout)
    assert errors_only == ["pipeline.models.errors"]
    assert not pydantic_loaded
    assert for_document == [
        f"pipeline.models.{m}" for m in ("base", "errors", "structure", "values")
    ]
    assert module == "pipeline.models.structure"


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_long_lived_objects_are_frozen_and_the_collector_restored(enabled: bool) -> None:
    """What `long_lived` makes is out of the collector's reach afterwards (`gc.freeze`), nothing
    is collected meanwhile, and the collector is left as it was found."""
    import gc

    from pipeline.extract.language import long_lived

    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    gc.callbacks.append(count)
    try:
        frozen = gc.get_freeze_count()
        with long_lived():
            made = [[index] for index in range(50_000)]  # enough to trigger collections
        assert collections == []
        assert gc.get_freeze_count() >= frozen + len(made)
        assert gc.isenabled() is enabled
    finally:
        gc.callbacks.remove(count)
        gc.unfreeze()
        (gc.enable if was else gc.disable)()
