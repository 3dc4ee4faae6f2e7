"""The FastAPI application: routes over the store, ETags, and JSON errors with stable codes.

Response bodies are the pipeline's own models (`Document`, `ParameterPayload`,
`ValidationReport`, `DocumentDiff`) and the service models in `pipeline.models`, serialized
exactly as `yakkan schema` publishes them; `/openapi.json` is generated from the same models.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.models import (
    Document,
    DocumentDiff,
    FamilyList,
    ParameterPayload,
    ProvisionView,
    ValidationReport,
    VersionList,
    YakkanError,
)
from pipeline.service import reader
from pipeline.service.errors import ServiceError
from pipeline.service.http import (
    conditional,
    error_response,
    error_responses,
    json_response,
    listing,
)
from pipeline.service.openapi import openapi
from pipeline.service.settings import Settings
from pipeline.service.upload import (
    UploadPool,
    check_token,
    outcome_error,
    sha256,
    sniff,
    upload_name,
)

log = logging.getLogger("yakkan.serve")

MAX_PENDING_UPLOADS = 4
"""Uploads waiting on each parsing worker before more are refused with 503 (each holds its
body in memory, up to the size limit)."""

_STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 413: "upload_too_large"}


async def _open_store(request: Request) -> AsyncIterator[reader.ReadOnlyStore]:
    """One read-only connection per request, closed when the request is answered. Opening is
    a file open, not a query: done on the event loop, it saves two hops to the thread pool."""
    opened = reader.ReadOnlyStore(request.app.state.settings.db_path)
    try:
        yield opened
    finally:
        opened.close()


StoreDep = Annotated[reader.ReadOnlyStore, Depends(_open_store)]


def create_app(settings: Settings) -> FastAPI:
    """The application serving the store named in `settings`."""
    pool = UploadPool(settings.upload_workers, settings.upload_timeout)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="yakkan",
        summary="Japanese terms documents (約款, 利用規約) as structured, validated, diffable data",
        description="Families, versions, named parameters, provisions and 新旧対照表 of the "
        "documents in a yakkan store. Every error is JSON with a stable `code`.",
        version="1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    _handle_errors(app, settings)
    _family_routes(app)
    for view in DOCUMENT_VIEWS:
        _document_route(app, *view)
    _provision_and_diff_routes(app)
    _upload_route(app, settings, pool)
    return app


def _handle_errors(app: FastAPI, settings: Settings) -> None:
    """Every error answers JSON with a stable code: ours, FastAPI's, the store's, the rest."""

    @app.exception_handler(ServiceError)
    async def service_error(_: Request, err: ServiceError) -> JSONResponse:
        return error_response(err.code, err.message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response("bad_request", f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(err.status_code, "bad_request")
        return error_response(code, str(err.detail), err.status_code)

    @app.exception_handler(YakkanError)
    async def store_error(_: Request, err: YakkanError) -> JSONResponse:
        return error_response("store_unavailable", f"{err.path}: {err.reason}")

    @app.exception_handler(sqlite3.Error)
    async def database_error(_: Request, err: sqlite3.Error) -> JSONResponse:
        return error_response("store_unavailable", f"{settings.db_path.name}: {err}")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, err: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(
            "internal_error", f"internal error ({type(err).__name__}); see the log"
        )


def _family_routes(app: FastAPI) -> None:
    """GET /families, /families/{family}/versions and /families/{family}/parameters."""

    @app.get(
        "/families", response_model=FamilyList, responses=error_responses(503), tags=["families"]
    )
    def families(request: Request, db: StoreDep) -> Response:
        """Every document family in the store, with its newest version."""
        return listing(request, reader.family_list(db))

    @app.get(
        "/families/{family}/versions",
        response_model=VersionList,
        responses=error_responses(404, 503),
        tags=["families"],
    )
    def versions(request: Request, family: str, db: StoreDep) -> Response:
        """A family's stored versions, oldest first: version, effective date, document id and
        source of each rendition."""
        return listing(request, reader.version_list(db, family))

    @app.get(
        "/families/{family}/parameters",
        response_model=ParameterPayload,
        responses=error_responses(400, 404, 503),
        tags=["families"],
    )
    def family_parameters(
        request: Request,
        family: str,
        db: StoreDep,
        version: Annotated[
            str,
            Query(description="'latest', a version label such as 'Ver1.6', or a date YYYY-MM-DD"),
        ] = "latest",
    ) -> Response:
        """The named parameters in force: of the newest version, of a version by label, or of
        the newest version in force on a date."""
        chosen = reader.version_in_force(db, family, version)
        return conditional(
            request,
            chosen.document_id,
            lambda: json_response(reader.load_parameters(db, chosen.document_id)),
        )


DocumentView = tuple[
    str, str, type[BaseModel], Callable[[reader.ReadOnlyStore, str], BaseModel], str
]
"""(path suffix, route name, response model, loader, description) of a stored document's view."""

DOCUMENT_VIEWS: tuple[DocumentView, ...] = (
    (
        "",
        "document",
        Document,
        reader.load_document,
        "The stored Document: structure, extractions, diagnostics.",
    ),
    (
        "/parameters",
        "document_parameters",
        ParameterPayload,
        reader.load_parameters,
        "The named parameters of one stored document.",
    ),
    (
        "/report",
        "document_report",
        ValidationReport,
        reader.load_report,
        "The validation report of one stored document against its family's rule model.",
    ),
)
"""The views of one stored document, each under /documents/{document_id} and ETagged by it."""


def _document_route(
    app: FastAPI,
    suffix: str,
    name: str,
    model: type[BaseModel],
    load: Callable[[reader.ReadOnlyStore, str], BaseModel],
    description: str,
) -> None:
    """GET /documents/{document_id}<suffix>: one view of a stored document, by its (short) id."""

    @app.get(
        f"/documents/{{document_id}}{suffix}",
        name=name,
        description=description,
        response_model=model,
        responses=error_responses(404, 409, 503),
        tags=["documents"],
    )
    def view(request: Request, document_id: str, db: StoreDep) -> Response:
        doc_id = reader.document_id(db, document_id)
        return conditional(request, doc_id, lambda: json_response(load(db, doc_id)))


def _provision_and_diff_routes(app: FastAPI) -> None:
    """GET /documents/{document_id}/provisions/{path} and /diff."""

    @app.get(
        "/documents/{document_id}/provisions/{path:path}",
        response_model=ProvisionView,
        responses=error_responses(404, 409, 503),
        tags=["documents"],
    )
    def provision(request: Request, document_id: str, path: str, db: StoreDep) -> Response:
        """One provision (e.g. art:24/para:1): its text, the values in it, the references it
        makes and those that target it."""
        doc_id = reader.document_id(db, document_id)
        view = reader.provision_view(db, doc_id, path.strip("/"))
        return conditional(request, doc_id, lambda: json_response(view))

    @app.get(
        "/diff",
        response_model=DocumentDiff,
        responses={
            200: {"content": {"text/html": {}}, "description": "JSON, or HTML with format=html"},
            **error_responses(400, 404, 409, 503),
        },
        tags=["documents"],
    )
    def compare(
        request: Request,
        db: StoreDep,
        old: Annotated[str, Query(description="id of the old version")],
        new: Annotated[str, Query(description="id of the new version")],
        fmt: Annotated[Literal["json", "html"], Query(alias="format")] = "json",
    ) -> Response:
        """The 新旧対照表 of two stored documents, as JSON or as a self-contained HTML page."""
        from pipeline.diff.render import diff_html

        old_id, new_id = reader.document_id(db, old), reader.document_id(db, new)

        def make() -> Response:
            found = reader.load_diff(db, old_id, new_id)
            if fmt == "html":
                return HTMLResponse(diff_html(found))
            return json_response(found)

        return conditional(request, f"{old_id}.{new_id}", make)


UPLOAD_BODY = {
    "required": True,
    "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "text/plain": {"schema": {"type": "string"}},
    },
}
"""The request body of an upload as OpenAPI describes it: the raw PDF or text."""


def _upload_route(app: FastAPI, settings: Settings, pool: UploadPool) -> None:
    """POST /documents: store an uploaded document, answer its validation report."""
    pending = [0]  # uploads waiting on the pool; read and written on the event loop only

    @app.post(
        "/documents",
        response_model=ValidationReport,
        status_code=201,
        responses={
            200: {"model": ValidationReport, "description": "already stored: its report"},
            **error_responses(400, 401, 403, 413, 415, 422, 503),
        },
        openapi_extra={"requestBody": UPLOAD_BODY},
        tags=["documents"],
    )
    async def upload(
        request: Request,
        name: Annotated[
            str | None, Query(description="file name recorded as the source, e.g. nas.pdf")
        ] = None,
    ) -> Response:
        """Store a terms document (PDF or text, the raw body) like `yakkan batch` does: parsed,
        extracted, resolved and validated; the answer is its validation report. Needs
        --allow-upload and `Authorization: Bearer <token>`."""
        if not settings.allow_upload:
            raise ServiceError("upload_disabled", "uploads are off: start with --allow-upload")
        check_token(request.headers.get("authorization"), settings.token())
        data = await _read_body(request, settings.max_upload_bytes)
        source = upload_name(name, data)
        sniff(data, source)
        doc_id = sha256(data)
        existing = await asyncio.to_thread(_stored_report, settings, doc_id)
        if existing is not None:
            return json_response(existing)
        if pending[0] >= MAX_PENDING_UPLOADS * settings.upload_workers:
            raise ServiceError("upload_busy", "too many uploads in progress; try again later")
        pending[0] += 1
        try:
            outcome = await asyncio.wrap_future(pool.submit(data, source))
        except Exception as err:
            raise outcome_error(err, settings.upload_timeout, source) from None
        finally:
            pending[0] -= 1
        if isinstance(outcome, tuple):
            raise ServiceError(*outcome)
        document, report = outcome.document, outcome.report
        if document is None or report is None:  # parse_upload answers these with a reason
            raise ServiceError("unknown_family", f"{source}: no rule model applies")
        await asyncio.to_thread(_store, settings, document, report, source)
        response = json_response(report)
        response.status_code = 201
        response.headers["Location"] = f"/documents/{doc_id}"
        return response


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ServiceError("upload_too_large", f"body of {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ServiceError("upload_too_large", f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _stored_report(settings: Settings, doc_id: str) -> ValidationReport | None:
    """The report of an upload whose bytes are already stored, else None."""
    with reader.ReadOnlyStore(settings.db_path) as db:
        if not db.has(doc_id):
            return None
        try:
            return reader.load_report(db, doc_id)
        except ServiceError:
            raise ServiceError(
                "unknown_family",
                f"document {doc_id[:12]} is already stored, without a rule model to report on",
            ) from None


def _store(settings: Settings, document: Document, report: ValidationReport, source: str) -> None:
    """Write one processed upload in one transaction, as batch does."""
    from pipeline.store.sqlite import Store

    with Store(settings.db_path) as db:
        db.add(document, report, path=source)


def app_from_env() -> FastAPI:
    """The application for a uvicorn worker process (settings from the environment)."""
    return create_app(Settings.from_env())
