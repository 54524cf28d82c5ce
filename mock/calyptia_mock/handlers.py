"""What the mock implements, operation by operation: the one reviewed place.

Every handler is registered against the spec's operationId. When the app is built the
registry is checked against the spec it serves:

- a handler (or a declaration below) for an operation the spec does not have is an error at
  start (RegistryError), so a renamed operationId cannot leave a handler behind unnoticed;
- an operation with no handler is listed at start, one line each on stderr and in
  `--print-json`, and answered with 501 and the service's JSON error body, marked
  `X-Mock-Not-Implemented: <operationId>`, naming the operation. A 501 is documented by no
  operation, so a contract run against the mock fails on it too.

`NOT_IMPLEMENTED` declares an operation the mock does not serve on purpose, with the reason.
`make` (`make lint` runs `calyptia-mock --check`) fails while an operation of the spec is
neither implemented nor declared, naming each one. docs/maintaining.md ("Adding an
operation") says how to add a handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from calyptia_mock import projects
from calyptia_mock.errors import ApiError
from calyptia_mock.operations import Operation, OperationTable

__all__ = ["HANDLERS", "NOT_IMPLEMENTED", "Handler", "Registry", "RegistryError", "check_registry"]

Handler = Callable[[Request], Awaitable[Response]]

# operationId -> the handler that serves it.
HANDLERS: Mapping[str, Handler] = {**projects.HANDLERS}

# operationId -> why the mock does not serve it. Empty: the mock serves every operation of
# openapi.yaml. An entry here is reviewed like code: it says what a contract run cannot prove.
NOT_IMPLEMENTED: Mapping[str, str] = {}

NOT_IMPLEMENTED_HEADER = "X-Mock-Not-Implemented"


class RegistryError(ValueError):
    """The registry names an operation the spec does not have."""


@dataclass(frozen=True)
class Registry:
    """The spec's operations, each with its handler: its own, or a 501 naming it."""

    handlers: dict[str, Handler]  # operationId -> what answers it
    implemented: tuple[Operation, ...]
    declared: tuple[tuple[Operation, str], ...]  # not implemented on purpose, and why
    missing: tuple[Operation, ...]  # neither implemented nor declared

    def unimplemented_lines(self) -> list[str]:
        """One line per operation the mock does not serve, for stderr and reports."""
        lines = [f"not implemented by the mock: {op.describe()}: {why}" for op, why in self.declared]
        lines += [
            f"not implemented by the mock: {op.describe()}: no handler and not declared in "
            "calyptia_mock.handlers.NOT_IMPLEMENTED"
            for op in self.missing
        ]
        return lines

    def unimplemented(self) -> list[str]:
        return [op.operation_id for op, _ in self.declared] + [op.operation_id for op in self.missing]


def check_registry(
    table: OperationTable,
    handlers: Mapping[str, Handler] = HANDLERS,
    declared: Mapping[str, str] = NOT_IMPLEMENTED,
) -> Registry:
    """Match the registry with the spec's operations. Raises RegistryError for a handler or a
    declaration that names no operation, or an operation both implemented and declared."""
    known = table.by_id()
    for source, names in (("handler", handlers), ("NOT_IMPLEMENTED entry", declared)):
        stale = sorted(set(names) - set(known))
        if stale:
            raise RegistryError(f"a {source} for no operation of the spec: {', '.join(stale)}")
    both = sorted(set(handlers) & set(declared))
    if both:
        raise RegistryError(f"implemented and declared not implemented at once: {', '.join(both)}")
    chosen: dict[str, Handler] = {}
    implemented, not_served, missing = [], [], []
    for operation in table:
        if operation.operation_id in handlers:
            chosen[operation.operation_id] = handlers[operation.operation_id]
            implemented.append(operation)
            continue
        reason = declared.get(operation.operation_id)
        chosen[operation.operation_id] = not_implemented(operation, reason)
        if reason is None:
            missing.append(operation)
        else:
            not_served.append((operation, reason))
    return Registry(chosen, tuple(implemented), tuple(not_served), tuple(missing))


def not_implemented(operation: Operation, reason: str | None) -> Handler:
    """The handler of an operation the mock does not serve: 501, naming it."""
    why = reason or "no handler; see docs/maintaining.md, 'Adding an operation'"
    message = f"not implemented by the mock: {operation.describe()}: {why}"

    async def answer(request: Request) -> Response:
        raise ApiError(501, message, headers={NOT_IMPLEMENTED_HEADER: operation.operation_id})

    return answer
