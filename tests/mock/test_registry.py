"""The mock knows what it serves (calyptia_mock.handlers): grown by a resource nobody
implemented, it names each new operation at start, answers it 501, and `make lint`'s check
fails naming it; a handler added for it serves it."""

from __future__ import annotations

import asyncio
import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from calyptia_mock.app import create_app
from calyptia_mock.handlers import HANDLERS, RegistryError, check_registry
from calyptia_mock.operations import operation_table
from calyptia_mock.packaged_spec import load_spec
from calyptia_mock.seed_data import DEMO_TOKEN, seed_demo_user
from calyptia_mock.store import Store
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

from tests.support.http import loopback
from tests.support.mock import mock_in_process

WIDGET_OPERATIONS = ["projectWidgets", "createWidget", "widget", "updateWidget", "deleteWidget"]
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def grown_spec() -> dict[str, Any]:
    """openapi.yaml with a second resource, as a maintainer adds one: list and create on a
    collection under a project, get, update and delete on its item path, its own schema."""
    spec = copy.deepcopy(dict(load_spec()))
    error_body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    missing = {"description": "Not found", "content": error_body}
    text = {"type": "string"}
    widget = {"type": "object", "required": ["id", "name"], "properties": {"id": text, "name": text}}
    spec["components"]["schemas"]["Widget"] = widget
    ref = {"$ref": "#/components/schemas/Widget"}
    project_id = {"name": "projectID", "in": "path", "required": True, "schema": {"type": "string"}}
    widget_id = {"name": "widgetID", "in": "path", "required": True, "schema": {"type": "string"}}

    def operation(operation_id: str, status: str, body: bool = False, returns: Any = ref) -> dict[str, Any]:
        ok: dict[str, Any] = {"description": "ok"}
        if returns is not None:
            ok["content"] = {"application/json": {"schema": returns}}
        node: dict[str, Any] = {
            "operationId": operation_id,
            "tags": ["widgets"],
            "responses": {status: ok, "404": missing},
        }
        if body:
            node["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref}}}
        return node

    spec["paths"]["/v1/projects/{projectID}/widgets"] = {
        "parameters": [project_id],
        "get": operation("projectWidgets", "200", returns={"type": "array", "items": ref}),
        "post": operation("createWidget", "201", body=True),
    }
    spec["paths"]["/v1/widgets/{widgetID}"] = {
        "parameters": [widget_id],
        "get": operation("widget", "200"),
        "patch": operation("updateWidget", "204", body=True, returns=None),
        "delete": operation("deleteWidget", "204", returns=None),
    }
    return spec


@pytest.fixture
def grown_file(tmp_path: Path) -> Path:
    path = tmp_path / "grown.yaml"
    path.write_text(yaml.safe_dump(grown_spec(), sort_keys=False), encoding="utf-8")
    return path


class InProcess:
    """httpx against the app in this process (httpx.ASGITransport): no server, no thread."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://mock", headers=AUTH) as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(call())


def store() -> Store:
    made = Store(":memory:")
    seed_demo_user(made)
    return made


@pytest.mark.operations
def test_the_repositorys_spec_is_served_whole() -> None:
    registry = check_registry(operation_table(load_spec()))
    assert sorted(op.operation_id for op in registry.implemented) == sorted(HANDLERS)
    assert registry.declared == ()
    assert registry.missing == ()


def test_a_new_resource_is_named_operation_by_operation(caplog: pytest.LogCaptureFixture) -> None:
    registry = check_registry(operation_table(grown_spec()))
    assert [op.operation_id for op in registry.missing] == WIDGET_OPERATIONS
    with caplog.at_level("WARNING", logger="calyptia_mock"):
        create_app(store(), spec=grown_spec())
    logged = [record.getMessage() for record in caplog.records]
    undeclared = "no handler and not declared in calyptia_mock.handlers.NOT_IMPLEMENTED"
    assert logged == [
        f"not implemented by the mock: {operation}: {undeclared}"
        for operation in [
            "projectWidgets (GET /v1/projects/{projectID}/widgets)",
            "createWidget (POST /v1/projects/{projectID}/widgets)",
            "widget (GET /v1/widgets/{widgetID})",
            "updateWidget (PATCH /v1/widgets/{widgetID})",
            "deleteWidget (DELETE /v1/widgets/{widgetID})",
        ]
    ]


def test_an_unimplemented_operation_answers_501_naming_itself() -> None:
    client = InProcess(create_app(store(), spec=grown_spec()))
    response = client.request("GET", "/v1/widgets/w1")
    assert response.status_code == 501
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-mock-not-implemented"] == "widget"
    body = response.json()
    assert body["error"].startswith("not implemented by the mock: widget (GET /v1/widgets/{widgetID})")
    # Routing still knows the path: a wrong method is 405 with the operations' methods.
    wrong = client.request("PUT", "/v1/widgets/w1")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, HEAD, PATCH, DELETE"


def test_a_declared_operation_answers_with_its_reason_and_passes_the_check() -> None:
    declared = dict.fromkeys(WIDGET_OPERATIONS, "widgets are not in the mock yet")
    registry = check_registry(operation_table(grown_spec()), declared=declared)
    assert registry.missing == ()
    assert [op.operation_id for op, _ in registry.declared] == WIDGET_OPERATIONS


@pytest.mark.operations
def test_a_handler_for_no_operation_is_an_error_at_start() -> None:
    with pytest.raises(RegistryError, match="a handler for no operation of the spec: renamedWidget"):
        create_app(store(), handlers={**HANDLERS, "renamedWidget": HANDLERS["project"]})
    with pytest.raises(RegistryError, match="NOT_IMPLEMENTED entry for no operation of the spec: gone"):
        check_registry(operation_table(load_spec()), declared={"gone": "removed from the spec"})


def test_a_handler_added_for_it_serves_it() -> None:
    widgets: dict[str, dict[str, str]] = {}

    async def create_widget(request: Request) -> Response:
        body = await request.json()
        widgets[body["id"]] = body
        return JSONResponse(body, status_code=201)

    async def get_widget(request: Request) -> Response:
        return JSONResponse(widgets[request.path_params["widgetID"]])

    handlers = {**HANDLERS, "createWidget": create_widget, "widget": get_widget}
    client = InProcess(create_app(store(), spec=grown_spec(), handlers=handlers))
    created = client.request("POST", "/v1/projects/p/widgets", json={"id": "w1", "name": "gear"})
    assert (created.status_code, created.json()) == (201, {"id": "w1", "name": "gear"})
    assert client.request("GET", "/v1/widgets/w1").json() == {"id": "w1", "name": "gear"}
    assert client.request("GET", "/v1/projects/p/widgets").status_code == 501  # still unimplemented


@pytest.mark.operations  # counts the spec's operations
def test_the_check_command_fails_naming_each_operation(grown_file: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calyptia_mock", "--check", "--spec", str(grown_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    for operation in WIDGET_OPERATIONS:
        assert f"not implemented by the mock: {operation} (" in done.stderr
    served = len(operation_table(load_spec()).operations)  # the spec's own, each implemented
    total = served + len(WIDGET_OPERATIONS)
    assert f"{served} of {total} operations implemented, 0 declared not implemented, 5 neither" in done.stdout
    repository = subprocess.run(
        [sys.executable, "-m", "calyptia_mock", "--check", "--spec", "openapi.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (repository.returncode, repository.stderr) == (0, "")


def test_print_json_lists_what_the_mock_does_not_serve(grown_file: Path, tmp_path: Path) -> None:
    with mock_in_process(tmp_path / "mock.db", None, tmp_path / "mock.log", extra=["--spec", str(grown_file)]) as mock:
        assert mock.not_implemented == WIDGET_OPERATIONS
        answered = loopback().get(f"{mock.url}/v1/widgets/w1", headers=AUTH, timeout=10)
        assert answered.status_code == 501
    log = (tmp_path / "mock.log").read_text(encoding="utf-8")
    assert "not implemented by the mock: deleteWidget (DELETE /v1/widgets/{widgetID})" in log
