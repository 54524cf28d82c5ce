"""The one small spec utility of the tools and tests: load a spec, walk JSON pointers, follow `$ref`s.

Every job reads OpenAPI documents the same way, so the walk is written once here. The mock
(`calyptia_mock.compiled_spec`) keeps its own copy because it ships alone, without `tools/`.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "METHODS",
    "SafeDumper",
    "SafeLoader",
    "SpecDataError",
    "SpecReadError",
    "as_json_data",
    "at_pointer",
    "json_pointer",
    "load",
    "mappings",
    "operations",
    "pointer_parts",
    "resolve_ref",
]

# The HTTP methods a path item may hold (OpenAPI 3.1, "Path Item Object"), lower-case as they
# are written there; a path item's other keys (parameters, summary, servers...) are not operations.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load(path: Path) -> dict[str, Any]:
    """A spec file (YAML or JSON) as JSON data (as_json_data); a file that is not a mapping, or holds
    what JSON cannot, is a ValueError naming where, not a crash later.

    A JSON document is read as JSON: JSON is a subset of YAML 1.2 but not of the YAML 1.1 that
    PyYAML reads, which refuses a surrogate pair's escape (`"\\ud83d\\udc4d"`, an emoji)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SpecReadError(f"{path}: not UTF-8 text ({exc})") from exc
    document = _parse(path, text)
    if not isinstance(document, dict):
        raise SpecReadError(f"{path}: not an OpenAPI document (not a mapping)")
    return as_json_data(document)  # type: ignore[no-any-return]


class SpecReadError(ValueError):
    """A spec file that cannot be read as a document: not UTF-8, not JSON or YAML, not a mapping."""


def _parse(path: Path, text: str) -> Any:
    """A `.json` file as JSON; any other as JSON when it parses as JSON (a YAML flow mapping may
    start with `{` too), else as YAML."""
    as_json = path.suffix.lower() == ".json"
    if as_json or text.lstrip("\ufeff \t\r\n").startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if as_json:
                raise SpecReadError(f"{path}: not valid JSON: {exc}") from exc
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise SpecReadError(f"{path}: not valid YAML: {exc}") from exc


# libyaml's safe loader and dumper where PyYAML was built with it (about ten times faster on
# a large spec: 0.08 s against 0.89 s to load the vendor's description), else the pure ones.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# A lone UTF-16 surrogate: json.loads keeps one (`"\\ud83d"` alone), and no file can hold it as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


class SpecDataError(ValueError):
    """A spec holds a value JSON cannot (a YAML-only form that has no JSON spelling)."""

    def __init__(self, pointer: str, reason: str) -> None:
        super().__init__(f"{pointer}: {reason}")
        self.pointer = pointer
        self.reason = reason


def as_json_data(document: Any, where: tuple[str, ...] = ()) -> Any:
    """The document as JSON data: what YAML alone allows is written the way JSON would.

    OpenAPI is JSON; YAML is only its other spelling. A YAML loader turns `200:` into the
    integer key 200 and an unquoted `2026-12-06` into a date, which the generator and JSON
    Schema validators then refuse or misread. Integer, float and boolean keys become their
    JSON text (`200`, `true`), dates and timestamps their ISO 8601 text. What has no JSON
    spelling (a key that is a list, NaN or infinity, two keys that become the same text, binary
    data) raises SpecDataError naming its JSON pointer.
    """
    pointer = json_pointer(where) if where else "#"
    if isinstance(document, Mapping):
        converted: dict[str, Any] = {}
        for key, value in document.items():
            text = _key_text(key, pointer)
            if text in converted:
                raise SpecDataError(pointer, f"the keys {key!r} and {text!r} are the same key in JSON")
            converted[text] = as_json_data(value, (*where, text))
        return converted
    if isinstance(document, list):
        return [as_json_data(item, (*where, str(index))) for index, item in enumerate(document)]
    if isinstance(document, datetime.datetime | datetime.date):
        return document.isoformat()
    if isinstance(document, float) and not math.isfinite(document):
        raise SpecDataError(pointer, f"{document!r} is not a JSON number; quote it if it is meant as text")
    if isinstance(document, str):
        if _SURROGATE.search(document):
            raise SpecDataError(pointer, "a string holds an unpaired surrogate escape, which is no Unicode text")
        return document
    if document is None or isinstance(document, int | float | bool):
        return document
    raise SpecDataError(pointer, f"a {type(document).__name__} has no JSON form")


def _key_text(key: object, pointer: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int) or (isinstance(key, float) and math.isfinite(key)):
        return str(key)
    if isinstance(key, datetime.datetime | datetime.date):
        return key.isoformat()
    raise SpecDataError(pointer, f"the key {key!r} is a {type(key).__name__}; JSON keys are strings")


def pointer_parts(pointer: str) -> tuple[str, ...]:
    """The keys a JSON pointer walks (`#/components/schemas/A~1B` or `/paths/~1v1~1projects`),
    unescaped as RFC 6901 says: `~1` before `~0`, so that `~01` stays the key `~1`."""
    body = pointer.removeprefix("#").removeprefix("/")
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in body.split("/")) if body else ()


def json_pointer(parts: Iterable[str]) -> str:
    """The local `$ref` (`#/a~1b/c`) of a sequence of keys: the inverse of `pointer_parts`."""
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def at_pointer(document: Any, pointer: str) -> Any:
    """What `pointer` names in `document`; a list is indexed by the part as an integer.
    A pointer that names nothing raises LookupError (or ValueError for a list index that is not one)."""
    node = document
    for part in pointer_parts(pointer):
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, Mapping):
            node = node[part]
        else:
            raise KeyError(part)
    return node


def resolve_ref(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/components/...`), and chains of them, to the object they name."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        node = at_pointer(spec, node["$ref"])
    return node


def mappings(
    node: Any, where: tuple[str, ...] = (), skip: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every mapping in `node` with the keys that lead to it, parents first, not descending into
    the keys in `skip`. A caller may change the mapping it is given: its children are listed
    after it has had it."""
    if isinstance(node, dict):
        yield where, node
        for key, value in list(node.items()):
            if key not in skip:
                yield from mappings(value, (*where, str(key)), skip)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from mappings(value, (*where, str(index)), skip)


def operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation of the spec, in the order it is written."""
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, Mapping) and method in item:
                yield path, method, item[method]
