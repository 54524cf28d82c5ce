"""Three corrections to api-smart-diff's verdicts, so that they can be trusted for the
generated package:

1. Entries under components/ for a component that paths use are not listed: api-smart-diff
   classifies them as if every schema were a request body (adding a required field to a
   response schema is "breaking" there), and lists the same change again, classified in
   context, under every operation that uses the component.
2. A replaced `type` in a response schema is breaking unless the new types are a subset of
   the old: api-smart-diff flips its request rule for responses, making any replaced type
   non-breaking there (integer -> string, or string -> [string, null]).
3. A changed operationId is breaking: in the effective spec it names the generated module
   and function, which api-smart-diff counts as an annotation.

Also: a description for every change, where api-smart-diff leaves one empty or vague.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tools.spec import METHODS, pointer_parts
from tools.spec_diff.changes import Change, PathPart, Report, Spec

__all__ = ["correct"]

PAST = {"add": "Added", "remove": "Removed", "replace": "Replaced", "rename": "Renamed"}


def correct(before: Spec, after: Spec, diffs: list[dict[str, Any]]) -> Report:
    """api-smart-diff's raw diffs from `before` to `after`, corrected and described."""
    used = _used_components(before) | _used_components(after)
    changes: list[Change] = []
    hidden = 0
    for diff in diffs:
        path = tuple(diff["path"])
        if len(path) > 3 and path[0] == "components" and (path[1], path[2]) in used:
            hidden += 1
            continue
        change = Change(
            type=diff["type"],
            action=diff["action"],
            path=path,
            description="",
            before=diff.get("before"),
            after=diff.get("after"),
        )
        change = _override(change)
        changes.append(_describe(change, diff.get("description", "")))
    return Report(changes, hidden)


def _used_components(spec: Spec) -> set[tuple[str, str]]:
    """(section, name) of every component reached by a local $ref from outside components/."""
    components = spec.get("components") or {}
    outside = {key: value for key, value in spec.items() if key != "components"}
    pending = list(_refs(outside))
    used: set[tuple[str, str]] = set()
    while pending:
        parts = pointer_parts(pending.pop())
        if len(parts) < 3 or parts[0] != "components":
            continue
        key = (parts[1], parts[2])
        if key in used:
            continue
        used.add(key)
        pending.extend(_refs((components.get(key[0]) or {}).get(key[1])))
    return used


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _override(change: Change) -> Change:
    """Corrections 2 and 3 of the module docstring."""
    path = change.path
    if change.type == "breaking":
        return change
    if len(path) == 4 and path[0] == "paths" and path[2] in METHODS and path[3] == "operationId":
        return _reclassified(change, "operationId names the generated module and function")
    if _replaces_response_type(change):
        return _reclassified(change, "a response field of another type breaks the code that reads it")
    return change


def _replaces_response_type(change: Change) -> bool:
    """A response schema's `type` (or one of its types) replaced by one the old did not allow."""
    path = change.path
    if change.action != "replace" or "responses" not in path or "schema" not in path:
        return False
    keyword_at = -1 if path[-1] == "type" else -2 if len(path) > 2 and path[-2] == "type" else 0
    if not keyword_at or path[keyword_at - 1] == "properties":  # a property named `type`
        return False
    old, new = _types(change.before), _types(change.after)
    return old is None or new is None or not new <= old


def _reclassified(change: Change, note: str) -> Change:
    return Change("breaking", change.action, change.path, change.description, change.before, change.after, note)


def _types(value: Any) -> set[str] | None:
    """A schema's `type` as a set, with integer inside number (every integer is a number)."""
    types = {value} if isinstance(value, str) else set(value) if isinstance(value, list) else None
    if types is not None and "number" in types:
        types.add("integer")
    return types


def _describe(change: Change, text: str) -> Change:
    """api-smart-diff leaves some descriptions empty, and words a change met again through a
    second $ref as `annotation (key)` whatever its class: name the schema node instead."""
    text = text.strip()
    subject = f"`{_schema_subject(change.path)}`"
    value = change.before if change.action == "remove" else change.after
    if len(change.path) > 1 and change.path[-2] == "properties":
        subject = f"property `{change.path[-1]}`"
    elif len(change.path) > 1 and change.path[-2] == "required" and isinstance(value, str):
        subject = f"required status of `{value}`"
    if not text or text.startswith("in "):
        text = f"[{PAST.get(change.action, change.action)}] {subject} {text}".strip()
    elif change.type != "annotation":
        text = re.sub(r"\bannotation \([^)]*\)", lambda _: subject, text, count=1)
    if change.note:
        text += f" (spec_diff: {change.note})"
    return Change(change.type, change.action, change.path, text, change.before, change.after, change.note)


def _schema_subject(path: tuple[PathPart, ...]) -> str:
    """The path below the nearest schema, else below the operation, dotted, for a description."""
    start = 3 if len(path) > 3 and path[0] == "paths" and path[2] in METHODS else 0
    for index in range(len(path) - 1, start - 1, -1):
        if path[index] == "schema":
            start = index + 1
            break
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in path[start:]]
    return "".join(parts).lstrip(".") or str(path[-1])
