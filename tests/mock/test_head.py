"""HEAD answers like GET without content (RFC 9110 section 9.3.2), as openapi.yaml says:
the same status and headers, errors included, on every path that has GET; `Allow` lists it.

Checked twice: over a real uvicorn on loopback, and in-process as raw ASGI messages, where
no server or client drops the content, so the app itself must."""

from __future__ import annotations

import asyncio
import json as json_module
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from calyptia_mock import Store, create_app, load_fixtures
from starlette.types import ASGIApp, Message

from tests.support.mock import FIXTURES, mock_in_thread

SHARED = "5e0c6a3e-7d7b-4d1e-9a38-7f0c2b1d9e11"  # alice created it (tests/fixtures/users.yaml)
ALICE = {"Authorization": "Bearer alice-token"}

# (what, path, headers): each is sent as GET and as HEAD.
REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("list, with a next page", "/v1/projects?last=1", ALICE),
    ("one project", f"/v1/projects/{SHARED}", ALICE),
    ("one project, by its project token", f"/v1/projects/{SHARED}", {"X-Project-Token": "shared-project-token"}),
    ("no token: 401", "/v1/projects", {}),
    ("not a project ID: 400", "/v1/projects/not-a-uuid", ALICE),
    ("nobody's project: 404", "/v1/projects/00000000-0000-4000-8000-000000000000", ALICE),
    ("unknown query parameter: 400", "/v1/projects?foo=1", ALICE),
    ("unknown path: 404", "/v2/nothing", ALICE),
    ("the spec", "/openapi.json", {}),
]
EXPECTED_STATUS = {
    "list, with a next page": 200,
    "one project": 200,
    "one project, by its project token": 200,
    "no token: 401": 401,
    "not a project ID: 400": 400,
    "nobody's project: 404": 404,
    "unknown query parameter: 400": 400,
    "unknown path: 404": 404,
    "the spec": 200,
}


class InProcess:
    """The few httpx.Client calls these tests make, as raw ASGI messages to the app: no server
    and no client library in between to drop a HEAD response's content for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def request(self, method: str, url: str, headers: dict[str, str] | None = None, json: Any = None) -> httpx.Response:
        path, _, query = url.partition("?")
        body = b"" if json is None else json_module.dumps(json).encode()
        raw_headers = [(b"host", b"mock")] + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        if json is not None:
            raw_headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": raw_headers, "client": ("127.0.0.1", 1), "server": ("mock", 80),
        }  # fmt: skip
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        async def call() -> None:
            await self.app(scope, receive, send)

        asyncio.run(call())
        start = next(message for message in sent if message["type"] == "http.response.start")
        content = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
        return httpx.Response(start["status"], headers=start["headers"], content=content)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("HEAD", path, **kwargs)


@pytest.fixture(scope="module", params=["uvicorn", "in-process"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """An httpx-style client for the mock: over loopback, or straight to the ASGI app."""
    database = tmp_path_factory.mktemp("head") / "head.db"
    if request.param == "uvicorn":
        with mock_in_thread(database) as url, httpx.Client(base_url=url, timeout=httpx.Timeout(10.0)) as http:
            yield http
        return
    store = Store(database)
    load_fixtures(store, FIXTURES)
    try:
        yield InProcess(create_app(store, validate_responses=True))
    finally:
        store.close()


def comparable(headers: httpx.Headers) -> dict[str, str]:
    """All response headers but Date, which may tick between the two requests."""
    return {name: value for name, value in headers.items() if name != "date"}


@pytest.mark.parametrize(("what", "path", "headers"), REQUESTS, ids=[what for what, _, _ in REQUESTS])
def test_head_is_get_without_content(client: Any, what: str, path: str, headers: dict[str, str]) -> None:
    get = client.get(path, headers=headers)
    head = client.head(path, headers=headers)
    assert get.status_code == EXPECTED_STATUS[what], get.text
    assert head.status_code == get.status_code
    assert head.content == b""
    assert comparable(head.headers) == comparable(get.headers)
    assert int(head.headers["content-length"]) == len(get.content) > 0
    if get.status_code >= 400:
        assert head.headers["content-type"] == "application/json"
        assert set(get.json()) <= {"error", "detail"}
    if what == "list, with a next page":
        assert 'rel="next"' in head.headers["link"]


@pytest.mark.parametrize(
    ("path", "allow"), [("/v1/projects", "GET, HEAD, POST"), (f"/v1/projects/{SHARED}", "GET, HEAD, PATCH, DELETE")]
)
def test_allow_lists_head(client: Any, path: str, allow: str) -> None:
    response = client.request("PUT", path, headers=ALICE, json={"name": "x"})
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"error": "method not allowed"}


def test_head_changes_nothing(client: Any) -> None:
    """HEAD is safe: it runs the GET handler, never a write."""
    before = client.get("/v1/projects?last=100", headers=ALICE).json()
    for _ in range(3):
        assert client.head("/v1/projects", headers=ALICE).status_code == 200
    assert client.get("/v1/projects?last=100", headers=ALICE).json() == before
