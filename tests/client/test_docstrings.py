"""Every generated function and resource method carries the reference: the operation's
summary and description, each parameter's and body field's description from the spec, and
what it returns and raises. The expected text is read from the effective spec, so a
description added to openapi.yaml is checked without touching this test."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import calyptia_cloud_client.api as api
import pytest

from tools.overlay import apply_overlay_files
from tools.regenerate import OVERLAYS, SPEC, describe_parameter_schemas

EFFECTIVE: dict[str, Any] = describe_parameter_schemas(apply_overlay_files(SPEC, sorted(OVERLAYS.glob("*.yaml"))))
LOW_LEVEL = ["sync_detailed", "sync", "asyncio_detailed", "asyncio", "sync_raw", "asyncio_raw"]
LOW_LEVEL += ["sync_or_raise", "asyncio_or_raise", "iterate", "aiterate"]
RESOURCE_CLASSES = ["{}", "{}WithRawResponse", "Async{}", "Async{}WithRawResponse"]


def flat(text: str) -> str:
    return " ".join(text.split())


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = EFFECTIVE
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def operations() -> Iterator[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    for item in EFFECTIVE["paths"].values():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield (
                    operation["operationId"],
                    operation,
                    [resolve(p) for p in shared + operation.get("parameters", [])],
                )


def expected_texts(operation: dict[str, Any], parameters: list[dict[str, Any]], resource: bool) -> list[list[str]]:
    """Each entry: the texts of which at least one must appear (a field that $refs a schema
    may be documented by the field's own description or the schema's). A resource method
    takes the project token from its client, and says so, instead of as an argument."""
    texts = [[operation["summary"]], [operation["description"]]]
    for p in parameters:
        own_token = resource and p["name"] == "X-Project-Token"
        texts.append(["Sends the client's `project_token`"] if own_token else [p["description"]])
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body:
        for field in resolve(body).get("properties", {}).values():
            referenced = resolve({"$ref": field["$ref"]}) if "$ref" in field else {}
            texts.append([t for t in (field.get("description"), referenced.get("description")) if t])
    return texts


def documented_callables(operation_id: str, tag: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    module = importlib.import_module(f"{api.__name__}.{tag}.{operation_id}")
    for name in LOW_LEVEL:
        if hasattr(module, name):
            yield f"{operation_id}.{name}", getattr(module, name)
    resources = importlib.import_module(f"{api.__name__}.{tag}")
    words = [w for w in operation_id.split("_") if w not in {tag, tag.rstrip("s")}]
    for pattern in RESOURCE_CLASSES:
        cls = getattr(resources, pattern.format(tag.capitalize()))
        yield f"{cls.__name__}.{'_'.join(words)}", getattr(cls, "_".join(words))


CASES = [(op_id, op, params) for op_id, op, params in operations()]


@pytest.mark.parametrize(("operation_id", "operation", "parameters"), CASES, ids=[c[0] for c in CASES])
def test_every_call_style_documents_the_operation(
    operation_id: str, operation: dict[str, Any], parameters: list[dict[str, Any]]
) -> None:
    found = list(documented_callables(operation_id, operation["tags"][0]))
    assert len(found) >= 8
    for name, function in found:
        doc = flat(inspect.getdoc(function) or "")
        for alternatives in expected_texts(operation, parameters, resource=name[0].isupper()):
            assert any(flat(text) in doc for text in alternatives), (name, alternatives[0][:60])
        assert "Returns:" in doc
        assert "Raises:" in doc
        assert "errors." in doc
