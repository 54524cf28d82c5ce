"""Errors raised by this client.

The hierarchy, in the manner of httpx's::

    APIError                      any failure to get a usable answer from the API
    ├── ConfigurationError        the client cannot be built: no credentials, say
    ├── APIConnectionError        the request did not complete: refused, reset, DNS, TLS,
    │   │                         a peer that does not speak HTTP, a truncated body
    │   └── APITimeoutError       ... because a timeout expired (see the `timeout` option)
    ├── UnexpectedResponseError   a response that is not what the API documents: a success
    │   │                         body that does not parse, or a 1xx/3xx status
    │   ├── APIResponseValidationError  ... JSON, but a value of the wrong type (or missing):
    │   │                         names the model, the field and the JSON path
    │   ├── ResponseTooLargeError ... a body over `max_response_size`, not read past it
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
  raises, as APIConnectionError or APITimeoutError, and a body over `max_response_size`,
  as ResponseTooLargeError.

No message carries the request's headers, so tokens never appear in one.

`ResponseValueError` is not an APIError: it is what a model's `from_dict` raises (a
`ValueError`) for a value its types do not promise; the call styles turn it into
APIResponseValidationError, with the response.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._redaction import MaskedDict, masked, sent_secrets, without
from .types import SECRET_MASK

__all__ = [
    "MISSING",
    "PARSE_FAILURES",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "Operation",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValueError",
    "UnexpectedResponseError",
    "UnexpectedStatus",
    "error_from_response",
    "index_in",
    "parse_failures",
    "request_line",
    "transport_errors",
]


# What the client records on a request (httpx's `request.extensions`) for the errors and the
# log to read back: how many attempts the retries made, where each credential the client holds
# came from, when a per-call timeout runs out (time.monotonic()), and the Operation.
ATTEMPTS = "calyptia.attempts"
CREDENTIAL_SOURCES = "calyptia.credential_sources"
DEADLINE = "calyptia.deadline"
OPERATION = "calyptia.operation"

# The credentials this API takes, by the header that carries each.
CREDENTIALS = {"authorization": "user token", "x-project-token": "project token"}


@dataclass(frozen=True)
class Operation:
    """The operation a request is for, as its module declares it from the spec: its name on the
    client (`projects.list`) and the credentials its `security` accepts, each by header (lower
    case) with how to give the client one (`token= or CALYPTIA_CLOUD_TOKEN`)."""

    name: str
    accepts: Mapping[str, str] = field(default_factory=dict)


def request_line(request: httpx.Request) -> str:
    """`GET http://host:port/v1/projects?last=*&before=*`: the method and URL, with the query's
    values and any userinfo left out, for messages and the log."""
    url = request.url
    line = f"{request.method} {url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path}"
    if url.query:
        line += "?" + "&".join(f"{name}=*" for name, _ in url.params.multi_items())
    return line


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


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""What a model's from_dict reads for a required field that is absent (ResponseValueError says so)."""


class ResponseValueError(ValueError):
    """A value in a body is not what the spec documents: a wrong JSON type, a null where none is
    allowed, a missing field, a bad UUID or date. Raised by the models' `from_dict`.

    `model` and `field` name the innermost model and field (None for the body itself), `path`
    is where the value sits in the body (`$[3].membership.user.email`), `expected` what the
    spec allows, and `value` what came (its repr cut short).
    """

    def __init__(
        self,
        model: str | None,
        field: str | None,
        expected: str,
        value: object,
        *,
        index: int | tuple[int, ...] | None = None,
    ) -> None:
        super().__init__(model, field, expected)
        self.model = model
        self.field = field
        self.expected = expected
        self.missing = value is MISSING
        self.value = "(missing)" if self.missing else _short_repr(value)
        indexes = () if index is None else (index,) if isinstance(index, int) else index
        self._steps: list[str] = [f"[{i}]" for i in reversed(indexes)]
        if field:
            self._steps.append(f".{field}")

    @classmethod
    def of_secret(
        cls,
        model: str | None,
        field: str | None,
        expected: str,
        value: object,
        *,
        index: int | tuple[int, ...] | None = None,
    ) -> ResponseValueError:
        """The error for a secret field (`format: password`): its value shows as its JSON type
        only, since a credential of the wrong type is still a credential."""
        error = cls(model, field, expected, value, index=index)
        if not error.missing:
            error.value = _short_repr(value, secret=True)
        return error

    def at(self, step: str | int) -> ResponseValueError:
        """The same error, one level further out: `step` is the field name or list index that
        leads to where it was raised. Returns itself, to be re-raised."""
        self._steps.append(f"[{step}]" if isinstance(step, int) else f".{step}")
        return self

    @property
    def path(self) -> str:
        return "$" + "".join(reversed(self._steps))

    def __str__(self) -> str:
        where = f"{self.model}.{self.field}" if self.model and self.field else (self.model or "body")
        got = "missing" if self.missing else f"got {self.value}"
        return f"{where} at {self.path}: expected {self.expected}, {got}"


def _short_repr(value: object, *, secret: bool = False) -> str:
    """What came, for a message: its JSON type and a short repr (an object or array by size;
    a secret by its type alone)."""
    if isinstance(value, dict):
        return f"object of {len(value)} key(s)"
    if isinstance(value, list):
        return f"array of {len(value)} item(s)"
    kind = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}.get(type(value))
    if secret:
        return f"{kind or type(value).__name__} {SECRET_MASK}"
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int too long to print, a repr that recurses
        text = "..."
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{kind} {text}" if kind else text


def index_in(items: list[Any], item: object) -> int:
    """Where `item` (the object itself) sits in `items`: a failed list item's index, found only
    when it failed, so that parsing a list does not pay for counting."""
    return next(index for index, candidate in enumerate(items) if candidate is item)


class APIResponseValidationError(UnexpectedResponseError):
    """The body is JSON, but a value in it is not what the API documents (the wrong type, a null
    where none is allowed, missing). `model`, `field`, `path`, `expected` and `value` say which
    and where (see ResponseValueError, its cause)."""

    def __init__(self, response: httpx.Response, cause: ResponseValueError) -> None:
        super().__init__(response, str(cause))
        self.model = cause.model
        self.field = cause.field
        self.path = cause.path
        self.expected = cause.expected
        self.value = cause.value


class ResponseTooLargeError(UnexpectedResponseError):
    """The body is larger than the client's `max_response_size` (by its Content-Length, or by
    what arrived): the rest was not read, and the connection was closed."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        super().__init__(response, f"the body is larger than max_response_size ({limit:,} bytes)")
        self.limit = limit


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
        hidden = sent_secrets(_request_of(response))
        parsed = _json_or_none(response.content)
        self.body: Any = MaskedDict(parsed, hidden) if isinstance(parsed, dict) else parsed
        body = self.body if isinstance(self.body, dict) else {}
        self.error: str | None = body.get("error") if isinstance(body.get("error"), str) else None
        self.detail: str | None = body.get("detail") if isinstance(body.get("detail"), str) else None
        summary = _cut(self.error) if self.error else _snippet(response.content, response.reason_phrase, parsed)
        message = f"{response.status_code} {summary}" + (f": {_cut(self.detail)}" if self.detail else "")
        # A server that echoes a credential back in its error must not put it in the message.
        super().__init__(without(message, hidden) + self._advice())

    def _advice(self) -> str:
        """What to do about it, where the status says: appended to the message."""
        return ""


class BadRequestError(APIStatusError):
    """400: the request is invalid (an argument, the body, or a cursor)."""


class AuthenticationError(APIStatusError):
    """401: the token is missing or invalid. The message names the credential sent (never its
    value) and where it came from, an argument or an environment variable; when none was sent,
    which credentials the operation accepts and which the client holds."""

    def _advice(self) -> str:
        request = _request_of(self.response)
        if request is None:
            return ""
        sources: Mapping[str, str] = request.extensions.get(CREDENTIAL_SOURCES) or {}
        operation: Operation | None = request.extensions.get(OPERATION)
        accepts = operation.accepts if operation is not None else {}
        sent = [
            f"the {_kind(header)} sent as {header.title()}"
            + (f" (from {sources[header]})" if header in sources else "")
            for header in dict.fromkeys([*CREDENTIALS, *accepts])
            if header in request.headers
        ]
        if sent:
            return f"; the service refused {' and '.join(sent)}: check that it is valid and not revoked"
        if operation is None or not accepts:
            return "; no credential was sent: give the client a token"
        accepted = " or ".join(f"a {_kind(header)} ({how})" for header, how in accepts.items())
        held = [f"a {_kind(header)}" for header in sources]
        has = f"this client has only {' and '.join(held)}" if held else "this client has none"
        return f"; {operation.name} accepts {accepted}; {has}"


def _kind(header: str) -> str:
    """`user token` for Authorization; another credential header by its name."""
    return CREDENTIALS.get(header, f"{header.title()} credential")


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
    except ResponseValueError as exc:
        raise APIResponseValidationError(response, exc) from exc
    except PARSE_FAILURES as exc:
        raise UnexpectedResponseError(response, f"{type(exc).__name__}: {_message(exc)}") from exc


def _message(exc: BaseException) -> str:
    try:
        return str(exc)[:200]
    except (ValueError, RecursionError):
        return type(exc).__name__


@contextmanager
def transport_errors() -> Iterator[None]:
    """Turn httpx's network exceptions into APIConnectionError / APITimeoutError, naming the
    request and how many attempts the retries made."""
    try:
        yield
    except httpx.TimeoutException as exc:
        request = _request_of(exc)
        raise APITimeoutError(f"request timed out{_tried(request)} ({type(exc).__name__})", request=request) from exc
    except httpx.RequestError as exc:
        request = _request_of(exc)
        raise APIConnectionError(
            f"connection failed{_tried(request)} ({type(exc).__name__}: {exc})", request=request
        ) from exc


def _tried(request: httpx.Request | None) -> str:
    """`: GET http://127.0.0.1:1/v1/projects, 3 attempts`, or nothing without a request."""
    if request is None:
        return ""
    attempts = request.extensions.get(ATTEMPTS, 1)
    return f": {request_line(request)}, {attempts} attempt{'' if attempts == 1 else 's'}"


def _request_of(exc: httpx.RequestError | httpx.Response) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:
        return None


def _json_or_none(content: bytes) -> Any:
    """The error body as JSON, or None for anything else: not JSON, not UTF-8, nested too deep
    for the parser, a number too long to convert. An error body is read as defensively as a
    success body: whatever it is, the caller gets the typed status error."""
    try:
        return json.loads(content)
    except PARSE_FAILURES:
        return None


def _cut(text: str, limit: int = 200) -> str:
    """A message's share of a body's text: an error body may be megabytes."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _snippet(content: bytes, otherwise: str, parsed: Any = None, limit: int = 200) -> str:
    """The start of a body, for a message: on one line, a JSON body's secret-looking fields
    masked (see _redaction.masked). `parsed` is the body already parsed, if it was."""
    if parsed is None:
        parsed = _json_or_none(content)
    try:
        text = content[: limit * 4].decode("utf-8", errors="replace") if parsed is None else _dumps(masked(parsed))
    except PARSE_FAILURES:
        text = type(parsed).__name__
    return _cut(" ".join(text.split()), limit) or otherwise


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class UnexpectedStatus(APIError):  # noqa: N818 (the generator's public name)
    """An undocumented status, raised by `sync_detailed` and friends only when the client was built
    with `raise_on_unexpected_status=True`."""

    def __init__(self, status_code: int, content: bytes, *, hidden: Iterable[str] = ()) -> None:
        self.status_code = status_code
        self.content = content

        # The start of the body, its secret-looking fields masked and the `hidden` values (the
        # request's credentials) dropped: an undocumented status can still carry a documented
        # body (a created project, with its token), or a page quoting what the request sent.
        super().__init__(f"Unexpected status code: {status_code}: {without(_snippet(content, '(no content)'), hidden)}")

    @classmethod
    def of(cls, response: httpx.Response) -> UnexpectedStatus:
        """The error for `response`, the credentials its request carried kept out of the message."""
        return cls(response.status_code, response.content, hidden=sent_secrets(_request_of(response)))
