"""What every handler reads from the app, typed: the store, the validator and the operations;
and the one call that validates a request against its operation.

Starlette's `app.state` holds anything; handlers reach the mock's own state through
`mock_state(request)`, so a misspelt attribute is a type error, not a 500 at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request

from calyptia_mock.errors import INVALID_QUERY, ApiError
from calyptia_mock.operations import OperationTable, operation_of
from calyptia_mock.store import Store
from calyptia_mock.validation import GENERIC, ErrorWording, SpecValidator, ValidatedRequest, raw_path

__all__ = ["MockState", "mock_state", "validated_request"]

NO_QUERY = QueryParams()
"""Most reads have no query string: one empty QueryParams serves them all, unparsed."""


@dataclass(frozen=True)
class MockState:
    store: Store
    validator: SpecValidator
    operations: OperationTable


def mock_state(request: Request) -> MockState:
    # The app's own attribute (app.MockApplication.mock), not `app.state.mock`: Starlette's
    # State resolves attributes through __getattr__, a cost paid several times a request.
    state: MockState = request.scope["app"].mock
    return state


def validated_request(
    request: Request, body: tuple[bytes, Any] | None = None, wording: ErrorWording = GENERIC
) -> ValidatedRequest:
    """The request checked against its operation, as every handler checks it: no unknown or
    repeated query parameter, then the spec's validation; a failure raises the documented
    ApiError, worded as the handler says. `body`: the raw body and its JSON (body.py)."""
    _reject_repeated_or_unknown_query(request)
    return mock_state(request).validator.validate_request(
        request.method,
        operation_of(request).path,
        raw_path(request.scope),
        request.path_params,
        request.query_params if request.scope["query_string"] else NO_QUERY,
        request.headers,
        body,
        wording,
    )


def _reject_repeated_or_unknown_query(request: Request) -> None:
    if not request.scope["query_string"]:
        return  # most reads: nothing to parse
    allowed = operation_of(request).query_parameters
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name not in allowed:
            raise ApiError(400, INVALID_QUERY, f"{name}: unknown parameter")
        if name in seen:
            raise ApiError(400, INVALID_QUERY, f"{name}: given more than once")
        seen.add(name)
