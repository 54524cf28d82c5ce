"""A new resource, added to openapi.yaml with no overlay, gets `list` / `create` / `get` /
`update` / `delete` by the naming convention, and a user's file calling all five, sync and
async, passes `mypy --strict` against the generated package (issue 27, "Done when").

The operationIds are the vendor's style (`widgets`, `createWidget`, `widget`, ...), which
before the convention became `client.widgets.widgets()`. The package is generated as in
tests/client/test_new_operation.py (a copy of openapi.yaml plus the new paths, through
generate_into) and type-checked with the corpus harness's mypy run; a second user file that
misuses the methods must fail, so the check is known to bite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.corpus import corpus
from tests.support.loopback import Reply, Request, loopback_server
from tools.generation.regenerate import generate_into
from tools.paths import SPEC

WIDGET_ID = {
    "name": "widgetID",
    "in": "path",
    "required": True,
    "description": "The widget's ID.",
    "schema": {"type": "string", "format": "uuid"},
}
NOT_FOUND = {"$ref": "#/components/responses/ProjectNotFound"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def spec_with_widgets() -> dict[str, Any]:
    """openapi.yaml plus a `widgets` tag: list and create under a project, get, update and
    delete by the widget's own ID, with models of their own."""
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["tags"].append({"name": "widgets", "description": "Widgets of a project."})
    schemas = spec["components"]["schemas"]
    schemas["Widget"] = {
        "type": "object",
        "description": "A widget.",
        "required": ["id", "name", "size"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "The widget's ID."},
            "name": {"type": "string", "description": "The widget's name."},
            "size": {"type": "integer", "description": "How big it is."},
        },
    }
    schemas["CreateWidget"] = {
        "type": "object",
        "description": "A widget to create.",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "size": {"type": "integer"}},
    }
    schemas["UpdateWidget"] = {
        "type": "object",
        "description": "The fields to change.",
        "properties": {"name": {"type": "string"}, "size": {"type": "integer"}},
    }
    widget = {"$ref": "#/components/schemas/Widget"}
    spec["paths"]["/v1/projects/{projectID}/widgets"] = {
        "parameters": [{"$ref": "#/components/parameters/ProjectID"}],
        "get": {
            "operationId": "widgets",
            "tags": ["widgets"],
            "summary": "List widgets",
            "responses": {"200": _json({"type": "array", "items": widget}, "The widgets."), "404": NOT_FOUND},
        },
        "post": {
            "operationId": "createWidget",
            "tags": ["widgets"],
            "summary": "Create widget",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateWidget"}}},
            },
            "responses": {"201": _json(widget, "The new widget."), "404": NOT_FOUND},
        },
    }
    spec["paths"]["/v1/widgets/{widgetID}"] = {
        "parameters": [WIDGET_ID],
        "get": {
            "operationId": "widget",
            "tags": ["widgets"],
            "summary": "Get widget",
            "responses": {"200": _json(widget, "The widget."), "404": NOT_FOUND},
        },
        "patch": {
            "operationId": "updateWidget",
            "tags": ["widgets"],
            "summary": "Update widget",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateWidget"}}},
            },
            "responses": {"204": {"description": "Updated."}, "404": NOT_FOUND},
        },
        "delete": {
            "operationId": "deleteWidget",
            "tags": ["widgets"],
            "summary": "Delete widget",
            "responses": {"200": _json({"$ref": "#/components/schemas/Deleted"}, "Deleted."), "404": NOT_FOUND},
        },
    }
    return spec


USER_FILE = textwrap.dedent(
    """
    from __future__ import annotations

    from uuid import UUID

    from calyptia_cloud_client import AsyncCalyptiaCloud, CalyptiaCloud
    from calyptia_cloud_client.models import Deleted, Widget

    PROJECT = UUID("123e4567-e89b-12d3-a456-426614174000")
    WIDGET = UUID("7a1f0c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b")


    def sync_calls(client: CalyptiaCloud) -> None:
        listed: list[Widget] = list(client.widgets.list(PROJECT))
        created: Widget = client.widgets.create(PROJECT, name="w", size=3)
        got: Widget = client.widgets.get(WIDGET)
        client.widgets.update(WIDGET, name="renamed")
        deleted: Deleted = client.widgets.delete(WIDGET)
        ids: list[UUID] = [w.id for w in listed] + [created.id, got.id]
        print(ids, deleted.deleted, got.size + 1)


    async def async_calls(client: AsyncCalyptiaCloud) -> None:
        listed: list[Widget] = list(await client.widgets.list(PROJECT))
        created: Widget = await client.widgets.create(PROJECT, name="w", size=3)
        got: Widget = await client.widgets.get(WIDGET)
        await client.widgets.update(WIDGET, size=4)
        deleted: Deleted = await client.widgets.delete(WIDGET)
        print(listed, created.name, got.name.upper(), deleted.deleted)


    if __name__ == "__main__":
        import sys

        with CalyptiaCloud(token="t0k", base_url=sys.argv[1], max_retries=0) as client:
            sync_calls(client)
    """
)
WIDGET = {"id": "7a1f0c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b", "name": "w", "size": 3}
# Each line is a mistake mypy --strict must report.
MISUSE = textwrap.dedent(
    """
    from calyptia_cloud_client import CalyptiaCloud

    def misuse(client: CalyptiaCloud) -> None:
        client.widgets.create("p", name=3)
        client.widgets.get(WIDGET=1)
        client.widgets.widgets("p")
        size: str = client.widgets.get("w").size
    """
)


@pytest.fixture(scope="module")
def widgets_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("widgets")
    spec = folder / "openapi.yaml"
    spec.write_text(yaml.safe_dump(spec_with_widgets(), sort_keys=False), encoding="utf-8")
    generate_into(folder / "pkg", spec=spec)
    return folder / "pkg"


@pytest.mark.e2e
def test_a_user_file_calling_every_widget_method_type_checks(widgets_package: Path) -> None:
    user = widgets_package / "user_widgets.py"
    user.write_text(USER_FILE, encoding="utf-8")
    result = corpus.Result("widgets", "3.1.0", 5)
    done = corpus.mypy(widgets_package, result, user)
    assert done.returncode == 0, done.stdout


@pytest.mark.e2e
def test_misusing_the_widget_methods_fails_the_type_check(widgets_package: Path) -> None:
    user = widgets_package / "user_misuse.py"
    user.write_text(MISUSE, encoding="utf-8")
    done = corpus.mypy(widgets_package, corpus.Result("widgets", "3.1.0", 5), user)
    flagged = {int(line.split(":")[1]) for line in done.stdout.splitlines() if "user_misuse.py" in line}
    assert flagged >= {5, 6, 7, 8}, done.stdout


def _answer(request: Request) -> Reply:
    """What the service would answer each of the five calls."""
    if request.method == "GET" and request.path.endswith("/widgets"):
        return Reply.json([WIDGET])
    if request.method == "PATCH":
        return Reply(status=204, body=b"", headers={})
    if request.method == "DELETE":
        return Reply.json({"deleted": True, "deletedAt": "2026-12-06T12:00:00Z"})
    return Reply.json(WIDGET, status=201 if request.method == "POST" else 200)


@pytest.mark.e2e
def test_the_widget_methods_send_the_documented_requests(widgets_package: Path) -> None:
    user = widgets_package / "user_widgets.py"
    user.write_text(USER_FILE, encoding="utf-8")
    with loopback_server(_answer) as server:
        subprocess.run(
            [sys.executable, str(user), server.url],
            env={**os.environ, "PYTHONPATH": str(widgets_package)},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    project, widget = "123e4567-e89b-12d3-a456-426614174000", WIDGET["id"]
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", f"/v1/projects/{project}/widgets"),
        ("POST", f"/v1/projects/{project}/widgets"),
        ("GET", f"/v1/widgets/{widget}"),
        ("PATCH", f"/v1/widgets/{widget}"),
        ("DELETE", f"/v1/widgets/{widget}"),
    ]
    assert json.loads(server.requests[1].body) == {"name": "w", "size": 3}
    assert json.loads(server.requests[3].body) == {"name": "renamed"}
