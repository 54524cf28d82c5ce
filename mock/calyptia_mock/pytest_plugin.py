"""The pytest plugin: a real Calyptia Cloud mock for your own tests, with one fixture.

    def test_my_job(calyptia_mock):
        client = calyptia_mock.client()            # a CalyptiaCloud bound to this mock
        client.projects.create(name="from-test")

One server per test session, in a thread on a loopback port; every test starts from the
fresh state (the demo user, no projects, no faults, an empty request log) through the
control API's reset, which costs a few milliseconds, not a server start. The fixture's
value is a `CalyptiaMock` (handle.py; `from calyptia_mock import CalyptiaMock` to annotate it).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from calyptia_mock.handle import (
    CalyptiaMock,
    ControlError,
    MockAsyncClientOptions,
    MockClientOptions,
    MockUser,
    RecordedRequest,
)
from calyptia_mock.server import MockOptions, RunningMock, serving

__all__ = [
    "CalyptiaMock",
    "ControlError",
    "MockAsyncClientOptions",
    "MockClientOptions",
    "MockSession",
    "MockUser",
    "RecordedRequest",
    "calyptia_mock",
    "calyptia_mock_session",
    "mock_session",
]

_RENAMED = {"ClientOptions": "MockClientOptions", "AsyncClientOptions": "MockAsyncClientOptions"}


def __getattr__(name: str) -> Any:
    """The names these options had until 1.1.0, which the client's own `ClientOptions` shadowed."""
    if name in _RENAMED:
        new = _RENAMED[name]
        warnings.warn(f"calyptia_mock.pytest_plugin.{name} is deprecated; use {new}", DeprecationWarning, stacklevel=2)
        return globals()[new]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class MockSession:
    """The session's server, and one HTTP client for its control API: building an httpx.Client
    loads TLS certificates (tens of milliseconds), far more than a reset costs."""

    server: RunningMock
    control: httpx.Client

    def fresh(self) -> CalyptiaMock:
        """What the fixture does before each test (and what `make bench` times)."""
        mock = CalyptiaMock(self.server, self.control)
        mock.reset()
        return mock


@contextmanager
def mock_session(options: MockOptions | None = None) -> Iterator[MockSession]:
    """The session's server (in memory, control API on, unless `options` say otherwise)."""
    with (
        serving(options or MockOptions(control=True)) as server,
        httpx.Client(base_url=f"{server.url}/_mock", timeout=10) as control,
    ):
        yield MockSession(server, control)


@pytest.fixture(scope="session")
def calyptia_mock_session() -> Iterator[MockSession]:
    """One mock for the whole session: in memory, with the control API on."""
    with mock_session() as session:
        yield session


@pytest.fixture
def calyptia_mock(calyptia_mock_session: MockSession) -> CalyptiaMock:
    """The mock, reset to its fresh state for this test."""
    return calyptia_mock_session.fresh()
