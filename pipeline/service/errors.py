"""Errors the service answers: an HTTP status, a stable machine code and one line for people."""

from __future__ import annotations

CODES: dict[str, int] = {
    "bad_request": 400,
    "unauthorized": 401,
    "upload_disabled": 403,
    "not_found": 404,
    "family_not_found": 404,
    "version_not_found": 404,
    "document_not_found": 404,
    "provision_not_found": 404,
    "report_not_found": 404,
    "method_not_allowed": 405,
    "ambiguous_document": 409,
    "upload_too_large": 413,
    "unsupported_media_type": 415,
    "not_terms_document": 422,
    "unreadable_document": 422,
    "unknown_family": 422,
    "parse_timeout": 422,
    "internal_error": 500,
    "store_unavailable": 503,
    "upload_busy": 503,
}
"""Every code the service answers, with its HTTP status. Codes are stable: clients branch on
them, so a code is never renamed or given another meaning."""


class ServiceError(Exception):
    """An expected failure of one request: answered as JSON `{"code", "message"}`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = CODES[code]
        self.message = message
