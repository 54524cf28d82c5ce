"""The service's error body, `{"error": ..., "detail": ...}`, for every failure.

Whatever goes wrong, a client gets JSON with the status the spec documents: never
problem+json, never HTML, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

__all__ = ["ApiError", "error_response", "exception_handlers"]

logger = logging.getLogger("calyptia_mock")

# Messages the live service uses, and the ones the mock adds for framework-level failures.
INVALID_PROJECT_ID = "invalid project ID"
INVALID_PROJECT_NAME = "invalid project name"
INVALID_QUERY = "invalid query parameter"
INVALID_PATH = "invalid path parameter"
INVALID_BODY = "invalid request body"
DECODE_CURSOR = "decode cursor"
UNAUTHENTICATED = "unauthenticated"
PERMISSION_DENIED = "permission denied"
PROJECT_NOT_FOUND = "project not found"


class ApiError(Exception):
    """Raised anywhere in a request to answer with the service's JSON error body."""

    def __init__(
        self, status: int, error: str, detail: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {error}")
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = dict(headers or {})


def error_response(
    status: int, error: str, detail: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body: dict[str, str] = {"error": error}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.error, exc.detail, exc.headers)


_HTTP_MESSAGES = {404: "not found", 405: "method not allowed"}


async def _http_exception(request: Request, exc: Exception) -> Response:
    # Starlette's routing raises these for an unknown path (404) or method (405, with Allow).
    assert isinstance(exc, HTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail).lower())
    return error_response(exc.status_code, message, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error in %s %s", request.method, request.url.path)
    return error_response(500, "internal error")


exception_handlers = {ApiError: _api_error, HTTPException: _http_exception, Exception: _unexpected}
