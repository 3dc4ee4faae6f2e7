"""The store's tables: their SQL, how a yakkan database is recognised, and migrations.

A yakkan store is an SQLite file whose header carries APPLICATION_ID and whose user_version is
SCHEMA_VERSION. Opening for writing creates the tables in a new or empty file, migrates an older
store (after a backup beside it), and refuses any other database before writing to it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zlib
from pathlib import Path

from pipeline.models import YakkanError

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


DOCUMENT_COLUMNS = (
    "id, family, title, version, effective_date, source_kind, pages, articles, extractions,"
    " diagnostics, validated, validation_failures, document_json, report_json"
)
"""The documents columns a DocumentRows (`pipeline.store.rows`) holds; the writer appends
source_name and stored_at."""

VERSION_COLUMNS = "document_id, family, version, effective_date, sha256, text_sha256"
"""The versions columns a DocumentRows holds; the writer appends stored_at."""


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


def pack(text: str) -> bytes:
    """Text as a zlib-compressed UTF-8 blob (the stored Document and report JSON)."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack(blob: bytes) -> str:
    """The text of a blob written by `pack`."""
    return zlib.decompress(blob).decode("utf-8")


def check_and_migrate(conn: sqlite3.Connection, path: Path, *, readonly: bool) -> None:
    """Refuse a database that is not yakkan's; create or migrate ours (reads first)."""
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
            str(path),
            f"not a yakkan database (application_id {app_id:#x}, schema version {found},"
            f" other tables: {extra}); refusing to touch it",
        )
    if found > SCHEMA_VERSION:
        raise YakkanError(
            str(path),
            f"database schema version {found}, newer than this yakkan's {SCHEMA_VERSION}",
        )
    if readonly:
        if fresh:
            raise YakkanError(str(path), "empty database: nothing stored yet")
        if found != SCHEMA_VERSION:
            raise YakkanError(
                str(path),
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
    migrate(conn, path, found)


def migrate(conn: sqlite3.Connection, path: Path, found: int) -> None:
    """Bring a store of schema version `found` to SCHEMA_VERSION: a backup beside it first,
    then every step in one transaction, so a failure leaves the store as it was."""
    backup = path.with_name(f"{path.name}.v{found}.bak")
    with sqlite3.connect(backup) as copy:
        conn.backup(copy)
    copy.close()
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
                text = json.loads(unpack(blob)).get("text", "")
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
