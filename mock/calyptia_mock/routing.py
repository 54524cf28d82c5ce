"""One route per path, every method of it answered by one dispatcher: a wrong method is 405
with an `Allow` that lists what the path serves, since it is read from the same table.

Starlette's own 405 lists the methods of the first route that matched the path, so three
routes for one path (GET, POST, DELETE) would each claim to be the whole path. The spec's
routes (app.py) and the control API's (control.py) are built here alike.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from calyptia_mock.errors import ApiError
from calyptia_mock.handlers import Handler
from calyptia_mock.operations import SCOPE_KEY, Operation

__all__ = ["MethodDispatch", "method_route"]


class MethodDispatch:
    """The ASGI app for one path: routes by method, and answers a wrong method with 405 and the
    path's full Allow list.

    HEAD runs the GET handler, as GET (RFC 9110 section 9.3.2: the same status and headers);
    HeadMiddleware then drops the content, also that of an error. A handler finds the
    operation it serves with operations.operation_of(request)."""

    def __init__(self, handlers: Mapping[str, tuple[Operation | None, Handler]]) -> None:
        self.handlers: dict[str, tuple[Operation | None, Handler]] = {}
        for method, handler in handlers.items():
            self.handlers[method] = handler
            if method == "GET":
                self.handlers["HEAD"] = handler  # listed in Allow right after GET
        self.allow = ", ".join(self.handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.handlers.get(scope["method"])
        if found is None:
            raise ApiError(405, "method not allowed", headers={"Allow": self.allow})
        operation, handler = found
        if scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}  # validated and answered as the GET it mirrors
        scope[SCOPE_KEY] = operation
        response = await handler(Request(scope, receive))
        await response(scope, receive, send)


def method_route(template: str, handlers: Mapping[str, tuple[Operation | None, Handler]]) -> Route:
    """The route for `template`, serving exactly the methods of `handlers` (and HEAD with GET)."""
    # An ASGI app (not a function) as endpoint: Starlette then matches every method.
    return Route(template, MethodDispatch(handlers))
