"""Validate requests (and, in tests, responses) against openapi.yaml with openapi-core.

The mock has no schemas of its own: parameter types, ranges, the project-name rules and
body shapes all come from the spec, so the spec and the mock cannot drift apart. This
module turns openapi-core's findings into the service's documented errors.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
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
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from starlette.datastructures import Headers, QueryParams
from starlette.types import Scope

from calyptia_mock.compiled_spec import CompiledOperation, ParameterError, compile_operations
from calyptia_mock.errors import (
    DECODE_CURSOR,
    INVALID_BODY,
    INVALID_PROJECT_ID,
    INVALID_PROJECT_NAME,
    INVALID_QUERY,
    UNAUTHENTICATED,
    ApiError,
)

__all__ = ["ResponseValidationError", "SpecValidator", "ValidatedRequest", "ValidationMismatchError", "raw_path"]


class ResponseValidationError(AssertionError):
    """The mock answered something its own spec does not allow: a bug in the mock."""


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


@dataclass(frozen=True)
class ValidatedRequest:
    """What the handlers use: parameters and body after casting and defaults."""

    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


class ValidationMismatchError(AssertionError):
    """The compiled fast path and openapi-core's full unmarshal_request disagree."""


class SpecValidator:
    """Built once per app. Requests go through openapi-core validators compiled per
    operation (compiled_spec.py); `cross_check` also runs openapi-core's complete
    unmarshal_request and raises if the outcomes differ, so tests prove the two agree."""

    def __init__(self, spec: Mapping[str, Any], *, cross_check: bool = False) -> None:
        # Match any host and port: the mock runs wherever it is started.
        self._openapi = OpenAPI.from_dict({**spec, "servers": [{"url": "/"}]})
        self._operations = compile_operations(spec)
        self._cross_check = cross_check

    def validate_request(
        self,
        method: str,
        template: str,
        path: str,
        path_params: Mapping[str, str],
        query: QueryParams,
        headers: Headers,
        body: tuple[bytes, Any] | None = None,
    ) -> ValidatedRequest:
        """Check a request against its operation; raise the documented ApiError if it fails.

        `body` is the raw body with its parsed JSON value (see body.py), for operations that have one.
        """
        operation = self._operations[method, template]
        try:
            operation.check_syntax(path_params, query)
        except ParameterError as exc:
            raise _parameter_error(exc.location, exc.name, str(exc)) from None
        try:
            validated = self._validate(operation, path_params, query, body)
        except ApiError as error:
            if self._cross_check:
                self._compare(method, path, query, headers, body, error)
            raise
        if self._cross_check:
            self._compare(method, path, query, headers, body, None)
        return validated

    def _validate(
        self,
        operation: CompiledOperation,
        path_params: Mapping[str, str],
        query: QueryParams,
        body: tuple[bytes, Any] | None,
    ) -> ValidatedRequest:
        try:
            path_values, query_values = operation.parse_parameters(path_params, query)
        except ParameterError as exc:
            raise _parameter_error(exc.location, exc.name, str(exc)) from None
        value = None
        if operation.body is not None:
            if body is None:
                raise ApiError(400, INVALID_BODY, "a JSON body is required")
            value = body[1]
            try:
                operation.check_body(value)
            except InvalidSchemaValue as exc:
                raise _body_error(list(exc.schema_errors)) from None
        return ValidatedRequest(path_values, query_values, value)

    def _compare(
        self,
        method: str,
        path: str,
        query: QueryParams,
        headers: Headers,
        body: tuple[bytes, Any] | None,
        fast: ApiError | None,
    ) -> None:
        raw = body[0] if body is not None else None
        request = _Request(method.lower(), path, query, headers, headers.get("content-type", "application/json"), raw)
        errors = list(self._openapi.unmarshal_request(request).errors)
        reference = _to_api_error(errors[0]) if errors else None
        outcome = None if fast is None else (fast.status, fast.error)
        expected = None if reference is None else (reference.status, reference.error)
        if outcome != expected:
            raise ValidationMismatchError(
                f"{method} {path}: compiled validation gave {outcome}, openapi-core {expected}"
            )

    def validate_response(
        self, method: str, path: str, headers: Headers, status: int, response_headers: Headers, body: bytes
    ) -> None:
        """Raise ResponseValidationError when a response breaks the spec."""
        request = _Request(method.lower(), path, QueryParams(""), headers, "application/json", None)
        content_type = response_headers.get("content-type", "")
        response = _Response(status, response_headers, body, content_type)
        errors = list(self._openapi.unmarshal_response(request, response).errors)
        if errors and isinstance(errors[0], PathError):
            # No operation in the spec (an unknown path or method): still the service's error body.
            if not _is_error_body(content_type, body):
                raise ResponseValidationError(f"{method} {path} -> {status}: not a JSON error body: {body[:200]!r}")
            return
        if errors:
            details = "; ".join(_describe(error) for error in errors)
            raise ResponseValidationError(f"{method} {path} -> {status}: {details}")


def raw_path(scope: Scope) -> str:
    """The path as sent, still percent-encoded: openapi-core would otherwise resolve `..`
    segments that the router treated as a literal project ID, and judge another operation."""
    raw = scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(scope["path"])


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


def _to_api_error(error: BaseException) -> ApiError:
    if isinstance(error, SecurityValidationError):
        return ApiError(401, UNAUTHENTICATED)
    if isinstance(error, ParameterValidationError):
        return _parameter_error(getattr(error, "location", ""), getattr(error, "name", ""), _parameter_detail(error))
    if isinstance(error, MissingRequestBodyError):
        return ApiError(400, INVALID_BODY, "a JSON body is required")
    if isinstance(error, RequestBodyValidationError) and isinstance(error.__cause__, MediaTypeNotFound):
        return ApiError(415, "unsupported media type", "send the body as application/json")
    if isinstance(error, InvalidRequestBody):
        return _body_error(_schema_errors(error))
    if isinstance(error, RequestBodyValidationError):
        return ApiError(400, INVALID_BODY, str(error.__cause__ or error))
    return ApiError(400, INVALID_BODY, str(error))


def _parameter_error(location: str, name: str, detail: str) -> ApiError:
    if location == "path":
        return ApiError(400, INVALID_PROJECT_ID)
    if name == "before":
        return ApiError(400, DECODE_CURSOR)  # the service's message for any unusable cursor
    return ApiError(400, INVALID_QUERY, detail)


def _body_error(schema_errors: list[Any]) -> ApiError:
    if any(tuple(error.absolute_path)[:1] == ("name",) for error in schema_errors):
        return ApiError(
            400,
            INVALID_PROJECT_NAME,
            "a name is 1 to 64 characters, without control characters or surrounding whitespace",
        )
    return ApiError(400, INVALID_BODY, "; ".join(_field_message(error) for error in schema_errors) or "invalid body")


def _parameter_detail(error: ParameterValidationError) -> str:
    name = getattr(error, "name", "parameter")
    schema_errors = _schema_errors(error)
    if isinstance(error, InvalidParameter) and schema_errors:
        return f"{name}: " + "; ".join(e.message for e in schema_errors)
    return f"{name}: {error.__cause__ or error}"


def _field_message(error: Any) -> str:
    location = "/".join(str(part) for part in error.absolute_path)
    return f"{location}: {error.message}" if location else str(error.message)
