"""Defined terms (定義語) between versions: which the new version adds, drops or defines otherwise.

A term is the document's, not one provision's: it is compared document-wide, by the term as
written. Its definitions are what the extraction read for it (the noun phrase before '以下「…」
という', the clause after '「…」とは', a list entry's meaning), white space aside; a term
defined twice keeps both, so one changed definition of two shows.
"""

from __future__ import annotations

from pipeline.diff.labels import WORDS
from pipeline.models import DefinedTermValue, Document, TermChange, TermStatus


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
    for term, now in after.items():
        if term not in before:
            changes.append(_change(term, "added", None, now, words))
        elif sorted(before[term][0]) != sorted(now[0]):
            changes.append(_change(term, "redefined", before[term], now, words))
    for term, then in before.items():
        if term not in after:
            changes.append(_change(term, "removed", then, None, words))
    return changes


def _change(
    term: str,
    status: TermStatus,
    then: tuple[list[str], str] | None,
    now: tuple[list[str], str] | None,
    words: dict[str, str],
) -> TermChange:
    """One term's change; `then` and `now` are its (definitions, first path) in each version."""
    old_definitions, old_path = then or ([], None)
    new_definitions, new_path = now or ([], None)
    return TermChange(
        term=term,
        status=status,
        old_definitions=old_definitions,
        new_definitions=new_definitions,
        old_path=old_path,
        new_path=new_path,
        summary=f"{words['term']}「{term}」: {words['term_' + status]}",
    )
