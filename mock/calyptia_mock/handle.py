"""`CalyptiaMock`, what the `calyptia_mock` fixture gives a test: where the mock is, clients
bound to it, extra users, faults and the request log.

It lives apart from the pytest plugin so that `from calyptia_mock import CalyptiaMock`, the
annotation a `mypy --strict` test needs, imports neither pytest nor the client package.
Everything it does goes through the HTTP control API (`/_mock`, control.py), the same one
`calyptia-mock --control` offers to other languages, so the two cannot behave differently.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, TypedDict, TypeVar
from uuid import UUID

import httpx

if TYPE_CHECKING:  # the client package is a separate distribution; only client() needs it
    from calyptia_cloud_client import AsyncCalyptiaCloud, CalyptiaCloud

    from calyptia_mock.server import RunningMock

__all__ = [
    "CalyptiaMock",
    "ControlError",
    "MockAsyncClientOptions",
    "MockClientOptions",
    "MockUser",
    "RecordedRequest",
]

Role = Literal["admin", "read-only"]
# A membership's roles for each role; its permissions are the control API's defaults for
# those roles (fixtures.add_member), so the rule lives in one place.
ROLES: dict[str, list[str] | None] = {"admin": ["admin"], "read-only": None}

_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S")


def _takes_arguments_of(
    factory: Callable[_P, _R],
) -> Callable[[Callable[Concatenate[_S, ...], _R]], Callable[Concatenate[_S, _P], _R]]:
    """Give a method `factory`'s parameters, for type checkers: `client()` then takes exactly
    what `CalyptiaCloud()` takes, typed, and cannot fall behind when the client grows one."""

    def decorate(method: Callable[Concatenate[_S, ...], _R]) -> Callable[Concatenate[_S, _P], _R]:
        return method

    return decorate


if TYPE_CHECKING:
    _client_arguments = _takes_arguments_of(CalyptiaCloud)
    _async_client_arguments = _takes_arguments_of(AsyncCalyptiaCloud)
else:  # at run time the client package is imported only when a client is built

    def _client_arguments(method):
        return method

    _async_client_arguments = _client_arguments


class MockClientOptions(TypedDict, total=False):
    """`CalyptiaCloud`'s arguments, each optional: for a helper of yours that passes them on to
    `CalyptiaMock.client(**options)`. A test compares it with the client's signature."""

    token: str | None
    base_url: str | None
    project_token: str | None
    timeout: float | httpx.Timeout | None
    max_retries: int
    http_client: httpx.Client | None
    max_response_size: int | None
    default_headers: Mapping[str, str] | None


class MockAsyncClientOptions(TypedDict, total=False):
    """`AsyncCalyptiaCloud`'s arguments, each optional, for `CalyptiaMock.async_client()`."""

    token: str | None
    base_url: str | None
    project_token: str | None
    timeout: float | httpx.Timeout | None
    max_retries: int
    http_client: httpx.AsyncClient | None
    max_response_size: int | None
    default_headers: Mapping[str, str] | None


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
    """The per-test handle: where the mock is, who may call it, and how to make it misbehave.

    Annotate the fixture with it (`def test_x(calyptia_mock: CalyptiaMock) -> None`) for
    `mypy --strict`; `from calyptia_mock import CalyptiaMock`.
    """

    def __init__(self, server: RunningMock, control: httpx.Client) -> None:
        self.base_url = server.url
        self.token: str = server.token or ""
        self._control = control

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = self._control.request(method, path, json=json)
        if response.is_error:
            raise ControlError(f"{method} /_mock{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def _bound(self, token: str | None, options: dict[str, Any]) -> dict[str, Any]:
        """`options` with this mock's token and base URL where none is given (None included:
        a client that fell back to the environment could reach the real service). A positional
        `token` is how 1.1.0 typed it; the client's own arguments are keywords only."""
        if token is not None:
            warnings.warn("pass the token as client(token=...)", DeprecationWarning, stacklevel=3)
            if "token" in options:
                raise TypeError("client() got the token twice, positionally and as token=")
            options = {**options, "token": token}
        token, base_url = options.get("token") or self.token, options.get("base_url") or self.base_url
        return {**options, "token": token, "base_url": base_url}

    # -- clients -------------------------------------------------------------------------

    @_client_arguments
    def client(self, token: str | None = None, /, **options: Any) -> CalyptiaCloud:
        """A CalyptiaCloud bound to this mock, as the demo user: it takes every argument
        `CalyptiaCloud()` does (`max_retries`, `timeout`, `default_headers`,
        `max_response_size`, `project_token`, `http_client`...), typed; `token` and
        `base_url` default to this mock's (another `base_url` is for a proxy in front of it)."""
        from calyptia_cloud_client import CalyptiaCloud

        return CalyptiaCloud(**self._bound(token, options))

    @_async_client_arguments
    def async_client(self, token: str | None = None, /, **options: Any) -> AsyncCalyptiaCloud:
        """An AsyncCalyptiaCloud bound to this mock; the arguments are `AsyncCalyptiaCloud()`'s,
        as for `client()`."""
        from calyptia_cloud_client import AsyncCalyptiaCloud

        return AsyncCalyptiaCloud(**self._bound(token, options))

    # -- state ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the fresh state, a request still held by a delay fault dropped first (the
        test that held it is over); the fixture does this before every test."""
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
