"""The mock's one table of the spec's operations, built once when the app is built.

Routing (which methods a path allows, for a true `Allow`), request validation (which query
parameters an operation takes), the handler registry, faults and the control log all read
this table, so the spec is walked in one place. A handler finds its own operation with
`operation_of(request)`: the router puts it in the ASGI scope.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

__all__ = ["HTTP_METHODS", "Operation", "OperationTable", "operation_of", "operation_table"]

# The methods a path item may hold, in the order the spec lists them (OpenAPI 3.1).
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCOPE_KEY = "calyptia_mock.operation"


@dataclass(frozen=True)
class Operation:
    """One operation of the spec: what routing, validation and the registry need of it."""

    operation_id: str  # the spec's operationId; `METHOD path` where it has none
    method: str  # upper case
    path: str  # the path template, `/v1/projects/{projectID}`
    query_parameters: frozenset[str]
    node: Mapping[str, Any] = field(repr=False, compare=False)  # the operation object itself
    pattern: re.Pattern[str] = field(repr=False, compare=False)  # matches the paths it serves

    def describe(self) -> str:
        return f"{self.operation_id} ({self.method} {self.path})"

    def parameter_default(self, location: str, name: str) -> Any:
        """A parameter's `schema.default`, or None: for a rule the spec itself states."""
        for parameter in self.node.get("parameters", []):
            if isinstance(parameter, Mapping) and parameter.get("in") == location and parameter.get("name") == name:
                return (parameter.get("schema") or {}).get("default")
        return None


@dataclass(frozen=True)
class OperationTable:
    """Every operation of one spec, in the order the spec writes them."""

    operations: tuple[Operation, ...]

    def __iter__(self) -> Any:
        return iter(self.operations)

    def by_path(self) -> dict[str, dict[str, Operation]]:
        """Path template -> {METHOD: operation}: one route per path."""
        routes: dict[str, dict[str, Operation]] = {}
        for operation in self.operations:
            routes.setdefault(operation.path, {})[operation.method] = operation
        return routes

    def by_id(self) -> dict[str, Operation]:
        return {operation.operation_id: operation for operation in self.operations}

    def find(self, method: str, path: str) -> Operation | None:
        """The operation a request for a concrete path calls, if any (the control log, faults)."""
        for operation in self.operations:
            if operation.method == method and operation.pattern.match(path):
                return operation
        return None


def operation_table(spec: Mapping[str, Any]) -> OperationTable:
    """The table of `spec`'s operations; path-level parameters apply to each of the path's."""
    operations = []
    for template, item in (spec.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        pattern = re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$")
        shared = [p for p in item.get("parameters", []) if isinstance(p, Mapping)]
        for method, node in item.items():  # in the order the spec writes them (the Allow header's)
            if method not in HTTP_METHODS or not isinstance(node, Mapping):
                continue
            parameters = [*shared, *(p for p in node.get("parameters", []) if isinstance(p, Mapping))]
            query = frozenset(str(p["name"]) for p in parameters if p.get("in") == "query" and "name" in p)
            operation_id = str(node.get("operationId") or f"{method.upper()} {template}")
            operations.append(Operation(operation_id, method.upper(), template, query, node, pattern))
    return OperationTable(tuple(operations))


def operation_of(request: Request) -> Operation:
    """The operation a handler is serving, as the router found it."""
    operation: Operation = request.scope[SCOPE_KEY]
    return operation
