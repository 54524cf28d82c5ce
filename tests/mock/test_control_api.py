"""The control API as a plain HTTP client meets it: every `/_mock` path answers a method it
does not serve with the mock's JSON 405, and an `Allow` naming exactly the methods that do
work there, found by calling each one; a dropped connection is logged as the injected fault
it is, not as uvicorn's error about an app that returned without a response."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
from calyptia_mock import server
from calyptia_mock.control import CONTROL_PREFIX
from calyptia_mock.parser_errors import JsonErrorH11Protocol
from calyptia_mock.pytest_plugin import CalyptiaMock, MockSession
from calyptia_mock.server import MockOptions, serving
from starlette.routing import Mount, Route

from tests.support.http import loopback
from tests.support.logs import attached

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def control_paths(session: MockSession) -> list[str]:
    """Every route of the `/_mock` mount, its path parameters filled in with a random UUID."""
    (mount,) = [
        route for route in session.server.app.routes if isinstance(route, Mount) and route.path == CONTROL_PREFIX
    ]
    routes = [route for route in mount.routes if isinstance(route, Route)]
    assert len(routes) == len(mount.routes)
    return [CONTROL_PREFIX + re.sub(r"\{[^}]+\}", str(uuid.uuid4()), route.path) for route in routes]


def test_the_control_api_has_the_documented_paths(calyptia_mock_session: MockSession) -> None:
    paths = [re.sub(r"[0-9a-f-]{36}", "{id}", path) for path in control_paths(calyptia_mock_session)]
    assert paths == ["/_mock/reset", "/_mock/faults", "/_mock/requests", "/_mock/users", "/_mock/projects/{id}/members"]


def test_every_control_path_answers_a_wrong_method_with_a_true_allow(
    calyptia_mock: CalyptiaMock, calyptia_mock_session: MockSession
) -> None:
    with httpx.Client(base_url=calyptia_mock.base_url, timeout=5) as http:
        for path in control_paths(calyptia_mock_session):
            answers = {method: http.request(method, path, content=b"{}") for method in METHODS}
            works = {method for method, response in answers.items() if response.status_code != 405}
            refused = [response for response in answers.values() if response.status_code == 405]
            assert works, path
            assert refused, path
            for response in refused:
                assert response.headers["content-type"] == "application/json", path
                if response.request.method == "HEAD":  # the same status and headers, no content
                    assert response.content == b"", path
                else:
                    assert response.json() == {"error": "method not allowed"}, path
                allow = response.headers["allow"].split(", ")
                assert sorted(allow) == sorted(works), (path, response.request.method)
                assert len(allow) == len(set(allow))
            assert ("GET" in works) == ("HEAD" in works), path  # HEAD wherever GET is


def test_put_faults_lists_what_the_faults_path_serves(calyptia_mock: CalyptiaMock) -> None:
    """The case of issue 29: `Allow: GET, HEAD` while POST and DELETE worked."""
    response = loopback().put(f"{calyptia_mock.base_url}/_mock/faults")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST, DELETE"
    calyptia_mock.inject_fault("projects.list", status=503)
    assert loopback().delete(f"{calyptia_mock.base_url}/_mock/faults").status_code == 204
    assert loopback().get(f"{calyptia_mock.base_url}/_mock/faults").json() == {"faults": []}


class Records(logging.Handler):
    """Every record of the loggers it is attached to, formatted as the command prints them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name} {record.getMessage()}")


@contextmanager
def logs(*names: str) -> Iterator[Records]:
    records = Records()
    with attached(records, names, logging.INFO):
        yield records


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_a_dropped_connection_is_logged_as_the_injected_fault(monkeypatch: pytest.MonkeyPatch, parser: str) -> None:
    if parser == "h11":  # the fallback where httptools does not install
        monkeypatch.setattr(server, "http_protocol", lambda: JsonErrorH11Protocol)
    with serving(MockOptions(control=True), log_level="info") as mock, logs("calyptia_mock", "uvicorn") as records:
        fault = {"operation": "projects.list", "drop": True, "times": 2}
        assert loopback().post(f"{mock.url}/_mock/faults", json=fault).status_code == 201
        headers = {"Authorization": f"Bearer {mock.token}"}
        for _ in range(2):
            with pytest.raises(httpx.RemoteProtocolError):  # no response at all
                loopback().get(f"{mock.url}/v1/projects", headers=headers)
        assert loopback().get(f"{mock.url}/v1/projects", headers=headers).status_code == 200
    dropped = [line for line in records.lines if "injected fault" in line]
    expected = "INFO calyptia_mock.control injected fault: dropped connection for projects (GET /v1/projects)"
    assert dropped == [expected, expected]
    assert not [line for line in records.lines if "ASGI callable" in line or line.startswith("ERROR")]


def test_a_reset_ends_a_request_held_by_a_delay_before_it_answers(
    calyptia_mock: CalyptiaMock, calyptia_mock_session: MockSession
) -> None:
    """A test that timed out on a long delay leaves its request held in the server. The next
    reset drops it (logged as such) before answering, rather than letting it sleep on into the
    next test and the session's teardown."""
    calyptia_mock.inject_fault("projects.list", delay=60, status=503)
    with logs("calyptia_mock", "uvicorn") as records, ThreadPoolExecutor(1) as pool:
        headers = {"Authorization": f"Bearer {calyptia_mock.token}"}
        delayed = pool.submit(httpx.get, f"{calyptia_mock.base_url}/v1/projects", headers=headers, timeout=120)
        while loopback().get(f"{calyptia_mock.base_url}/_mock/faults").json()["faults"]:
            time.sleep(0.005)  # until the request has taken the fault and is waiting out its delay
        calyptia_mock.reset()
        assert len(calyptia_mock_session.server.app.state.control.held) == 0  # over before the reset answered
        with pytest.raises(httpx.RemoteProtocolError):  # dropped: slept out, it would still be waiting
            delayed.result(timeout=30)
    assert [line for line in records.lines if "injected fault" in line] == [
        "INFO calyptia_mock.control injected fault: 60 s delay, then 503 service unavailable for projects "
        "(GET /v1/projects)",
        "INFO calyptia_mock.control injected fault: dropped connection for projects (GET /v1/projects), "
        "delayed across a reset",
    ]
    assert not [line for line in records.lines if "ASGI callable" in line or line.startswith("ERROR")]
    assert calyptia_mock.requests() == []  # the next test starts clean
    assert [p["name"] for p in loopback().get(f"{calyptia_mock.base_url}/v1/projects", headers=headers).json()] == [
        "default"
    ]
