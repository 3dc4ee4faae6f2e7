"""HTTP helpers of the service: JSON bodies as the schemas publish them, ETags, JSON errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from pipeline.models import ApiError
from pipeline.service.errors import CODES
from pipeline.service.upload import sha256

CACHE_CONTROL = "no-cache"
"""Clients may keep answers but must revalidate: a family's newest version changes when a new
one is stored. Revalidation is cheap: the ETag is the document id, If-None-Match answers 304."""


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route may answer."""
    return {
        status: {
            "model": ApiError,
            "description": ", ".join(c for c, s in CODES.items() if s == status),
        }
        for status in codes
    }


def error_response(code: str, message: str, status: int | None = None) -> JSONResponse:
    """An ApiError body with the status of its stable `code` (or `status`)."""
    body = ApiError(code=code, message=message).model_dump()
    headers = {"WWW-Authenticate": "Bearer"} if code == "unauthorized" else None
    return JSONResponse(body, status_code=status or CODES[code], headers=headers)


def _matches(header: str | None, etag: str) -> bool:
    """If-None-Match holds `etag` (weak or strong), or is `*`."""
    if not header:
        return False
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def conditional(request: Request, key: str, make: Callable[[], Response]) -> Response:
    """The response with `ETag: "key"`, or 304 when the client already holds it."""
    etag = f'"{key}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    response = make()
    response.headers.update(headers)
    return response


def json_response(model: BaseModel) -> Response:
    """The model as JSON, exactly as its published schema describes it (serialization mode)."""
    return Response(content=model.model_dump_json(), media_type="application/json")


def listing(request: Request, model: BaseModel) -> Response:
    """A listing with an ETag from its body: a listing has no document id of its own, and it
    changes whenever a document is stored (a PDF rendition changes the counts, not the ids)."""
    body = model.model_dump_json()
    return conditional(
        request,
        sha256(body.encode("utf-8"))[:32],
        lambda: Response(content=body, media_type="application/json"),
    )
