"""A family's history: its stored versions in order, and what changed from one to the next."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.models import Document, DocumentDiff, YakkanError

if TYPE_CHECKING:
    from pipeline.store.sqlite import Store


@dataclass(frozen=True)
class StoredVersion:
    """One stored version of a family, as `yakkan history` lists it."""

    document_id: str
    family: str
    version: str | None
    effective_date: dt.date | None
    source_name: str
    source_kind: str
    stored_at: str
    text_sha256: str = ""


@dataclass(frozen=True)
class HistoryStep:
    """What changed from one version of a family to the next."""

    old: StoredVersion
    new: StoredVersion
    diff: DocumentDiff


def same_version(a: StoredVersion, b: StoredVersion) -> bool:
    """Two renditions of one version (a PDF and its text): the same normalized text, or the
    same version label and date where the document states them."""
    if a.text_sha256 and a.text_sha256 == b.text_sha256:
        return True
    key_a, key_b = (a.version, a.effective_date), (b.version, b.effective_date)
    return key_a == key_b and key_a != (None, None)


def history(store: Store, family: str) -> tuple[list[StoredVersion], list[HistoryStep]]:
    """A family's stored versions, oldest first, and the diff of each consecutive pair of
    distinct versions (renditions of one version are listed, not compared)."""
    from pipeline.diff.compare import diff

    versions = store.versions(family)
    if not versions:
        known = ", ".join(store.families()) or "none"
        raise YakkanError(
            str(store.path), f"no stored versions of family {family!r} (known: {known})"
        )
    # One representative per version: the first in order, a text rendition before a PDF one.
    distinct: list[StoredVersion] = []
    for version in versions:
        if not distinct or not same_version(distinct[-1], version):
            distinct.append(version)
    steps: list[HistoryStep] = []
    previous: Document | None = None
    for old, new in itertools.pairwise(distinct):
        previous = previous or store.document(old.document_id)
        current = store.document(new.document_id)
        steps.append(HistoryStep(old=old, new=new, diff=diff(previous, current)))
        previous = current
    return versions, steps


def _version_key(label: str | None) -> tuple[int | str, ...]:
    """Sort 'Ver1.10' after 'Ver1.9': compare digit runs as numbers."""
    if label is None:
        return ()
    parts: list[int | str] = []
    digits = ""
    for ch in label:
        if ch.isdigit():
            digits += ch
            continue
        if digits:
            parts.append(int(digits))
            digits = ""
    if digits:
        parts.append(int(digits))
    return tuple(parts)


def version_order(v: StoredVersion) -> tuple[Any, ...]:
    """Sort key, oldest first: effective date, version label, text before PDF, storing order."""
    return (
        v.effective_date or dt.date.max,
        _version_key(v.version),
        v.source_kind != "text",
        v.stored_at,
    )
