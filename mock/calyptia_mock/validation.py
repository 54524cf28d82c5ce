"""Validate requests against openapi.yaml with openapi-core, on every request the mock serves.

The mock has no schemas of its own: parameter types, ranges, the project-name rules and
body shapes all come from the spec, so the spec and the mock cannot drift apart. This
module turns openapi-core's findings into the service's documented errors. The test-only
cross-check against openapi-core's full unmarshalling, and response validation, are in
spec_check.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
    ApiError,
)

__all__ = ["SpecValidator", "ValidatedRequest", "body_error", "parameter_error", "raw_path"]


@dataclass(frozen=True)
class ValidatedRequest:
    """What the handlers use: parameters and body after casting and defaults."""

    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


class SpecValidator:
    """Built once per app. Requests go through openapi-core validators compiled per
    operation (compiled_spec.py)."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._operations = compile_operations(spec)

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

        `body` is the raw body with its parsed JSON value (see body.py), for operations that
        have one. `path` (as sent) and `headers` are for the cross-check of spec_check.py.
        """
        operation = self._operations[method, template]
        try:
            operation.check_syntax(path_params, query)
        except ParameterError as exc:
            raise parameter_error(exc.location, exc.name, str(exc)) from None
        try:
            validated = self._validate(operation, path_params, query, body)
        except ApiError as error:
            self._validated(method, path, query, headers, body, error)
            raise
        self._validated(method, path, query, headers, body, None)
        return validated

    def _validated(
        self,
        method: str,
        path: str,
        query: QueryParams,
        headers: Headers,
        body: tuple[bytes, Any] | None,
        fast: ApiError | None,
    ) -> None:
        """Called with each request that passed the syntax check and the error it got, if any:
        nothing to do in production; spec_check.CrossCheckingValidator compares with openapi-core."""

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
            raise parameter_error(exc.location, exc.name, str(exc)) from None
        value = None
        if operation.body is not None:
            if body is None:
                raise ApiError(400, INVALID_BODY, "a JSON body is required")
            value = body[1]
            try:
                operation.check_body(value)
            except InvalidSchemaValue as exc:
                raise body_error(list(exc.schema_errors)) from None
        return ValidatedRequest(path_values, query_values, value)


def raw_path(scope: Scope) -> str:
    """The path as sent, still percent-encoded: openapi-core would otherwise resolve `..`
    segments that the router treated as a literal project ID, and judge another operation."""
    raw = scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(scope["path"])


def parameter_error(location: str, name: str, detail: str) -> ApiError:
    """The service's error for a bad parameter: by location and name, as the service words it."""
    if location == "path":
        return ApiError(400, INVALID_PROJECT_ID)
    if name == "before":
        return ApiError(400, DECODE_CURSOR)  # the service's message for any unusable cursor
    return ApiError(400, INVALID_QUERY, detail)


def body_error(schema_errors: list[Any]) -> ApiError:
    """The service's error for a body that breaks its schema: a bad name has its own."""
    if any(tuple(error.absolute_path)[:1] == ("name",) for error in schema_errors):
        return ApiError(
            400,
            INVALID_PROJECT_NAME,
            "a name is 1 to 64 characters, without control characters or surrounding whitespace",
        )
    return ApiError(400, INVALID_BODY, "; ".join(_field_message(error) for error in schema_errors) or "invalid body")


def _field_message(error: Any) -> str:
    location = "/".join(str(part) for part in error.absolute_path)
    return f"{location}: {error.message}" if location else str(error.message)
