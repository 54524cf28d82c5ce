"""The generated client's extras, against httpx.MockTransport: retries on a fake clock,
typed errors, timeouts, open enums and the page iterator."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import yaml
from calyptia_cloud_client import AuthenticatedClient, errors
from calyptia_cloud_client.api.projects import create_project, get_project, list_projects, update_project
from calyptia_cloud_client.client import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    AsyncRetryTransport,
    Backoff,
    RetryTransport,
    parse_retry_after,
)
from calyptia_cloud_client.models import CreateProject, MembershipRole, Project, UpdateProject

from tests.support.error_statuses import STATUS_ERRORS

BASE = "http://127.0.0.1:5000"
PROJECT_ID = UUID("123e4567-e89b-12d3-a456-426614174000")
Handler = Callable[[httpx.Request], httpx.Response]


def project_json(index: int = 0, roles: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": str(UUID(int=index)),
        "name": f"p{index}",
        "membersCount": 1,
        "agentsCount": 0,
        "aggregatorsCount": 0,
        "createdAt": "2025-01-22T21:00:39.147Z",
        "membership": {
            "id": str(UUID(int=10_000 + index)),
            "userID": str(UUID(int=20_000)),
            "projectID": str(UUID(int=index)),
            "roles": roles if roles is not None else ["creator"],
            "permissions": ["read:*"],
            "createdAt": "2025-01-22T21:00:39.147Z",
        },
    }


class FakeClock:
    """Records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


class Script:
    """A MockTransport handler that plays a list of outcomes, one per request."""

    def __init__(self, *outcomes: httpx.Response | Exception) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


NO_JITTER = Backoff(random=lambda: 0.0)


def client_for(handler: Handler, clock: FakeClock, max_retries: int = 2, **kwargs: Any) -> AuthenticatedClient:
    transport = RetryTransport(
        httpx.MockTransport(handler), max_retries=max_retries, backoff=NO_JITTER, sleep=clock.sleep
    )
    return AuthenticatedClient(base_url=BASE, token="secret-token", httpx_args={"transport": transport}, **kwargs)


def ok_project() -> httpx.Response:
    return httpx.Response(200, json=project_json())


# -- retries -------------------------------------------------------------------------------


def test_429_with_retry_after_then_200() -> None:
    clock = FakeClock()
    script = Script(httpx.Response(429, headers={"Retry-After": "3"}, json={"error": "slow down"}), ok_project())
    project = get_project.sync_or_raise(PROJECT_ID, client=client_for(script, clock))
    assert isinstance(project, Project)
    assert clock.sleeps == [3.0]
    assert len(script.requests) == 2


def test_503_twice_then_200_backs_off_exponentially() -> None:
    clock = FakeClock()
    script = Script(httpx.Response(503), httpx.Response(503), ok_project())
    assert get_project.sync_or_raise(PROJECT_ID, client=client_for(script, clock)).name == "p0"
    assert clock.sleeps == [0.5, 1.0]
    assert len(script.requests) == 3


def test_jitter_shortens_the_wait_by_at_most_a_quarter() -> None:
    backoff = Backoff(random=lambda: 1.0)
    assert [backoff.delay(attempt) for attempt in range(6)] == [0.375, 0.75, 1.5, 3.0, 6.0, 6.0]


def test_retries_exhausted_raises_the_last_error() -> None:
    clock = FakeClock()
    script = Script(*(httpx.Response(503, json={"error": "unavailable"}) for _ in range(3)))
    with pytest.raises(errors.InternalServerError) as caught:
        get_project.sync_or_raise(PROJECT_ID, client=client_for(script, clock))
    assert caught.value.status_code == 503
    assert caught.value.error == "unavailable"
    assert len(script.requests) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_max_retries_zero_turns_retries_off() -> None:
    clock = FakeClock()
    script = Script(httpx.Response(503))
    with pytest.raises(errors.InternalServerError):
        get_project.sync_or_raise(PROJECT_ID, client=client_for(script, clock, max_retries=0))
    assert (len(script.requests), clock.sleeps) == (1, [])


def test_connection_refused_is_retried_then_raised() -> None:
    clock = FakeClock()
    script = Script(*(httpx.ConnectError("[Errno 111] Connection refused") for _ in range(3)))
    with pytest.raises(errors.APIConnectionError) as caught:
        list_projects.sync_or_raise(client=client_for(script, clock))
    assert not isinstance(caught.value, errors.APITimeoutError)
    assert "Connection refused" in str(caught.value)
    assert len(script.requests) == 3


def test_a_create_is_retried_only_when_it_was_never_sent() -> None:
    clock = FakeClock()
    created = {
        "id": str(PROJECT_ID),
        "token": "t",
        "createdAt": "2025-01-22T21:00:39.147Z",
        "membership": project_json()["membership"],
    }
    refused_then_ok = Script(httpx.ConnectError("refused"), httpx.Response(201, json=created))
    assert (
        create_project.sync_or_raise(client=client_for(refused_then_ok, clock), body=CreateProject(name="x")).id
        == PROJECT_ID
    )
    for outcome in (httpx.Response(503), httpx.ReadTimeout("read timed out")):
        script = Script(outcome)
        with pytest.raises(errors.APIError):
            create_project.sync_or_raise(client=client_for(script, clock), body=CreateProject(name="x"))
        assert len(script.requests) == 1, "a POST that may have reached the server is not repeated"


def test_patch_is_not_retried_on_503() -> None:
    script = Script(httpx.Response(503))
    with pytest.raises(errors.InternalServerError):
        update_project.sync_or_raise(PROJECT_ID, client=client_for(script, FakeClock()), body=UpdateProject(name="n"))
    assert len(script.requests) == 1


def test_read_timeout_is_retried_then_raised_as_timeout() -> None:
    clock = FakeClock()
    script = Script(*(httpx.ReadTimeout("timed out") for _ in range(3)))
    with pytest.raises(errors.APITimeoutError):
        get_project.sync_or_raise(PROJECT_ID, client=client_for(script, clock))
    assert len(script.requests) == 3


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("-4", 0.0),
        ("3600", 60.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_forms(value: str | None, seconds: float | None) -> None:
    at = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert parse_retry_after(value, now=lambda: at) == seconds


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "kind"), [*STATUS_ERRORS, (418, errors.APIStatusError)])
def test_each_status_class_raises_its_error(status: int, kind: type[errors.APIStatusError]) -> None:
    body = {"error": "something", "detail": "more"}
    script = Script(httpx.Response(status, json=body, headers={"X-Request-Id": "r1"}))
    with pytest.raises(kind) as caught:
        get_project.sync_or_raise(PROJECT_ID, client=client_for(script, FakeClock(), max_retries=0))
    error = caught.value
    assert type(error) is kind
    assert (error.status_code, error.error, error.detail) == (status, "something", "more")
    assert error.headers["x-request-id"] == "r1"
    advice = "; the service refused the user token sent as Authorization: check that it is valid and not revoked"
    assert str(error) == f"{status} something: more" + (advice if status == 401 else "")


def test_html_502_from_a_proxy_is_a_typed_error() -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    script = Script(httpx.Response(502, content=page, headers={"Content-Type": "text/html"}))
    with pytest.raises(errors.InternalServerError) as caught:
        list_projects.sync_or_raise(client=client_for(script, FakeClock(), max_retries=0))
    assert (caught.value.error, caught.value.detail, caught.value.body) == (None, None, None)
    assert "502 Bad Gateway" in str(caught.value)
    assert not isinstance(caught.value.__context__, json.JSONDecodeError)


def test_success_status_with_a_body_that_does_not_parse() -> None:
    script = Script(httpx.Response(200, content=b"<html>oops</html>"), httpx.Response(200, json={"id": "not enough"}))
    client = client_for(script, FakeClock())
    for _ in range(2):
        with pytest.raises(errors.UnexpectedResponseError):
            get_project.sync_or_raise(PROJECT_ID, client=client)


def test_the_value_returning_styles_still_return_errors() -> None:
    script = Script(httpx.Response(404, json={"error": "project not found"}))
    parsed = get_project.sync(PROJECT_ID, client=client_for(script, FakeClock()))
    assert parsed is not None
    assert not isinstance(parsed, Project)
    assert parsed.error == "project not found"


# -- defaults --------------------------------------------------------------------------------


def test_default_timeout_user_agent_and_no_token_in_repr() -> None:
    script = Script(ok_project())
    client = client_for(script, FakeClock())
    get_project.sync_or_raise(PROJECT_ID, client=client)
    request = script.requests[0]
    assert request.headers["User-Agent"] == USER_AGENT
    version = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())["info"]["version"]
    assert USER_AGENT.startswith(f"calyptia-cloud-client/{version} python-httpx/")
    assert request.headers["Authorization"] == "Bearer secret-token"
    assert request.extensions["timeout"] == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    assert DEFAULT_TIMEOUT.read == 30.0
    assert "secret-token" not in repr(client)


# -- open enums ------------------------------------------------------------------------------


def test_an_unknown_enum_value_parses_and_reads_as_its_string() -> None:
    script = Script(httpx.Response(200, json=project_json(roles=["creator", "owner"])))
    project = get_project.sync_or_raise(PROJECT_ID, client=client_for(script, FakeClock()))
    assert isinstance(project.membership.roles, list)  # type: ignore[union-attr]
    creator, owner = project.membership.roles  # type: ignore[union-attr]
    assert creator is MembershipRole.CREATOR
    assert isinstance(owner, MembershipRole)
    assert owner == "owner"
    assert str(owner) == "owner"
    assert owner.value == "owner"
    assert project.to_dict()["membership"]["roles"] == ["creator", "owner"]


# -- pagination ------------------------------------------------------------------------------


def three_pages(request: httpx.Request) -> httpx.Response:
    page = {None: 0, "c1": 1, "c2": 2}[request.url.params.get("before")]
    items = [project_json(page * 2 + offset) for offset in range(2)]
    headers = {"Link": f'</v1/projects?last=2&before=c{page + 1}>; rel="next"'} if page < 2 else {}
    return httpx.Response(200, json=items, headers=headers)


def test_three_page_walk() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return three_pages(request)

    names = [project.name for project in list_projects.iterate(client=client_for(handler, FakeClock()), last=2)]
    assert names == ["p0", "p1", "p2", "p3", "p4", "p5"]
    assert [dict(r.url.params) for r in requests] == [
        {"last": "2"},
        {"last": "2", "before": "c1"},
        {"last": "2", "before": "c2"},
    ]


def test_the_iterator_holds_one_page_at_a_time() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return three_pages(request)

    walk = list_projects.iterate(client=client_for(handler, FakeClock()), last=2)
    assert next(walk).name == "p0"
    assert next(walk).name == "p1"
    assert len(requests) == 1, "the second page is fetched only when the first is used up"
    assert next(walk).name == "p2"
    assert len(requests) == 2


def test_the_iterator_raises_typed_errors() -> None:
    script = Script(httpx.Response(400, json={"error": "decode cursor"}))
    with pytest.raises(errors.BadRequestError, match="decode cursor"):
        list(list_projects.iterate(client=client_for(script, FakeClock()), before="nope"))


# -- async -----------------------------------------------------------------------------------


def async_client_for(handler: Handler, clock: FakeClock) -> AuthenticatedClient:
    transport = AsyncRetryTransport(httpx.MockTransport(handler), max_retries=2, backoff=NO_JITTER, sleep=clock.asleep)
    return AuthenticatedClient(base_url=BASE, token="secret-token", httpx_args={"transport": transport})


def test_async_walk_retries_and_errors() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        names = [
            project.name
            async for project in list_projects.aiterate(client=async_client_for(three_pages, clock), last=2)
        ]
        assert names == ["p0", "p1", "p2", "p3", "p4", "p5"]
        script = Script(httpx.Response(503), ok_project())
        project = await get_project.asyncio_or_raise(PROJECT_ID, client=async_client_for(script, clock))
        assert project.name == "p0"
        assert clock.sleeps == [0.5]
        failing = Script(*(httpx.ConnectError("refused") for _ in range(3)))
        with pytest.raises(errors.APIConnectionError):
            await get_project.asyncio_or_raise(PROJECT_ID, client=async_client_for(failing, clock))

    asyncio.run(scenario())
