"""The published JSON Schemas, generated from the models and committed under schema/.

Other systems code against these files; `yakkan schema` regenerates them and
`yakkan schema --check` (and the tests) fail when the committed files drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from pipeline.models import (
    ApiError,
    Document,
    DocumentDiff,
    ExportPayload,
    FamilyList,
    ParameterPayload,
    ProvisionView,
    ValidationReport,
    VersionList,
)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
"""Where the committed schemas live: schema/ at the top of the repository."""

SCHEMAS: dict[str, type[BaseModel]] = {
    "document.schema.json": Document,
    "validation-report.schema.json": ValidationReport,
    "parameters.schema.json": ParameterPayload,
    "document-diff.schema.json": DocumentDiff,
    "export.schema.json": ExportPayload,
    # The HTTP service's own answers (`yakkan serve`); the others above are served as they are.
    "families.schema.json": FamilyList,
    "versions.schema.json": VersionList,
    "provision.schema.json": ProvisionView,
    "error.schema.json": ApiError,
}
"""File name → the model it publishes."""

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_of(model: type[BaseModel]) -> dict[str, object]:
    """The JSON Schema of the model's JSON output (serialization mode), with its dialect."""
    return {"$schema": _DIALECT, **model.model_json_schema(mode="serialization")}


def render(model: type[BaseModel]) -> str:
    """The schema as committed: indented, non-ASCII kept, trailing newline."""
    return json.dumps(schema_of(model), ensure_ascii=False, indent=2) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into `directory`; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = directory / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


def drifted(directory: Path = SCHEMA_DIR) -> list[str]:
    """The schema files in `directory` that are missing or differ from the models."""
    stale = []
    for name, model in SCHEMAS.items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render(model):
            stale.append(name)
    return stale
