"""The reviewed list of operations the client knowingly leaves out, and why.

What the generator cannot read, and the normalization (tools/generation/normalize.py) cannot
rewrite into what it can, is refused by name. An operation may instead be listed under
`left_out` in generator_config.yml, each entry with the reason a reviewer accepted:

    left_out:
      - operation: GET /v1/reports/{id}/pdf
        reason: the response is a PDF stream the client has no type for yet

A listed operation is dropped from the generator's input (never from openapi.yaml, which the
mock and the contract suite read), and the package's README names it with its reason. An entry
that names no operation of the spec is refused: a stale list would hide nothing, but mislead.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.spec import METHODS

__all__ = ["LeftOut", "LeftOutError", "leave_out"]


class LeftOutError(ValueError):
    """An entry of `left_out` is malformed or names no operation of the spec."""


@dataclass
class LeftOut:
    """The generator's input without the listed operations, and the entries as the docs show them."""

    document: dict[str, Any]
    entries: list[dict[str, str]] = field(default_factory=list)


def leave_out(spec: dict[str, Any], entries: object) -> LeftOut:
    """A copy of `spec` without the operations `entries` lists (generator_config.yml's `left_out`)."""
    document = copy.deepcopy(spec)
    if entries is None:
        return LeftOut(document)
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        raise LeftOutError("generator_config.yml: left_out must be a list of {operation, reason} entries")
    kept: list[dict[str, str]] = []
    for index, entry in enumerate(entries):
        where = f"generator_config.yml: left_out[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"operation", "reason"}:
            raise LeftOutError(f"{where}: an entry has exactly `operation` (METHOD /path) and `reason`")
        operation, reason = entry["operation"], entry["reason"]
        if not (isinstance(reason, str) and reason.strip()):
            raise LeftOutError(f"{where}: the reason must say why {operation} is left out")
        method, _, path = str(operation).partition(" ")
        item = (document.get("paths") or {}).get(path)
        if method.lower() not in METHODS or not isinstance(item, dict) or method.lower() not in item:
            raise LeftOutError(f"{where}: {operation!r} is no operation of the spec (METHOD /path, spelled as there)")
        del item[method.lower()]
        if not any(key in item for key in METHODS):
            del document["paths"][path]
        kept.append({"operation": f"{method.upper()} {path}", "reason": reason.strip()})
    return LeftOut(document, kept)
