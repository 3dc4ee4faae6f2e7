"""The SQLite store: documents, versions, provisions, extractions, parameters, validation results.

One file (`yakkan.db` by default), stdlib `sqlite3`. A document is keyed by the sha256 of its
source bytes, so storing the same content twice does nothing. Each document is written in one
transaction: a batch killed half-way leaves every document either fully stored or absent, and
the re-run stores the missing ones without duplicating the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.ingest.sources import not_regular
from pipeline.models import Document, ValidationReport, YakkanError
from pipeline.store.history import StoredVersion, version_order
from pipeline.store.rows import parameter_rows, provision_rows, report_failures, validation_rows
from pipeline.store.schema import TABLE_NAMES, check_and_migrate, pack, unpack

DEFAULT_DB = "yakkan.db"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


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
            check_and_migrate(self.conn, self.path, readonly=readonly)
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
                    pack(document.model_dump_json()),
                    pack(report.model_dump_json()) if report is not None else None,
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
        return sorted(found, key=version_order)

    def document(self, document_id: str) -> Document:
        """The stored Document with this content hash."""
        row = self.conn.execute(
            "SELECT document_json FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise YakkanError(str(self.path), f"no document {document_id[:12]} in the store")
        return Document.model_validate_json(unpack(row[0]))

    def report(self, document_id: str) -> ValidationReport | None:
        """The stored validation report of a document, if it was validated."""
        row = self.conn.execute(
            "SELECT report_json FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return ValidationReport.model_validate_json(unpack(row[0]))

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
