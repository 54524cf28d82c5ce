"""Errors raised by this client.

The hierarchy, in the manner of httpx's::

    APIError                      any failure to get a usable answer from the API
    ├── ConfigurationError        the client cannot be built: no credentials, say
    ├── APIConnectionError        the request did not complete: refused, reset, DNS, TLS,
    │   │                         a peer that does not speak HTTP, a truncated body
    │   └── APITimeoutError       ... because a timeout expired (see the `timeout` option)
    ├── UnexpectedResponseError   a response that is not what the API documents: a success
    │   │                         body that does not parse, or a 1xx/3xx status
    │   └── PaginationError       a `Link: rel="next"` that repeats a cursor or carries none
    ├── APIStatusError            the API answered with an error status (400-599)
    │   ├── BadRequestError           400: invalid argument
    │   ├── AuthenticationError       401: missing or invalid credentials
    │   ├── PermissionDeniedError     403: not allowed for this caller
    │   ├── NotFoundError             404: no such resource (or not visible to the caller)
    │   ├── ConflictError             409
    │   ├── RateLimitError            429
    │   └── InternalServerError       5xx, registered or not (520, 561, ...)
    └── UnexpectedStatus          undocumented status with raise_on_unexpected_status

The contract, for every call style:

- `CalyptiaCloud`, `AsyncCalyptiaCloud`, `sync_or_raise`, `asyncio_or_raise`, `sync_raw`,
  `asyncio_raw`, `iterate` and `aiterate` end in the documented value or one of these.
- `sync_detailed` / `asyncio_detailed` return a `Response` for any HTTP response that
  arrives (any status, any body; `parsed` is None where the body is not the documented
  shape), and `sync` / `asyncio` its `parsed` value. Only a request that does not complete
  raises, as APIConnectionError or APITimeoutError.

No message carries the request's headers, so tokens never appear in one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "PARSE_FAILURES",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnexpectedResponseError",
    "UnexpectedStatus",
    "error_from_response",
    "parse_failures",
    "transport_errors",
]


class APIError(Exception):
    """Base class of every error this client raises."""


class ConfigurationError(APIError):
    """The client cannot be built as asked: no credentials given or found in the environment."""


class APIConnectionError(APIError):
    """The request did not complete: the connection was refused, reset or broken."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """A timeout expired before the response arrived."""


class UnexpectedResponseError(APIError):
    """The status says success, but the body is not what the API documents."""

    def __init__(self, response: httpx.Response, reason: str) -> None:
        super().__init__(f"{response.status_code} response could not be parsed: {reason}")
        self.response = response
        self.status_code = response.status_code


class PaginationError(UnexpectedResponseError):
    """A page's `Link: rel="next"` cannot be followed: it repeats a cursor already followed
    (following it would loop forever) or carries no `before` cursor at all."""


class APIStatusError(APIError):
    """The API answered with an error status.

    `error` and `detail` are the service's error body (`{"error": ..., "detail": ...}`);
    both are None when the body is not that JSON, e.g. an HTML page from a proxy.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body: Any = _json_or_none(response)
        body = self.body if isinstance(self.body, dict) else {}
        self.error: str | None = body.get("error") if isinstance(body.get("error"), str) else None
        self.detail: str | None = body.get("detail") if isinstance(body.get("detail"), str) else None
        summary = self.error or _snippet(response)
        super().__init__(f"{response.status_code} {summary}" + (f": {self.detail}" if self.detail else ""))


class BadRequestError(APIStatusError):
    """400: the request is invalid (an argument, the body, or a cursor)."""


class AuthenticationError(APIStatusError):
    """401: the token is missing or invalid."""


class PermissionDeniedError(APIStatusError):
    """403: the caller may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource, or one the caller cannot see."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's state."""


class RateLimitError(APIStatusError):
    """429: too many requests; see the Retry-After header."""


class InternalServerError(APIStatusError):
    """5xx: the service failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def error_from_response(response: httpx.Response) -> APIStatusError:
    """The typed error for an error response."""
    if response.status_code >= 500:
        return InternalServerError(response)
    return _BY_STATUS.get(response.status_code, APIStatusError)(response)


# What decoding a body that is not the documented shape can raise: bad JSON or UTF-8
# (ValueError), a missing field (KeyError), a wrong type (TypeError, AttributeError), and
# pathological nesting or size (RecursionError, MemoryError).
PARSE_FAILURES: tuple[type[BaseException], ...] = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    RecursionError,
    MemoryError,
)


@contextmanager
def parse_failures(response: httpx.Response) -> Iterator[None]:
    """Turn whatever decoding the body raises into UnexpectedResponseError."""
    try:
        yield
    except PARSE_FAILURES as exc:
        raise UnexpectedResponseError(response, f"{type(exc).__name__}: {str(exc)[:200]}") from exc


@contextmanager
def transport_errors() -> Iterator[None]:
    """Turn httpx's network exceptions into APIConnectionError / APITimeoutError."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise APITimeoutError(f"request timed out ({type(exc).__name__})", request=_request_of(exc)) from exc
    except httpx.RequestError as exc:
        raise APIConnectionError(f"connection failed ({type(exc).__name__}: {exc})", request=_request_of(exc)) from exc


def _request_of(exc: httpx.RequestError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:
        return None


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None


def _snippet(response: httpx.Response) -> str:
    text = response.content[:200].decode("utf-8", errors="replace").strip()
    return " ".join(text.split()) or response.reason_phrase


class UnexpectedStatus(APIError):
    """An undocumented status, raised by `sync_detailed` and friends only when the client was built
    with `raise_on_unexpected_status=True`."""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )
