"""Before/after snapshots of the account a live write run tests, and what changed between them.

The write guard keeps the run off what it did not create; the snapshot proves it did. It is
everything a read shows: every page of `GET /v1/projects`, then `GET /v1/projects/{id}` of
each project (ID, name, settings, the caller's membership, counts).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

__all__ = ["Difference", "SnapshotError", "compare", "take", "write"]

Snapshot = dict[str, dict[str, Any]]
_NEXT = re.compile(r'<([^>]*)>\s*;\s*rel="next"')
_MAX_PAGES = 1000


class SnapshotError(RuntimeError):
    """The account could not be read completely, so no comparison can be trusted."""


@dataclass(frozen=True)
class Difference:
    project_id: str
    name: str
    field: str
    before: Any
    after: Any

    def __str__(self) -> str:
        return (
            f"project {self.project_id} ({self.name!r}): {self.field} was {json.dumps(self.before)}, "
            f"is {json.dumps(self.after)}"
        )


def take(client: httpx.Client, *, interval: float = 0.0) -> Snapshot:
    """Every project the caller can list, each as `GET /v1/projects/{id}` returns it, by ID.

    `interval` seconds pass between requests, so the snapshot keeps to the run's rate limit."""
    reader = _Reader(client, interval)
    listed: list[dict[str, Any]] = []
    url: str | None = "/v1/projects?last=100"
    for _ in range(_MAX_PAGES):
        if url is None:
            break
        response = reader.get(url)
        listed.extend(response.json())
        match = _NEXT.search(response.headers.get("link", ""))
        url = match.group(1) if match else None
    else:
        raise SnapshotError(f"more than {_MAX_PAGES} pages of projects")
    return {str(item["id"]): reader.get(f"/v1/projects/{item['id']}").json() for item in listed}


@dataclass
class _Reader:
    """GETs at most one per `interval`; a 429 is waited out (Retry-After, at most 30 s) twice."""

    client: httpx.Client
    interval: float
    _last: float = float("-inf")

    def get(self, url: str) -> httpx.Response:
        for _ in range(3):
            time.sleep(max(0.0, self._last + self.interval - time.monotonic()))
            self._last = time.monotonic()
            try:
                response = self.client.get(url)
            except httpx.HTTPError as exc:
                raise SnapshotError(f"GET {url}: {type(exc).__name__}") from exc
            if response.status_code != 429:
                break
            time.sleep(min(30.0, _seconds(response.headers.get("retry-after"))))
        if response.status_code != 200:
            raise SnapshotError(f"GET {url} answered {response.status_code}")
        return response


def _seconds(retry_after: str | None) -> float:
    try:
        return max(0.0, float(retry_after or 1))
    except ValueError:  # an HTTP date: wait the longest
        return 30.0


def write(snapshot: Snapshot, path: Path) -> None:
    path.write_text(json.dumps(snapshot, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def compare(before: Snapshot, after: Snapshot) -> list[Difference]:
    """Every field that changed in a project that existed before, every such project that is
    gone, and every project that is new (the run created it and did not delete it)."""
    differences: list[Difference] = []
    for project_id, old in before.items():
        name = str(old.get("name"))
        if project_id not in after:
            differences.append(Difference(project_id, name, "(the project)", "present", "deleted"))
            continue
        differences.extend(Difference(project_id, name, *change) for change in _changes(old, after[project_id], ""))
    for project_id, new in after.items():
        if project_id not in before:
            differences.append(Difference(project_id, str(new.get("name")), "(the project)", "absent", "left behind"))
    return differences


def _changes(old: Any, new: Any, where: str) -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[tuple[str, Any, Any]] = []
        for key in sorted(old.keys() | new.keys()):
            changes.extend(_changes(old.get(key), new.get(key), f"{where}.{key}" if where else key))
        return changes
    return [] if old == new else [(where, old, new)]
