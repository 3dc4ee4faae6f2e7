"""The SQLite store: documents, versions, provisions, extractions, parameters, validation results.

One file (`yakkan.db` by default), stdlib `sqlite3`. A document is keyed by the sha256 of its
source bytes, so storing the same content twice does nothing. Each document is written in one
transaction: a batch killed half-way leaves every document either fully stored or absent, and
the re-run stores the missing ones without duplicating the others.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from pipeline.ingest.sources import not_regular
from pipeline.models import Document, ValidationReport, YakkanError
from pipeline.store.history import StoredVersion, version_order
from pipeline.store.schema import (
    DOCUMENT_COLUMNS,
    TABLE_NAMES,
    VERSION_COLUMNS,
    check_and_migrate,
    unpack,
)

if TYPE_CHECKING:
    # Imported where rows are built (`add`): the rows module brings the rule models with it,
    # which a batch's writing process, handed rows built by its workers, need not load before
    # it starts them.
    from pipeline.store.rows import DocumentRows

DEFAULT_DB = "yakkan.db"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _insert(table: str, columns: str) -> str:
    """An INSERT of `columns` (a comma-separated list) with one placeholder per column."""
    marks = ", ".join("?" * (columns.count(",") + 1))
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})"


INSERT_DOCUMENT = _insert("documents", f"{DOCUMENT_COLUMNS}, source_name, stored_at")
INSERT_VERSION = _insert("versions", f"{VERSION_COLUMNS}, stored_at")
INSERT_PROVISION = _insert(
    "provisions", 'document_id, seq, path, kind, number, title, text, start, "end", page'
)
INSERT_EXTRACTION = _insert(
    "extractions", 'document_id, seq, kind, path, text, start, "end", page, value_json'
)
INSERT_VALIDATION_RESULT = _insert(
    "validation_results",
    "document_id, seq, category, rule, status, required, message, detail_json",
)
INSERT_PARAMETER = _insert(
    "parameters",
    "document_id, name, kind, status, required, expected, display, path, text, start,"
    ' "end", page, value_json, evidence',
)


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
        from pipeline.store.rows import document_rows

        return self.add_rows(document_rows(document, report, path=path))

    def add_rows(self, rows: DocumentRows, *, path: str | None = None) -> bool:
        """Store a document's rows (built by `document_rows`, perhaps in another process) in one
        transaction, as read from `path` (default: the path they were built from).

        Returns False, writing nothing but the source path, when the content is already stored.
        """
        source_path = path or rows.source_path
        now = _now()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.has(rows.document_id):
                self.note_source(source_path, rows.document_id)
                conn.execute("COMMIT")
                return False
            conn.execute(INSERT_DOCUMENT, (*rows.document, Path(source_path).name, now))
            if rows.version is not None:
                conn.execute(INSERT_VERSION, (*rows.version, now))
            self.note_source(source_path, rows.document_id)
            conn.executemany(INSERT_PROVISION, rows.provisions)
            conn.executemany(INSERT_EXTRACTION, rows.extractions)
            conn.executemany(INSERT_VALIDATION_RESULT, rows.validation_results)
            conn.executemany(INSERT_PARAMETER, rows.parameters)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return True

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
