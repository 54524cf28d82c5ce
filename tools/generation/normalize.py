"""Rewrite what the generator cannot read into equivalent OpenAPI it can, before it runs.

openapi-python-client skips (or, under `--fail-on-warning`, refuses) whole operations for
constructs that have a faithful equivalent it does read. Each step below makes one such
rewrite on the generator's input only (openapi.yaml and the mock never see it), and says what
it did, by JSON pointer, in `Normalized.changes`:

- **names**: each operation's first tag becomes the client's resource name
  (calyptia_mock.operation_names.resource_name). The generator snake-cases a tag by a rule of its
  own (`OAuth2` is `o_auth_2` there, `o_auth2` in the mock); given a name already in snake_case
  it keeps it as it is, so the package, the client's attributes and the mock's fault names are
  one rule, by construction;
- **references**: a `$ref` to anything but a whole component (`#/paths/...`, a component's
  property) is replaced by a copy of what it names: the generator resolves only components;
- **allOf of one reference to a non-object** (`allOf: [{$ref: Name}, {description: ...}]`, as
  AWS's descriptions write every documented field) takes that schema, with the annotations
  beside it: the generator can only merge objects;
- **media types**: where a JSON alternative is offered, it is the only one kept; a request body
  or response offered only in a type the generator does not read (XML, PDF, `*/*`, `image/*`,
  `text/plain` bodies) becomes bytes: its schema a binary string, its media type read as
  `application/octet-stream` (generator setting `content_type_overrides`), so a body is sent
  as given with its own Content-Type, and a response comes back as a File holding the raw
  bytes and the response's content type;
- **path parameters** cannot be null (the generator refuses `None` in a path): a path parameter
  is required, so `nullable` and a `null` type are dropped from its schema.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from calyptia_mock.operation_names import EXTENSION, method_names, resource_name
from openapi_python_client.parser.openapi import generate_operation_id
from openapi_python_client.schema.untrusted_string import UntrustedString
from openapi_python_client.strings import ClassName, PythonIdentifier, snake_case

from tools.spec import METHODS, at_pointer, json_pointer, mappings, pointer_parts

__all__ = ["Normalized", "normalize"]

# Keys that describe a schema without constraining it: an allOf member made only of these adds
# documentation, not structure.
ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "readOnly", "writeOnly", "deprecated", "nullable"}
    | {"externalDocs", "xml", "$comment"}
)
# Annotations that only document: beside a reference to a model, they need no class of their own
# (the generator makes one for any allOf, named after the property: a second class of the
# same shape, whose name may be another model's: AWS's `Instance.Status` is `InstanceStatus`).
DOCUMENTATION = frozenset({"description", "example", "examples", "externalDocs", "$comment", "deprecated"})
BYTES = "application/octet-stream"
BINARY = {"type": "string", "format": "binary"}
# Component sections whose direct children the generator resolves a `$ref` to.
COMPONENT_SECTIONS = frozenset(
    {"schemas", "responses", "parameters", "requestBodies", "headers", "examples", "securitySchemes", "links"}
)


@dataclass
class Normalized:
    """The generator's input, the settings it needs read that way, and what was rewritten."""

    document: dict[str, Any]
    content_type_overrides: dict[str, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)


def normalize(
    spec: dict[str, Any], prefix: str = "field_", content_type_overrides: Mapping[str, str] | None = None
) -> Normalized:
    """Apply every step, in place on `spec` (the caller passes its own copy). `prefix` is the
    generator's `field_prefix`, which it puts before a name that is no identifier;
    `content_type_overrides` its setting of that name: a media type is read as what it names."""
    result = Normalized(spec)
    result.content_type_overrides.update(content_type_overrides or {})
    _name_resources(result)
    _inline_foreign_references(result)  # first: a path item copied from another carries its names
    _name_operations(result, prefix)
    _one_reference_all_of(result)
    _hoist_inline_models_of_bases(result)
    _titles_of_other_schemas(result)
    _reserved_class_names(result)
    _nullable_all_of_members(result)
    _media_types(result)
    _path_parameters(result)
    _string_enums(result)
    _model_defaults(result)
    return result


# -- names ---------------------------------------------------------------------------------


def _name_resources(result: Normalized) -> None:
    renamed: dict[str, str] = {}
    for _, _, operation in _operations(result.document):
        tags = operation.get("tags")
        if isinstance(tags, list) and tags and isinstance(tags[0], str):
            name = resource_name(tags[0])
            if name != tags[0]:
                renamed[tags[0]] = name
                tags[0] = name
    for tag in result.document.get("tags") or []:
        if isinstance(tag, dict) and tag.get("name") in renamed:
            tag["name"] = renamed[tag["name"]]
    result.changes += [f"the tag {old!r} is the resource `{new}`" for old, new in sorted(renamed.items())]


def _name_operations(result: Normalized, prefix: str) -> None:
    """Each operation's method name settled (`x-python-method`), then its operationId made one the
    generator names no other operation's module by.

    The method names are the mock's (calyptia_mock.operation_names), decided here once and
    written down, so that no rewrite after this one can change them. The generator names each
    operation's module by its operationId in snake_case (`getPet` and `get_pet` are both
    `get_pet.py`) and writes the second over the first, without a warning: a method lost behind
    exit 0. A later operation whose name is taken gets a number (`get_pet_2`)."""
    document = result.document
    for entry in method_names(document):
        document["paths"][entry.path][entry.http_method][EXTENSION] = entry.method
    taken: set[str] = set()
    for path, method, operation in _operations(document):
        given = operation.get("operationId")
        name = (
            str(PythonIdentifier(str(given), prefix=prefix))
            if given
            else str(generate_operation_id(path=UntrustedString(path), method=method, prefix=prefix))
        )
        free = _free_name(name, taken, separator="_")
        if free != name:
            operation["operationId"] = free
            where = json_pointer(("paths", path, method, "operationId"))
            result.changes.append(f"{where}: {given or '(none)'} is {free}: another operation's module is {name}.py")


# -- references ----------------------------------------------------------------------------


def _is_component(reference: str) -> bool:
    parts = pointer_parts(urllib.parse.unquote(reference))
    return (
        reference.startswith("#/") and len(parts) == 3 and parts[0] == "components" and parts[1] in COMPONENT_SECTIONS
    )


def _inline_foreign_references(result: Normalized) -> None:
    document = result.document

    def inline(node: Any, where: tuple[str, ...], following: frozenset[str]) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#") and not _is_component(reference):
                if reference in following:
                    return node  # a cycle through non-components: left for the generator to name
                try:  # a fragment is percent-encoded (RFC 6901, section 6): `{` is %7B there
                    target = at_pointer(document, urllib.parse.unquote(reference))
                except (LookupError, ValueError):
                    return node  # a reference to nothing: the generator names it
                result.changes.append(
                    f"{json_pointer(where)}: the $ref {reference} is replaced by a copy of its target"
                )
                siblings = {key: value for key, value in node.items() if key != "$ref"}
                copied = inline(copy.deepcopy(target), where, following | {reference})
                return {**copied, **siblings} if isinstance(copied, dict) else copied
            return {key: inline(value, (*where, key), following) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value, (*where, str(index)), following) for index, value in enumerate(node)]
        return node

    inlined = inline(document, (), frozenset())
    document.clear()
    document.update(inlined)


# -- allOf ---------------------------------------------------------------------------------


def _resolve(document: Mapping[str, Any], node: Any) -> Any:
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        try:
            node = at_pointer(document, node["$ref"])
        except (LookupError, ValueError):
            return None
    return node


def _is_model(schema: Any) -> bool:
    """A schema the generator makes a model of, or merges as one (a union is neither)."""
    if not isinstance(schema, Mapping):
        return False
    kinds = schema.get("type")
    if kinds == "object" or (isinstance(kinds, list) and "object" in kinds):
        return True
    return any(key in schema for key in ("properties", "additionalProperties", "allOf"))


def _makes_class(schema: Mapping[str, Any]) -> bool:
    """A schema that becomes a Python class (a model, an enum): a copy of it would be a second one."""
    return _is_model(schema) or "enum" in schema


def _one_reference_all_of(result: Normalized) -> None:
    document = result.document
    for where, schema in _schemas(document):
        members = schema.get("allOf")
        if not isinstance(members, list):
            continue
        references = [m for m in members if isinstance(m, dict) and "$ref" in m]
        others = [m for m in members if not (isinstance(m, dict) and "$ref" in m)]
        if len(references) != 1 or not all(isinstance(m, dict) and set(m) <= ANNOTATIONS for m in others):
            continue
        target = _resolve(document, references[0])
        annotations: dict[str, Any] = {}
        for member in others:
            annotations.update(member)
        annotations.update({key: value for key, value in schema.items() if key != "allOf"})
        # A component that is an allOf of one other (`Aliased: {allOf: [{$ref: AModel}]}`) is a
        # class of its own name: as a bare reference the generator would make AModel twice.
        component = len(where) == 3 and where[:2] == ("components", "schemas")
        if target is None or (_is_model(target) and (component or not set(annotations) <= DOCUMENTATION)):
            continue
        del schema["allOf"]
        if _makes_class(target) and not component:
            schema.update({"$ref": references[0]["$ref"], **annotations})
        else:
            schema.update({**copy.deepcopy(target), **annotations})
        result.changes.append(f"{json_pointer(where)}: allOf of one reference and documentation takes that schema")


# -- models of bases -----------------------------------------------------------------------


def _hoist_inline_models_of_bases(result: Normalized) -> None:
    """Give an inline model or enum of a component schema a component of its own, under the name
    the generator gives it (its title, else the schema's name and the property's), where the
    generator would make that class twice: when others extend the schema (`allOf: [{$ref:
    Base}]`) or it is nullable (Docker's RegistryServiceConfig), or when the name is another
    schema's already.

    The generator makes the class of an inline schema each time it reads the schema around it,
    and reads a base once for itself and once for each schema that extends it: the second time,
    it refuses the "duplicate model" (Azure's descriptions extend `Resource` and the like this
    way); so it does when `Location.metadata` would be `LocationMetadata` and a schema has that
    name. A component is read once. A name already taken gets a number (`LocationMetadata2`)."""
    document = result.document
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    bases = {
        pointer_parts(urllib.parse.unquote(member["$ref"]))[-1]
        for _, holder in _schemas(document)
        for member in holder["allOf"]
        if isinstance(member, dict)
        and isinstance(member.get("$ref"), str)
        and member["$ref"].startswith("#/components/schemas/")
    }
    # A nullable model is read twice too: once for itself, once as the union's non-null member.
    bases |= {name for name, schema in schemas.items() if isinstance(schema, dict) and _is_nullable(schema)}
    taken = {str(ClassName(str(name), "")) for name in schemas}
    for base in list(schemas):
        schema = schemas.get(base)
        if not isinstance(schema, dict):
            continue
        slots = [(name, "properties", name) for name in (schema.get("properties") or {})]
        slots += [("additional_property", "additionalProperties", None)]
        for suffix, key, name in slots:
            holder: Any = schema.get(key) if name is None else schema["properties"]
            inline = holder if name is None else holder.get(name)
            if not (isinstance(inline, dict) and "$ref" not in inline and _makes_class(inline)):
                continue
            generated = str(ClassName(str(inline.get("title") or f"{base}_{suffix}"), ""))
            if base not in bases and generated not in taken:
                continue
            component = _free_name(generated, taken)
            inline.pop("title", None)
            schemas[component] = inline
            reference = {"$ref": f"#/components/schemas/{component}"}
            if name is None:
                schema[key] = reference
            else:
                described = {"description": inline["description"]} if "description" in inline else {}
                holder[name] = {**reference, **described}
            result.changes.append(
                f"{json_pointer(('components', 'schemas', base, key, *([name] if name else [])))}: the inline"
                f" schema is the component {component}: "
                + (f"{base} is extended or nullable" if base in bases else f"{generated} is another schema's name")
            )


def _titles_of_other_schemas(result: Normalized) -> None:
    """Drop a schema's `title` where it is another component schema's name: the generator names a
    class by its title, and would make two of one name (Amadeus's `ExtendedPrice` is titled
    `Price`, beside `Price`)."""
    schemas = (result.document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    names = {str(ClassName(str(key), "")): key for key in schemas}
    places = [(("components", "schemas"), schemas), (("paths",), result.document.get("paths") or {})]
    titled = [
        (where, schema)
        for start, root in places
        for where, schema in mappings(root, start)
        if isinstance(schema.get("title"), str)
        and len(where) > 2
        and not {"example", "examples"} & set(where)
        and _makes_class(schema)
    ]
    # A title that names two schemas' classes (Adyen titles ApplePayDetails and ApplePayDonations
    # both `Apple Pay`) names neither: each takes its own name.
    shared = Counter(str(ClassName(schema["title"], "")) for _, schema in titled)
    for where, schema in titled:
        title = schema["title"]
        own = where[2] if where[:2] == ("components", "schemas") and len(where) == 3 else None
        owner = names.get(str(ClassName(title, "")))
        if owner is not None and _same_class(schema, schemas[owner]):
            continue  # the generator makes one class of two equal schemas
        if (owner is not None and owner != own) or (shared[str(ClassName(title, ""))] > 1 and owner is None):
            del schema["title"]
            said = f"the schema {owner}'s name" if owner is not None else "the title of another schema too"
            result.changes.append(f"{json_pointer(where)}: the title {title!r} is {said}")


# Names the generated modules import beside the models (types, client, typing, the runtime): a
# model of one of these names would be shadowed by it, or shadow it (Appwrite has a model File).
RESERVED_CLASS_NAMES = frozenset(
    {"File", "FileTypes", "Response", "Unset", "Client", "AuthenticatedClient", "APIResponse", "Resource"}
    | {"Any", "Mapping", "Iterator", "AsyncIterator", "BytesIO", "HTTPStatus", "UUID", "T", "QueryValue"}
    | {"ResponseValueError", "Enum", "IntEnum", "StrEnum"}
)


def _same_class(one: Any, other: Any) -> bool:
    """Two schemas the generator makes one class of: equal but for their documentation."""

    def shape(schema: Any) -> Any:
        return {k: v for k, v in schema.items() if k not in ANNOTATIONS} if isinstance(schema, dict) else schema

    return bool(shape(one) == shape(other))


def _reserved_class_names(result: Normalized) -> None:
    """A schema whose class would take a name the generated code imports is titled `<Name>Model`."""
    schemas = (result.document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    taken = {
        str(ClassName(str(schema.get("title") or key), ""))
        for key, schema in schemas.items()
        if isinstance(schema, dict)
    }
    for key, schema in schemas.items():
        if not isinstance(schema, dict):
            continue
        name = str(ClassName(str(schema.get("title") or key), ""))
        if name in RESERVED_CLASS_NAMES:
            schema["title"] = _free_name(f"{name}Model", taken)
            where = json_pointer(("components", "schemas", key))
            result.changes.append(f"{where}: its class is {schema['title']}: the generated code imports a {name}")


def _nullable_all_of_members(result: Normalized) -> None:
    """An allOf member that refers to a nullable model is a copy of it, not null: the generator
    reads the reference as the union `Model | None` and cannot merge it (Docker's `Swarm` extends
    the nullable `ClusterInfo`). Beside an object member, null could not match anyway."""
    document = result.document
    for where, holder in list(_schemas(document)):
        for index, member in enumerate(holder["allOf"]):
            if not (isinstance(member, dict) and isinstance(member.get("$ref"), str)):
                continue
            target = _resolve(document, member)
            if not (isinstance(target, dict) and _is_model(target) and _is_nullable(target)):
                continue
            copied = {key: value for key, value in copy.deepcopy(target).items() if key != "nullable"}
            if isinstance(copied.get("type"), list):
                kinds = [kind for kind in copied["type"] if kind != "null"]
                copied["type"] = kinds[0] if len(kinds) == 1 else kinds
            holder["allOf"][index] = copied
            result.changes.append(
                f"{json_pointer((*where, 'allOf', str(index)))}: the nullable {member['$ref']} is a copy, not null"
            )


def _is_nullable(schema: Mapping[str, Any]) -> bool:
    kinds = schema.get("type")
    return schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)


def _free_name(name: str, taken: set[str], separator: str = "") -> str:
    """`name`, or the first of name2, name3... (name_2 with separator `_`) not taken; now taken."""
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}{separator}{number}", number + 1
    taken.add(candidate)
    return candidate


# -- media types ---------------------------------------------------------------------------


def _media_kind(media_type: str) -> str:
    """json, form, multipart, bytes or text as the generator reads a media type; other for the rest."""
    essence = media_type.split(";", 1)[0].strip().lower()
    if essence == "application/json" or essence.endswith("+json"):
        return "json"
    if essence == "application/x-www-form-urlencoded":
        return "form"
    if essence == "multipart/form-data":
        return "multipart"
    if essence == BYTES:
        return "bytes"
    if essence.startswith("text/") and "*" not in essence:
        return "text"
    return "other"


# What the generator reads, in the order one is preferred when several are offered.
BODY_KINDS = ("json", "form", "multipart", "bytes")
RESPONSE_KINDS = ("json", "text", "bytes")


def _media_types(result: Normalized) -> None:
    for where, content, readable in _contents(result.document):
        if not isinstance(content, dict) or not content:
            continue
        keys = list(content)
        read_as = {key: result.content_type_overrides.get(key, key) for key in keys}
        chosen = min(keys, key=lambda key: _preference(read_as[key], readable))
        for key in keys:
            if key != chosen:
                del content[key]
        if len(keys) > 1:
            dropped = ", ".join(key for key in keys if key != chosen)
            result.changes.append(f"{json_pointer(where)}: {chosen} is read; {dropped} left to the raw response")
        kind = _media_kind(read_as[chosen])
        if kind == "text" and not _is_text(content[chosen]):
            kind = "other"  # text the generator would read as str into a File (format: binary), or as a model
        if kind in readable and kind != "bytes":
            continue
        content[chosen] = _binary(content[chosen])
        if kind != "bytes":
            result.content_type_overrides[chosen] = BYTES
            result.changes.append(f"{json_pointer(where)}: {chosen} is read and sent as bytes")
    # The generator reads a media type one way everywhere (content_type_overrides has no place):
    # one read as bytes for a body (text/plain) is bytes in every response too.
    for where, content, _ in _contents(result.document):
        for key in list(content) if isinstance(content, dict) else []:
            is_binary = isinstance(content[key], dict) and content[key].get("schema", {}).get("format") == "binary"
            if result.content_type_overrides.get(key) == BYTES and not is_binary:
                content[key] = _binary(content[key])
                result.changes.append(f"{json_pointer(where)}: {key} is read as bytes, as it is elsewhere")


def _binary(media: Any) -> dict[str, Any]:
    """A media type object whose schema is the raw bytes (its description kept, its examples not)."""
    copied = dict(media) if isinstance(media, dict) else {}
    schema = copied.get("schema")
    description = schema.get("description") if isinstance(schema, dict) else None
    copied["schema"] = {**BINARY, **({"description": description} if isinstance(description, str) else {})}
    copied.pop("example", None)
    copied.pop("examples", None)
    return copied


def _is_text(media: Any) -> bool:
    """A text response's schema is text: a string that is not binary, or none at all."""
    schema = media.get("schema") if isinstance(media, dict) else None
    if schema is None:
        return True
    return (
        isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") not in ("binary", "byte")
    )


def _preference(media_type: str, readable: tuple[str, ...]) -> int:
    """The rank of a media type where a body or response offers several: JSON first."""
    kind = _media_kind(media_type)
    return readable.index(kind) if kind in readable else len(readable)


def _contents(document: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], Any, tuple[str, ...]]]:
    """(where, content map, the kinds the generator reads there) of every request body and response."""
    components = document.get("components") or {}
    for name, body in (components.get("requestBodies") or {}).items():
        if isinstance(body, dict):
            yield ("components", "requestBodies", name, "content"), body.get("content"), BODY_KINDS
    for name, response in (components.get("responses") or {}).items():
        if isinstance(response, dict):
            yield ("components", "responses", name, "content"), response.get("content"), RESPONSE_KINDS
    for path, method, operation in _operations(document):
        body = operation.get("requestBody")
        if isinstance(body, dict) and "content" in body:
            yield ("paths", path, method, "requestBody", "content"), body["content"], BODY_KINDS
        for status, response in (operation.get("responses") or {}).items():
            if isinstance(response, dict) and "content" in response:
                yield ("paths", path, method, "responses", status, "content"), response["content"], RESPONSE_KINDS


# -- path parameters -----------------------------------------------------------------------


def _path_parameters(result: Normalized) -> None:
    document = result.document
    declared: list[tuple[tuple[str, ...], Any]] = []
    for name, parameter in ((document.get("components") or {}).get("parameters") or {}).items():
        declared.append((("components", "parameters", name), parameter))
    for path, item in (document.get("paths") or {}).items():
        owners = [((), item)] + [((method,), item[method]) for method in METHODS if isinstance(item.get(method), dict)]
        for steps, owner in owners:
            for index, parameter in enumerate(owner.get("parameters") or []):
                declared.append((("paths", path, *steps, "parameters", str(index)), parameter))
    for where, parameter in declared:
        if not (isinstance(parameter, dict) and parameter.get("in") == "path"):
            continue
        schema = parameter.get("schema")
        if not isinstance(schema, dict):
            continue
        if "default" in schema:  # a path parameter is required: a default only moves it after optional ones
            result.changes.append(f"{json_pointer(where)}: a path parameter has no default ({schema.pop('default')!r})")
        kinds = schema.get("type")
        if schema.pop("nullable", False) or (isinstance(kinds, list) and "null" in kinds):
            if isinstance(kinds, list):
                kept = [kind for kind in kinds if kind != "null"]
                schema["type"] = kept[0] if len(kept) == 1 else kept
            result.changes.append(f"{json_pointer(where)}: a path parameter cannot be null")


# -- string enums --------------------------------------------------------------------------


def _string_enums(result: Normalized) -> None:
    """Enums as the generator can make a class of them.

    - An enum of `type: string` whose values are not all strings (`enum: [true, 1]`) lists them
      as their JSON text, which is how a string parameter or field carries them: the generator
      refuses an enum of mixed types.
    - An enum of objects or lists is its type alone: the generator makes enums of scalars only.
    - A value listed twice is listed once (the generator refuses the duplicate member).
    - A `default` that is none of the values is dropped: the generator refuses it, and a
      server that documents it would not accept it either."""
    for where, schema in mappings(result.document):
        values = schema.get("enum")
        if not isinstance(values, list) or {"example", "examples"} & set(where):
            continue
        if any(isinstance(value, dict | list) for value in values):  # Docker's `enum: [{}]`
            del schema["enum"]
            result.changes.append(f"{json_pointer(where)}: an enum of objects or lists is its type alone")
            continue
        if schema.get("type") == "string" and not all(isinstance(v, str) for v in values):
            texts = [value if isinstance(value, str) else json.dumps(value) for value in values]
            schema["enum"] = values = [text for text in texts if text != "null"]
            result.changes.append(f"{json_pointer(where)}: the string enum's values are spelled as strings")
        unique = [json.loads(text) for text in dict.fromkeys(json.dumps(value, sort_keys=True) for value in values)]
        if len(unique) != len(values):
            schema["enum"] = unique
            result.changes.append(f"{json_pointer(where)}: a value the enum lists twice is listed once")
        _member_names(schema, where, result)
        if "default" in schema and schema["default"] not in schema["enum"] and schema["default"] is not None:
            result.changes.append(f"{json_pointer(where)}: the default {schema.pop('default')!r} is none of the values")


def _member_names(schema: dict[str, Any], where: tuple[str, ...], result: Normalized) -> None:
    """Give a string enum `x-enum-varnames` where the generator would name two members alike
    (`asc` and `ASC` are both ASC; `a-b` and `a_b` both A_B): it raises on the one, and writes
    one member over the other on the second."""
    values = schema["enum"]
    if "x-enum-varnames" in schema or not all(isinstance(value, str) for value in values):
        return
    names = [snake_case(v.upper() if v and v[0].isalpha() else f"VALUE_{i}").upper() for i, v in enumerate(values)]
    if len(set(names)) == len(names):
        return
    taken: set[str] = set()
    schema["x-enum-varnames"] = [_free_name(name, taken, separator="_") for name in names]
    result.changes.append(f"{json_pointer(where)}: the enum's members are named {schema['x-enum-varnames']}")


def _model_defaults(result: Normalized) -> None:
    """A model's or a file's schema has no `default` (openaq's `Meta2: {allOf: [Meta], default: {...}}`): the generator
    refuses one, and a client that sends what the caller gives has no use for it."""
    for where, schema in mappings(result.document):
        if "default" not in schema or {"example", "examples", "properties"} & set(where[-1:]):
            continue
        is_model = schema.get("type") == "object" or "properties" in schema or "allOf" in schema
        if is_model or schema.get("format") == "binary":
            result.changes.append(f"{json_pointer(where)}: a model or file has no default ({schema.pop('default')!r})")


# -- walks ---------------------------------------------------------------------------------


def _operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    yield path, method, item[method]


def _schemas(document: Any) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every mapping in the document that holds an `allOf`, with its place."""
    return ((where, node) for where, node in mappings(document) if "allOf" in node)
