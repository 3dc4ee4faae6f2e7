"""The SQLite store: documents, versions, provisions, extractions, parameters, validation results.

One file (`yakkan.db` by default), stdlib `sqlite3`. A document is keyed by the sha256 of its
source bytes, so storing the same content twice does nothing. Each document is written in one
transaction: a batch killed half-way leaves every document either fully stored or absent, and
the re-run stores the missing ones without duplicating the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import re
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.ingest.sources import not_regular
from pipeline.models import (
    Document,
    DocumentDiff,
    Item,
    Paragraph,
    ValidationReport,
    YakkanError,
)
from pipeline.rules.report import report_failures
from pipeline.structure.parts import part_documents

DEFAULT_DB = "yakkan.db"

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id            TEXT PRIMARY KEY,  -- sha256 of the source bytes
    family        TEXT,
    title         TEXT,
    version       TEXT,
    effective_date TEXT,
    source_name   TEXT NOT NULL,
    source_kind   TEXT NOT NULL,
    pages         INTEGER,
    articles      INTEGER NOT NULL,
    extractions   INTEGER NOT NULL,
    diagnostics   INTEGER NOT NULL,
    validated     INTEGER NOT NULL,  -- 1 when a rule model was applied
    validation_failures INTEGER NOT NULL,
    document_json BLOB NOT NULL,     -- zlib-compressed Document JSON (for history and diff)
    report_json   BLOB,              -- zlib-compressed ValidationReport JSON, if validated
    stored_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    document_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    family         TEXT NOT NULL,
    version        TEXT,
    effective_date TEXT,
    sha256         TEXT NOT NULL,
    text_sha256    TEXT NOT NULL,  -- sha256 of the normalized text: same for a PDF and its text
    stored_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_family ON versions(family, effective_date, version);
CREATE TABLE IF NOT EXISTS sources (
    path        TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (path, document_id)
);
CREATE TABLE IF NOT EXISTS provisions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    path        TEXT NOT NULL,
    kind        TEXT NOT NULL,  -- see provision_rows: chapter, section, article, item, ...
    number      TEXT,
    title       TEXT,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    page        INTEGER,
    PRIMARY KEY (document_id, seq)
);
CREATE INDEX IF NOT EXISTS provisions_path ON provisions(document_id, path);
CREATE TABLE IF NOT EXISTS extractions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    path        TEXT NOT NULL,
    text        TEXT NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    page        INTEGER,
    value_json  TEXT NOT NULL,
    PRIMARY KEY (document_id, seq)
);
CREATE INDEX IF NOT EXISTS extractions_kind ON extractions(kind);
CREATE TABLE IF NOT EXISTS parameters (  -- named parameters read by the rule model
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,  -- passed, changed, missing, ambiguous
    required    INTEGER NOT NULL,
    expected    TEXT NOT NULL,  -- the expectation in words
    display     TEXT,           -- the value read, in words
    path        TEXT,
    text        TEXT,
    start       INTEGER,
    "end"       INTEGER,
    page        INTEGER,
    value_json  TEXT,           -- the typed value read; NULL when missing or ambiguous
    evidence    TEXT,
    PRIMARY KEY (document_id, name)
);
CREATE INDEX IF NOT EXISTS parameters_name ON parameters(name);
CREATE TABLE IF NOT EXISTS validation_results (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    category    TEXT NOT NULL,  -- parameter or structure
    rule        TEXT NOT NULL,  -- parameter name or structural rule id
    status      TEXT NOT NULL,  -- parameter status, or passed / failed for structural rules
    required    INTEGER NOT NULL,
    message     TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    PRIMARY KEY (document_id, seq)
);
"""


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


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def _unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _items(items: list[Item]) -> Iterator[Item]:
    for item in items:
        yield item
        yield from _items(item.items)


def _paragraph_rows(paragraph: Paragraph) -> Iterator[tuple[Any, ...]]:
    yield ("paragraph", paragraph, str(paragraph.number), None)
    for item in _items(paragraph.items):
        yield ("item", item, item.label, None)


def provision_rows(document: Document) -> list[tuple[Any, ...]]:
    """The document's provisions flattened for the provisions table: chapters and sections,
    then the preamble, articles (with paragraphs and items), 附則, 別表 and the closing in
    reading order; a bundle's parts one after another (their paths start 'part:N/').

    Each row is (path, kind, number, title, text, start, end, page).
    """
    return [row for part in part_documents(document) for row in _document_rows(part)]


def _document_rows(document: Document) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for chapter in document.chapters:
        rows.append(
            (
                chapter.path,
                "chapter",
                chapter.path.rsplit(":", 1)[1],
                chapter.title,
                chapter.title or "",
                chapter.span.start,
                chapter.span.end,
                None,
            )
        )
        for section in chapter.sections:
            rows.append(
                (
                    section.path,
                    "section",
                    str(section.number),
                    section.title,
                    section.title or "",
                    section.span.start,
                    section.span.end,
                    None,
                )
            )
    nodes: list[tuple[Any, ...]] = []
    if document.preamble is not None:
        nodes.append(("preamble", document.preamble, None, None))
    for article in document.articles:
        nodes.append(("article", article, article.number, article.title))
        for paragraph in article.paragraphs:
            nodes.extend(_paragraph_rows(paragraph))
    for suppl in document.supplementary:
        nodes.append(("supplementary", suppl, None, suppl.title))
        for paragraph in suppl.paragraphs:
            nodes.extend(_paragraph_rows(paragraph))
    for appendix in document.appendices:
        nodes.append(("appendix", appendix, appendix.number, appendix.title))
        nodes.extend(("item", item, item.label, None) for item in _items(appendix.items))
    if document.closing is not None:
        nodes.append(("closing", document.closing, None, None))
    for kind, node, number, title in nodes:
        rows.append(
            (node.path, kind, number, title, node.text, node.span.start, node.span.end, node.page)
        )
    return rows


APPLICATION_ID = 0x59414B4B
"""SQLite header application_id of a yakkan store ('YAKK'): how a yakkan database is told from
any other SQLite file before anything is written to it."""

TABLE_NAMES = (
    "documents",
    "versions",
    "sources",
    "provisions",
    "extractions",
    "parameters",
    "validation_results",
)
"""yakkan's tables, in the order `counts` reports them."""
TABLES = frozenset(TABLE_NAMES)


class Store:
    """A yakkan SQLite database. Use as a context manager, or call `close()`.

    Opened for writing, a new or empty file becomes a yakkan store; a yakkan store of an older
    schema version is backed up and migrated in one transaction; any other database is refused
    before anything is written to it. `readonly=True` (for readers: export, history, serve)
    never writes, so it also reads a store on a read-only disk.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        try:
            mode = os.stat(self.path).st_mode
        except OSError:
            mode = None
        if mode is not None and (problem := not_regular(mode)):
            raise YakkanError(str(self.path), f"cannot be a database: it {problem}")
        try:
            self.conn = self._connect()
        except sqlite3.DatabaseError as err:
            raise YakkanError(str(self.path), f"cannot open the database: {err}") from err
        try:
            self._check_and_migrate()
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as err:
            self.conn.close()
            raise YakkanError(str(self.path), f"cannot open the database: {err}") from err
        except BaseException:
            self.conn.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; each document gets an explicit one.
        if not self.readonly:
            return sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        if not self.path.is_file():
            raise YakkanError(str(self.path), "no such database")
        uri = self.path.resolve().as_uri()
        # check_same_thread=False: a service may open a reader on one thread and use it on
        # another (never two at once); a read-only connection has no transaction to guard.
        conn = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=30.0, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA user_version").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
        # A WAL store in a folder we cannot write: its -shm cannot be created, so no writer can
        # have it open either, and reading it as immutable is safe.
        return sqlite3.connect(
            f"{uri}?mode=ro&immutable=1",
            uri=True,
            isolation_level=None,
            timeout=30.0,
            check_same_thread=False,
        )

    def _check_and_migrate(self) -> None:
        """Refuse a database that is not yakkan's; create or migrate ours (reads first)."""
        conn = self.conn
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        (found,) = conn.execute("PRAGMA user_version").fetchone()
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        ours = app_id == APPLICATION_ID or (
            # A store written before the application_id was set: our tables, our versions.
            app_id == 0 and found in (1, SCHEMA_VERSION) and "documents" in tables
        )
        fresh = app_id == 0 and found == 0 and not tables
        if not (ours or fresh) or not tables <= TABLES:
            extra = ", ".join(sorted(tables - TABLES)[:5]) or "none of its own"
            raise YakkanError(
                str(self.path),
                f"not a yakkan database (application_id {app_id:#x}, schema version {found},"
                f" other tables: {extra}); refusing to touch it",
            )
        if found > SCHEMA_VERSION:
            raise YakkanError(
                str(self.path),
                f"database schema version {found}, newer than this yakkan's {SCHEMA_VERSION}",
            )
        if self.readonly:
            if fresh:
                raise YakkanError(str(self.path), "empty database: nothing stored yet")
            if found != SCHEMA_VERSION:
                raise YakkanError(
                    str(self.path),
                    f"database schema version {found}, expected {SCHEMA_VERSION}: run a batch"
                    " on it once to migrate it",
                )
            return
        if fresh or (found == SCHEMA_VERSION and app_id == APPLICATION_ID):
            # IMMEDIATE: take the write lock up front, waiting out a writer (the busy timeout); a
            # deferred BEGIN that must upgrade to write fails at once with "database is locked".
            conn.executescript(
                f"BEGIN IMMEDIATE;{SCHEMA}PRAGMA application_id={APPLICATION_ID};"
                f"PRAGMA user_version={SCHEMA_VERSION};COMMIT;"
            )
            return
        self._migrate(found)

    def _migrate(self, found: int) -> None:
        """Bring a store of schema version `found` to SCHEMA_VERSION: a backup beside it first,
        then every step in one transaction, so a failure leaves the store as it was."""
        backup = self.path.with_name(f"{self.path.name}.v{found}.bak")
        with sqlite3.connect(backup) as copy:
            self.conn.backup(copy)
        copy.close()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated it while we waited for the lock.
            (found,) = conn.execute("PRAGMA user_version").fetchone()
            if found < 2:
                conn.execute("ALTER TABLE versions ADD COLUMN text_sha256 TEXT NOT NULL DEFAULT ''")
                rows = conn.execute(
                    "SELECT v.document_id, d.document_json"
                    " FROM versions v JOIN documents d ON d.id = v.document_id"
                ).fetchall()
                for document_id, blob in rows:
                    text = json.loads(_unpack(blob)).get("text", "")
                    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                    conn.execute(
                        "UPDATE versions SET text_sha256 = ? WHERE document_id = ?",
                        (digest, document_id),
                    )
            for statement in re.sub(r"--[^\n]*", "", SCHEMA).split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- writing ------------------------------------------------------------------------------

    def has(self, document_id: str) -> bool:
        """True when a document with this content hash is stored."""
        row = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row is not None

    def known_ids(self) -> set[str]:
        """The content hashes of all stored documents."""
        return {row[0] for row in self.conn.execute("SELECT id FROM documents")}

    def note_source(self, path: str, document_id: str) -> None:
        """Record that `path` held the stored document `document_id` (seen again, unchanged)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO sources (path, document_id, seen_at) VALUES (?, ?, ?)",
            (path, document_id, _now()),
        )

    def add(
        self, document: Document, report: ValidationReport | None = None, *, path: str | None = None
    ) -> bool:
        """Store a document (and its validation report) in one transaction.

        Returns False, writing nothing but the source path, when the content is already stored.
        """
        source_path = path or document.source.path
        now = _now()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.has(document.id):
                self.note_source(source_path, document.id)
                conn.execute("COMMIT")
                return False
            failures = len(report_failures(report)) if report is not None else 0
            conn.execute(
                "INSERT INTO documents (id, family, title, version, effective_date, source_name,"
                " source_kind, pages, articles, extractions, diagnostics, validated,"
                " validation_failures, document_json, report_json, stored_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id,
                    document.family,
                    document.title,
                    document.version,
                    _iso(document.effective_date),
                    Path(source_path).name,
                    document.source.kind,
                    document.source.pages,
                    len(document.articles),
                    len(document.extractions),
                    len(document.diagnostics),
                    int(report is not None),
                    failures,
                    _pack(document.model_dump_json()),
                    _pack(report.model_dump_json()) if report is not None else None,
                    now,
                ),
            )
            if document.family:
                conn.execute(
                    "INSERT INTO versions (document_id, family, version, effective_date, sha256,"
                    " text_sha256, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        document.id,
                        document.family,
                        document.version,
                        _iso(document.effective_date),
                        document.source.sha256,
                        hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
                        now,
                    ),
                )
            self.note_source(source_path, document.id)
            conn.executemany(
                "INSERT INTO provisions (document_id, seq, path, kind, number, title, text, start,"
                ' "end", page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                [(document.id, seq, *row) for seq, row in enumerate(provision_rows(document))],
            )
            conn.executemany(
                'INSERT INTO extractions (document_id, seq, kind, path, text, start, "end", page,'
                " value_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        document.id,
                        seq,
                        ex.kind,
                        ex.path,
                        ex.text,
                        ex.span.start,
                        ex.span.end,
                        ex.page,
                        ex.value.model_dump_json(),
                    )
                    for seq, ex in enumerate(document.extractions)
                ],
            )
            if report is not None:
                self._add_report(document.id, report)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return True

    def _add_report(self, document_id: str, report: ValidationReport) -> None:
        self.conn.executemany(
            "INSERT INTO validation_results (document_id, seq, category, rule, status, required,"
            " message, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(document_id, seq, *row) for seq, row in enumerate(validation_rows(report))],
        )
        self.conn.executemany(
            "INSERT INTO parameters (document_id, name, kind, status, required, expected, display,"
            ' path, text, start, "end", page, value_json, evidence)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(document_id, *row) for row in parameter_rows(report)],
        )

    # ---- reading ------------------------------------------------------------------------------

    def families(self) -> list[str]:
        """The families with at least one stored version, sorted."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT family FROM versions ORDER BY 1")]

    def versions(self, family: str) -> list[StoredVersion]:
        """A family's stored documents, oldest first: by effective date, version label, text
        before PDF, then the order they were stored in."""
        rows = self.conn.execute(
            "SELECT v.document_id, v.family, v.version, v.effective_date, d.source_name,"
            " d.source_kind, v.stored_at, v.text_sha256"
            " FROM versions v JOIN documents d ON d.id = v.document_id"
            " WHERE v.family = ?",
            (family,),
        ).fetchall()
        found = [
            StoredVersion(
                document_id=r[0],
                family=r[1],
                version=r[2],
                effective_date=dt.date.fromisoformat(r[3]) if r[3] else None,
                source_name=r[4],
                source_kind=r[5],
                stored_at=r[6],
                text_sha256=r[7],
            )
            for r in rows
        ]
        return sorted(found, key=_version_order)

    def document(self, document_id: str) -> Document:
        """The stored Document with this content hash."""
        row = self.conn.execute(
            "SELECT document_json FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise YakkanError(str(self.path), f"no document {document_id[:12]} in the store")
        return Document.model_validate_json(_unpack(row[0]))

    def report(self, document_id: str) -> ValidationReport | None:
        """The stored validation report of a document, if it was validated."""
        row = self.conn.execute(
            "SELECT report_json FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return ValidationReport.model_validate_json(_unpack(row[0]))

    def counts(self) -> dict[str, int]:
        """Row counts per table: a quick picture of what the store holds."""
        return {
            t: self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES
        }

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Run a read query and return rows addressable by column name."""
        cur = self.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()


# --------------------------------------------------------------------------------------------
# History: a family's versions and what changed between consecutive ones
# --------------------------------------------------------------------------------------------


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


def _version_label(v: StoredVersion) -> str:
    return v.version or v.document_id[:12]


def render_history(family: str, versions: list[StoredVersion], steps: list[HistoryStep]) -> str:
    """The history as text: one line per stored document, then the edits and parameter changes
    from each version to the next."""
    count = len(steps) + 1
    lines = [f"{family}: {len(versions)} stored, {count} version{'s' if count != 1 else ''}"]
    for v in versions:
        day = v.effective_date.isoformat() if v.effective_date else "(no date)"
        lines.append(
            f"  {_version_label(v):<12} {day:<10}  {v.source_kind:<4}  {v.document_id[:12]}"
            f"  {v.source_name}"
        )
    for step in steps:
        change = step.diff
        lines.append("")
        lines.append(
            f"{_version_label(step.old)} → {_version_label(step.new)}: {len(change.edits)} edits,"
            f" {len(change.parameter_changes)} parameter changes"
        )
        lines += [f"  {edit.status}: {edit.summary}" for edit in change.edits]
        lines += [f"  parameter: {p.summary}" for p in change.parameter_changes]
    return "\n".join(lines)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


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


def _version_order(v: StoredVersion) -> tuple[Any, ...]:
    return (
        v.effective_date or dt.date.max,
        _version_key(v.version),
        v.source_kind != "text",
        v.stored_at,
    )


def validation_rows(report: ValidationReport) -> list[tuple[Any, ...]]:
    """(category, rule, status, required, message, detail_json) per parameter and rule."""
    rows: list[tuple[Any, ...]] = [
        ("parameter", p.name, p.status, int(p.required), p.message, p.model_dump_json())
        for p in report.parameters
    ]
    rows += [
        (
            "structure",
            s.rule,
            "passed" if s.passed else "failed",
            int(s.required),
            "; ".join(f.message for f in s.findings) or s.description,
            s.model_dump_json(),
        )
        for s in report.structure
    ]
    return rows


def parameter_rows(report: ValidationReport) -> list[tuple[Any, ...]]:
    """One row per named parameter: (name, kind, status, required, expected, display, path,
    text, start, end, page, value_json, evidence)."""
    rows: list[tuple[Any, ...]] = []
    for p in report.parameters:
        found = p.found
        rows.append(
            (
                p.name,
                p.kind,
                p.status,
                int(p.required),
                p.expected_display,
                found.display if found else None,
                found.path if found else None,
                found.text if found else None,
                found.span.start if found else None,
                found.span.end if found else None,
                found.page if found else None,
                found.value.model_dump_json() if found else None,
                found.evidence if found else None,
            )
        )
    return rows
