"""Real-world terms documents against structures written by reading them.

Each tests/fixtures/realworld/<stem>.json was written by reading the document in
../shared/realworld/ (for a PDF, its pages), never from the program's output: its numbering
style, article numbers and titles, per article the number of direct items in each paragraph,
chapters, 附則, 別表, whether text stands before the first and after the last provision, a
bundle's parts, and the numbering defects the document really has. The tests compare the parsed
Document with it both ways (nothing missing, nothing extra), for the text and for the PDF made
from the same source.

The invariants of issue 11 are checked on every development file, the version pairs and the
corpus: no exception, no path shared by two nodes, no 前項 in an article's first paragraph left
unresolved, and (on the development set) numbering diagnostics exactly the confirmed defects.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, FAMILIES, REALWORLD, SHARED_VERSIONS

from pipeline.models import (
    Article,
    Document,
    DocumentPart,
    Item,
    Node,
    SupplementaryProvisions,
    YakkanError,
)
from pipeline.process import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "realworld"
EXPECTED = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(FIXTURES.glob("*.json"))
}

needs_realworld = pytest.mark.skipif(
    not REALWORLD.is_dir(), reason="../shared/realworld is not beside the project"
)

MAX_LINES = 60
"""Differences listed in one failure message before the rest are counted, not shown."""


# --------------------------------------------------------------------------------------------
# Parsing, once per file and mode
# --------------------------------------------------------------------------------------------


@functools.cache
def _parse_cached(path: Path, extract: bool) -> Document:
    return parse_file(path, extract=extract)


def _parse(path: Path, extract: bool) -> Document:
    """The parsed Document; a refusal fails the test with the file and its one-line reason."""
    try:
        return _parse_cached(path, extract)
    except YakkanError as error:
        pytest.fail(f"{path.name} refused: {error.reason}", pytrace=False)


def _sources(kind: str) -> list[Any]:
    """(stem, file) pairs to parse: the text and, where the document has one, its PDF."""
    params = []
    for stem, expected in EXPECTED.items():
        name = expected.get(kind)
        if name:
            params.append(pytest.param(stem, name, id=f"{stem}-{kind}"))
    return params


# --------------------------------------------------------------------------------------------
# Shapes: the parsed Document in the fixture's terms
# --------------------------------------------------------------------------------------------


def _norm(text: str | None) -> str | None:
    """Compare titles as a reader does: full-width/half-width and Kangxi forms alike, no spaces."""
    if text is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _article_shape(article: Article) -> dict[str, Any]:
    return {
        "number": article.number,
        "title": _norm(article.title),
        "paragraphs": [len(p.items) for p in article.paragraphs],
    }


def _expected_article(article: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": article["number"],
        "title": _norm(article["title"]),
        "paragraphs": article["paragraphs"],
    }


def _compare_articles(
    where: str, expected: list[dict[str, Any]], found: list[Article]
) -> list[str]:
    """Differences both ways: articles missing, articles extra, and per article what differs."""
    want = [_expected_article(a) for a in expected]
    got = [_article_shape(a) for a in found]
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(
        a=[a["number"] for a in want], b=[a["number"] for a in got], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for exp, act in zip(want[i1:i2], got[j1:j2], strict=True):
                lines += _article_differences(where, exp, act)
            continue
        if i2 > i1:
            numbers = ", ".join(a["number"] for a in want[i1:i2])
            lines.append(f"{where}: expected article(s) {numbers} not found")
        if j2 > j1:
            numbers = ", ".join(a["number"] for a in got[j1:j2])
            lines.append(f"{where}: article(s) {numbers} found but not in the document")
    return lines


def _article_differences(where: str, exp: dict[str, Any], act: dict[str, Any]) -> list[str]:
    label = f"{where} article {exp['number']}"
    lines = []
    if exp["title"] != act["title"]:
        lines.append(f"{label}: title {act['title']!r}, expected {exp['title']!r}")
    if exp["paragraphs"] != act["paragraphs"]:
        lines.append(
            f"{label}: paragraphs (direct items each) {act['paragraphs']}, "
            f"expected {exp['paragraphs']}"
        )
    return lines


def _compare_unit(where: str, expected: dict[str, Any], unit: Any) -> list[str]:
    """Compare a Document or a DocumentPart with its expected structure."""
    lines: list[str] = []
    if "numbering_style" in expected and unit.numbering_style != expected["numbering_style"]:
        lines.append(
            f"{where}: numbering_style {unit.numbering_style!r}, "
            f"expected {expected['numbering_style']!r}"
        )
    if "title" in expected and _norm(unit.title) != _norm(expected["title"]):
        lines.append(f"{where}: title {unit.title!r}, expected {expected['title']!r}")
    if "has_preamble" in expected and (unit.preamble is not None) != expected["has_preamble"]:
        state = "a preamble node" if unit.preamble is not None else "no preamble node"
        lines.append(f"{where}: {state}, expected has_preamble={expected['has_preamble']}")
    if "chapters" in expected:
        want = [(c["number"], _norm(c["title"]), c["articles"]) for c in expected["chapters"]]
        got = [(c.number, _norm(c.title), c.articles) for c in unit.chapters]
        if want != got:
            lines.append(f"{where}: chapters {got}, expected {want}")
    if "supplementary" in expected:
        got_suppl = [len(s.paragraphs) for s in unit.supplementary]
        if got_suppl != expected["supplementary"]:
            lines.append(
                f"{where}: 附則 blocks (paragraphs each) {got_suppl}, "
                f"expected {expected['supplementary']}"
            )
    if "appendices" in expected:
        got_appx = [a.number for a in unit.appendices]
        if got_appx != expected["appendices"]:
            lines.append(f"{where}: 別表 {got_appx}, expected {expected['appendices']}")
    if "has_closing" in expected and (unit.closing is not None) != expected["has_closing"]:
        state = "a closing node" if unit.closing is not None else "no closing node"
        lines.append(f"{where}: {state}, expected has_closing={expected['has_closing']}")
    lines += _compare_articles(where, expected["articles"], unit.articles)
    return lines


def _compare_document(stem: str, expected: dict[str, Any], document: Document) -> list[str]:
    lines: list[str] = []
    if document.numbering_style != expected["numbering_style"]:
        lines.append(
            f"{stem}: numbering_style {document.numbering_style!r}, "
            f"expected {expected['numbering_style']!r}"
        )
    if "parts" in expected:
        want, got = expected["parts"], document.parts
        if len(got) != len(want):
            lines.append(f"{stem}: {len(got)} parts, expected {len(want)}")
        for number, (exp, part) in enumerate(zip(want, got, strict=False), start=1):
            lines += _compare_unit(f"{stem} part {number}", exp, part)
        return lines
    if document.parts:
        lines.append(f"{stem}: {len(document.parts)} parts, expected a single document")
    unit = {k: v for k, v in expected.items() if k != "numbering_style"}
    return lines + _compare_unit(stem, unit, document)


def _report(lines: list[str]) -> str:
    shown = lines[:MAX_LINES]
    if len(lines) > MAX_LINES:
        shown.append(f"... and {len(lines) - MAX_LINES} more differences")
    return "\n".join(shown)


# --------------------------------------------------------------------------------------------
# The development files against their expected structures
# --------------------------------------------------------------------------------------------


@needs_realworld
@pytest.mark.parametrize(("stem", "name"), _sources("file"))
def test_text_structure_as_read(stem: str, name: str) -> None:
    document = _parse(REALWORLD / name, False)
    differences = _compare_document(stem, EXPECTED[stem], document)
    assert not differences, "\n" + _report(differences)


@needs_realworld
@pytest.mark.parametrize(("stem", "name"), _sources("pdf"))
def test_pdf_structure_as_read(stem: str, name: str) -> None:
    document = _parse(REALWORLD / name, False)
    differences = _compare_document(f"{stem} ({name})", EXPECTED[stem], document)
    assert not differences, "\n" + _report(differences)


def _issue_key(part: int | None, level: str, where: str | None) -> str:
    prefix = f"part {part} " if part is not None else ""
    return f"{prefix}{level} in {where}"


def _diagnostic_keys(document: Document) -> set[str]:
    """The numbering diagnostics as (part, level, article or chapter) keys."""
    keys = set()
    for diagnostic in document.diagnostics:
        if not diagnostic.code.startswith("numbering"):
            continue
        level = diagnostic.code.split(".")[1]
        path = diagnostic.path or ""
        part = re.match(r"part:(\d+)/", path)
        where = re.search(r"(?:^|/)(art|ch|suppl|appx):([^/]+)", path)
        place = None
        if where is not None:
            kind, number = where.groups()
            place = number if kind == "art" else f"{kind}:{number}"
        keys.add(_issue_key(int(part.group(1)) if part else None, level, place))
    return keys


def _expected_issue_keys(expected: dict[str, Any]) -> set[str]:
    keys = set()
    for issue in expected.get("numbering_issues", []):
        place = issue.get("article") or issue.get("where")
        keys.add(_issue_key(issue.get("part"), issue["level"], place))
    return keys


def _assert_numbering(document: Document, expected: dict[str, Any]) -> None:
    """The numbering diagnostics are exactly the defects confirmed by reading the document."""
    found, confirmed = _diagnostic_keys(document), _expected_issue_keys(expected)
    messages = [
        f"{d.code} at {d.path}: {d.message}"
        for d in document.diagnostics
        if d.code.startswith("numbering")
    ]
    assert found == confirmed, (
        f"\nnot in the document: {sorted(found - confirmed)}"
        f"\nconfirmed but not reported: {sorted(confirmed - found)}"
        f"\ndiagnostics: {messages}"
    )


@needs_realworld
@pytest.mark.parametrize(("stem", "name"), _sources("file") + _sources("pdf"))
def test_numbering_diagnostics_are_the_confirmed_defects(stem: str, name: str) -> None:
    document = _parse(REALWORLD / name, False)
    _assert_numbering(document, EXPECTED[stem])


VERSIONS_NUMBERING = json.loads((FIXTURES / "versions_numbering.json").read_text(encoding="utf-8"))[
    "numbering_issues"
]


def _numbering_sources() -> list[Any]:
    """The version files and the corpus texts with the numbering defects read in them."""
    params = [
        pytest.param(SHARED_VERSIONS / name, {"numbering_issues": issues}, id=f"versions/{name}")
        for name, issues in VERSIONS_NUMBERING.items()
        if SHARED_VERSIONS.is_dir()
    ]
    if not SHARED_VERSIONS.is_dir():
        reason = "../shared/versions is not beside the project"
        params.append(pytest.param(None, {}, id="versions", marks=pytest.mark.skip(reason=reason)))
    # The corpus has no numbering defect (corpus/*/expected_structure.json).
    for family in FAMILIES:
        path = CORPUS / family / "source.txt"
        params.append(pytest.param(path, {"numbering_issues": []}, id=f"corpus/{family}"))
    return params


@pytest.mark.parametrize(("path", "expected"), _numbering_sources())
def test_numbering_diagnostics_on_versions_and_corpus(path: Path, expected: dict[str, Any]) -> None:
    document = _parse(path, False)
    _assert_numbering(document, expected)


# --------------------------------------------------------------------------------------------
# Invariants over the development set, the version pairs and the corpus
# --------------------------------------------------------------------------------------------


def _all_files() -> list[Any]:
    files: list[Path] = []
    if REALWORLD.is_dir():
        files += sorted(p for p in REALWORLD.iterdir() if p.suffix in (".txt", ".pdf"))
    if SHARED_VERSIONS.is_dir():
        files += sorted(SHARED_VERSIONS.glob("*.txt"))
    for family in FAMILIES:
        files += sorted((CORPUS / family).glob("source.*"))
    params = [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in files]
    for folder in (REALWORLD, SHARED_VERSIONS):
        if not folder.is_dir():
            reason = f"../shared/{folder.name} is not beside the project"
            params.append(
                pytest.param(folder, id=folder.name, marks=pytest.mark.skip(reason=reason))
            )
    return params


def _articles(document: Document) -> list[Article]:
    """Every article once, whether a bundle's articles are also listed on the Document or not."""
    found = {a.path: a for a in document.articles}
    for part in document.parts:
        found.update((a.path, a) for a in part.articles)
    return list(found.values())


def _walk_items(items: list[Item]) -> list[Node]:
    nodes: list[Node] = []
    for item in items:
        nodes.append(item)
        nodes += _walk_items(item.items)
    return nodes


def _paths(document: Document) -> list[str]:
    """Every node path of the tree: parts, chapters, sections and every provision."""
    paths: list[str] = []
    units: list[Document | DocumentPart] = [document, *document.parts]
    for unit in units:
        nodes: list[Any] = [] if unit is document else [unit]
        for chapter in unit.chapters:
            nodes += [chapter, *chapter.sections]
        if unit.preamble is not None:
            nodes.append(unit.preamble)
        bodies: list[Article | SupplementaryProvisions] = [*unit.articles, *unit.supplementary]
        for body in bodies:
            nodes.append(body)
            for paragraph in body.paragraphs:
                nodes += [paragraph, *_walk_items(paragraph.items)]
        for appendix in unit.appendices:
            nodes += [appendix, *_walk_items(appendix.items)]
        if unit.closing is not None:
            nodes.append(unit.closing)
        if unit is document and document.parts:
            # A bundle may also list its parts' provisions on the Document: the same nodes.
            nodes = [node for node in nodes if not node.path.startswith("part:")]
        paths += [node.path for node in nodes]
    return paths


@pytest.mark.parametrize("path", _all_files())
def test_parses_and_no_path_is_shared(path: Path) -> None:
    document = _parse(path, False)
    assert _articles(document), f"{path.name}: no articles"
    paths = _paths(document)
    duplicated = sorted({p for p in paths if paths.count(p) > 1})
    assert not duplicated, f"{path.name}: paths held by more than one node: {duplicated[:20]}"


@pytest.mark.parametrize("path", _all_files())
def test_no_unresolved_previous_paragraph_in_a_first_paragraph(path: Path) -> None:
    document = _parse(path, True)
    resolved = [
        e.span
        for e in document.extractions
        if e.kind == "crossref" and getattr(e.value, "resolved", False)
    ]
    left = []
    for article in _articles(document):
        if not article.paragraphs:
            continue
        first = article.paragraphs[0]
        for match in re.finditer("前項", document.text[first.span.start : first.span.end]):
            at = first.span.start + match.start()
            if not any(span.start <= at < span.end for span in resolved):
                context = document.text[max(at - 15, first.span.start) : at + 10]
                left.append(f"{article.path}: …{context}…")
    assert not left, (
        f"{path.name}: 前項 in an article's first paragraph, unresolved "
        f"(paragraphs merged?):\n" + "\n".join(left)
    )
