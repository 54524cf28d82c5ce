"""Every generated function and resource method carries the reference: the operation's
summary and description, each parameter's and body field's description from the spec, and
what it returns and raises; every model attribute whose description sits beside a `$ref`
carries that description. The expected text is read from the effective spec, and the
operations, their modules and method names from the spec (tests/support/operations.py), so
an operation or a description added to openapi.yaml is checked without touching this test."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import typing
from collections.abc import Callable, Iterator
from typing import Any

import calyptia_cloud_client.models as models
import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud
from openapi_python_client.strings import snake_case

from tests.support.operations import SpecOperation, spec_operations
from tools.generation.overlay import apply_overlay_files
from tools.generation.regenerate import describe_ref_properties, generator_input
from tools.paths import OVERLAYS, SPEC
from tools.spec import at_pointer

# The effective spec as written (a `$ref` keeps the description beside it), and as the generator reads it.
WRITTEN: dict[str, Any] = apply_overlay_files(SPEC, sorted(OVERLAYS.glob("*.yaml")))
EFFECTIVE: dict[str, Any] = generator_input(apply_overlay_files(SPEC, sorted(OVERLAYS.glob("*.yaml"))))
LOW_LEVEL = ["sync_detailed", "sync", "asyncio_detailed", "asyncio", "sync_raw", "asyncio_raw"]
LOW_LEVEL += ["sync_or_raise", "asyncio_or_raise", "iterate", "aiterate"]
# Whose attributes are the resources, one per tag: their annotations name the resource classes.
RESOURCE_OWNERS = [CalyptiaCloud, AsyncCalyptiaCloud]


def flat(text: str) -> str:
    return " ".join(text.split())


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """The object a `$ref` names, with the keys beside the `$ref` kept over its own (OpenAPI 3.1)."""
    while "$ref" in node:
        node = {**at_pointer(EFFECTIVE, node["$ref"]), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def operations() -> Iterator[tuple[SpecOperation, dict[str, Any], list[dict[str, Any]]]]:
    """Every operation of the spec, as the generator reads it, with its parameters resolved."""
    for named in spec_operations():
        item = EFFECTIVE["paths"][named.path]
        operation = item[named.http_method]
        yield named, operation, [resolve(p) for p in item.get("parameters", []) + operation.get("parameters", [])]


def expected_texts(operation: dict[str, Any], parameters: list[dict[str, Any]], resource: bool) -> list[list[str]]:
    """Each entry: the texts of which at least one must appear. A body field is documented
    by its own description, the one beside its `$ref` when it has one (OpenAPI 3.1: it
    overrides the referenced schema's), else the referenced schema's. A resource method
    takes the project token from its client, and says so, instead of as an argument."""
    texts = [[operation["summary"]], [operation["description"]]]
    for p in parameters:
        own_token = resource and p["name"] == "X-Project-Token"
        texts.append(["Sends the client's `project_token`"] if own_token else [p["description"]])
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body:
        for field in resolve(body).get("properties", {}).values():
            texts.append([resolve(field)["description"]])
    return texts


def documented_callables(named: SpecOperation) -> Iterator[tuple[str, Callable[..., Any]]]:
    """The operation's low-level functions, and its method on the sync and async resource and on
    their raw views: the module and the `resource.method` names as the spec gives them."""
    module = importlib.import_module(named.module)
    for name in LOW_LEVEL:
        if hasattr(module, name):
            yield f"{named.effective_id}.{name}", getattr(module, name)
    client = AuthenticatedClient(base_url="http://127.0.0.1:9", token="unused")
    for owner in RESOURCE_OWNERS:
        cls = typing.get_type_hints(owner)[named.resource]
        yield f"{cls.__name__}.{named.method}", getattr(cls, named.method)
        # The raw view's methods are the resource's own, bound to its raw twin.
        raw = cls(client).with_raw_response
        yield f"{type(raw).__name__}.{named.method}", getattr(raw, named.method)


CASES = list(operations())


@pytest.mark.operations
@pytest.mark.parametrize(("named", "operation", "parameters"), CASES, ids=[c[0].dotted for c in CASES])
def test_every_call_style_documents_the_operation(
    named: SpecOperation, operation: dict[str, Any], parameters: list[dict[str, Any]]
) -> None:
    found = list(documented_callables(named))
    assert len(found) >= 8
    for name, function in found:
        doc = flat(inspect.getdoc(function) or "")
        for alternatives in expected_texts(operation, parameters, resource=name[0].isupper()):
            assert any(flat(text) in doc for text in alternatives), (name, alternatives[0][:60])
        assert "Returns:" in doc
        assert "Raises:" in doc
        assert "errors." in doc


def attribute_docstrings(cls: type) -> dict[str, str]:
    """The string literal under each annotated attribute of a generated attrs class."""
    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    assert isinstance(body, ast.ClassDef)
    found = {}
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.target.id] = following.value.value
    return found


def described_refs() -> Iterator[tuple[str, str, str, bool]]:
    """(model, property, the description beside its $ref, whether the $ref names a model)."""
    for model, schema in WRITTEN["components"]["schemas"].items():
        for name, field in schema.get("properties", {}).items():
            if "$ref" in field and "description" in field:
                target = resolve({"$ref": field["$ref"]})
                yield model, name, field["description"], "properties" in target or "enum" in target


REF_CASES = [
    pytest.param(model, name, description, id=f"{model}.{name}") for model, name, description, _ in described_refs()
]


def test_the_spec_has_descriptions_beside_refs_of_both_kinds() -> None:
    kinds = {to_model for *_, to_model in described_refs()}
    assert kinds == {True, False}, "the test below no longer covers both kinds of $ref"


@pytest.mark.parametrize(("model", "name", "description"), REF_CASES)
def test_a_description_beside_a_ref_documents_the_attribute(model: str, name: str, description: str) -> None:
    docstrings = attribute_docstrings(getattr(models, model))
    assert flat(docstrings[snake_case(name)]) == flat(description)


def test_only_references_to_scalar_schemas_are_inlined() -> None:
    spec: dict[str, Any] = {
        "components": {
            "schemas": {
                "Name": {"type": "string", "description": "A name.", "maxLength": 3},
                "Colour": {"type": "string", "enum": ["red"], "description": "A colour."},
                "Thing": {"type": "object", "description": "A thing.", "properties": {}},
                "Holder": {
                    "type": "object",
                    "properties": {
                        "name": {"$ref": "#/components/schemas/Name", "description": "Its name."},
                        "plain": {"$ref": "#/components/schemas/Name"},
                        "colour": {"$ref": "#/components/schemas/Colour", "description": "Its colour."},
                        "thing": {"$ref": "#/components/schemas/Thing", "description": "Its thing."},
                    },
                },
            }
        }
    }
    properties = describe_ref_properties(spec)["components"]["schemas"]["Holder"]["properties"]
    assert properties == {
        "name": {"type": "string", "description": "Its name.", "maxLength": 3},
        "plain": {"$ref": "#/components/schemas/Name"},
        "colour": {"$ref": "#/components/schemas/Colour", "description": "Its colour."},
        "thing": {"$ref": "#/components/schemas/Thing", "description": "Its thing."},
    }
    assert spec["components"]["schemas"]["Name"]["description"] == "A name."  # the shared schema is untouched
