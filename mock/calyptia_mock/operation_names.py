"""The client's name for each operation (`projects.list`): one rule for the generated client's
methods and for the mock's fault names.

It lives in the mock because the mock ships alone; `make generate` imports it to name the
generated client's methods (tools/generation/regenerate.py), so the two cannot disagree.

The rule, for an operation under the resource of its first tag (untagged: `default`):

1. an `x-python-method` extension on the operation (set by an overlay) wins;
2. else the HTTP shape names it: on a collection path (its last segment is the resource's name,
   singular or plural: `/v1/projects`, `/v1/projects/{projectID}/agents` under `agent`) GET is
   `list` and POST is `create`; on an item path (its last segment is a `{parameter}`) GET is
   `get`, PATCH or PUT `update`, DELETE `delete`;
3. else its operationId in snake_case, minus the resource's words (singular or plural):
   `dismissAgentError` under `agent_error` is `dismiss`.

A name shared by two operations of a resource under rule 2 (two collection GETs, say) is
ambiguous: each of them takes its rule-3 name instead; a rule-3 name that another operation
holds already gives way to the whole operationId in snake_case (`deleteAgents` beside the item's
`delete` is `delete_agents`). Names that still collide raise MethodNameError, naming the
operations and the overlay that settles it. A name is always a
Python identifier: keywords get a trailing underscore, a leading digit an `op_` prefix.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MethodNameError", "Named", "client_operation_names", "method_names", "resource_name", "words"]

EXTENSION = "x-python-method"
UNTAGGED = "default"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SHAPES = {
    ("get", False): "list",
    ("post", False): "create",
    ("get", True): "get",
    ("patch", True): "update",
    ("put", True): "update",
    ("delete", True): "delete",
}
# Attributes every resource has already: no operation may take them.
RESERVED = frozenset({"with_raw_response"})
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])|[0-9]+")


class MethodNameError(ValueError):
    """Two operations of one resource would take the same method name."""


@dataclass(frozen=True)
class Named:
    """One operation's place in the client: `resource.method`."""

    path: str
    http_method: str  # lower case, as the spec writes it
    operation_id: str
    resource: str
    method: str

    @property
    def dotted(self) -> str:
        return f"{self.resource}.{self.method}"

    def describe(self) -> str:
        return f"{self.operation_id or '(no operationId)'} ({self.http_method.upper()} {self.path})"


def words(name: str) -> list[str]:
    """`createAWSContract`, `create_aws-contract`, `Create AWS contract` -> create, aws, contract."""
    return [word.lower() for word in _WORD.findall(name)]


def identifier(parts: list[str], digit_prefix: str = "op_") -> str:
    """Words as a Python identifier: snake_case, never a keyword, never starting with a digit."""
    name = "_".join(parts) or "call"
    if name[0].isdigit():
        name = f"{digit_prefix}{name}"
    return f"{name}_" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else name


# What the generator (openapi-python-client) renames with a trailing underscore when a tag
# would spell it: Python's builtins and a few more. A resource is the tag's package there.
GENERATOR_RESERVED = (set(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}


def resource_name(tag: str) -> str:
    """The client's attribute for a tag: its words in snake_case (`Processing rules` ->
    processing_rules), spelled as the generator spells the tag's package (`2fa` -> tag2fa,
    `true` -> true_, `list` -> list_)."""
    name = identifier(words(tag), digit_prefix="tag")
    return f"{name}_" if name in GENERATOR_RESERVED else name


def _resource_words(tag: str) -> set[str]:
    """The words that name the resource, singular and plural: `agent_errors` -> agent, error(s)."""
    tag_words = words(tag)
    forms = {"_".join(tag_words), *tag_words}
    return forms | {word.removesuffix("s") for word in forms} | {f"{word}s" for word in forms}


def _shape(path: str, tag: str) -> bool | None:
    """True for an item path (it ends in a `{parameter}`), False for a collection path (it ends
    in the resource's name: `/v1/projects/{projectID}/agents` under `agent`), None for anything
    else, such as an action (`/v1/agents/{agentID}/restart`)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last.startswith("{") and last.endswith("}"):
        return True
    return False if set(words(last)) & _resource_words(tag) else None


def _from_operation_id(operation_id: str, tag: str, http_method: str) -> str:
    kept = [word for word in words(operation_id) if word not in _resource_words(tag)]
    return identifier(kept or words(operation_id) or [http_method])


@dataclass(frozen=True)
class _Candidate:
    """One operation before its resource's names are settled: each name it could take."""

    path: str
    http_method: str
    operation_id: str
    explicit: str | None  # x-python-method
    shaped: str | None  # list, create, get, update, delete
    short: str  # the operationId minus the resource's words
    full: str  # the whole operationId


def _candidate(path: str, http_method: str, operation: Mapping[str, Any], tag: str) -> _Candidate:
    operation_id = str(operation.get("operationId") or "")
    source = operation_id or f"{http_method} {path}"
    explicit = operation.get(EXTENSION)
    if explicit is not None and not (
        isinstance(explicit, str) and explicit.isidentifier() and not keyword.iskeyword(explicit)
    ):
        raise MethodNameError(f"{EXTENSION} of {source} ({path}) is not a Python name: {explicit!r}")
    shape = _shape(path, tag)
    shaped = None if shape is None else SHAPES.get((http_method, shape))
    full = identifier(words(source) or [http_method])
    return _Candidate(
        path, http_method, operation_id, explicit, shaped, _from_operation_id(source, tag, http_method), full
    )


def _settle(candidates: list[_Candidate]) -> list[str]:
    """Each candidate's name, in order of precedence: an overlay's; a shape's held by no other
    operation of the resource; the operationId minus the resource's words, unless another
    operation holds that name already; the whole operationId."""
    explicit = {c.explicit for c in candidates if c.explicit}
    shapes = Counter(c.shaped for c in candidates if c.shaped and not c.explicit)
    claimed = explicit | {name for name, count in shapes.items() if count == 1}
    chosen: list[str | None] = [
        c.explicit or (c.shaped if c.shaped and shapes[c.shaped] == 1 else None) for c in candidates
    ]
    shorts = Counter(c.short for c, name in zip(candidates, chosen, strict=True) if name is None)
    return [
        name or (c.short if c.short not in claimed and shorts[c.short] == 1 else c.full)
        for c, name in zip(candidates, chosen, strict=True)
    ]


def method_names(spec: Mapping[str, Any]) -> list[Named]:
    """Every operation of `spec` with its resource and method name, by the rule above."""
    by_resource: dict[str, list[_Candidate]] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for http_method in HTTP_METHODS:
            operation = item.get(http_method)
            if isinstance(operation, Mapping):
                tag = str((operation.get("tags") or [UNTAGGED])[0])
                by_resource.setdefault(resource_name(tag), []).append(_candidate(path, http_method, operation, tag))
    named: list[Named] = []
    for resource, candidates in by_resource.items():
        settled = [
            Named(c.path, c.http_method, c.operation_id, resource, name)
            for c, name in zip(candidates, _settle(candidates), strict=True)
        ]
        _refuse_collisions(resource, settled)
        named += settled
    return named


def _refuse_collisions(resource: str, entries: list[Named]) -> None:
    seen: dict[str, list[Named]] = {}
    for entry in entries:
        seen.setdefault(entry.method, []).append(entry)
    for method, same in seen.items():
        if len(same) > 1 or method in RESERVED:
            operations = " and ".join(entry.describe() for entry in same)
            first = same[0]
            raise MethodNameError(
                f"{operations} would be the same method `{resource}.{method}`: name one in an overlay, "
                f"e.g. overlays/50-method-names.yaml with the action "
                f"{{target: \"$.paths['{first.path}'].{first.http_method}\", update: {{{EXTENSION}: <name>}}}}"
            )


def client_operation_names(spec: Mapping[str, Any]) -> dict[str, str]:
    """`resource.method` -> operationId, for every operation of `spec` that has an operationId."""
    return {entry.dotted: entry.operation_id for entry in method_names(spec) if entry.operation_id}
