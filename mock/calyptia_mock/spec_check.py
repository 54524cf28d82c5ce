"""The test-only half of validation: proof that the mock keeps to its spec.

`CrossCheckingValidator` validates each request the production way (validation.py) and
also with openapi-core's complete `unmarshal_request`, and raises if the two outcomes
differ; `validate_response` checks every response against the spec. `create_app(...,
validate_responses=True)` uses both (the tests, `make contract`); the mock serving users
does neither, since openapi-core's full path costs about 0.9 ms a request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.validation.request.exceptions import (
    InvalidParameter,
    InvalidRequestBody,
    MissingRequestBodyError,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calyptia_mock.errors import INVALID_BODY, UNAUTHENTICATED, ApiError
from calyptia_mock.handlers import NOT_IMPLEMENTED_HEADER
from calyptia_mock.operations import OperationTable
from calyptia_mock.validation import ErrorWording, SpecValidator, raw_path

__all__ = [
    "CrossCheckingValidator",
    "ResponseValidationError",
    "ResponseValidationMiddleware",
    "ValidationMismatchError",
]


class ResponseValidationError(AssertionError):
    """The mock answered something its own spec does not allow: a bug in the mock."""


class ValidationMismatchError(AssertionError):
    """The compiled fast path and openapi-core's full unmarshal_request disagree."""


_AGREED_LIMIT = 4096


class _Agreed:
    """Exchanges already checked and found to keep to the spec, by a digest of everything the
    check reads. Both checks are pure functions of their inputs and the fixed spec, and a test
    suite repeats the same exchanges hundreds of times (a listing read before and after each
    case, at about 12 ms a check): each is checked once. Forgets everything at the limit."""

    def __init__(self) -> None:
        self._keys: set[Hashable] = set()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    def add(self, key: Hashable) -> None:
        if len(self._keys) >= _AGREED_LIMIT:
            self._keys.clear()
        self._keys.add(key)


def _digest(*parts: object) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()


@dataclass
class _Request:
    """The request as openapi-core's protocol wants it."""

    method: str
    path: str
    query: QueryParams
    headers: Headers
    content_type: str
    body: bytes | None
    host_url: str = "http://mock"
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.parameters = RequestParameters(query=self.query, header=self.headers)


@dataclass
class _Response:
    status_code: int
    headers: Mapping[str, str]
    data: bytes
    content_type: str


class CrossCheckingValidator(SpecValidator):
    """SpecValidator that also runs openapi-core's complete unmarshal_request on each request
    and raises if the outcomes differ, so tests prove the compiled path agrees with it."""

    def __init__(self, spec: Mapping[str, Any], table: OperationTable | None = None) -> None:
        super().__init__(spec, table)
        # Match any host and port: the mock runs wherever it is started.
        self._openapi = OpenAPI.from_dict({**spec, "servers": [{"url": "/"}]})
        self._agreed = _Agreed()

    def _validated(
        self,
        method: str,
        path: str,
        query: QueryParams,
        headers: Headers,
        body: tuple[bytes, Any] | None,
        fast: ApiError | None,
        wording: ErrorWording,
    ) -> None:
        raw = body[0] if body is not None else None
        outcome = None if fast is None else (fast.status, fast.error)
        key = _digest("request", method, path, str(query), headers.raw, raw, outcome, id(wording))
        if key in self._agreed:
            return
        request = _Request(method.lower(), path, query, headers, headers.get("content-type", "application/json"), raw)
        errors = list(self._openapi.unmarshal_request(request).errors)
        reference = _to_api_error(errors[0], wording) if errors else None
        expected = None if reference is None else (reference.status, reference.error)
        if outcome != expected:
            raise ValidationMismatchError(
                f"{method} {path}: compiled validation gave {outcome}, openapi-core {expected}"
            )
        self._agreed.add(key)

    def validate_response(
        self, method: str, path: str, headers: Headers, status: int, response_headers: Headers, body: bytes
    ) -> None:
        """Raise ResponseValidationError when a response breaks the spec."""
        key = _digest("response", method, path, status, response_headers.raw, body)
        if key in self._agreed:
            return
        request = _Request(method.lower(), path, QueryParams(""), headers, "application/json", None)
        content_type = response_headers.get("content-type", "")
        response = _Response(status, response_headers, body, content_type)
        # validate_response, not unmarshal_response: the same schema, status and header checks
        # without building Python values of every field (25x faster on a page of 32 projects:
        # 13 ms against 323 ms, the largest cost of a test suite that validates every answer).
        try:
            self._openapi.validate_response(request, response)
            errors: list[OpenAPIError] = []
        except OpenAPIError as error:
            errors = [error]
        if errors and isinstance(errors[0], PathError):
            # No operation in the spec (an unknown path or method): still the service's error body.
            if not _is_error_body(content_type, body):
                raise ResponseValidationError(f"{method} {path} -> {status}: not a JSON error body: {body[:200]!r}")
            return
        if errors:
            details = "; ".join(_describe(error) for error in errors)
            raise ResponseValidationError(f"{method} {path} -> {status}: {details}")
        self._agreed.add(key)


def _is_error_body(content_type: str, body: bytes) -> bool:
    if content_type.split(";")[0].strip() != "application/json":
        return False
    try:
        value = json.loads(body)
    except ValueError:
        return False
    return isinstance(value, dict) and isinstance(value.get("error"), str)


def _describe(error: BaseException) -> str:
    messages = [str(error)]
    cause = error.__cause__
    for schema_error in getattr(cause, "schema_errors", ()) or ():
        location = "/".join(str(part) for part in schema_error.absolute_path)
        messages.append(f"{location or '(root)'}: {schema_error.message}")
    if cause is not None and not getattr(cause, "schema_errors", None):
        messages.append(str(cause))
    return " | ".join(messages)


def _schema_errors(error: BaseException) -> list[Any]:
    return list(getattr(error.__cause__, "schema_errors", ()) or ())


def _to_api_error(error: BaseException, wording: ErrorWording) -> ApiError:
    if isinstance(error, SecurityValidationError):
        return ApiError(401, UNAUTHENTICATED)
    if isinstance(error, ParameterValidationError):
        location, name = getattr(error, "location", ""), getattr(error, "name", "")
        return wording.parameter_error(location, name, _parameter_detail(error))
    if isinstance(error, MissingRequestBodyError):
        return ApiError(400, INVALID_BODY, "a JSON body is required")
    if isinstance(error, RequestBodyValidationError) and isinstance(error.__cause__, MediaTypeNotFound):
        return ApiError(415, "unsupported media type", "send the body as application/json")
    if isinstance(error, InvalidRequestBody):
        return wording.body_error(_schema_errors(error))
    if isinstance(error, RequestBodyValidationError):
        return ApiError(400, INVALID_BODY, str(error.__cause__ or error))
    return ApiError(400, INVALID_BODY, str(error))


def _parameter_detail(error: ParameterValidationError) -> str:
    name = getattr(error, "name", "parameter")
    schema_errors = _schema_errors(error)
    if isinstance(error, InvalidParameter) and schema_errors:
        return f"{name}: " + "; ".join(e.message for e in schema_errors)
    return f"{name}: {error.__cause__ or error}"


class ResponseValidationMiddleware:
    """Buffer each API response and check it against the spec before it is sent.

    A response the spec does not allow raises ResponseValidationError instead of
    reaching the client, so a test fails loudly at the faulty request.
    """

    def __init__(self, app: ASGIApp, validator: CrossCheckingValidator, prefix: str = "/v1/") -> None:
        self.app = app
        self.validator = validator
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []

        async def buffer(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, buffer)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        method = "GET" if scope["method"] == "HEAD" else scope["method"]  # still with the content here
        headers = Headers(raw=start["headers"])
        # The 501 of an operation the mock does not implement is the mock's word, not the
        # spec's: it reaches the client (and the contract run's coverage) as it is.
        if NOT_IMPLEMENTED_HEADER not in headers:
            self.validator.validate_response(
                method, raw_path(scope), Headers(scope=scope), start["status"], headers, body
            )
        for message in messages:
            await send(message)
