"""What every part of spec_diff passes around: a classified change, a report of them, and
the two failures that are not findings about the spec."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from tools.spec import METHODS

__all__ = ["CLASSES", "Change", "MissingBaseError", "PathPart", "Report", "Spec", "SpecDiffError"]

CLASSES = ("breaking", "non-breaking", "deprecated", "annotation", "unclassified")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Spec = dict[str, Any]
PathPart = str | int


class SpecDiffError(Exception):
    """A usage or tool failure (exit 2), as opposed to a finding about the spec."""


class MissingBaseError(SpecDiffError):
    """BASE is not a commit, or has no openapi.yaml: there is nothing to compare with."""


@dataclass(frozen=True)
class Change:
    """One classified change; `note` says why this tool overrode api-smart-diff's class."""

    type: str
    action: str
    path: tuple[PathPart, ...]
    description: str
    before: Any = None
    after: Any = None
    note: str = ""

    @property
    def location(self) -> str:
        """The changed node as a JSONPath (RFC 9535), the notation of the overlays' targets."""
        parts = ["$"]
        for part in self.path:
            if isinstance(part, int):
                parts.append(f"[{part}]")
            elif IDENTIFIER.match(part):
                parts.append(f".{part}")
            else:
                parts.append("['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']")
        return "".join(parts)

    @property
    def operation(self) -> str:
        """`GET /v1/projects` for a change inside an operation, the path for one on a path item."""
        if len(self.path) < 2 or self.path[0] != "paths":
            return ""
        if len(self.path) > 2 and self.path[2] in METHODS:
            return f"{str(self.path[2]).upper()} {self.path[1]}"
        return str(self.path[1])

    @property
    def summary(self) -> str:
        """The description, prefixed with the operation it is about."""
        return f"{self.operation}: {self.description}" if self.operation else self.description

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.type,
            "action": self.action,
            "path": list(self.path),
            "location": self.location,
            "operation": self.operation,
            "description": self.description,
        }
        for key in ("before", "after", "note"):
            if getattr(self, key) not in (None, ""):
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class Report:
    """The changes between two effective specs, after this tool's corrections."""

    changes: list[Change]
    hidden_component_entries: int = 0

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.type == "breaking"]

    def summary_line(self) -> str:
        counts = Counter(change.type for change in self.changes)
        return ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in CLASSES)
