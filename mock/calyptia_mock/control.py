"""The control API under `/_mock/`: reset, faults, the request log, extra users and members.

It is not part of openapi.yaml (the contract suite neither sees nor tests it) and it is off
unless `--control` or the pytest fixture turns it on: a mock shared on a network must not be
resettable, or made to fail, by anyone who can reach it.

    POST   /_mock/reset                        fresh state: the seeded users, no faults, no log,
                                               no request held by a delay (dropped first)
    GET    /_mock/faults | POST | DELETE        pending faults | add one (faults.Fault) | clear;
                                               `operation` is the client's name (`projects.list`),
                                               an operationId, or `*`
    GET    /_mock/requests | DELETE             the last 10,000 API requests, oldest first | clear
    POST   /_mock/users                        {email, token, name?} -> the user
    POST   /_mock/projects/{projectID}/members {user: email, roles?, permissions?} -> the membership
                                               (400 when the spec's Membership forbids them)

Faults and the log are applied by `ControlLayer` around the whole application, because
dropping a connection needs the server's own `send`, which Starlette's middleware wraps. A
request a delay fault is holding is dropped at once by a reset (held.py): it belongs to the
test that injected the fault, not to the next one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calyptia_mock.errors import INVALID_BODY, ApiError, error_response
from calyptia_mock.faults import ANY_OPERATION, Fault, FaultError, FaultPlan
from calyptia_mock.handlers import Handler
from calyptia_mock.held import HeldRequests
from calyptia_mock.operations import OperationTable
from calyptia_mock.routing import method_route
from calyptia_mock.seed_data import FixtureError, InvalidMemberError, add_member
from calyptia_mock.state import mock_state

__all__ = ["CONTROL_PREFIX", "ControlLayer", "ControlState", "control_routes"]

CONTROL_PREFIX = "/_mock"
REQUEST_LOG_SIZE = 10_000
RELEASE_TIMEOUT_S = 5.0  # how long a reset waits for the held requests it woke to end (they end at once)
REDACTED_HEADERS = frozenset({"authorization", "x-project-token"})
logger = logging.getLogger("calyptia_mock.control")


@dataclass
class ControlState:
    """What the control API changes: the fault plan, the request log, and how to reset."""

    reset_store: Callable[[], None]
    operations: OperationTable
    client_names: dict[str, str] = field(default_factory=dict)  # `projects.list` -> its operationId
    faults: FaultPlan = field(default_factory=FaultPlan)
    # Bounded, so a long-running `--control` mock does not grow without limit: the newest are kept.
    requests: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=REQUEST_LOG_SIZE))
    lock: threading.Lock = field(default_factory=threading.Lock)
    held: HeldRequests = field(default_factory=HeldRequests)  # the requests a delay fault holds

    def operation_id(self, method: str, path: str) -> str | None:
        operation = self.operations.find(method, path)
        return operation.operation_id if operation is not None else None

    def record(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.requests.append(entry)

    def recorded(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.requests)

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def reset(self) -> list[asyncio.Future[None]]:
        """The fresh state; the requests a delay held are woken to drop their connections
        (never let into the fresh state): returns their ends, for the caller to await."""
        ended = self.held.release("a reset")
        self.reset_store()
        self.faults.clear()
        self.clear_requests()
        return ended


class ControlLayer:
    """The outermost ASGI layer when control is on: logs each API request and applies faults."""

    def __init__(self, app: ASGIApp, state: ControlState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation = self.state.operation_id(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if operation is None:  # not an API request: the spec, the docs, the control API itself
            await self.app(scope, receive, send)
            return
        entry: dict[str, Any] = {
            "method": scope["method"],
            "path": scope["path"],
            "query": scope["query_string"].decode("latin-1"),
            "operationId": operation,
            "headers": _headers(scope),
            "body": None,
            "status": None,
            "fault": None,
        }
        self.state.record(entry)
        body = bytearray()

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    entry["body"] = _decode(bytes(body))
            return message

        async def send_and_keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            await send(message)

        fault = self.state.faults.take(operation)
        if fault is not None:
            entry["fault"] = fault.to_json()
            request = f"{operation} ({scope['method']} {scope['path']})"
            logger.info("injected fault: %s for %s", fault.describe(), request)
            if fault.delay:
                async with self.state.held.holding(fault.delay) as ended_by:
                    if ended_by is not None:  # the test that held it is over
                        logger.info("injected fault: dropped connection for %s, delayed across %s", request, ended_by)
                        _drop_connection(send)
                        return
            if fault.drop:
                _drop_connection(send)
                return
            if fault.status is not None:
                while (await receive_and_keep()).get("more_body", False):
                    pass  # read the body anyway, so the log shows what was sent
                response = error_response(fault.status, fault.message, headers=fault.headers)
                await response(scope, receive_and_keep, send_and_keep)
                return
        await self.app(scope, receive_and_keep, send_and_keep)


def _drop_connection(send: Send) -> None:
    """Close the connection with no response. uvicorn's `send` is a method of the request's
    cycle, which holds the socket's transport; aborting it is a reset the client sees.

    The cycle is marked disconnected, as uvicorn's `connection_lost` marks it a loop turn
    later: else uvicorn, seeing the app return with no response on a connection it thinks
    open, logs "ASGI callable returned without starting response." as an error of the app."""
    cycle: Any = getattr(send, "__self__", None)  # uvicorn's RequestResponseCycle, on either parser
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(cycle, "disconnected"):
        raise RuntimeError("this server does not let the mock drop a connection")
    transport.abort()
    cycle.disconnected = True


def _headers(scope: Scope) -> dict[str, str]:
    headers = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        headers[name] = "<redacted>" if name in REDACTED_HEADERS else raw_value.decode("latin-1")
    return headers


def _decode(body: bytes) -> Any:
    """The body as JSON when it is JSON, else as text; the log is for reading, not replaying."""
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


def _state(request: Request) -> ControlState:
    state: ControlState = request.app.state.control
    return state


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body())
    except ValueError:
        raise ApiError(400, INVALID_BODY, "expected a JSON object") from None
    if not isinstance(data, dict):
        raise ApiError(400, INVALID_BODY, "expected a JSON object")
    return data


async def reset(request: Request) -> Response:
    ended = _state(request).reset()
    if ended:  # answered once they are gone: nothing of the last test outlives its reset
        await asyncio.wait(ended, timeout=RELEASE_TIMEOUT_S)
    return Response(status_code=204)


async def list_faults(request: Request) -> Response:
    return JSONResponse({"faults": _state(request).faults.pending()})


async def add_fault(request: Request) -> Response:
    state = _state(request)
    try:
        fault = Fault.from_json(await _json_object(request))
    except FaultError as exc:
        raise ApiError(400, INVALID_BODY, str(exc)) from None
    fault.operation = state.client_names.get(fault.operation, fault.operation)
    known = sorted(state.operations.by_id())
    if fault.operation != ANY_OPERATION and fault.operation not in known:
        # A misspelt name would otherwise wait forever for a request that never matches.
        names = ", ".join([*sorted(state.client_names), *known])
        detail = f"operation: unknown operation {fault.operation!r}; one of {names}, or '*'"
        raise ApiError(400, INVALID_BODY, detail)
    state.faults.add(fault)
    return JSONResponse(fault.to_json(), status_code=201)


async def clear_faults(request: Request) -> Response:
    _state(request).faults.clear()
    return Response(status_code=204)


async def list_requests(request: Request) -> Response:
    return JSONResponse({"requests": _state(request).recorded()})


async def clear_requests(request: Request) -> Response:
    _state(request).clear_requests()
    return Response(status_code=204)


async def add_user(request: Request) -> Response:
    data = await _json_object(request)
    email, token, name = data.get("email"), data.get("token"), data.get("name", data.get("email"))
    if not (isinstance(email, str) and email and isinstance(token, str) and token and isinstance(name, str) and name):
        raise ApiError(400, INVALID_BODY, "email, token (and name, if given) must be non-empty strings")
    store = mock_state(request).store
    try:
        user = store.add_user(email=email, name=name, token=token)
    except sqlite3.IntegrityError:
        raise ApiError(409, "conflict", "a user with this email or token exists") from None
    return JSONResponse(user.to_json(), status_code=201)


async def add_project_member(request: Request) -> Response:
    data = await _json_object(request)
    store = mock_state(request).store
    try:
        membership = add_member(store, request.path_params["projectID"], data)
    except InvalidMemberError as exc:
        raise ApiError(400, INVALID_BODY, str(exc)) from None
    except FixtureError as exc:
        raise ApiError(404, "not found", str(exc)) from None
    except sqlite3.IntegrityError:
        raise ApiError(409, "conflict", "the user is a member already") from None
    return JSONResponse(membership.to_json(), status_code=201)


def control_routes() -> list[BaseRoute]:
    """The `/_mock` mount: one route per path, so a wrong method is the mock's JSON 405 with an
    `Allow` listing the methods of this table (and HEAD with GET), which is what the path serves."""
    paths: dict[str, dict[str, Handler]] = {
        "/reset": {"POST": reset},
        "/faults": {"GET": list_faults, "POST": add_fault, "DELETE": clear_faults},
        "/requests": {"GET": list_requests, "DELETE": clear_requests},
        "/users": {"POST": add_user},
        "/projects/{projectID}/members": {"POST": add_project_member},
    }
    routes: list[BaseRoute] = [
        method_route(path, {method: (None, handler) for method, handler in methods.items()})
        for path, methods in paths.items()
    ]
    return [Mount(CONTROL_PREFIX, routes=routes)]
