"""A human-readable API reference page for the OpenAPI description, rendered on the server.

The mock runs where the network may be closed (CI, an offline laptop), so the page is one
self-contained HTML document: inline CSS, no JavaScript, nothing fetched from a CDN. Jinja2
autoescapes every value taken from the spec; the only markup not escaped by the template is
built here, and only from already-escaped text (the small Markdown converter and the type
labels with their links to schema anchors).

The spec is walked into small frozen view objects first, so that the template stays
declarative and every `$ref`, default and fallback is decided in one typed place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from markupsafe import Markup, escape

__all__ = ["markdown", "render_reference_page"]

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Shown beside a field, in this order: (keyword, label).
_CONSTRAINTS = (
    ("minimum", "min"),
    ("exclusiveMinimum", "greater than"),
    ("maximum", "max"),
    ("exclusiveMaximum", "less than"),
    ("multipleOf", "multiple of"),
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("pattern", "pattern"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("uniqueItems", "unique items"),
    ("enum", "one of"),
    ("const", "always"),
    ("default", "default"),
    ("additionalProperties", "additional properties"),
)

_HEADING = re.compile(r"(#{1,6})\s+(.+?)(?:\s+#+)?")
_BULLET = re.compile(r"[-*+]\s+(.*)")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")


# --- Markdown --------------------------------------------------------------------------


def _inline(text: str) -> Markup:
    """Escape a line of text, turning `code` spans into <code>; nothing else is markup."""
    parts = _CODE_SPAN.split(text)  # odd indices are the code spans' contents
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if index % 2 else escape(part) for index, part in enumerate(parts)
    )


def markdown(text: object) -> Markup:
    """Render the CommonMark subset the spec's descriptions use: paragraphs, `#` headings,
    bullet lists and `code` spans. Anything else (HTML included) is shown as escaped text,
    because a description must never be able to inject markup or script into the page.

    Headings are shifted down one level, since the page's own headings sit above them.
    """
    if not isinstance(text, str) or not text.strip():
        return Markup("")
    out: list[Markup] = []
    paragraph: list[str] = []
    items: list[list[str]] = []

    def flush() -> None:
        if paragraph:
            out.append(Markup("<p>{}</p>").format(_inline(" ".join(paragraph))))
            paragraph.clear()
        if items:
            lis = Markup("").join(Markup("<li>{}</li>").format(_inline(" ".join(item))) for item in items)
            out.append(Markup("<ul>{}</ul>").format(lis))
            items.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif heading := _HEADING.fullmatch(stripped):
            flush()
            level = min(len(heading[1]) + 1, 6)
            out.append(Markup("<h{0}>{1}</h{0}>").format(level, _inline(heading[2])))
        elif bullet := _BULLET.fullmatch(stripped):
            if paragraph:
                flush()
            items.append([bullet[1]])
        elif items and line[:1].isspace():  # an indented continuation of the last item
            items[-1].append(stripped)
        else:
            if items:
                flush()
            paragraph.append(stripped)
    flush()
    return Markup("\n").join(out)


# --- Schemas and $refs -----------------------------------------------------------------


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s for display. Keys next to a `$ref` (3.1 allows `description`
    and `summary` there) override the target's, as the spec means them to; a remote,
    dangling or cyclic `$ref` is left as it is rather than failing the whole page."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(ref := node.get("$ref"), str):
        if not ref.startswith("#/") or ref in seen:
            return node
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            key = unquote(part).replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or key not in target:
                return node
            target = target[key]
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node = {**target, **siblings} if siblings and isinstance(target, Mapping) else target
    return node


def _schema_name(node: Any) -> str | None:
    """The component name a schema `$ref` points at, which the page links to."""
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return unquote(ref.rsplit("/", 1)[1]).replace("~1", "/").replace("~0", "~")
    return None


def _anchor(prefix: str, name: str) -> str:
    """An HTML id for a name (operationIds and component names are usually already fine)."""
    return prefix + (_NOT_ID.sub("-", name).strip("-") or "x")


def _type_label(schema: Any) -> Markup:
    """A short type such as `string | null`, `array[Project]` or `ProjectName | null`.

    A `$ref` is shown as a link to the component rather than expanded, so recursive and
    deeply nested schemas stay readable. OpenAPI 3.1's `type: [string, 'null']` and
    3.0-style `nullable: true` both come out as `... | null`.
    """
    if not isinstance(schema, Mapping):
        return Markup("any")
    if name := _schema_name(schema):
        return Markup('<a href="#{}">{}</a>').format(_anchor("schema-", name), name)
    for keyword, separator in (("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")):
        if isinstance(alternatives := schema.get(keyword), list) and alternatives:
            return escape(separator).join(_type_label(alternative) for alternative in alternatives)
    declared = schema.get("type")
    types = [declared] if isinstance(declared, str) else [str(t) for t in declared or [] if t is not None]
    if not types:
        types = ["object" if "properties" in schema else "array" if "items" in schema else "any"]
    if schema.get("nullable") is True and "null" not in types:
        types.append("null")
    labels = [
        Markup("array[{}]").format(_type_label(schema["items"]))
        if kind == "array" and "items" in schema
        else escape(kind)
        for kind in types
    ]
    return escape(" | ").join(labels)


def _json(value: Any, indent: int | None = None) -> str:
    """JSON text for an example or a constraint value (YAML may hold dates; show them as text)."""
    return json.dumps(value, indent=indent, ensure_ascii=False, default=str)


def _constraints(schema: Any) -> list[tuple[str, str]]:
    """(label, value) pairs for the validation keywords a reader needs, items' included."""
    if not isinstance(schema, Mapping):
        return []
    found: list[tuple[str, str]] = []
    for keyword, label in _CONSTRAINTS:
        if keyword in schema and not isinstance(schema[keyword], Mapping):
            value = schema[keyword]
            if keyword == "enum" and isinstance(value, list):
                text = ", ".join(_json(option) for option in value)
            else:
                text = value if keyword == "pattern" and isinstance(value, str) else _json(value)
            found.append((label, text))
    items = schema.get("items")
    if isinstance(items, Mapping) and not _schema_name(items):
        found += [(f"items: {label}", value) for label, value in _constraints(items)]
    return found


@dataclass(frozen=True)
class Field:
    """One row of a property, parameter or header table."""

    name: str
    type: Markup
    format: str
    required: bool
    description: str
    constraints: list[tuple[str, str]]
    location: str = ""


@dataclass(frozen=True)
class SchemaView:
    """A schema as the page shows it: its own type and description, then its properties."""

    name: str
    anchor: str
    type: Markup
    format: str
    description: str
    constraints: list[tuple[str, str]]
    fields: list[Field]


def _field(
    spec: Mapping[str, Any],
    name: str,
    raw: Any,
    required: bool,
    location: str = "",
    host: Mapping[str, Any] | None = None,
) -> Field:
    """A table row. `raw` is the schema as written (so a `$ref` shows as a link) and its
    resolved form supplies format and constraints. `host` is the parameter or header that
    holds the schema: its description and example sit beside the schema, not in it."""
    resolved = _resolve(spec, raw)
    resolved = resolved if isinstance(resolved, Mapping) else {}
    constraints = _constraints(resolved)
    if host is not None and "example" in host:
        example = host["example"]
        constraints.append(("example", example if isinstance(example, str) else _json(example)))
    return Field(
        name=name,
        type=_type_label(raw),
        format=str(resolved.get("format", "")),
        required=required,
        description=str((resolved if host is None else host).get("description", "")),
        constraints=constraints,
        location=location,
    )


def _schema_view(spec: Mapping[str, Any], name: str, raw: Any) -> SchemaView:
    """A component schema (or an inline body schema, with an empty name) and its properties."""
    schema = _resolve(spec, raw)
    schema = schema if isinstance(schema, Mapping) else {}
    required = set(schema.get("required") or [])
    properties = schema.get("properties")
    fields = [
        _field(spec, str(prop), sub, prop in required)
        for prop, sub in (properties.items() if isinstance(properties, Mapping) else [])
    ]
    return SchemaView(
        name=name,
        anchor=_anchor("schema-", name) if name else "",
        type=_type_label(schema),
        format=str(schema.get("format", "")),
        description=str(schema.get("description", "")),
        constraints=_constraints(schema),
        fields=fields,
    )


# --- Operations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Media:
    """One media type of a request or response body, with its examples as JSON text."""

    media_type: str
    type: Markup
    inline: SchemaView | None  # set when the schema is written out here rather than $ref'd
    examples: list[tuple[str, str]]


@dataclass(frozen=True)
class Link:
    """An OpenAPI response link, pointing at another operation's section."""

    name: str
    anchor: str
    operation_id: str
    description: str
    parameters: list[tuple[str, str]]


@dataclass(frozen=True)
class Response:
    """One status of an operation."""

    status: str
    component: str  # the components/responses name it was taken from, if any
    description: str
    headers: list[Field]
    content: list[Media]
    links: list[Link]


@dataclass(frozen=True)
class Body:
    """An operation's request body."""

    required: bool
    description: str
    content: list[Media]


@dataclass(frozen=True)
class Operation:
    """One operation, as its own section of the page."""

    anchor: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    security: list[list[tuple[str, str]]]  # alternatives of (scheme anchor, scheme name) groups
    parameters: list[Field]
    body: Body | None
    responses: list[Response]


def _example_text(media_type: str, value: Any) -> str:
    """Pretty JSON for JSON bodies; any other media type's string example as it is."""
    if isinstance(value, str) and "json" not in media_type:
        return value
    return _json(value, indent=2)


def _media(spec: Mapping[str, Any], content: Any) -> list[Media]:
    """The media types of a body, each with every example (single `example` or named `examples`)."""
    found: list[Media] = []
    for media_type, raw in content.items() if isinstance(content, Mapping) else []:
        media = _resolve(spec, raw)
        if not isinstance(media, Mapping):
            continue
        schema = media.get("schema")
        examples: list[tuple[str, str]] = []
        if "example" in media:
            examples.append(("Example", _example_text(media_type, media["example"])))
        named = media.get("examples")
        for key, example in named.items() if isinstance(named, Mapping) else []:
            example = _resolve(spec, example)
            if isinstance(example, Mapping) and "value" in example:
                title = str(example.get("summary") or key)
                examples.append((title, _example_text(media_type, example["value"])))
        inline = None
        if isinstance(schema, Mapping) and not _schema_name(schema) and isinstance(schema.get("properties"), Mapping):
            inline = _schema_view(spec, "", schema)
        found.append(
            Media(str(media_type), _type_label(schema) if schema is not None else Markup(""), inline, examples)
        )
    return found


def _security(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> list[list[tuple[str, str]]]:
    """The operation's security requirements (else the document's): any one group suffices,
    and every scheme within a group is needed. An empty group means no credentials."""
    requirements = operation["security"] if "security" in operation else spec.get("security", [])
    return [
        [(_anchor("auth-", str(name)), str(name)) for name in requirement]
        for requirement in requirements or []
        if isinstance(requirement, Mapping)
    ]


def _responses(spec: Mapping[str, Any], operation: Mapping[str, Any], anchors: Mapping[str, str]) -> list[Response]:
    """Every documented status, with headers, bodies, examples and links resolved."""
    found: list[Response] = []
    responses = operation.get("responses")
    for status, raw in responses.items() if isinstance(responses, Mapping) else []:
        response = _resolve(spec, raw)
        if not isinstance(response, Mapping):
            continue
        ref = raw.get("$ref") if isinstance(raw, Mapping) else None
        component = ref.rsplit("/", 1)[1] if isinstance(ref, str) and "/responses/" in ref else ""
        headers = []
        for name, header in (response.get("headers") or {}).items():
            header = _resolve(spec, header)
            if isinstance(header, Mapping):
                required = bool(header.get("required"))
                headers.append(_field(spec, str(name), header.get("schema"), required, host=header))
        links = []
        for name, link in (response.get("links") or {}).items():
            link = _resolve(spec, link)
            if isinstance(link, Mapping):
                target = str(link.get("operationId", ""))
                parameters = [
                    (str(k), v if isinstance(v, str) else _json(v)) for k, v in link.get("parameters", {}).items()
                ]
                links.append(
                    Link(str(name), anchors.get(target, ""), target, str(link.get("description", "")), parameters)
                )
        found.append(
            Response(
                status=str(status),
                component=component,
                description=str(response.get("description", "")),
                headers=headers,
                content=_media(spec, response.get("content")),
                links=links,
            )
        )
    return found


def _operations(spec: Mapping[str, Any]) -> list[Operation]:
    """Every operation in the spec's own order, parameters merged from the path item (the operation's
    own override a path-level one with the same name and location)."""
    paths = spec.get("paths") or {}
    entries = [
        (str(path), method, item[method])
        for path, item in paths.items()
        if isinstance(item, Mapping)
        for method in item
        if method in METHODS and isinstance(item[method], Mapping)
    ]

    def anchor_of(path: str, method: str, operation: Mapping[str, Any]) -> str:
        return _anchor("op-", str(operation.get("operationId") or f"{method}-{path}"))

    anchors = {str(op["operationId"]): anchor_of(p, m, op) for p, m, op in entries if "operationId" in op}
    found: list[Operation] = []
    for path, method, operation in entries:
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*(paths[path].get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter = _resolve(spec, raw)
            if isinstance(parameter, Mapping):
                merged[(str(parameter.get("name")), str(parameter.get("in")))] = parameter
        parameters = [
            _field(spec, name, p.get("schema"), bool(p.get("required")), location, host=p)
            for (name, location), p in merged.items()
        ]
        body = _resolve(spec, operation.get("requestBody"))
        found.append(
            Operation(
                anchor=anchor_of(path, method, operation),
                operation_id=str(operation.get("operationId", "")),
                method=method.upper(),
                path=path,
                summary=str(operation.get("summary", "")),
                description=str(operation.get("description", "")),
                deprecated=bool(operation.get("deprecated")),
                security=_security(spec, operation),
                parameters=parameters,
                body=Body(
                    bool(body.get("required")), str(body.get("description", "")), _media(spec, body.get("content"))
                )
                if isinstance(body, Mapping)
                else None,
                responses=_responses(spec, operation, anchors),
            )
        )
    return found


# --- Document-level parts --------------------------------------------------------------


@dataclass(frozen=True)
class Scheme:
    """A security scheme, described in words (its URLs as text, never as links)."""

    name: str
    anchor: str
    kind: str
    description: str


def _scheme_kind(scheme: Mapping[str, Any]) -> str:
    """`HTTP bearer`, `API key in header X-Project-Token` and the like."""
    kind = scheme.get("type")
    if kind == "http":
        bearer_format = scheme.get("bearerFormat")
        return f"HTTP {scheme.get('scheme', '')}" + (f" ({bearer_format})" if bearer_format else "")
    if kind == "apiKey":
        return f"API key in {scheme.get('in', '?')} {scheme.get('name', '?')}"
    if kind == "oauth2":
        return "OAuth 2.0, flows: " + ", ".join(map(str, scheme.get("flows") or {}))
    if kind == "openIdConnect":
        return f"OpenID Connect, discovery at {scheme.get('openIdConnectUrl', '?')}"
    return "Mutual TLS" if kind == "mutualTLS" else str(kind)


def _schemes(spec: Mapping[str, Any]) -> list[Scheme]:
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    found: list[Scheme] = []
    for name, raw in schemes.items():
        scheme = _resolve(spec, raw)
        if isinstance(scheme, Mapping):
            found.append(
                Scheme(str(name), _anchor("auth-", str(name)), _scheme_kind(scheme), str(scheme.get("description", "")))
            )
    return found


def _text(mapping: Any, *keys: str) -> str:
    """A nested string from the spec, or "" when any step is missing."""
    for key in keys:
        mapping = mapping.get(key) if isinstance(mapping, Mapping) else None
    return "" if mapping is None else str(mapping)


def _build_environment() -> jinja2.Environment:
    """One Environment for the process: the template is parsed and compiled once, and
    autoescaping is on for everything it renders."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters["markdown"] = markdown
    return environment


_ENVIRONMENT = _build_environment()
_TEMPLATE = _ENVIRONMENT.get_template("reference.html")


def render_reference_page(spec: Mapping[str, Any]) -> str:
    """The whole reference page for a parsed OpenAPI document, as one HTML5 string."""
    info = spec.get("info") or {}
    servers: Iterable[Any] = spec.get("servers") or []
    schemas = (spec.get("components") or {}).get("schemas") or {}
    return _TEMPLATE.render(
        title=_text(info, "title") or "API reference",
        version=_text(info, "version"),
        summary=_text(info, "summary"),
        description=_text(info, "description"),
        contact=(_text(info, "contact", "name"), _text(info, "contact", "url"), _text(info, "contact", "email")),
        license=(_text(info, "license", "name"), _text(info, "license", "identifier") or _text(info, "license", "url")),
        openapi=str(spec.get("openapi", "")),
        servers=[(_text(s, "url"), _text(s, "description")) for s in servers if isinstance(s, Mapping)],
        schemes=_schemes(spec),
        operations=_operations(spec),
        schemas=[_schema_view(spec, str(name), schema) for name, schema in schemas.items()],
    )
