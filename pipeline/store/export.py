"""Exports for other systems: every stored parameter and extraction, one row per value.

Formats: `jsonl` (one ExportRow per line), `csv` (flat columns, the typed value as JSON in
`detail`) and `json` (one ExportPayload, valid against schema/export.schema.json).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any, Literal, TextIO

from pydantic import TypeAdapter

from pipeline.models import ExportPayload, ExportRow, ExtractionValue, YakkanError
from pipeline.store.sqlite import Store

ExportFormat = Literal["jsonl", "csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "json")

_VALUE = TypeAdapter(ExtractionValue)


def principal(value: ExtractionValue) -> tuple[float | str | None, str | None, str | None]:
    """The (value, unit, qualifier) a flat table shows for a typed value."""
    match value.kind:
        case "period":
            return value.value, value.unit, value.bound
        case "percentage":
            return value.value, "%", value.basis
        case "fraction":
            return value.numerator / value.denominator, "ratio", value.of
        case "amount":
            return value.value, value.currency, value.bound
        case "date":
            if value.date is not None:
                return value.date.isoformat(), "date", value.era
            if value.month is not None:
                return f"{value.year:04d}-{value.month:02d}", "month", value.era
            return f"{value.year:04d}", "year", value.era
        case "defined_term":
            return value.term, None, value.definition
        case "crossref":
            return " ".join(value.targets) or None, None, value.relation
    raise AssertionError(f"unhandled value kind {value.kind!r}")


def _documents(store: Store, families: Sequence[str]) -> list[Any]:
    sql = (
        "SELECT id, family, version, effective_date, source_name FROM documents"
        + (f" WHERE family IN ({', '.join('?' * len(families))})" if families else "")
        + " ORDER BY family, effective_date, version, id"
    )
    return store.query(sql, tuple(families))


def export_rows(store: Store, families: Sequence[str] = ()) -> Iterator[ExportRow]:
    """Every value of the selected documents: named parameters first, then extractions; a
    document with neither still gets one `document` row."""
    for doc in _documents(store, families):
        common: dict[str, Any] = {
            "document_id": doc["id"],
            "family": doc["family"],
            "version": doc["version"],
            "effective_date": (
                dt.date.fromisoformat(doc["effective_date"]) if doc["effective_date"] else None
            ),
            "source": doc["source_name"],
        }
        values = 0
        for p in store.query(
            "SELECT * FROM parameters WHERE document_id = ? ORDER BY rowid", (doc["id"],)
        ):
            values += 1
            yield _row("parameter", p, common, name=p["name"], status=p["status"])
        for e in store.query(
            "SELECT * FROM extractions WHERE document_id = ? ORDER BY seq", (doc["id"],)
        ):
            values += 1
            yield _row("extraction", e, common)
        if not values:
            yield ExportRow(record="document", **common)


def _row(record: str, stored: Any, common: dict[str, Any], **extra: Any) -> ExportRow:
    """One export row from a stored parameter or extraction and its document's fields."""
    detail = _VALUE.validate_json(stored["value_json"]) if stored["value_json"] else None
    value, unit, qualifier = principal(detail) if detail is not None else (None, None, None)
    return ExportRow(
        record=record,
        kind=stored["kind"],
        path=stored["path"],
        text=stored["text"],
        start=stored["start"],
        end=stored["end"],
        page=stored["page"],
        value=value,
        unit=unit,
        qualifier=qualifier,
        detail=detail,
        **extra,
        **common,
    )


CSV_COLUMNS = [name for name in ExportRow.model_fields]


def write_export(store: Store, fmt: str, out: TextIO, families: Sequence[str] = ()) -> int:
    """Write the export in `fmt` to `out`; returns the number of rows written."""
    if fmt not in FORMATS:
        raise YakkanError(
            str(store.path), f"unknown export format {fmt!r} (use jsonl, csv or json)"
        )
    rows = export_rows(store, families)
    count = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(row.model_dump_json() + "\n")
            count += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            flat = row.model_dump(mode="json")
            flat["detail"] = json.dumps(flat["detail"], ensure_ascii=False)
            writer.writerow(flat)
            count += 1
    else:
        listed = list(rows)
        payload = ExportPayload(
            families=list(families),
            documents=len({row.document_id for row in listed}),
            rows=listed,
        )
        out.write(payload.model_dump_json(indent=2) + "\n")
        count = len(listed)
    return count
