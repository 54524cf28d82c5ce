"""The suite's real-process mock: `calyptia_mock.server.mock_process` on a file database with a
fixture file, for tests that need a separate process to SIGKILL and a restart on the same file."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from calyptia_mock.server import MockProcess, mock_process, start_process

__all__ = ["MockProcess", "running_mock_process", "start_mock", "write_fixture"]


def write_fixture(path: Path, users: Sequence[dict[str, Any]], projects: Sequence[dict[str, Any]] = ()) -> Path:
    """Write a fixture file (JSON, which the YAML loader reads as well) and return its path."""
    path.write_text(json.dumps({"users": list(users), "projects": list(projects)}, indent=1), encoding="utf-8")
    return path


def _args(db: Path, fixtures: Path) -> list[str]:
    return ["--db", str(db), "--fixtures", str(fixtures), "--log-level", "warning"]


def start_mock(db: Path, fixtures: Path, log_path: Path) -> MockProcess:
    """Start the CLI; raises RuntimeError with its log when it exits before listening."""
    return start_process(_args(db, fixtures), log_path)


@contextmanager
def running_mock_process(db: Path, fixtures: Path, log_path: Path) -> Iterator[MockProcess]:
    """Start the mock; however the block ends, the process does not outlive it (SIGKILL if still up)."""
    with mock_process(_args(db, fixtures), log_path) as mock:
        yield mock
