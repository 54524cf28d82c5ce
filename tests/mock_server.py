"""The test suite's in-process mock: `calyptia_mock.server.serving` with the suite's defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from calyptia_mock.server import MockOptions, serving
from starlette.types import ASGIApp

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "users.yaml"


@contextmanager
def running_mock(
    db: Path | str, fixtures: Path | None = FIXTURES, wrap: Callable[[ASGIApp], ASGIApp] | None = None
) -> Iterator[str]:
    """Serve the mock (responses validated against the spec) and yield its base URL.

    `wrap` puts middleware around the app, e.g. one that records every request."""
    with serving(MockOptions(db=db, fixtures=fixtures, validate_responses=True), wrap=wrap) as mock:
        yield mock.url
