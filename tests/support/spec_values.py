"""JSON values a schema of the spec accepts, built from the schema alone: for tests that walk
every schema (or every operation's answer) without an example written for it."""

from __future__ import annotations

from typing import Any

from tests.support.spec_examples import resolve

__all__ = ["SECRET", "instance_of"]

# What every `format: password` field holds in a built value: a test then looks for it.
SECRET = "s3cr3t-value-that-must-not-show"


def instance_of(schema: dict[str, Any], spec: dict[str, Any], secrets: list[str], where: str = "$") -> Any:
    """A JSON value `schema` accepts, every property present; each secret gets SECRET (its path
    recorded in `secrets`)."""
    schema = resolve(schema, spec)
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            choices = [resolve(choice, spec) for choice in schema[combinator]]
            return instance_of(next(c for c in choices if c.get("type") != "null"), spec, secrets, where)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = next(t for t in kind if t != "null") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return {
            name: instance_of(field, spec, secrets, f"{where}.{name}")
            for name, field in (schema.get("properties") or {}).items()
        }
    if kind == "array":
        return [instance_of(schema.get("items", {}), spec, secrets, f"{where}[0]")]
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "password":
            secrets.append(where)
            return SECRET
        return {
            "uuid": "0b6c4e1a-7d9f-4f3b-8a56-2c1d9e0f4a7b",
            "date-time": "2026-12-06T12:00:00Z",
            "date": "2026-12-06",
        }.get(fmt or "", "text")
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return "free-form"
