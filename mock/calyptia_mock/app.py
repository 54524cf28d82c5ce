"""The mock's ASGI application, assembled in one place from its routes and middleware.

Dependencies are passed in: `create_app(store)` serves whatever store it is given, so a
test builds an app around an in-memory database and production code around a file.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from calyptia_mock import projects
from calyptia_mock.errors import ApiError, exception_handlers
from calyptia_mock.middleware import AccessLogMiddleware, ResponseValidationMiddleware
from calyptia_mock.reference_page import render_reference_page
from calyptia_mock.store import Store
from calyptia_mock.validation import SpecValidator

__all__ = ["DEFAULT_SPEC_PATH", "create_app", "load_spec"]

DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"

Handler = Callable[[Request], Awaitable[Response]]


@cache
def load_spec(path: Path = DEFAULT_SPEC_PATH) -> dict[str, Any]:
    """Parse openapi.yaml once per process."""
    spec: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return spec


class _MethodDispatch:
    """The ASGI app for one path: routes by method, and answers a wrong method with 405 and the
    path's full Allow list (Starlette's own 405 would list one route's methods only)."""

    def __init__(self, template: str, handlers: Mapping[str, Handler]) -> None:
        self.template = template
        self.handlers = handlers
        self.allow = ", ".join(handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["route_path"] = self.template  # projects.py reads which query parameters apply
        request = Request(scope, receive)
        handler = self.handlers.get(request.method)
        if handler is None:
            raise ApiError(405, "method not allowed", headers={"Allow": self.allow})
        response = await handler(request)
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


def create_app(store: Store, *, spec: Mapping[str, Any] | None = None, validate_responses: bool = False) -> Starlette:
    """Build the mock around `store`. `validate_responses` is for tests: it checks every
    response against the spec, and every request with openapi-core's full validation too."""
    spec = spec if spec is not None else load_spec()
    validator = SpecValidator(spec, cross_check=validate_responses)
    spec_json = json.dumps(spec, ensure_ascii=False, default=str).encode("utf-8")
    spec_yaml = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    reference_page = render_reference_page(spec)

    async def openapi_json(request: Request) -> Response:
        return Response(spec_json, media_type="application/json")

    async def openapi_yaml(request: Request) -> Response:
        return Response(spec_yaml, media_type="application/yaml")

    async def docs(request: Request) -> Response:
        return HTMLResponse(reference_page)

    routes = [
        _route("/v1/projects", {"GET": projects.list_projects, "POST": projects.create_project}),
        _route(
            "/v1/projects/{projectID}",
            {"GET": projects.get_project, "PATCH": projects.update_project, "DELETE": projects.delete_project},
        ),
        _route("/openapi.json", {"GET": openapi_json}),
        _route("/openapi.yaml", {"GET": openapi_yaml}),
        _route("/docs", {"GET": docs}),
    ]
    middleware = [Middleware(AccessLogMiddleware)]
    if validate_responses:
        middleware.append(Middleware(ResponseValidationMiddleware, validator=validator))
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=exception_handlers)
    app.router.redirect_slashes = False  # a trailing slash is an unknown path (JSON 404), not a redirect
    app.state.store = store
    app.state.validator = validator
    app.state.query_parameters = _query_parameters(spec)
    app.state.default_page_size = _default_page_size(spec)
    return app
