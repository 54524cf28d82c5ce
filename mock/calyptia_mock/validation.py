"""Validate requests against openapi.yaml with openapi-core, on every request the mock serves.

The mock has no schemas of its own: parameter types, ranges, the project-name rules and
body shapes all come from the spec, so the spec and the mock cannot drift apart. This
module turns openapi-core's findings into the service's documented errors, worded as the
handler says (ErrorWording): it knows no resource, the projects handler knows its own. The test-only
cross-check against openapi-core's full unmarshalling, and response validation, are in
spec_check.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from starlette.datastructures import Headers, QueryParams
from starlette.types import Scope

from calyptia_mock.compiled_spec import CompiledOperation, ParameterError, compile_operations
from calyptia_mock.errors import INVALID_BODY, INVALID_PATH, INVALID_QUERY, ApiError
from calyptia_mock.operations import OperationTable

__all__ = ["GENERIC", "ErrorWording", "SpecValidator", "ValidatedRequest", "raw_path"]


@dataclass(frozen=True)
class ValidatedRequest:
    """What the handlers use: parameters and body after casting and defaults."""

    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


@dataclass(frozen=True)
class ErrorWording:
    """How the service words a request that breaks the spec, for one handler's operations: the
    error of a bad path parameter, of a query parameter with a message of its own, and of a body
    field with one (anything else: `invalid query parameter`, `invalid request body`)."""

    path: str = INVALID_PATH
    query: Mapping[str, str] = field(default_factory=dict)  # parameter -> error
    body_fields: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # field -> (error, detail)

    def parameter_error(self, location: str, name: str, detail: str) -> ApiError:
        if location == "path":
            return ApiError(400, self.path, None if self.path != INVALID_PATH else f"{name}: {detail}")
        if name in self.query:
            return ApiError(400, self.query[name])
        return ApiError(400, INVALID_QUERY, detail)

    def body_error(self, schema_errors: list[Any]) -> ApiError:
        for error in schema_errors:
            named = tuple(error.absolute_path)[:1]
            if named and named[0] in self.body_fields:
                message, detail = self.body_fields[named[0]]
                return ApiError(400, message, detail)
        return ApiError(400, INVALID_BODY, "; ".join(_field_message(e) for e in schema_errors) or "invalid body")


GENERIC = ErrorWording()


class SpecValidator:
    """Built once per app. Requests go through openapi-core validators compiled per
    operation (compiled_spec.py)."""

    def __init__(self, spec: Mapping[str, Any], table: OperationTable | None = None) -> None:
        self._operations = compile_operations(spec, table)

    def validate_request(
        self,
        method: str,
        template: str,
        path: str,
        path_params: Mapping[str, str],
        query: QueryParams,
        headers: Headers,
        body: tuple[bytes, Any] | None = None,
        wording: ErrorWording = GENERIC,
    ) -> ValidatedRequest:
        """Check a request against its operation; raise the documented ApiError if it fails.

        `body` is the raw body with its parsed JSON value (see body.py), for operations that
        have one. `path` (as sent) and `headers` are for the cross-check of spec_check.py.
        `wording`: the handler's words for what breaks the spec.
        """
        operation = self._operations[method, template]
        try:
            operation.check_syntax(path_params, query)
        except ParameterError as exc:
            raise wording.parameter_error(exc.location, exc.name, str(exc)) from None
        try:
            validated = self._validate(operation, path_params, query, body, wording)
        except ApiError as error:
            self._validated(method, path, query, headers, body, error, wording)
            raise
        self._validated(method, path, query, headers, body, None, wording)
        return validated

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
        """Called with each request that passed the syntax check and the error it got, if any:
        nothing to do in production; spec_check.CrossCheckingValidator compares with openapi-core."""

    def _validate(
        self,
        operation: CompiledOperation,
        path_params: Mapping[str, str],
        query: QueryParams,
        body: tuple[bytes, Any] | None,
        wording: ErrorWording,
    ) -> ValidatedRequest:
        try:
            path_values, query_values = operation.parse_parameters(path_params, query)
        except ParameterError as exc:
            raise wording.parameter_error(exc.location, exc.name, str(exc)) from None
        value = None
        if operation.body is not None:
            if body is None:
                raise ApiError(400, INVALID_BODY, "a JSON body is required")
            value = body[1]
            try:
                operation.check_body(value)
            except InvalidSchemaValue as exc:
                raise wording.body_error(list(exc.schema_errors)) from None
        return ValidatedRequest(path_values, query_values, value)


def raw_path(scope: Scope) -> str:
    """The path as sent, still percent-encoded: openapi-core would otherwise resolve `..`
    segments that the router treated as a literal project ID, and judge another operation."""
    raw = scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(scope["path"])


def _field_message(error: Any) -> str:
    location = "/".join(str(part) for part in error.absolute_path)
    return f"{location}: {error.message}" if location else str(error.message)
