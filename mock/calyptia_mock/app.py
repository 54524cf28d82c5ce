"""The mock's ASGI application, assembled in one place from its routes and middleware.

Dependencies are passed in: `create_app(store)` serves whatever store it is given, so a
test builds an app around an in-memory database and production code around a file.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import yaml
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from calyptia_mock import projects
from calyptia_mock.control import ControlLayer, ControlState, control_routes, operation_index
from calyptia_mock.docs import docs_routes
from calyptia_mock.errors import ApiError, exception_handlers
from calyptia_mock.middleware import AccessLogMiddleware, HeadMiddleware
from calyptia_mock.operation_names import client_operation_names
from calyptia_mock.packaged_spec import load_spec
from calyptia_mock.spec_check import CrossCheckingValidator, ResponseValidationMiddleware
from calyptia_mock.store import Store
from calyptia_mock.validation import SpecValidator

__all__ = ["MockApplication", "create_app", "load_spec"]

Handler = Callable[[Request], Awaitable[Response]]


class MockApplication(Starlette):
    """Starlette, with the control layer (faults, request log) outside everything else when on."""

    control: ControlLayer | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.control is not None:
            await self.control(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The application without the control layer: what the control layer calls."""
        await super().__call__(scope, receive, send)


class _MethodDispatch:
    """The ASGI app for one path: routes by method, and answers a wrong method with 405 and the
    path's full Allow list (Starlette's own 405 would list one route's methods only).

    HEAD runs the GET handler, as GET (RFC 9110 section 9.3.2: the same status and headers);
    HeadMiddleware then drops the content, also that of an error."""

    def __init__(self, template: str, handlers: Mapping[str, Handler]) -> None:
        self.template = template
        self.handlers: dict[str, Handler] = {}
        for method, handler in handlers.items():
            self.handlers[method] = handler
            if method == "GET":
                self.handlers["HEAD"] = handler
        self.allow = ", ".join(self.handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["route_path"] = self.template  # projects.py reads which query parameters apply
        handler = self.handlers.get(scope["method"])
        if handler is None:
            raise ApiError(405, "method not allowed", headers={"Allow": self.allow})
        if scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}  # validated and answered as the GET it mirrors
        response = await handler(Request(scope, receive))
        await response(scope, receive, send)


def _route(template: str, handlers: Mapping[str, Handler]) -> Route:
    # An ASGI app (not a function) as endpoint: Starlette then matches every method.
    return Route(template, _MethodDispatch(template, handlers))


def _query_parameters(spec: Mapping[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    """Which query parameters each (METHOD, path) accepts, read from the spec."""
    accepted = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                names = {
                    p["name"]
                    for p in [*item.get("parameters", []), *operation.get("parameters", [])]
                    if p.get("in") == "query"
                }
                accepted[method.upper(), path] = frozenset(names)
    return accepted


def _default_page_size(spec: Mapping[str, Any]) -> int:
    parameters = spec["paths"]["/v1/projects"]["get"]["parameters"]
    last = next(p for p in parameters if p["name"] == "last")
    return int(last["schema"]["default"])


def create_app(
    store: Store,
    *,
    spec: Mapping[str, Any] | None = None,
    validate_responses: bool = False,
    reset: Callable[[], None] | None = None,
) -> MockApplication:
    """Build the mock around `store`. `validate_responses` is for tests: it checks every
    response against the spec, and every request with openapi-core's full validation too.
    `reset` turns the control API on (`/_mock/*`): it restores the store's seeded state."""
    spec = spec if spec is not None else load_spec()
    validator = CrossCheckingValidator(spec) if validate_responses else SpecValidator(spec)
    spec_json = json.dumps(spec, ensure_ascii=False, default=str).encode("utf-8")
    spec_yaml = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)

    async def openapi_json(request: Request) -> Response:
        return Response(spec_json, media_type="application/json")

    async def openapi_yaml(request: Request) -> Response:
        return Response(spec_yaml, media_type="application/yaml")

    routes: list[BaseRoute] = [
        _route("/v1/projects", {"GET": projects.list_projects, "POST": projects.create_project}),
        _route(
            "/v1/projects/{projectID}",
            {"GET": projects.get_project, "PATCH": projects.update_project, "DELETE": projects.delete_project},
        ),
        _route("/openapi.json", {"GET": openapi_json}),
        _route("/openapi.yaml", {"GET": openapi_yaml}),
        *docs_routes(spec),
    ]
    if reset is not None:
        routes += control_routes()
    middleware = [Middleware(HeadMiddleware), Middleware(AccessLogMiddleware)]
    if isinstance(validator, CrossCheckingValidator):
        middleware.append(Middleware(ResponseValidationMiddleware, validator=validator))
    app = MockApplication(routes=routes, middleware=middleware, exception_handlers=exception_handlers)
    if reset is not None:
        app.state.control = ControlState(reset, operation_index(spec), client_operation_names(spec))
        app.control = ControlLayer(app.serve, app.state.control)
    app.router.redirect_slashes = False  # a trailing slash is an unknown path (JSON 404), not a redirect
    app.state.store = store
    app.state.validator = validator
    app.state.query_parameters = _query_parameters(spec)
    app.state.default_page_size = _default_page_size(spec)
    return app
