"""Names come from the spec: an operation added under a new tag becomes a method of a new
resource, with no template touched. The proof generates the package from a copy of
openapi.yaml with one more operation into a temporary folder (through tools.generation.regenerate, the
same path as `make generate`) and calls the new method against a loopback server."""

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

from tests.support.loopback import Reply, loopback_server
from tools.generation.regenerate import generate_into
from tools.paths import SPEC

AGENT = {"id": "7a1f0c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b", "name": "edge-agent"}


def spec_with_agents() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["tags"].append({"name": "agents", "description": "Agents registered in a project."})
    spec["components"]["schemas"]["Agent"] = {
        "type": "object",
        "description": "An agent.",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "description": "The agent's ID."},
            "name": {"type": "string", "description": "The agent's name."},
        },
    }
    spec["paths"]["/v1/projects/{projectID}/agents"] = {
        "parameters": [{"$ref": "#/components/parameters/ProjectID"}],
        "get": {
            "operationId": "listAgents",
            "tags": ["agents"],
            "summary": "List agents",
            "description": "The agents of one project.",
            "parameters": [
                {
                    "name": "onlyOnline",
                    "in": "query",
                    "description": "Only agents seen in the last minute.",
                    "schema": {"type": "boolean"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The agents.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Agent"}}
                        }
                    },
                },
                "404": {"$ref": "#/components/responses/ProjectNotFound"},
            },
        },
    }
    return spec


CALLER = textwrap.dedent(
    """
    import json, sys
    from calyptia_cloud_client import CalyptiaCloud
    from calyptia_cloud_client.api.agents import Agents

    client = CalyptiaCloud(token="t0k", base_url=sys.argv[1], max_retries=0)
    agents = client.agents.list("123e4567-e89b-12d3-a456-426614174000", only_online=True)
    print(json.dumps({
        "names": [agent.name for agent in agents],
        "resource": type(client.agents).__name__,
        "doc": Agents.list.__doc__,
        "projects_still_there": sorted(m for m in dir(client.projects) if not m.startswith("_")),
    }))
    """
)


@pytest.mark.e2e  # a whole generator run (about 4 s), then the package imported and called
def test_an_operation_under_a_new_tag_becomes_a_method(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(spec_with_agents(), sort_keys=False), encoding="utf-8")
    package = tmp_path / "generated"
    generate_into(package, spec=spec)

    with loopback_server(Reply.json([AGENT])) as server:
        result = subprocess.run(
            [sys.executable, "-c", CALLER, server.url],
            env={**os.environ, "PYTHONPATH": str(package)},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    seen = json.loads(result.stdout)
    assert seen["names"] == ["edge-agent"]
    assert seen["resource"] == "Agents"
    assert [(request.method, request.target, request.headers["authorization"]) for request in server.requests] == [
        ("GET", "/v1/projects/123e4567-e89b-12d3-a456-426614174000/agents?onlyOnline=true", "Bearer t0k")
    ]
    assert "List agents" in seen["doc"]
    assert "Only agents seen in the last minute." in seen["doc"]
    assert seen["projects_still_there"] == ["create", "delete", "get", "list", "update", "with_raw_response"]
