"""What every handler reads from the app, typed: the store, the validator and the operations.

Starlette's `app.state` holds anything; handlers reach the mock's own state through
`mock_state(request)`, so a misspelt attribute is a type error, not a 500 at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from calyptia_mock.operations import OperationTable
from calyptia_mock.store import Store
from calyptia_mock.validation import SpecValidator

__all__ = ["MockState", "mock_state"]


@dataclass(frozen=True)
class MockState:
    store: Store
    validator: SpecValidator
    operations: OperationTable


def mock_state(request: Request) -> MockState:
    state: MockState = request.app.state.mock
    return state
