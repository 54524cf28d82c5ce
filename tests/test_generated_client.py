"""The generated client against the spec's own examples, served by `httpx.MockTransport`.

For each Projects operation: the success example parses into models whose `to_dict()` gives
the example back, and the request the client sends (method, path, query string, body, auth
header) is the one the spec describes. For every operation of the spec (read from it): every
documented error parses into `Error`.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from calyptia_cloud_client import AuthenticatedClient
from calyptia_cloud_client.api.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
    update_project,
)
from calyptia_cloud_client.models import CreateProject, Error, ProjectSettings, UpdateProject
from calyptia_cloud_client.types import Response

from tests.support.calls import arguments
from tests.support.operations import SpecOperation, spec_operations
from tests.support.spec_examples import load_spec, resolve

TOKEN = "test-user-token"
BASE_URL = "http://127.0.0.1:5000"
PROJECT_ID = UUID("123e4567-e89b-12d3-a456-426614174000")
PROJECTS = "/v1/projects"
ONE_PROJECT = "/v1/projects/{projectID}"


def _normalise(value: Any) -> Any:
    """Compare date-times by instant: the models write `+00:00` where the examples say `Z`."""
    if isinstance(value, dict):
        return {key: _normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and "T" in value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _examples(path: str, method: str, status: str) -> list[Any]:
    response = resolve(load_spec()["paths"][path][method]["responses"][status])
    media = response.get("content", {}).get("application/json", {})
    values = [media["example"]] if "example" in media else []
    values += [resolve(example)["value"] for example in media.get("examples", {}).values()]
    return values


def _error_statuses(path: str, method: str) -> list[str]:
    return [status for status in load_spec()["paths"][path][method]["responses"] if status.startswith("4")]


class Recorder:
    """A MockTransport handler that answers with one canned response and keeps the request."""

    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.body is None:
            return httpx.Response(self.status, headers=self.headers)
        return httpx.Response(self.status, json=self.body, headers=self.headers)

    @property
    def request(self) -> httpx.Request:
        assert len(self.requests) == 1
        return self.requests[0]


def _sent_by_generated_client(handler: Recorder) -> AuthenticatedClient:
    """A client whose own httpx client (with its auth header) talks to the handler."""
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=TOKEN,
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.MockTransport(handler)},
    )


# -- list --------------------------------------------------------------------------------


def test_list_parses_the_example_and_sends_the_query() -> None:
    (example,) = _examples(PROJECTS, "get", "200")
    link = '</v1/projects?last=3&before=abc>; rel="next"'
    handler = Recorder(200, example, {"Link": link})
    response = list_projects.sync_detailed(client=_sent_by_generated_client(handler), last=3, before="abc", name="x")
    request = handler.request
    assert (request.method, request.url.path) == ("GET", PROJECTS)
    assert dict(request.url.params) == {"last": "3", "before": "abc", "name": "x"}
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert response.status_code == 200
    assert response.headers["Link"] == link
    assert isinstance(response.parsed, list)
    assert _normalise([project.to_dict() for project in response.parsed]) == _normalise(example)


def test_list_leaves_the_page_size_to_the_server() -> None:
    handler = Recorder(200, [])
    assert list_projects.sync(client=_sent_by_generated_client(handler)) == []
    assert dict(handler.request.url.params) == {}


# -- create ------------------------------------------------------------------------------


def test_create_sends_the_body_and_parses_the_example() -> None:
    (example,) = _examples(PROJECTS, "post", "201")
    handler = Recorder(201, example)
    created = create_project.sync(client=_sent_by_generated_client(handler), body=CreateProject(name="new-project"))
    request = handler.request
    assert (request.method, request.url.path) == ("POST", PROJECTS)
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"name": "new-project"}
    assert created is not None
    assert not isinstance(created, Error)
    assert created.id == UUID(example["id"])
    assert _normalise(created.to_dict()) == _normalise(example)


# -- get ---------------------------------------------------------------------------------


def test_get_parses_the_example() -> None:
    (example,) = _examples(ONE_PROJECT, "get", "200")
    handler = Recorder(200, example)
    project = get_project.sync(PROJECT_ID, client=_sent_by_generated_client(handler))
    assert (handler.request.method, handler.request.url.path) == ("GET", f"{PROJECTS}/{PROJECT_ID}")
    assert project is not None
    assert not isinstance(project, Error)
    assert isinstance(project.settings, ProjectSettings)
    assert project.settings.to_dict() == {"gpt": True}
    assert _normalise(project.to_dict()) == _normalise(example)


# -- update ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "sent"),
    [
        (UpdateProject(name="new-project"), {"name": "new-project"}),
        (UpdateProject(name=None), {"name": None}),
        (UpdateProject(), {}),
        (UpdateProject(v_3_enabled=True, clear_all_settings=True), {"v3Enabled": True, "clearAllSettings": True}),
    ],
)
def test_update_sends_only_the_fields_given(body: UpdateProject, sent: dict[str, Any]) -> None:
    handler = Recorder(204)
    response = update_project.sync_detailed(PROJECT_ID, client=_sent_by_generated_client(handler), body=body)
    request = handler.request
    assert (request.method, request.url.path) == ("PATCH", f"{PROJECTS}/{PROJECT_ID}")
    assert json.loads(request.content) == sent
    assert response.status_code == 204
    assert response.parsed is None
    assert response.content == b""


# -- delete ------------------------------------------------------------------------------


def test_delete_parses_the_example() -> None:
    (example,) = _examples(ONE_PROJECT, "delete", "200")
    handler = Recorder(200, example)
    deleted = delete_project.sync(PROJECT_ID, client=_sent_by_generated_client(handler))
    assert (handler.request.method, handler.request.url.path) == ("DELETE", f"{PROJECTS}/{PROJECT_ID}")
    assert deleted is not None
    assert not isinstance(deleted, Error)
    assert deleted.deleted is True
    assert _normalise(deleted.to_dict()) == _normalise(example)


# -- every documented error --------------------------------------------------------------


def _sync_detailed(operation: SpecOperation) -> Callable[..., Response[Any]]:
    """The operation's low-level `sync_detailed`, from the module the spec names."""
    call: Callable[..., Response[Any]] = importlib.import_module(operation.module).sync_detailed
    return call


ERROR_CASES = [
    (operation, status, example)
    for operation in spec_operations()
    for status in _error_statuses(operation.path, operation.http_method)
    for example in _examples(operation.path, operation.http_method, status)
]


@pytest.mark.operations
@pytest.mark.parametrize(
    ("operation", "status", "example"),
    ERROR_CASES,
    ids=[f"{operation.dotted}-{status}-{index}" for index, (operation, status, _) in enumerate(ERROR_CASES)],
)
def test_documented_error_parses_into_error(operation: SpecOperation, status: str, example: dict[str, Any]) -> None:
    """Every operation of the spec, called with arguments built from its types."""
    handler = Recorder(int(status), example)
    call = _sync_detailed(operation)
    response = call(**arguments(call, {"client": _sent_by_generated_client(handler)}))
    assert handler.request.method == operation.http_method.upper()
    assert response.status_code == int(status)
    assert isinstance(response.parsed, Error)
    assert response.parsed.error == example["error"]
    assert response.parsed.to_dict() == example


@pytest.mark.operations
def test_every_operation_has_an_error_case() -> None:
    assert {operation for operation, _, _ in ERROR_CASES} == set(spec_operations())
    assert len(ERROR_CASES) >= 20
