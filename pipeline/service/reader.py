"""The service's read path: a read-only connection per request over the store's query functions.

The store is opened with a `file:…?mode=ro` URI, so the service cannot write to it by mistake
and a batch writing the same file (WAL mode) never waits for a reader. Each request opens its
own connection and every read is one statement in autocommit mode: no transaction is held
across requests. What is read by document id is cached in memory: a stored document is keyed
by the sha256 of its bytes and never changes, so the cache needs no invalidation.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from pipeline.models import (
    Article,
    Chapter,
    Document,
    DocumentDiff,
    DocumentPart,
    Extraction,
    FamilyList,
    FamilySummary,
    Node,
    ParameterPayload,
    ProvisionView,
    Section,
    SupplementaryProvisions,
    ValidationReport,
    VersionList,
    VersionSummary,
    YakkanError,
)
from pipeline.service.errors import ServiceError
from pipeline.store.history import StoredVersion, same_version
from pipeline.store.rows import PROVISION_KINDS
from pipeline.store.sqlite import Store

MIN_ID_PREFIX = 8
"""The shortest document-id prefix accepted (`yakkan history` prints 12 characters)."""

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used cache (requests run on a thread pool)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The cached value for `key`, made (outside the lock) and kept when absent."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value


_documents: LRU[tuple[str, str], Document] = LRU(8)
_reports: LRU[tuple[str, str], ValidationReport | None] = LRU(64)
_payloads: LRU[tuple[str, str], ParameterPayload] = LRU(64)
_diffs: LRU[tuple[str, str, str], DocumentDiff] = LRU(8)


class ReadOnlyStore(Store):
    """The store opened read-only: the reading half of `Store` over a `mode=ro` connection."""

    def __init__(self, path: str | Path) -> None:
        # The store's own read-only opening: it refuses what is not a yakkan store (its
        # application_id, its tables, its schema version) before reading anything.
        super().__init__(path, readonly=True)

    def __enter__(self) -> ReadOnlyStore:
        return self

    def key(self, document_id: str) -> tuple[str, str]:
        """The cache key of a document of this store."""
        return (str(self.path), document_id)


def shown(value: str, limit: int = 60) -> str:
    """A client's value quoted in a message, cut short: messages stay one readable line."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def check_store(path: Path) -> None:
    """Open the store read-only once, so `yakkan serve` fails at start, not on each request."""
    if not path.is_file():
        raise YakkanError(str(path), "no such database")
    ReadOnlyStore(path).close()


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


def document_id(store: ReadOnlyStore, given: str) -> str:
    """The full id of a stored document from its id or a unique prefix of it."""
    wanted = given.strip().lower()
    if not re.fullmatch(rf"[0-9a-f]{{{MIN_ID_PREFIX},64}}", wanted):
        raise ServiceError(
            "document_not_found",
            f"no document {shown(given)}: an id is a hex sha256 digest, or {MIN_ID_PREFIX} or"
            " more of its first characters",
        )
    if len(wanted) == 64:
        if store.has(wanted):
            return wanted
        raise ServiceError("document_not_found", f"no document {wanted[:12]} in the store")
    rows = store.query(
        "SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", (wanted, wanted + "g")
    )
    if not rows:
        raise ServiceError("document_not_found", f"no document {wanted} in the store")
    if len(rows) > 1:
        raise ServiceError("ambiguous_document", f"more than one document id starts with {wanted}")
    return str(rows[0]["id"])


def load_document(store: ReadOnlyStore, doc_id: str) -> Document:
    """The stored Document (cached)."""
    return _documents.get(store.key(doc_id), lambda: store.document(doc_id))


def load_report(store: ReadOnlyStore, doc_id: str) -> ValidationReport:
    """The stored validation report (cached); 404 when no rule model was applied."""
    report = _reports.get(store.key(doc_id), lambda: store.report(doc_id))
    if report is None:
        raise ServiceError(
            "report_not_found",
            f"document {doc_id[:12]} was stored without validation (no rule model for its family)",
        )
    return report


def load_parameters(store: ReadOnlyStore, doc_id: str) -> ParameterPayload:
    """The parameter payload of a stored document (cached), read from its report."""
    from pipeline.rules import stored_parameter_payload

    return _payloads.get(
        store.key(doc_id), lambda: stored_parameter_payload(load_report(store, doc_id))
    )


def load_diff(store: ReadOnlyStore, old_id: str, new_id: str) -> DocumentDiff:
    """The 新旧対照 of two stored documents (cached)."""
    from pipeline.diff.compare import diff

    return _diffs.get(
        (str(store.path), old_id, new_id),
        lambda: diff(load_document(store, old_id), load_document(store, new_id)),
    )


# --------------------------------------------------------------------------------------------
# Families and versions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyVersions:
    """A family's stored documents, oldest first, grouped into versions (renditions of one
    version together, text first), with which of them carry a validation report."""

    family: str
    stored: list[StoredVersion]
    groups: list[list[StoredVersion]]
    validated: set[str]
    titles: dict[str, str | None]

    def representative(self, group: list[StoredVersion]) -> StoredVersion:
        """The rendition answering for a version: the first validated one, text before PDF."""
        return next((v for v in group if v.document_id in self.validated), group[0])


def family_versions(store: ReadOnlyStore, family: str) -> FamilyVersions:
    """The stored versions of a family; 404 for a family the store does not hold."""
    stored = store.versions(family)
    if not stored:
        known = ", ".join(store.families()) or "none"
        raise ServiceError(
            "family_not_found", f"no family {shown(family)} in the store (known: {known})"
        )
    groups: list[list[StoredVersion]] = []
    for version in stored:
        if groups and same_version(groups[-1][0], version):
            groups[-1].append(version)
        else:
            groups.append([version])
    rows = store.query("SELECT id, validated, title FROM documents WHERE family = ?", (family,))
    return FamilyVersions(
        family=family,
        stored=stored,
        groups=groups,
        validated={r["id"] for r in rows if r["validated"]},
        titles={r["id"]: r["title"] for r in rows},
    )


def family_list(store: ReadOnlyStore) -> FamilyList:
    """Every family in the store with its newest version."""
    summaries = []
    for family in store.families():
        found = family_versions(store, family)
        latest = found.representative(found.groups[-1])
        summaries.append(
            FamilySummary(
                family=family,
                title=found.titles.get(latest.document_id),
                documents=len(found.stored),
                versions=len(found.groups),
                latest_version=latest.version,
                latest_effective_date=latest.effective_date,
                latest_document_id=latest.document_id,
            )
        )
    return FamilyList(families=summaries)


def version_list(store: ReadOnlyStore, family: str) -> VersionList:
    """A family's stored documents, oldest first."""
    found = family_versions(store, family)
    return VersionList(
        family=family,
        versions=[
            VersionSummary(
                document_id=v.document_id,
                version=v.version,
                effective_date=v.effective_date,
                source=v.source_name,
                source_kind="pdf" if v.source_kind == "pdf" else "text",
                stored_at=v.stored_at,
                validated=v.document_id in found.validated,
            )
            for v in found.stored
        ],
    )


def _label_key(label: str) -> str:
    """'Ver1.6', 'ver 1.6', 'v1.6' and '1.6' name the same version."""
    squashed = re.sub(r"\s+", "", label).lower()
    return re.sub(r"^(?:version|ver\.?|v)", "", squashed)


def version_in_force(store: ReadOnlyStore, family: str, version: str) -> StoredVersion:
    """The document answering for `version` of a family: 'latest' (the newest stored version),
    a label ('Ver1.6'), or an ISO date (the newest version in force on that day)."""
    found = family_versions(store, family)
    wanted = version.strip()
    if wanted == "latest":
        return found.representative(found.groups[-1])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", wanted):
        try:
            day = dt.date.fromisoformat(wanted)
        except ValueError:
            raise ServiceError("bad_request", f"not a date: {shown(wanted)}") from None
        in_force = [
            g
            for g in found.groups
            if g[0].effective_date is not None and g[0].effective_date <= day
        ]
        if not in_force:
            dated = [g[0] for g in found.groups if g[0].effective_date is not None]
            earliest = (
                f"the earliest stored takes effect on {dated[0].effective_date}"
                if dated
                else "no stored version states its effective date"
            )
            raise ServiceError(
                "version_not_found", f"no version of {family} in force on {day}: {earliest}"
            )
        return found.representative(in_force[-1])
    key = _label_key(wanted)
    matches = [g for g in found.groups if g[0].version and _label_key(g[0].version) == key]
    if not matches:
        labels = ", ".join(g[0].version or g[0].document_id[:12] for g in found.groups)
        raise ServiceError(
            "version_not_found",
            f"no version {shown(wanted)} of {family}"
            f" (stored: {labels}; or 'latest', or YYYY-MM-DD)",
        )
    return found.representative(matches[-1])


# --------------------------------------------------------------------------------------------
# Provisions
# --------------------------------------------------------------------------------------------

Provision = Node | Chapter | Section | DocumentPart



def _nested(node: BaseModel) -> Iterator[Provision]:
    """The provisions held directly in a node's fields (not their descendants)."""
    for name in type(node).model_fields:
        value = getattr(node, name)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, Node | Chapter | Section | DocumentPart):
                yield child


def _walk(node: BaseModel) -> Iterator[tuple[Provision, list[str]]]:
    """Every provision under `node` with the paths of its direct children. Chapters and sections
    list their articles by number; those articles are their children too."""
    nested = list(_nested(node))
    articles = {a.number: a.path for a in nested if isinstance(a, Article)}
    for child in nested:
        children = [c.path for c in _nested(child)]
        if isinstance(child, Chapter | Section):
            children += [articles[n] for n in child.articles if n in articles]
        yield child, children
        yield from _walk(child)


def provision_view(store: ReadOnlyStore, doc_id: str, path: str) -> ProvisionView:
    """One provision of a stored document: its text, the values inside it, the references it
    makes and the references that target it."""
    document = load_document(store, doc_id)
    found = next(((n, c) for n, c in _walk(document) if n.path == path), None)
    if found is None:
        raise ServiceError(
            "provision_not_found",
            f"no provision {shown(path)} in document {doc_id[:12]} (paths look like art:24/para:1)",
        )
    node, children = found
    span = node.span
    inside = [
        e for e in document.extractions if span.start <= e.span.start and e.span.end <= span.end
    ]

    def targets_here(extraction: Extraction) -> bool:
        targets = getattr(extraction.value, "targets", [])
        return any(t == path or t.startswith(path + "/") for t in targets)

    label = getattr(node, "number", None) or getattr(node, "label", None)
    heading = getattr(node, "heading", None)
    if isinstance(node, SupplementaryProvisions):
        heading = node.title
    return ProvisionView(
        document_id=doc_id,
        path=node.path,
        kind=PROVISION_KINDS.get(type(node), type(node).__name__.lower()),
        label=str(label) if label is not None else None,
        title=getattr(node, "title", None),
        heading=heading,
        text=node.text if isinstance(node, Node) else (node.title or ""),
        full_text=document.text[span.start : span.end],
        span=span,
        page=node.page if isinstance(node, Node) else None,
        children=children,
        values=[e for e in inside if e.kind != "crossref"],
        references=[e for e in inside if e.kind == "crossref"],
        referenced_by=[
            e
            for e in document.extractions
            if e.kind == "crossref"
            and not (span.start <= e.span.start and e.span.end <= span.end)
            and targets_here(e)
        ],
    )
