"""Defined terms (定義語) between versions: which the new version adds, drops or defines otherwise.

A term is the document's, not one provision's: it is compared document-wide, by the term as
written. Its definitions are what the extraction read for it (the noun phrase before '以下「…」
という', the clause after '「…」とは', a list entry's meaning), white space aside; a term
defined twice keeps both, so one changed definition of two shows.
"""

from __future__ import annotations

from pipeline.diff.labels import WORDS
from pipeline.models import DefinedTermValue, Document, TermChange


def _definitions(document: Document) -> dict[str, tuple[list[str], str]]:
    """Term → (its distinct definitions in document order, the path first defining it)."""
    found: dict[str, tuple[list[str], str]] = {}
    for extraction in document.extractions:
        value = extraction.value
        if not isinstance(value, DefinedTermValue):
            continue
        definitions, _ = found.setdefault(value.term, ([], extraction.path))
        definition = "".join((value.definition or "").split())
        if definition and definition not in definitions:
            definitions.append(definition)
    return found


def term_changes(old: Document, new: Document, lang: str = "ja") -> list[TermChange]:
    """The defined terms added, removed or redefined from `old` to `new`."""
    before, after = _definitions(old), _definitions(new)
    words = WORDS[lang]
    changes: list[TermChange] = []
    for term, (definitions, path) in after.items():
        if term not in before:
            status = "added"
        elif sorted(before[term][0]) != sorted(definitions):
            status = "redefined"
        else:
            continue
        old_definitions, old_path = before.get(term, ([], None))
        changes.append(
            TermChange(
                term=term,
                status=status,
                old_definitions=old_definitions,
                new_definitions=definitions,
                old_path=old_path,
                new_path=path,
                summary=f"{words['term']}「{term}」: {words['term_' + status]}",
            )
        )
    for term, (definitions, path) in before.items():
        if term not in after:
            changes.append(
                TermChange(
                    term=term,
                    status="removed",
                    old_definitions=definitions,
                    old_path=path,
                    summary=f"{words['term']}「{term}」: {words['term_removed']}",
                )
            )
    return changes
