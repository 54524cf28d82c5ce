"""The mock's ASGI application, assembled in one place from its routes and middleware.

Dependencies are passed in: `create_app(store)` serves whatever store it is given, so a
test builds an app around an in-memory database and production code around a file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

from calyptia_mock.control import ControlLayer, ControlState, control_routes
from calyptia_mock.docs import docs_routes
from calyptia_mock.errors import exception_handlers
from calyptia_mock.handlers import HANDLERS, Handler, Registry, check_registry
from calyptia_mock.middleware import AccessLogMiddleware, HeadMiddleware
from calyptia_mock.operation_names import client_operation_names
from calyptia_mock.operations import OperationTable, operation_table
from calyptia_mock.packaged_spec import load_spec
from calyptia_mock.routing import method_route
from calyptia_mock.spec_check import CrossCheckingValidator, ResponseValidationMiddleware
from calyptia_mock.state import MockState
from calyptia_mock.store import Store
from calyptia_mock.validation import SpecValidator

__all__ = ["MockApplication", "create_app", "load_spec"]

logger = logging.getLogger("calyptia_mock")


class MockApplication(Starlette):
    """Starlette, with the control layer (faults, request log) outside everything else when on."""

    control: ControlLayer | None = None
    registry: Registry  # which operations it serves, and which it answers 501 (handlers.py)
    mock: MockState  # the store, validator and operations every handler reads (state.mock_state)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.control is not None:
            await self.control(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The application without the control layer: what the control layer calls."""
        await super().__call__(scope, receive, send)

    def release_held(self, why: str) -> None:
        """End at once the requests a delay fault holds (from any thread): a server stopping
        waits for every request in flight, and need not wait out a delay nobody awaits."""
        if self.control is not None:
            self.control.state.held.release(why)


def _spec_routes(table: OperationTable, registry: Registry) -> list[BaseRoute]:
    """One route per path of the spec, each method answered by its registered handler."""
    return [
        method_route(path, {method: (op, registry.handlers[op.operation_id]) for method, op in methods.items()})
        for path, methods in table.by_path().items()
    ]


def create_app(
    store: Store,
    *,
    spec: Mapping[str, Any] | None = None,
    validate_responses: bool = False,
    reset: Callable[[], None] | None = None,
    handlers: Mapping[str, Handler] = HANDLERS,
) -> MockApplication:
    """Build the mock around `store`. `validate_responses` is for tests: it checks every
    response against the spec, and every request with openapi-core's full validation too.
    `reset` turns the control API on (`/_mock/*`): it restores the store's seeded state.
    `handlers` (operationId -> handler) is checked against the spec (handlers.check_registry):
    an operation without one answers 501 naming it, and is logged once here."""
    spec = spec if spec is not None else load_spec()
    table = operation_table(spec)
    registry = check_registry(table, handlers)  # RegistryError: a handler for no operation
    for line in registry.unimplemented_lines():
        logger.warning("%s", line)
    validator = CrossCheckingValidator(spec, table) if validate_responses else SpecValidator(spec, table)
    spec_json = json.dumps(spec, ensure_ascii=False, default=str).encode("utf-8")
    spec_yaml = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)

    async def openapi_json(request: Request) -> Response:
        return Response(spec_json, media_type="application/json")

    async def openapi_yaml(request: Request) -> Response:
        return Response(spec_yaml, media_type="application/yaml")

    routes: list[BaseRoute] = [
        *_spec_routes(table, registry),
        method_route("/openapi.json", {"GET": (None, openapi_json)}),
        method_route("/openapi.yaml", {"GET": (None, openapi_yaml)}),
        *docs_routes(spec),
    ]
    if reset is not None:
        routes += control_routes()
    middleware = [Middleware(HeadMiddleware), Middleware(AccessLogMiddleware)]
    if isinstance(validator, CrossCheckingValidator):
        middleware.append(Middleware(ResponseValidationMiddleware, validator=validator))
    app = MockApplication(routes=routes, middleware=middleware, exception_handlers=exception_handlers)
    if reset is not None:
        app.state.control = ControlState(reset, table, client_operation_names(spec))
        app.control = ControlLayer(app.serve, app.state.control)
    app.router.redirect_slashes = False  # a trailing slash is an unknown path (JSON 404), not a redirect
    app.mock = MockState(store, validator, table)
    app.registry = registry
    return app
