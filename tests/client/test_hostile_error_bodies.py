"""Error bodies are read as defensively as success bodies: any body, on any status, ends in the
documented error (README, "Errors").

The bodies that test_misbehaving_server.py sends on a 200 (HTML, empty, missing fields, wrong
types, a list, invalid UTF-8, 100,000 levels of nesting, a million-digit number) and a few more
come here on every status class: an informational 103 before the final status, an undocumented
2xx, a 3xx, 4xx and 5xx, registered or not. One loopback server serves the whole module.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, errors
from calyptia_cloud_client.api.projects import get_project, list_projects
from calyptia_cloud_client.models import Error, Project

from tests.client.test_misbehaving_server import HUGE_NUMBER, NESTED, TOKEN
from tests.support.loopback import Misbehaviour, loopback_server
from tests.support.samples import PROJECT_ID

BODIES: dict[str, tuple[bytes, str]] = {
    "the service's error": (b'{"error": "project not found", "detail": "no such project"}', "application/json"),
    "HTML under JSON": (b"<html>login</html>", "application/json"),
    "HTML": (b"<h1>502 Bad Gateway</h1>", "text/html"),
    "empty": (b"", "application/json"),
    "missing fields": (b'{"detail": "x"}', "application/json"),
    "wrong types": (b'{"error": 5, "detail": ["x"], "index": "1", "quotaLimit": true}', "application/json"),
    "a list, not an object": (b"[1, 2]", "application/json"),
    "not UTF-8": (b'{"error": "\xff\xfe"}', "application/json"),
    "nested 100k deep": (NESTED, "application/json"),
    "objects nested 100k deep": (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "application/json"),
    "million-digit number": (HUGE_NUMBER, "application/json"),
    "number too large for a float": (b'{"error": "x", "index": 1e999}', "application/json"),
    "a megabyte of error text": (json.dumps({"error": "e" * 1_000_000}).encode(), "application/json"),
    "NaN": (b'{"error": NaN}', "application/json"),
}

# What `APIStatusError.error` is for each body: the body's `error` when it is a string, else None.
ERROR_TEXT = {
    "the service's error": "project not found",
    "number too large for a float": "x",
    "a megabyte of error text": "e" * 1_000_000,
}

# name -> (status line, an informational response sent first)
STATUSES: dict[str, tuple[str, bool]] = {
    "103 then 404": ("404 Not Found", True),
    "103 then 500": ("500 Internal Server Error", True),
    "201, undocumented": ("201 Created", False),
    "299, unregistered": ("299 Odd", False),
    "302": ("302 Found", False),
    "400": ("400 Bad Request", False),
    "401": ("401 Unauthorized", False),
    "404": ("404 Not Found", False),
    "409": ("409 Conflict", False),
    "429": ("429 Too Many Requests", False),
    "499, unregistered": ("499 Client Closed Request", False),
    "500": ("500 Internal Server Error", False),
    "503": ("503 Service Unavailable", False),
    "520, unregistered": ("520 Unknown", False),
}

# get_project documents 200, 400, 401 and 404: on those a body of the documented Error shape
# parses into Error in the detailed styles.
DOCUMENTED_ERRORS = {400, 401, 404}


@dataclass
class Switch:
    """The server's behaviour, set by each test: one server for the module."""

    status: str = "200 OK"
    body: bytes = b"{}"
    content_type: str = "application/json"
    informational: bool = False

    def __call__(self, connection: socket.socket) -> None:
        head = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" if self.informational else b""
        head += f"HTTP/1.1 {self.status}\r\nContent-Type: {self.content_type}\r\n".encode()
        head += f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n".encode()
        connection.sendall(head + self.body)
        connection.close()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Switch, str]]:
    switch = Switch()
    with loopback_server(Misbehaviour(switch)) as running:
        yield switch, running.url


def expected(status: int) -> type[errors.APIError]:
    if status >= 500:
        return errors.InternalServerError
    return {
        400: errors.BadRequestError,
        401: errors.AuthenticationError,
        404: errors.NotFoundError,
        409: errors.ConflictError,
        429: errors.RateLimitError,
    }.get(status, errors.APIStatusError if status >= 400 else errors.UnexpectedResponseError)


CASES = [(status, body) for status in STATUSES for body in BODIES]

# The styles every case runs; the others take turns, two a case, so that across the cases each
# style meets every status and every body (a status's cases hold more bodies than there are
# styles, and a body's cases more statuses), at half the calls of every style in every case.
CORE_STYLES = ("CalyptiaCloud", "AsyncCalyptiaCloud", "sync_raw")


def styles_for(status_name: str, body_name: str, styles: dict[str, Callable[[], Any]]) -> dict[str, Callable[[], Any]]:
    turn = list(STATUSES).index(status_name) + list(BODIES).index(body_name)
    others = [name for name in styles if name not in CORE_STYLES]
    chosen = {*CORE_STYLES, others[turn % len(others)], others[(turn + len(others) // 2) % len(others)]}
    return {name: call for name, call in styles.items() if name in chosen}


def test_the_turns_cover_every_style_with_every_status_and_every_body() -> None:
    names = {name: (lambda: None) for name in ("CalyptiaCloud", "AsyncCalyptiaCloud", "sync_raw", *"abcdefghi")}
    met = {(style, status, body) for status, body in CASES for style in styles_for(status, body, names)}
    for style in names:
        assert {status for s, status, _ in met if s == style} == set(STATUSES), style
        assert {body for s, _, body in met if s == style} == set(BODIES), style


@pytest.mark.parametrize(("status_name", "body_name"), CASES, ids=[f"{s}, {b}" for s, b in CASES])
def test_any_body_on_any_status_ends_in_the_documented_error(
    status_name: str, body_name: str, server: tuple[Switch, str]
) -> None:
    switch, url = server
    switch.status, switch.informational = STATUSES[status_name]
    switch.body, switch.content_type = BODIES[body_name]
    status = int(switch.status.split()[0])
    low = AuthenticatedClient(base_url=url, token=TOKEN, max_retries=0)
    cloud = CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0)

    async def via_async_client() -> Project:
        async with AsyncCalyptiaCloud(token=TOKEN, base_url=url, max_retries=0) as client:
            return await client.projects.get(PROJECT_ID)

    async def via_async_raw() -> object:
        async with AsyncCalyptiaCloud(token=TOKEN, base_url=url, max_retries=0) as client:
            return await client.projects.with_raw_response.get(PROJECT_ID)

    async def via_async_list() -> list[Project]:
        async with AsyncCalyptiaCloud(token=TOKEN, base_url=url, max_retries=0) as client:
            return [p async for p in client.projects.list()]

    async def walk_aiterate() -> list[Project]:
        return [
            p
            async for p in list_projects.aiterate(client=AuthenticatedClient(base_url=url, token=TOKEN, max_retries=0))
        ]

    raising: dict[str, Callable[[], Any]] = {
        "CalyptiaCloud": lambda: cloud.projects.get(PROJECT_ID),
        "with_raw_response": lambda: cloud.projects.with_raw_response.get(PROJECT_ID),
        "CalyptiaCloud.list": lambda: list(cloud.projects.list()),
        "AsyncCalyptiaCloud": lambda: asyncio.run(via_async_client()),
        "async with_raw_response": lambda: asyncio.run(via_async_raw()),
        "AsyncCalyptiaCloud.list": lambda: asyncio.run(via_async_list()),
        "sync_or_raise": lambda: get_project.sync_or_raise(PROJECT_ID, client=low),
        "asyncio_or_raise": lambda: asyncio.run(get_project.asyncio_or_raise(PROJECT_ID, client=low)),
        "sync_raw": lambda: get_project.sync_raw(PROJECT_ID, client=low),
        "asyncio_raw": lambda: asyncio.run(get_project.asyncio_raw(PROJECT_ID, client=low)),
        "iterate": lambda: list(
            list_projects.iterate(client=AuthenticatedClient(base_url=url, token=TOKEN, max_retries=0))
        ),
        "aiterate": lambda: asyncio.run(walk_aiterate()),
    }
    for style, call in styles_for(status_name, body_name, raising).items():
        with pytest.raises(errors.APIError) as caught:
            call()
        error = caught.value
        assert type(error) is expected(status), (style, repr(error))
        assert getattr(error, "status_code", None) == status, style
        assert TOKEN not in str(error)
        assert len(str(error)) < 1_000, style  # a megabyte of body does not become the message
        if isinstance(error, errors.APIStatusError):
            assert error.error is None or isinstance(error.error, str)
            assert error.detail is None or isinstance(error.detail, str)
            assert error.error == ERROR_TEXT.get(body_name), style

    parses = body_name in ("the service's error", "a megabyte of error text") and status in DOCUMENTED_ERRORS
    detailed = get_project.sync_detailed(PROJECT_ID, client=low)
    adetailed = asyncio.run(get_project.asyncio_detailed(PROJECT_ID, client=low))
    for response in (detailed, adetailed):
        assert response.status_code == status
        assert response.content == switch.body
        assert isinstance(response.parsed, Error) if parses else response.parsed is None, response.parsed
    plain = get_project.sync(PROJECT_ID, client=low)
    assert isinstance(plain, Error) if parses else plain is None
