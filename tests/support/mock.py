"""The one way the tests run the mock: the mock package's own launcher with the suite's defaults.

- `mock_in_thread`: `calyptia_mock.server.serving` in this process (responses validated
  against the spec), for tests that call it many times or wrap its app in middleware.
- `mock_in_process`: `calyptia_mock.server.mock_process`, the real CLI with `--port 0
  --print-json`, for what a thread cannot give: a process to SIGKILL, a restart on the same file.

Both bind port 0 themselves and report the URL they got.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from calyptia_mock.server import MockOptions, MockProcess, mock_process, serving, start_process
from starlette.types import ASGIApp

__all__ = ["FIXTURES", "MockProcess", "mock_in_process", "mock_in_thread", "start_mock_process", "write_fixture"]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "users.yaml"


@contextmanager
def mock_in_thread(
    db: Path | str,
    fixtures: Path | None = FIXTURES,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
    *,
    control: bool = False,
    validate_responses: bool = True,
) -> Iterator[str]:
    """Serve the mock in a thread (responses validated against the spec) and yield its base URL.

    `wrap` puts middleware around the app, e.g. one that records every request; `control`
    adds the /_mock API (a reset to the seed, faults); `validate_responses=False` leaves out
    the check of every response against the spec (two thirds of a request's time), for tests
    that check the answers themselves."""
    options = MockOptions(db=db, fixtures=fixtures, validate_responses=validate_responses, control=control)
    with serving(options, wrap=wrap) as mock:
        yield mock.url


def write_fixture(path: Path, users: Sequence[dict[str, Any]], projects: Sequence[dict[str, Any]] = ()) -> Path:
    """Write a fixture file (JSON, which the YAML loader reads as well) and return its path."""
    path.write_text(json.dumps({"users": list(users), "projects": list(projects)}, indent=1), encoding="utf-8")
    return path


def _args(db: Path, fixtures: Path | None, extra: Sequence[str] = ()) -> list[str]:
    fixture_args = ["--fixtures", str(fixtures)] if fixtures is not None else []
    return ["--db", str(db), *fixture_args, "--log-level", "warning", *extra]


def start_mock_process(db: Path, fixtures: Path, log_path: Path) -> MockProcess:
    """Start the CLI on a file database; raises RuntimeError with its log when it exits before listening.
    The caller stops it (for a test that restarts it on the same file)."""
    return start_process(_args(db, fixtures), log_path)


@contextmanager
def mock_in_process(
    db: Path, fixtures: Path | None, log_path: Path, extra: Sequence[str] = ()
) -> Iterator[MockProcess]:
    """Start the CLI (no fixtures: the demo user; `extra`: more options, such as `--spec`);
    however the block ends, the process does not outlive it (SIGKILL if still up)."""
    with mock_process(_args(db, fixtures, extra), log_path) as mock:
        yield mock
