"""Read `openapi.yaml` and pull out its examples, for the tests that check them.

Shared by the spec tests (every example validates) and the generated-client tests (the
client parses every example), so that both walk the description the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from openapi_schema_validator import OAS31Validator, oas31_format_checker

from tools import paths
from tools import spec as spec_tools

SPEC_PATH = paths.SPEC


@cache
def load_spec() -> dict[str, Any]:
    """The hand-written description, parsed once per test session."""
    return spec_tools.load(SPEC_PATH)


def resolve(node: Any, spec: dict[str, Any] | None = None) -> Any:
    """Follow a local `$ref` (and chains of them) to the object it names."""
    return spec_tools.resolve_ref(spec or load_spec(), node)


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation in the description."""
    return spec_tools.operations(load_spec())


def validator_for(schema: dict[str, Any]) -> OAS31Validator:
    """A 3.1 schema validator with format checks, whose `#/components/...` refs resolve."""
    root = {**schema, "components": load_spec()["components"]}
    return OAS31Validator(root, format_checker=oas31_format_checker)


@dataclass(frozen=True)
class Example:
    """One example value and the schema it claims to satisfy."""

    where: str
    value: Any
    schema: dict[str, Any]


def _media_examples(where: str, media: dict[str, Any]) -> Iterator[Example]:
    schema = media.get("schema", {})
    if "example" in media:
        yield Example(f"{where} example", media["example"], schema)
    for name, example in media.get("examples", {}).items():
        yield Example(f"{where} examples.{name}", resolve(example)["value"], schema)


def all_examples() -> Iterator[Example]:
    """Every example in the description: media types, parameters, headers and schemas."""
    spec = load_spec()
    for path, method, operation in operations():
        where = f"{method.upper()} {path}"
        parameters = [*spec["paths"][path].get("parameters", []), *operation.get("parameters", [])]
        for parameter in map(resolve, parameters):
            if "example" in parameter:
                yield Example(f"{where} parameter {parameter['name']}", parameter["example"], parameter["schema"])
        body = resolve(operation.get("requestBody", {}))
        for content_type, media in body.get("content", {}).items():
            yield from _media_examples(f"{where} request {content_type}", media)
        for status, response in operation["responses"].items():
            response = resolve(response)
            for content_type, media in response.get("content", {}).items():
                yield from _media_examples(f"{where} {status} {content_type}", media)
            for name, header in response.get("headers", {}).items():
                header = resolve(header)
                if "example" in header:
                    yield Example(f"{where} {status} header {name}", header["example"], header["schema"])
    yield from _schema_examples("#/components/schemas", spec["components"]["schemas"])


def _schema_examples(where: str, node: Any) -> Iterator[Example]:
    if isinstance(node, dict):
        if isinstance(node.get("examples"), list) and "type" in node:
            for index, value in enumerate(node["examples"]):
                yield Example(f"{where}/examples/{index}", value, node)
        for key, child in node.items():
            yield from _schema_examples(f"{where}/{key}", child)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _schema_examples(f"{where}/{index}", child)
