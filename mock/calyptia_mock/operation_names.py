"""The client's name for each operation (`projects.list`), so a fault can be aimed the way a
test calls the API, not only by the spec's operationId (`projects`).

The generated client puts an operation on the resource named after its first tag, and names
the method after the operationId's words minus the tag's (singular or plural):
`create_project` under `projects` is `projects.create` (templates/resource_macros.jinja,
`method_name`). The vendor's IDs this mock serves can be the resource's name alone
(`projects`, `project`), which the client's overlay renames verb-first; with no word left,
the method says it as the overlay does: a GET on an item is `get`, on a collection `list`.
tests/mock/test_plugin.py checks that every name here is a method of the generated client.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["client_operation_names"]

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _words(name: str) -> list[str]:
    """`createProject`, `create_project` -> ["create", "project"]."""
    return [word.lower() for word in _WORD.findall(name)]


def method_name(operation_id: str, tag: str, method: str, path: str) -> str:
    tag_words = {tag.lower(), tag.lower().removesuffix("s")}
    words = [word for word in _words(operation_id) if word not in tag_words]
    if words:
        return "_".join(words)
    if method != "get":
        return method
    return "get" if path.rstrip("/").endswith("}") else "list"


def client_operation_names(spec: Mapping[str, Any]) -> dict[str, str]:
    """`resource.method` -> operationId, for every tagged operation of `spec`."""
    names = {}
    for path, item in spec.get("paths", {}).items():
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and operation.get("operationId") and operation.get("tags"):
                tag = str(operation["tags"][0])
                resource = "_".join(_words(tag))
                name = f"{resource}.{method_name(str(operation['operationId']), tag, method, path)}"
                names[name] = str(operation["operationId"])
    return names
