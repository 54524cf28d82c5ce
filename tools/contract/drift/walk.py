"""The drift walk: what one response carries that openapi.yaml does not describe.

No schema here forbids extra properties, so a response with a new field conforms and says
nothing; this walks the JSON body against the documented response schema ($refs resolved)
the other way round, and finds each

- `property` an object carries that its schema does not declare (unless the schema says
  `additionalProperties`, i.e. is free-form on purpose);
- `enum` value outside a documented enum;
- `type` of value a schema does not allow (an array item of another shape, say);
- `header` the documented response does not list (transport headers aside);
- `status` the operation does not document;

keyed by the spec element a maintainer edits to describe it. It also walks the spec's own
schemas for `tolerant_spec`, the copy a live run checks responses against.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tools.spec import at_pointer, json_pointer, operations, pointer_parts

__all__ = ["KINDS", "TRANSPORT_HEADERS", "Finding", "element_name", "response_findings", "tolerant_spec", "walk"]

KINDS = ("status", "header", "property", "enum", "type")

# Headers of HTTP itself, not of this API: no spec lists them. The run's drift_ignore_headers
# (CONTRACT_DRIFT_IGNORE_HEADERS) adds more, such as what a CDN in front of the live service adds.
TRANSPORT_HEADERS = frozenset(
    {
        "accept-ranges", "age", "alt-svc", "cache-control", "connection", "content-encoding",
        "content-language", "content-length", "content-type", "date", "etag", "expires",
        "keep-alive", "last-modified", "pragma", "server", "strict-transport-security",
        "transfer-encoding", "vary", "via", "www-authenticate", "x-content-type-options",
    }
)  # fmt: skip
JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}

Spec = Mapping[str, Any]
Pointer = tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """One undocumented thing in one response: `element` is the spec node to edit."""

    kind: str
    element: str
    pointer: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "element": self.element, "pointer": self.pointer, "name": self.name}


# --- the walk -------------------------------------------------------------------------------


def _resolve(spec: Spec, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
    """Follow local `$ref`s, keeping the pointer of where the schema really lives."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        node, pointer = at_pointer(spec, node["$ref"]), pointer_parts(node["$ref"])
    return node, pointer


def element_name(pointer: Pointer) -> str:
    """`Membership.roles[]` for a schema under components, else the operation's JSONPath-ish
    location (`GET /v1/projects 200`), the way a maintainer finds it in openapi.yaml."""
    if pointer[:2] == ("components", "schemas") and len(pointer) > 2:
        name, rest = pointer[2], pointer[3:]
    elif pointer[:1] == ("paths",) and len(pointer) > 5 and pointer[3] == "responses":
        name, rest = f"{pointer[2].upper()} {pointer[1]} {pointer[4]}", pointer[5:]
        while rest[:1] in (("content",), ("schema",)) or (rest and "/" in rest[0]):
            rest = rest[1:]
    else:
        return json_pointer(pointer)
    words: list[str] = []
    index = 0
    while index < len(rest):
        part = rest[index]
        if part == "properties" and index + 1 < len(rest):
            words.append(f".{rest[index + 1]}")
            index += 2
            continue
        if part == "items":
            words.append("[]")
        elif part in ("allOf", "anyOf", "oneOf") and index + 1 < len(rest):
            words.append(f"<{part}[{rest[index + 1]}]>")
            index += 1
        elif part == "additionalProperties":
            words.append(".*")
        else:
            words.append(f"/{part}")
        index += 1
    return name + "".join(words)


def _types(schema: Mapping[str, Any]) -> set[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    types = {declared} if isinstance(declared, str) else set(declared)
    if "number" in types:
        types.add("integer")
    return types


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    return next((name for name, kind in JSON_TYPES.items() if isinstance(value, kind)), "unknown")


def _branches(spec: Spec, schema: Mapping[str, Any], pointer: Pointer) -> Iterator[tuple[Mapping[str, Any], Pointer]]:
    """The schema and every allOf/anyOf/oneOf part of it, resolved, recursively."""
    yield schema, pointer
    for keyword in ("allOf", "anyOf", "oneOf"):
        for index, part in enumerate(schema.get(keyword) or []):
            resolved, where = _resolve(spec, part, (*pointer, keyword, str(index)))
            if isinstance(resolved, Mapping):
                yield from _branches(spec, resolved, where)


def walk(spec: Spec, value: Any, schema: Any, pointer: Pointer) -> Iterator[Finding]:
    """Every undocumented property, enum value and type in `value` against `schema`."""
    schema, pointer = _resolve(spec, schema, pointer)
    if not isinstance(schema, Mapping) or not schema:
        return  # `{}` or `true`: anything goes, on purpose
    value_type = _type_of(value)
    every_part = list(_branches(spec, schema, pointer))
    # A part that cannot hold this value (the `null` branch of a oneOf, say) says nothing about it.
    parts = [(part, where) for part, where in every_part if value_type in (_types(part) or {value_type})]
    if any(_types(part) for part, _ in every_part) and not any(_types(part) for part, _ in parts):
        yield Finding("type", element_name(pointer), json_pointer(pointer), value_type)
        return
    enums = [(part, where) for part, where in parts if "enum" in part]
    if enums and not any(value in part["enum"] for part, _ in enums):
        yield Finding("enum", element_name(enums[0][1]), json_pointer((*enums[0][1], "enum")), json.dumps(value))
    if isinstance(value, dict):
        yield from _walk_object(spec, value, parts, pointer)
    elif isinstance(value, list):
        items = [(part["items"], (*where, "items")) for part, where in parts if "items" in part]
        for item in value:
            for item_schema, where in items[:1]:
                yield from walk(spec, item, item_schema, where)


def _walk_object(
    spec: Spec, value: Mapping[str, Any], parts: list[tuple[Mapping[str, Any], Pointer]], pointer: Pointer
) -> Iterator[Finding]:
    declared: dict[str, tuple[Any, Pointer]] = {}
    for part, where in parts:
        for name, property_schema in (part.get("properties") or {}).items():
            declared.setdefault(name, (property_schema, (*where, "properties", name)))
    # Any other property fits a schema that says `additionalProperties` (free-form on purpose),
    # `patternProperties` or `unevaluatedProperties`, and is checked against it if it is one.
    extra: tuple[Any, Pointer] | None = None
    free_form = False
    for part, where in parts:
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            if part.get(keyword) not in (None, False):
                free_form = True
                if isinstance(part[keyword], Mapping) and extra is None:
                    extra = (part[keyword], (*where, keyword))
        free_form = free_form or bool(part.get("patternProperties"))
    for name, item in value.items():
        if name in declared:
            yield from walk(spec, item, *declared[name])
        elif extra is not None:
            yield from walk(spec, item, *extra)
        elif not free_form:
            yield Finding("property", element_name(pointer), json_pointer((*pointer, "properties")), name)


# --- one response ---------------------------------------------------------------------------


def _documented_response(spec: Spec, operation: Mapping[str, Any], status: int) -> tuple[Any, Pointer] | None:
    responses = operation.get("responses") or {}
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return responses[key], ("responses", key)
    return None


def response_findings(
    spec: Spec,
    method: str,
    path: str,
    status: int,
    headers: Mapping[str, Any],
    body: Any,
    ignored_headers: Iterable[str] = (),
) -> list[Finding]:
    """What one response of `method path` carries that the spec does not describe.

    `body` is the parsed JSON, or None when the response has no JSON body."""
    operation_pointer: Pointer = ("paths", path, method.lower())
    operation = spec["paths"][path][method.lower()]
    found = _documented_response(spec, operation, status)
    if found is None:
        where = json_pointer((*operation_pointer, "responses"))
        return [Finding("status", f"{method.upper()} {path}", where, str(status))]
    response, response_pointer = _resolve(spec, found[0], (*operation_pointer, *found[1]))
    ignored = TRANSPORT_HEADERS | {name.lower() for name in ignored_headers}
    documented = {name.lower() for name in (response.get("headers") or {})}
    if response_pointer[:2] == ("components", "responses"):
        response_name = f"response {response_pointer[2]}"
    else:
        response_name = f"{method.upper()} {path} {found[1][1]}"
    findings = [
        Finding("header", response_name, json_pointer((*response_pointer, "headers")), name)
        for name in sorted({name.lower() for name in headers} - documented - ignored)
    ]
    content = response.get("content") or {}
    media = next((key for key in content if "json" in key), None)
    if body is not None and media is not None and "schema" in content[media]:
        schema_pointer = (*response_pointer, "content", media, "schema")
        findings += walk(spec, body, content[media]["schema"], schema_pointer)
    return findings


# --- the tolerant spec for the run ----------------------------------------------------------


def tolerant_spec(spec: Spec) -> dict[str, Any]:
    """A copy of the spec whose response schemas list no enums, so that a new enum value is
    drift, reported, instead of a schema violation that fails the run. Schemas that requests
    also use keep their enums: negative tests need them."""
    result: dict[str, Any] = copy.deepcopy(dict(spec))
    request_side = _reachable(result, _request_schemas(result))
    for schema, pointer in list(_reachable_nodes(result, _response_schemas(result))):
        if pointer not in request_side and isinstance(schema, dict):
            schema.pop("enum", None)
    return result


def _operations(spec: Spec) -> Iterator[tuple[Pointer, Mapping[str, Any]]]:
    for path, method, operation in operations(spec):
        yield ("paths", path, method), operation


def _response_schemas(spec: Spec) -> Iterator[tuple[Any, Pointer]]:
    for pointer, operation in _operations(spec):
        for status, response in (operation.get("responses") or {}).items():
            resolved, where = _resolve(spec, response, (*pointer, "responses", str(status)))
            for media, content in (resolved.get("content") or {}).items():
                if "schema" in content:
                    yield content["schema"], (*where, "content", media, "schema")
            for name, header in (resolved.get("headers") or {}).items():
                header, header_pointer = _resolve(spec, header, (*where, "headers", name))
                if "schema" in header:
                    yield header["schema"], (*header_pointer, "schema")


def _request_schemas(spec: Spec) -> Iterator[tuple[Any, Pointer]]:
    for pointer, operation in _operations(spec):
        item = spec["paths"][pointer[1]]
        for owner, where in ((item, pointer[:2]), (operation, pointer)):
            for index, parameter in enumerate(owner.get("parameters") or []):
                resolved, at = _resolve(spec, parameter, (*where, "parameters", str(index)))
                if "schema" in resolved:
                    yield resolved["schema"], (*at, "schema")
        body, at = _resolve(spec, operation.get("requestBody") or {}, (*pointer, "requestBody"))
        for media, content in (body.get("content") or {}).items():
            if "schema" in content:
                yield content["schema"], (*at, "content", media, "schema")


def _reachable_nodes(spec: Spec, roots: Iterable[tuple[Any, Pointer]]) -> Iterator[tuple[Any, Pointer]]:
    """Every schema node under the roots, through $refs, each once."""
    seen: set[Pointer] = set()
    pending = list(roots)
    while pending:
        node, pointer = pending.pop()
        node, pointer = _resolve(spec, node, pointer)
        if pointer in seen or not isinstance(node, Mapping):
            continue
        seen.add(pointer)
        yield node, pointer
        for keyword in ("items", "additionalProperties", "not"):
            if isinstance(node.get(keyword), Mapping):
                pending.append((node[keyword], (*pointer, keyword)))
        for keyword in ("properties", "patternProperties"):
            for name, child in (node.get(keyword) or {}).items():
                pending.append((child, (*pointer, keyword, name)))
        for keyword in ("allOf", "anyOf", "oneOf", "prefixItems"):
            for index, child in enumerate(node.get(keyword) or []):
                pending.append((child, (*pointer, keyword, str(index))))


def _reachable(spec: Spec, roots: Iterable[tuple[Any, Pointer]]) -> set[Pointer]:
    return {pointer for _, pointer in _reachable_nodes(spec, roots)}
