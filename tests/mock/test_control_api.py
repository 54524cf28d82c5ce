"""The control API's routing as a plain HTTP client meets it: every `/_mock` path answers a
method it does not serve with the mock's JSON 405, and an `Allow` naming exactly the methods
that do work there, found by calling each one."""

from __future__ import annotations

import re
import uuid

import httpx
from calyptia_mock.control import CONTROL_PREFIX
from calyptia_mock.pytest_plugin import CalyptiaMock, MockSession
from starlette.routing import Mount

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def control_paths(session: MockSession) -> list[str]:
    """Every route of the `/_mock` mount, its path parameters filled in with a random UUID."""
    (mount,) = [
        route for route in session.server.app.routes if isinstance(route, Mount) and route.path == CONTROL_PREFIX
    ]
    return [CONTROL_PREFIX + re.sub(r"\{[^}]+\}", str(uuid.uuid4()), route.path) for route in mount.routes]


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
    response = httpx.put(f"{calyptia_mock.base_url}/_mock/faults")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST, DELETE"
    calyptia_mock.inject_fault("projects.list", status=503)
    assert httpx.delete(f"{calyptia_mock.base_url}/_mock/faults").status_code == 204
    assert httpx.get(f"{calyptia_mock.base_url}/_mock/faults").json() == {"faults": []}
