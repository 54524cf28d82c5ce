"""openapi-core's validators, built once per operation at startup.

`OpenAPI.unmarshal_request` re-resolves every parameter's schema through jsonschema-path
and builds a fresh JSON Schema validator (deep-copying its format checker) on every call:
about 0.9 ms a request, most of the mock's time. Profiling showed the validation itself
is a few microseconds. So this module asks openapi-core, once, for the SchemaCaster and
SchemaValidator of every parameter and request body in the spec, and applies them per
request. The rules still come only from openapi.yaml, checked by openapi-core's own
validators; spec_check.CrossCheckingValidator runs the full unmarshal_request beside this
path and fails loudly if the two ever disagree (the tests run that way).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema_path import SchemaPath
from openapi_core.casting.schemas import oas31_schema_casters_factory
from openapi_core.casting.schemas.casters import PrimitiveCaster
from openapi_core.casting.schemas.exceptions import CastError
from openapi_core.validation.schemas import oas31_schema_validators_factory
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from openapi_core.validation.schemas.validators import SchemaValidator

from calyptia_mock.operations import OperationTable, operation_table

__all__ = [
    "CompiledOperation",
    "CompiledParameter",
    "ParameterError",
    "compile_operations",
    "pointer_parts",
    "resolve_ref",
    "schema_validator",
]


class ParameterError(ValueError):
    """A parameter is missing, cannot be cast to its type, or breaks its schema."""

    def __init__(self, name: str, location: str, message: str, schema_errors: tuple[Any, ...] = ()) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.location = location
        self.schema_errors = schema_errors


# How an integer is written in a URL: ASCII digits with an optional sign. Python's int()
# (openapi-core's caster) also takes " 5", "1_0" and non-ASCII digits; the service does not.
INTEGER_SYNTAX = re.compile(r"[+-]?[0-9]+")
# How many distinct valid values each parameter remembers (CompiledParameter.parsed).
MAX_REMEMBERED = 4096
IMMUTABLE = (str, int, float, bool)


@dataclass(frozen=True)
class CompiledParameter:
    name: str
    location: str
    required: bool
    default: Any
    has_default: bool
    integer: bool
    schema_type: str | None
    caster: PrimitiveCaster  # openapi-core's caster for the schema's type, looked up once
    validator: SchemaValidator
    # Raw value -> its parsed value, for values that passed: casting and validating are pure
    # functions of the value and the schema, and a client repeats its IDs and page sizes.
    parsed: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def check_syntax(self, raw: str) -> None:
        """Reject what openapi-core's lenient casting would accept but the service does not."""
        if self.integer and not INTEGER_SYNTAX.fullmatch(raw):
            raise ParameterError(self.name, self.location, f"{raw!r} is not an integer")

    def parse(self, raw: str) -> Any:
        """Cast a raw string to the schema's type, then validate it (once per distinct value)."""
        try:
            return self.parsed[raw]
        except KeyError:
            pass
        value = self._parse(raw)
        if isinstance(value, IMMUTABLE):  # an array parameter's list is the handler's to change
            if len(self.parsed) >= MAX_REMEMBERED:
                self.parsed.clear()  # bounded: endless distinct values only cost the parse
            self.parsed[raw] = value
        return value

    def _parse(self, raw: str) -> Any:
        try:
            value = self.caster(raw)
        except (ValueError, TypeError):
            # What openapi-core's SchemaCaster.cast raises, with its message.
            raise ParameterError(self.name, self.location, str(CastError(raw, self.schema_type))) from None
        try:
            self.validator.validate(value)
        except InvalidSchemaValue as exc:
            messages = "; ".join(str(getattr(error, "message", error)) for error in exc.schema_errors)
            raise ParameterError(self.name, self.location, messages, tuple(exc.schema_errors)) from None
        return value


@dataclass(frozen=True)
class CompiledOperation:
    parameters: tuple[CompiledParameter, ...]
    body: SchemaValidator | None

    def check_syntax(self, path: Mapping[str, str], query: Mapping[str, str]) -> None:
        for parameter in self.parameters:
            source = path if parameter.location == "path" else query
            if parameter.name in source:
                parameter.check_syntax(source[parameter.name])

    def parse_parameters(
        self, path: Mapping[str, str], query: Mapping[str, str]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Path and query values after casting, validation and defaults."""
        parsed: dict[str, dict[str, Any]] = {"path": {}, "query": {}}
        for parameter in self.parameters:
            source = path if parameter.location == "path" else query
            if parameter.name in source:
                parsed[parameter.location][parameter.name] = parameter.parse(source[parameter.name])
            elif parameter.required:
                raise ParameterError(parameter.name, parameter.location, "is required")
            elif parameter.has_default:
                parsed[parameter.location][parameter.name] = parameter.default
        return parsed["path"], parsed["query"]

    def check_body(self, value: Any) -> None:
        """Raise InvalidSchemaValue when the parsed JSON body breaks its schema."""
        if self.body is not None:
            self.body.validate(value)


def compile_operations(
    spec: Mapping[str, Any], table: OperationTable | None = None
) -> dict[tuple[str, str], CompiledOperation]:
    """(METHOD, path template) -> its compiled validators, for every operation of the app's
    operation table (operations.py: the one walk of the spec's paths)."""
    root = SchemaPath.from_dict(dict(spec))
    compiled = {}
    for operation in table if table is not None else operation_table(spec):
        item = spec["paths"][operation.path]
        item_path = root / "paths" / operation.path
        operation_path = item_path / operation.method.lower()
        parameters = [
            _parameter(root, spec, parameter, path / "parameters" / index / "schema")
            for owner, path in ((item, item_path), (operation.node, operation_path))
            for index, parameter in enumerate(owner.get("parameters", []))
        ]
        compiled[operation.method, operation.path] = CompiledOperation(
            tuple(parameters), _body(root, spec, operation.node, operation_path)
        )
    return compiled


def schema_validator(spec: Mapping[str, Any], *keys: str) -> SchemaValidator:
    """openapi-core's validator for the schema at `keys` (`"components", "schemas", ...`)."""
    root = path = SchemaPath.from_dict(dict(spec))
    for key in keys:
        path = path / key
    return oas31_schema_validators_factory.create(root, path)


def pointer_parts(ref: str) -> tuple[str, ...]:
    """The keys a local `$ref` (`#/components/schemas/A~1B`) walks, unescaped as RFC 6901 says:
    `~1` before `~0`, so that `~01` stays the key `~1`."""
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in ref.removeprefix("#/").split("/"))


def resolve_ref(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/components/...`) to the object they name."""
    while isinstance(node, Mapping) and "$ref" in node:
        target: Any = spec
        for part in pointer_parts(node["$ref"]):
            target = target[part]
        node = target
    return node


def _parameter(root: SchemaPath, spec: Mapping[str, Any], node: Any, schema_path: SchemaPath) -> CompiledParameter:
    parameter = resolve_ref(spec, node)
    schema = resolve_ref(spec, parameter.get("schema", {}))
    # SchemaCaster.cast reads the schema's type through jsonschema-path on every call; the
    # type never changes, so ask it once for that type's caster (which it would pick anyway).
    schema_caster = oas31_schema_casters_factory.create(root, schema_path)
    return CompiledParameter(
        name=parameter["name"],
        location=parameter["in"],
        required=bool(parameter.get("required", False)),
        default=schema.get("default"),
        has_default="default" in schema,
        integer=schema.get("type") == "integer",
        schema_type=schema.get("type"),
        caster=schema_caster.get_type_caster(schema.get("type")),
        validator=oas31_schema_validators_factory.create(root, schema_path),
    )


def _body(
    root: SchemaPath, spec: Mapping[str, Any], operation: Mapping[str, Any], operation_path: SchemaPath
) -> SchemaValidator | None:
    """The JSON body's validator; an operation with one always gets a body (body.py)."""
    body = resolve_ref(spec, operation.get("requestBody"))
    if not body or "application/json" not in body.get("content", {}):
        return None
    schema_path = operation_path / "requestBody" / "content" / "application/json" / "schema"
    return oas31_schema_validators_factory.create(root, schema_path)
