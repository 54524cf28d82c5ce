"""The one small spec utility of the tools and tests: load a spec, walk JSON pointers, follow `$ref`s.

Every job reads OpenAPI documents the same way, so the walk is written once here. The mock
(`calyptia_mock.compiled_spec`) keeps its own copy because it ships alone, without `tools/`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = ["METHODS", "at_pointer", "json_pointer", "load", "operations", "pointer_parts", "resolve_ref"]

# The HTTP methods a path item may hold (OpenAPI 3.1, "Path Item Object"), lower-case as they
# are written there; a path item's other keys (parameters, summary, servers...) are not operations.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load(path: Path) -> dict[str, Any]:
    """A spec file (YAML or JSON) as a mapping; a file that is not one is a ValueError, not a crash later."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not an OpenAPI document (not a mapping)")
    return document


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


def operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation of the spec, in the order it is written."""
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, Mapping) and method in item:
                yield path, method, item[method]
