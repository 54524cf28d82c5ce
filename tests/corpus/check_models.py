"""Check every model of a generated package, run as a script against that package:

    PYTHONPATH=<package folder>:<repository> python -m tests.corpus.check_models <generator input>

It runs in a subprocess because the package under test is also called `calyptia_cloud_client`,
the name the test process has already imported from generated/. The models and their schemas
come from the generator's own parser (so inline models are covered, with the class names the
generator gave them). For each model:

- round trip: an example (the schema's own `example`, else one synthesized from the schema)
  goes through `from_dict`, then `to_dict`; a synthesized example must come back unchanged, a
  spec example must reach a fixed point (a second round trip changes nothing), since the spec
  may spell a date or number differently from Python;
- wrong type: for each property with a JSON type the schema rules out, the synthesized example
  (every property present, which a spec example may not have) with that one value replaced by
  a value of another type must raise the package's own `errors.ResponseValueError`.

Prints one JSON object: {"models": [{"model", "example", "round_trip", "wrong_type"}, ...]}.
"""

from __future__ import annotations

import copy
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData

from tools.generation.regenerate import CONFIG
from tools.spec import resolve_ref

# Deterministic values per string format; date-time in the spelling `isoformat()` writes back.
STRING_FORMATS = {
    "uuid": "0b6c4e1a-7d9f-4f3b-8a56-2c1d9e0f4a7b",
    "date-time": "2026-12-06T12:00:00+00:00",
    "date": "2026-12-06",
    "email": "someone@example.com",
    "uri": "https://example.com/",
}
# One value of each JSON type, tried in order as "a value of the wrong type".
WRONG_VALUES: list[tuple[str, Any]] = [
    ("integer", 12345),
    ("string", "wrong-type"),
    ("array", ["wrong-type"]),
    ("object", {"wrong": "type"}),
    ("boolean", True),
]
ALL_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})
MAX_DEPTH = 4


def merged(schema: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """The schema with `$ref` followed and `allOf` parts merged (properties and required)."""
    schema = resolve_ref(spec, schema) if isinstance(schema, dict) else {}
    if not schema.get("allOf"):
        return dict(schema)
    result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(result.get("properties") or {})
    required: list[str] = list(result.get("required") or [])
    for part in schema["allOf"]:
        part = merged(part, spec)
        properties.update(part.get("properties") or {})
        required += [name for name in part.get("required") or [] if name not in required]
        for key in ("type", "additionalProperties", "enum", "const", "format"):
            if key in part:
                result.setdefault(key, part[key])
    if properties:
        result["properties"] = properties
    if required:
        result["required"] = required
    return result


def json_types(schema: Any, spec: dict[str, Any], seen: frozenset[int] = frozenset()) -> frozenset[str]:
    """The JSON types a schema can accept (every type when it says nothing about it)."""
    schema = merged(schema, spec)
    if id(schema) in seen:
        return ALL_TYPES
    if "const" in schema:
        return frozenset({_type_of(schema["const"])})
    if "enum" in schema:
        return frozenset(_type_of(value) for value in schema["enum"])
    for combinator in ("oneOf", "anyOf"):
        if schema.get(combinator):
            found: frozenset[str] = frozenset()
            for choice in schema[combinator]:
                found |= json_types(choice, spec, seen | {id(schema)})
            return found | (frozenset({"null"}) if schema.get("nullable") else frozenset())
    kind = schema.get("type")
    if kind is None:
        return frozenset({"object"}) if "properties" in schema else ALL_TYPES
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "number" in kinds:
        kinds.add("integer")
    if schema.get("nullable"):
        kinds.add("null")
    return frozenset(kinds)


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def synthesize(schema: Any, spec: dict[str, Any], depth: int = 0) -> Any:
    """A JSON value the schema accepts: every property filled down to MAX_DEPTH, then only the
    required ones (so recursive models end); the first choice of a union that is not null."""
    schema = merged(schema, spec)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return next((value for value in schema["enum"] if value is not None), None)
    for combinator in ("oneOf", "anyOf"):
        if schema.get(combinator):
            choices = [merged(choice, spec) for choice in schema[combinator]]
            return synthesize(next((c for c in choices if c.get("type") != "null"), choices[0]), spec, depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required") or [])
        value = {
            name: synthesize(field, spec, depth + 1)
            for name, field in (schema.get("properties") or {}).items()
            if depth < MAX_DEPTH or name in required
        }
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra and depth < MAX_DEPTH:
            value["extra-key"] = synthesize(extra, spec, depth + 1)
        return value
    if kind == "array":
        return [synthesize(schema.get("items", {}), spec, depth + 1)] if depth < MAX_DEPTH else []
    if kind == "string":
        return STRING_FORMATS.get(str(schema.get("format", "")), "text")
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 1.5)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "free-form"


def models_and_schemas(input_file: Path) -> list[tuple[str, dict[str, Any]]]:
    """(class name, schema) of every model the generator makes of the document."""
    document = yaml.safe_load(input_file.read_text(encoding="utf-8"))
    config = Config.from_sources(ConfigFile.load_from_path(CONFIG), MetaType.PDM, input_file, "utf-8", True, None)
    data = GeneratorData.from_dict(document, config=config)
    if not isinstance(data, GeneratorData):
        raise SystemExit(f"the generator cannot parse {input_file}: {data}")
    return [
        (model.class_info.name, model.data.model_dump(mode="json", by_alias=True, exclude_defaults=True))
        for model in data.models
    ]


def comparable(value: Any) -> Any:
    """`value` with each File as to_dict() gives it, a (name, payload, MIME type) tuple, replaced
    by its payload's text: a payload is a stream, equal only to itself, and a file that came
    as a JSON string goes back as that tuple."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if isinstance(value, tuple) and len(value) == 3 and hasattr(value[1], "getvalue"):
        return value[1].getvalue().decode("utf-8", "replace")
    return value


def check_model(cls: Any, schema: dict[str, Any], spec: dict[str, Any], errors: Any) -> dict[str, Any]:
    """Round-trip and wrong-type results of one model class."""
    result: dict[str, Any] = {"model": cls.__name__}
    schema = merged(schema, spec)
    example = schema.get("example")
    source = "spec"
    if not isinstance(example, dict):
        example, source = synthesize(schema, spec), "synthesized"
    result["example"] = source
    try:
        out = cls.from_dict(copy.deepcopy(example)).to_dict()
        again = cls.from_dict(copy.deepcopy(out)).to_dict()
        if comparable(again) != comparable(out):
            result["round_trip"] = f"no fixed point: {out!r} then {again!r}"
        elif source == "synthesized" and comparable(out) != example:
            result["round_trip"] = f"changed: {example!r} became {out!r}"
        else:
            result["round_trip"] = "ok"
    except Exception as exc:  # the report names whatever a model raises
        result["round_trip"] = f"{type(exc).__name__}: {exc}"
    result["wrong_type"] = wrong_types(cls, schema, synthesize(schema, spec), spec, errors)
    return result


def wrong_types(cls: Any, schema: dict[str, Any], example: Any, spec: dict[str, Any], errors: Any) -> str:
    """'ok (N fields)' when each typed field raises ResponseValueError with a wrong-typed value,
    the first field that does not, or 'no typed field'."""
    if not isinstance(example, dict):
        return "no typed field"
    tried = 0
    for name, field in (schema.get("properties") or {}).items():
        allowed = json_types(field, spec)
        wrong = next((value for kind, value in WRONG_VALUES if kind not in allowed), None)
        if wrong is None or name not in example:
            continue
        tried += 1
        body = {**example, name: wrong}
        try:
            cls.from_dict(body)
        except errors.ResponseValueError:
            continue
        except Exception as exc:  # anything else is the finding
            return f"{name}={wrong!r} raised {type(exc).__name__}: {exc}"
        return f"{name}={wrong!r} was accepted"
    return f"ok ({tried} fields)" if tried else "no typed field"


def main(input_file: Path, package: str) -> None:
    spec = yaml.safe_load(input_file.read_text(encoding="utf-8"))
    models = importlib.import_module(f"{package}.models")
    errors = importlib.import_module(f"{package}.errors")
    results = [
        check_model(getattr(models, name), schema, spec, errors)
        if hasattr(models, name)
        else {"model": name, "example": "-", "round_trip": "class not exported", "wrong_type": "-"}
        for name, schema in models_and_schemas(input_file)
    ]
    print(json.dumps({"models": results}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "calyptia_cloud_client")
