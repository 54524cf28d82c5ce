"""The pytest plugin: a real Calyptia Cloud mock for your own tests, with one fixture.

    def test_my_job(calyptia_mock):
        client = calyptia_mock.client()            # a CalyptiaCloud bound to this mock
        client.projects.create(name="from-test")

One server per test session, in a thread on a loopback port; every test starts from the
fresh state (the demo user, no projects, no faults, an empty request log) through the
control API's reset, which costs a few milliseconds, not a server start. Everything the
fixture does goes through that HTTP control API, the same one `calyptia-mock --control`
offers to other languages, so the two cannot behave differently.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack
from uuid import UUID

import httpx
import pytest

from calyptia_mock.server import MockOptions, RunningMock, serving

if TYPE_CHECKING:  # the client package is a separate distribution; only client() needs it
    from calyptia_cloud_client import AsyncCalyptiaCloud, CalyptiaCloud

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

Role = Literal["admin", "read-only"]
# A membership's roles for each role; its permissions are the control API's defaults for
# those roles (fixtures.add_member), so the rule lives in one place.
ROLES: dict[str, list[str] | None] = {"admin": ["admin"], "read-only": None}


class MockClientOptions(TypedDict, total=False):
    """What `CalyptiaMock.client()` passes through to CalyptiaCloud; what is not given keeps the
    client's default. (Not the client's own `ClientOptions`, which resolves every option.)"""

    project_token: str | None
    timeout: float | httpx.Timeout | None
    max_retries: int
    http_client: httpx.Client | None


class MockAsyncClientOptions(TypedDict, total=False):
    """What `CalyptiaMock.async_client()` passes through to AsyncCalyptiaCloud."""

    project_token: str | None
    timeout: float | httpx.Timeout | None
    max_retries: int
    http_client: httpx.AsyncClient | None


_RENAMED = {"ClientOptions": "MockClientOptions", "AsyncClientOptions": "MockAsyncClientOptions"}


def __getattr__(name: str) -> Any:
    """The names these options had until 1.1.0, which the client's own `ClientOptions` shadowed."""
    if name in _RENAMED:
        new = _RENAMED[name]
        warnings.warn(f"calyptia_mock.pytest_plugin.{name} is deprecated; use {new}", DeprecationWarning, stacklevel=2)
        return globals()[new]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ControlError(RuntimeError):
    """The control API refused a request (a bad fault, a duplicate user...); the message says why."""


@dataclass(frozen=True)
class MockUser:
    """A user of the mock: their token is what `client(token=...)` or a bearer header needs."""

    id: str
    email: str
    name: str
    token: str


@dataclass(frozen=True)
class RecordedRequest:
    """One API request the mock received (tokens redacted), with the status it answered."""

    method: str
    path: str
    query: str
    operation_id: str
    headers: dict[str, str]
    body: Any
    status: int | None
    fault: dict[str, Any] | None


class CalyptiaMock:
    """The per-test handle: where the mock is, who may call it, and how to make it misbehave."""

    def __init__(self, server: RunningMock, control: httpx.Client) -> None:
        self.base_url = server.url
        self.token: str = server.token or ""
        self._control = control

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = self._control.request(method, path, json=json)
        if response.is_error:
            raise ControlError(f"{method} /_mock{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    # -- clients -------------------------------------------------------------------------

    def client(self, token: str | None = None, **options: Unpack[MockClientOptions]) -> CalyptiaCloud:
        """A CalyptiaCloud bound to this mock, as the demo user unless `token` says otherwise."""
        from calyptia_cloud_client import CalyptiaCloud

        return CalyptiaCloud(token=token or self.token, base_url=self.base_url, **options)

    def async_client(self, token: str | None = None, **options: Unpack[MockAsyncClientOptions]) -> AsyncCalyptiaCloud:
        """An AsyncCalyptiaCloud bound to this mock."""
        from calyptia_cloud_client import AsyncCalyptiaCloud

        return AsyncCalyptiaCloud(token=token or self.token, base_url=self.base_url, **options)

    # -- state ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the fresh state; the fixture does this before every test."""
        self._call("POST", "/reset")

    def add_user(self, email: str | None = None, *, name: str | None = None, token: str | None = None) -> MockUser:
        """A new user (their first request gives them a `default` project, as the service does)."""
        email = email or f"user-{secrets.token_hex(4)}@example.com"
        token = token or secrets.token_urlsafe(16)
        body = {"email": email, "token": token, "name": name or email}
        user = self._call("POST", "/users", body)
        return MockUser(user["id"], user["email"], user["name"], token)

    def add_member(self, project_id: str | UUID, user: MockUser | str, role: Role = "read-only") -> dict[str, Any]:
        """Make `user` (or an email) a member of a project: an `admin` may read and update (only
        the creator deletes), a `read-only` member may read. Returns the membership. A user added
        with `add_user` and never made a member is the non-member: the project is a 404 to them."""
        email = user.email if isinstance(user, MockUser) else user
        membership: dict[str, Any] = self._call(
            "POST", f"/projects/{project_id}/members", {"user": email, "roles": ROLES[role]}
        )
        return membership

    # -- faults and the request log ------------------------------------------------------

    def inject_fault(
        self,
        operation: str = "*",
        *,
        status: int | None = None,
        times: int = 1,
        delay: float = 0.0,
        drop: bool = False,
        retry_after: int | None = None,
        error: str | None = None,
    ) -> None:
        """The next `times` requests to `operation` get `status` with the service's JSON error
        body (429/503 with Retry-After, default 1 s), wait `delay` seconds first, or have their
        connection dropped with no response. `operation` is named as the client calls it
        (`projects.list`, `projects.get`...), by the spec's operationId, or `*` for all."""
        fault = {"operation": operation, "times": times, "delay": delay, "drop": drop}
        fault |= {"status": status, "retryAfter": retry_after, "error": error}
        self._call("POST", "/faults", {key: value for key, value in fault.items() if value is not None})

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def requests(self) -> list[RecordedRequest]:
        """The API requests received since the test started, oldest first."""
        return [
            RecordedRequest(
                entry["method"],
                entry["path"],
                entry["query"],
                entry["operationId"],
                entry["headers"],
                entry["body"],
                entry["status"],
                entry["fault"],
            )
            for entry in self._call("GET", "/requests")["requests"]
        ]


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
