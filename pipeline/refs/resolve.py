"""Cross-reference resolution: parsed fragments → provision paths, and integrity diagnostics.

The second half of the Lawtext split (extractors/crossrefs/ parses). Each crossref extraction
is resolved by walking the document tree (`tree`) from where the reference stands: named levels
are looked up (`targets`), relative ones counted among siblings (`relative`), and what is cited
is checked (`diagnostics`). Numbers are only ever looked up, never computed with. What cannot be
resolved keeps resolved=False and a reason; nothing is guessed.
"""

from __future__ import annotations

from pipeline.models import CrossReferenceValue, Diagnostic, Document, Extraction
from pipeline.refs.diagnostics import DIAGNOSTIC_PREFIX, integrity, unresolved
from pipeline.refs.targets import targets
from pipeline.refs.tree import Context, Memory, Tree, Unresolved


def resolve(document: Document) -> Document:
    """Resolve every crossref extraction against the document's tree; add 'xref.*' diagnostics."""
    tree = Tree(document)
    memory = Memory()
    extractions: list[Extraction] = []
    diagnostics = [d for d in document.diagnostics if not d.code.startswith(DIAGNOSTIC_PREFIX)]
    for extraction in sorted(document.extractions, key=lambda e: (e.span.start, e.span.end)):
        if extraction.kind != "crossref" or not isinstance(extraction.value, CrossReferenceValue):
            extractions.append(extraction)
            continue
        if tree.in_heading(extraction.span.start):
            continue  # '第13条(利用の停止)' opening its own article is a heading, not a reference
        value, found = _resolve_one(tree, memory, extraction, extraction.value)
        extractions.append(extraction.model_copy(update={"value": value}))
        diagnostics += found
    return document.model_copy(update={"extractions": extractions, "diagnostics": diagnostics})


def _resolve_one(
    tree: Tree, memory: Memory, extraction: Extraction, value: CrossReferenceValue
) -> tuple[CrossReferenceValue, list[Diagnostic]]:
    """The reference's value with its targets filled in, and the findings about it."""
    if value.external is not None:
        reason = f"cites another document: {value.external}"
        return value.model_copy(update={"targets": [], "resolved": False, "reason": reason}), []
    where = tree.where(extraction)
    try:
        paths, excluded, articles = targets(Context(tree, memory, where), value)
    except Unresolved as err:
        update = {"targets": [], "excluded": [], "resolved": False, "reason": err.reason}
        return value.model_copy(update=update), [unresolved(err, extraction)]
    memory.remember(tree, where, paths, articles)
    diagnostics: list[Diagnostic] = []
    for article in articles:
        diagnostics += integrity(tree.document, article, value, extraction)
    update = {"targets": paths, "excluded": excluded, "resolved": True, "reason": None}
    return value.model_copy(update=update), diagnostics
