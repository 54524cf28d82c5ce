"""`make generate` on a spec written the way public descriptions are (issue 37): JSON with an
emoji's surrogate pair, a tag with a digit, an XML-only response, AWS's `allOf` around an array,
a path parameter and a body field of one name, a model called Resource, a reference into
`paths` percent-encoded. The package must generate, import, and behave: each call sends what
it is given and returns what came back (`make e2e`: each generation takes seconds). Then the
refusals: a package that does not import is named by the operation it came from, never left
behind an exit 0.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tools.generation import regenerate
from tools.generation.verify import GeneratedCodeError, verify_package
from tools.paths import ROOT

THING = {"type": "object", "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Hostile \ud83d\udc4d", "version": "1.0.0"},
    "servers": [{"url": "https://example.invalid"}],
    "paths": {
        "/things/{name}": {
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getThing",
                "tags": ["Destiny2"],
                "responses": {
                    "200": {"description": "The thing as XML.", "content": {"application/xml": {"schema": THING}}}
                },
            },
            "patch": {
                "operationId": "updateThing",
                "tags": ["Destiny2"],
                "requestBody": {"required": True, "content": {"application/json": {"schema": THING}}},
                "responses": {"204": {"description": "Updated."}},
            },
        },
        "/resources/{name}": {
            "get": {
                "operationId": "getResource",
                "tags": ["Destiny2"],
                "parameters": [{"$ref": "#/paths/~1things~1%7Bname%7D/parameters/0"}],
                "responses": {
                    "200": {
                        "description": "A resource.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}},
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Names": {"type": "array", "items": {"type": "string"}},
            # Models named as the tag's resource class would be, and as its first fallback.
            "Destiny2": {"type": "object", "properties": {"x": {"type": "string"}}},
            "Destiny2Resource": {"type": "object", "properties": {"y": {"type": "string"}}},
            "Resource": {
                "type": "object",
                "properties": {
                    "names": {"allOf": [{"$ref": "#/components/schemas/Names"}, {"description": "Its names."}]}
                },
            },
        }
    },
}

# Runs in a fresh interpreter: the package is named as generated/'s, which this process imports.
USE = textwrap.dedent(
    """
    import inspect, json, sys
    import httpx
    from calyptia_cloud_client import CalyptiaCloud

    seen = []
    def answer(request):
        seen.append({"method": request.method, "path": request.url.raw_path.decode(), "body": request.content.decode()})
        if request.method == "PATCH":
            return httpx.Response(204)
        if request.url.path.startswith("/resources/"):
            return httpx.Response(200, json={"names": ["a", "b"]})
        return httpx.Response(200, content=b"<thing/>", headers={"content-type": "application/xml"})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = CalyptiaCloud(token="t", base_url="http://127.0.0.1:9", http_client=http_client)
    thing = client.destiny2.get_thing("a b")
    client.destiny2.update("x", body_name="y", size=3)
    resource = client.destiny2.get_resource("r")
    print(json.dumps({
        "update": list(inspect.signature(client.destiny2.update).parameters),
        "payload": thing.payload.read().decode(), "mime_type": thing.mime_type,
        "names": resource.names, "seen": seen,
    }))
    """
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    spec = folder / "hostile.json"
    spec.write_text(json.dumps(SPEC, ensure_ascii=True), encoding="utf-8")
    assert "\\ud83d\\udc4d" in spec.read_text(encoding="utf-8")  # the escape PyYAML refused
    regenerate.generate_into(folder / "out", spec=spec)
    return folder / "out"


@pytest.mark.e2e
def test_a_hostile_spec_generates_a_package_that_sends_and_returns_what_it_should(package: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", USE], cwd=package, env={"PYTHONPATH": str(package)}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    used = json.loads(done.stdout)
    assert used["update"][:3] == ["name", "body_name", "size"]
    assert used["payload"] == "<thing/>"
    assert used["mime_type"] == "application/xml"
    assert used["names"] == ["a", "b"]
    assert used["seen"] == [
        {"method": "GET", "path": "/things/a%20b", "body": ""},
        {"method": "PATCH", "path": "/things/x", "body": '{"name":"y","size":3}'},
        {"method": "GET", "path": "/resources/r", "body": ""},
    ]


@pytest.mark.e2e
def test_the_renamed_body_field_is_documented(package: Path) -> None:
    resource = (package / "calyptia_cloud_client" / "api" / "destiny2" / "__init__.py").read_text(encoding="utf-8")
    assert "\nclass Destiny2Operations(_Resource[AuthenticatedClient]):" in resource  # both other names are models'

    assert "body_name (str | Unset):" in resource
    assert "(The body's `name`: a parameter or option has that name.)" in resource


@pytest.mark.e2e
def test_the_rewrites_are_listed_by_pointer(package: Path) -> None:
    changes = (package.parent / "out.normalized.txt").read_text(encoding="utf-8").splitlines()
    assert "the tag 'Destiny2' is the resource `destiny2`" in changes
    assert "#/paths/~1things~1{name}/get/responses/200/content: application/xml is read and sent as bytes" in changes
    assert any(
        line.startswith("#/components/schemas/Resource/properties/names: allOf of one reference") for line in changes
    )


@pytest.mark.e2e
def test_a_spec_the_generator_cannot_read_is_refused_naming_the_operation(tmp_path: Path) -> None:
    spec = tmp_path / "bad.json"
    bad = json.loads(json.dumps(SPEC))
    bad["paths"]["/things/{name}"]["get"]["parameters"] = [{"name": "q", "in": "query", "schema": {"enum": [True, 1]}}]
    spec.write_text(json.dumps(bad), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tools.generation.regenerate", "into", str(tmp_path / "out"), "--spec", str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("generator: it cannot read the endpoint GET /things/{name}"), done.stderr
    assert "generator_config.yml's left_out" in done.stderr


def test_a_package_that_does_not_compile_names_the_function(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "api" / "pets").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "api" / "__init__.py").write_text("")
    (package / "api" / "pets" / "__init__.py").write_text(
        "class Pets:\n    def update(self, name, name):\n        pass\n"
    )
    with pytest.raises(GeneratedCodeError) as raised:
        verify_package(package, lambda module, function: f"{module.parent.name}.{function}")
    assert str(raised.value).startswith(
        "pets.update: the generated code does not import (pkg/api/pets/__init__.py:2: SyntaxError: duplicate argument"
    )


def test_a_package_that_does_not_import_names_the_module_and_line(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models" / "__init__.py").write_text("")
    (package / "models" / "pet.py").write_text("import typing\n\nclass Pet(typing.Missing):\n    pass\n")
    with pytest.raises(GeneratedCodeError) as raised:
        verify_package(package, lambda module, function: f"{module.name}/{function}")
    message = str(raised.value)
    assert message.startswith("pet.py/None: the generated code does not import (pkg/models/pet.py:3: AttributeError")


@pytest.mark.e2e
def test_an_operation_left_out_has_no_method_and_the_readme_says_why(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    reason = "its resources are read through the things, in this client"
    settings = {"left_out": [{"operation": "GET /resources/{name}", "reason": reason}]}
    regenerate.generate_into(tmp_path / "out", spec=spec, settings=settings)
    package = tmp_path / "out" / "calyptia_cloud_client"
    assert not (package / "api" / "destiny2" / "get_resource.py").exists()
    assert (package / "api" / "destiny2" / "get_thing.py").exists()
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "## Left out\n\nThese operations of the spec have no method here" in readme
    assert f"- `GET /resources/{{name}}`: {reason}\n" in readme
