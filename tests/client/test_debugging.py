"""What a developer debugs with: the log, default and per-call headers, query values and
timeouts, and errors that name the fix, in every call style, against loopback servers."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import calyptia_cloud_client
import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, errors
from calyptia_cloud_client.api.projects import get_project
from calyptia_cloud_client.client import RetryTransport, request_options

from tests.support.loopback import Reply, Request, closed_port, hang, loopback_server
from tests.support.samples import PROJECT, PROJECT_ID

LOGGER = "calyptia_cloud_client"
TOKEN = "debugging-user-token-s3cr3t"
PROJECT_TOKEN = "debugging-project-token-s3cr3t"
API_KEY = "debugging-api-key-s3cr3t"
COOKIE = "debugging-cookie-s3cr3t"
SECRETS = (TOKEN, PROJECT_TOKEN, API_KEY, COOKIE)
NEXT = '</v1/projects?before=cursor-2>; rel="next"'


def service(first_status: int = 503) -> Callable[[Request], Reply]:
    """A service whose every path fails once with `first_status` (Retry-After: 0), then answers:
    a project by id, or the list in two pages (a Link to the second)."""
    failed: set[str] = set()

    def answer(request: Request) -> Reply:
        if request.path not in failed:
            failed.add(request.path)
            return Reply.json({"error": "unavailable"}, first_status, {"Retry-After": "0"})
        if request.path == "/v1/projects":
            first_page = "before" not in parse_qs(urlsplit(request.target).query)
            return Reply.json(
                [PROJECT], headers={"Link": NEXT, "Set-Cookie": f"session={COOKIE}"} if first_page else None
            )
        return Reply.json(PROJECT, headers={"Set-Cookie": f"session={COOKIE}"})

    return answer


def clients(url: str, **options: Any) -> tuple[CalyptiaCloud, AsyncCalyptiaCloud]:
    settings: dict[str, Any] = {"token": TOKEN, "base_url": url, "max_retries": 1, **options}
    return CalyptiaCloud(**settings), AsyncCalyptiaCloud(**settings)


async def _collect(result: Any) -> Any:
    if hasattr(result, "__aiter__"):
        return [item async for item in result]
    return await result


def run(result: Any) -> Any:
    """A call's result, whatever its style: a value, an iterator, a coroutine, an async iterator."""
    if hasattr(result, "__aiter__") or inspect.iscoroutine(result):
        return asyncio.run(_collect(result))
    return list(result) if isinstance(result, Iterator) else result


# Every call style of the resource-style clients: (name, how to call, requests it makes).
Call = Callable[[CalyptiaCloud, AsyncCalyptiaCloud, dict[str, Any]], Any]
STYLES: list[tuple[str, Call, list[str]]] = [
    ("get", lambda c, a, kw: c.projects.get(PROJECT_ID, **kw), ["503", "200"]),
    ("list", lambda c, a, kw: c.projects.list(**kw), ["503", "200", "200"]),
    ("raw get", lambda c, a, kw: c.projects.with_raw_response.get(PROJECT_ID, **kw), ["503", "200"]),
    ("raw list", lambda c, a, kw: c.projects.with_raw_response.list(**kw), ["503", "200"]),
    ("async get", lambda c, a, kw: a.projects.get(PROJECT_ID, **kw), ["503", "200"]),
    ("async list", lambda c, a, kw: a.projects.list(**kw), ["503", "200", "200"]),
    ("async raw get", lambda c, a, kw: a.projects.with_raw_response.get(PROJECT_ID, **kw), ["503", "200"]),
    ("async raw list", lambda c, a, kw: a.projects.with_raw_response.list(**kw), ["503", "200"]),
]
STYLE_IDS = [name for name, _, _ in STYLES]


@pytest.fixture
def info_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


def messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == LOGGER]


@pytest.mark.parametrize(("call", "statuses"), [s[1:] for s in STYLES], ids=STYLE_IDS)
def test_options_reach_every_request_and_every_attempt_is_logged(
    call: Call, statuses: list[str], info_log: pytest.LogCaptureFixture
) -> None:
    per_call = {"extra_headers": {"X-Call": "c1"}, "extra_query": {"trace": "q1", "flag": True}, "timeout": 5.0}
    with loopback_server(service()) as server:
        sync, asynchronous = clients(server.url, default_headers={"X-Tenant": "t1", "User-Agent": "myapp/2.0"})
        run(call(sync, asynchronous, per_call))
    # (server.answered is appended after the reply is sent: it may lag the client; requests do not)
    assert len(server.requests) == len(statuses)
    for request in server.requests:  # the first attempt, its retry and every page
        assert request.headers["x-tenant"] == "t1"
        assert request.headers["x-call"] == "c1"
        assert request.headers["user-agent"].startswith("myapp/2.0 calyptia-cloud-client/")
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        query = parse_qs(urlsplit(request.target).query)
        assert (query["trace"], query["flag"]) == (["q1"], ["true"])
    if len(server.requests) == 3:
        assert parse_qs(urlsplit(server.requests[2].target).query)["before"] == ["cursor-2"]

    path = server.requests[0].path
    target = f"GET {server.url}{path}?" + "&".join(
        f"{name}=*" for name in parse_qs(urlsplit(server.requests[0].target).query)
    )
    logged = messages(info_log)
    assert logged[0].startswith(f"{target} -> 503 Service Unavailable in ")
    assert logged[0].endswith(" ms (attempt 1)")
    assert logged[1] == f"retrying {target} in 0.00 s (as Retry-After asked) after 503 Service Unavailable"
    assert logged[2].startswith(f"{target} -> 200 OK in ")
    assert logged[2].endswith(" ms (attempt 2)")
    assert len(logged) == len(statuses) + 1
    assert [m.split(" -> ")[1].split(" ")[0] for m in logged if " -> " in m] == statuses
    first = next(r for r in info_log.records if r.name == LOGGER)
    assert (first.http_method, first.url_path, first.status_code, first.attempt) == ("GET", path, 503, 1)  # type: ignore[attr-defined]


def test_the_low_level_functions_take_request_options() -> None:
    with loopback_server(Reply.json(PROJECT)) as server:
        client = AuthenticatedClient(base_url=server.url, token=TOKEN, max_retries=0)
        options = request_options(extra_headers={"X-Call": "low"}, extra_query={"q": 1})
        project = get_project.sync_or_raise(PROJECT_ID, client=client, request_options=options)
    assert project.name == "p"
    assert server.requests[0].headers["x-call"] == "low"
    assert server.requests[0].target.endswith("?q=1")


@pytest.mark.parametrize("call", [s[1] for s in STYLES], ids=STYLE_IDS)
def test_a_per_call_timeout_bounds_the_call(call: Call) -> None:
    with loopback_server(hang) as server:
        sync, asynchronous = clients(server.url, timeout=10)
        started = time.monotonic()
        with pytest.raises(errors.APITimeoutError, match=r"request timed out: GET http://127\.0\.0\.1:"):
            run(call(sync, asynchronous, {"timeout": 0.2}))
        assert time.monotonic() - started < 5  # the client's 10 s did not apply


def test_a_per_call_timeout_bounds_the_retries_and_their_waits(info_log: pytest.LogCaptureFixture) -> None:
    """A Retry-After longer than the call has left ends the call with the answer it has."""
    busy = Reply.json({"error": "busy"}, 503, {"Retry-After": "3"})
    with loopback_server(busy) as server:
        sync, _ = clients(server.url, max_retries=5)
        started = time.monotonic()
        with pytest.raises(errors.InternalServerError):
            sync.projects.get(PROJECT_ID, timeout=0.5)
        assert time.monotonic() - started < 2.5
    assert len(server.requests) == 1
    assert any(m.startswith("not retrying GET ") and "the call's timeout" in m for m in messages(info_log))


def test_default_headers_follow_a_rule() -> None:
    with pytest.raises(errors.ConfigurationError, match="pass token= to the client"):
        CalyptiaCloud(token=TOKEN, base_url="http://127.0.0.1:9", default_headers={"authorization": "Bearer x"})
    with pytest.raises(errors.ConfigurationError, match="pass project_token= to the client"):
        AsyncCalyptiaCloud(token=TOKEN, base_url="http://127.0.0.1:9", default_headers={"X-Project-Token": "x"})
    client = CalyptiaCloud(token=TOKEN, base_url="http://127.0.0.1:9")
    with pytest.raises(errors.ConfigurationError, match="extra_headers cannot set User-Agent"):
        client.projects.get(PROJECT_ID, extra_headers={"user-agent": "x"})
    with pytest.raises(errors.ConfigurationError, match="extra_headers cannot set Authorization"):
        client.projects.get(PROJECT_ID, extra_headers={"Authorization": "x"})
    with pytest.raises(errors.ConfigurationError, match="extra_query must map names"):
        client.projects.get(PROJECT_ID, extra_query={"q": [1]})  # type: ignore[dict-item]
    with pytest.raises(errors.ConfigurationError, match="timeout must be seconds > 0"):
        client.projects.get(PROJECT_ID, timeout=-1)


def test_with_options_adds_default_headers() -> None:
    with loopback_server(Reply.json(PROJECT)) as server:
        parent = CalyptiaCloud(token=TOKEN, base_url=server.url, default_headers={"X-A": "a", "X-B": "b"})
        copy = parent.with_options(default_headers={"x-b": "B", "X-C": "c"})
        copy.projects.get(PROJECT_ID)
        parent.projects.get(PROJECT_ID)
    for request, expected in zip(server.requests, [("a", "B", "c"), ("a", "b", None)], strict=True):
        assert (request.headers.get("x-a"), request.headers.get("x-b"), request.headers.get("x-c")) == expected
        assert request.headers["user-agent"].startswith("calyptia-cloud-client/")


def test_debug_shows_headers_and_no_secret_at_any_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    with loopback_server(service()) as server:
        for _, call, _ in STYLES:
            sync, asynchronous = clients(
                server.url, project_token=PROJECT_TOKEN, default_headers={"X-Api-Key": API_KEY}
            )
            run(call(sync, asynchronous, {"extra_headers": {"Cookie": f"session={COOKIE}"}}))
        with pytest.raises(errors.APITimeoutError), loopback_server(hang) as hung:
            CalyptiaCloud(token=TOKEN, base_url=hung.url, max_retries=0).projects.get(PROJECT_ID, timeout=0.1)
    records = [r for r in caplog.records if r.name == LOGGER]
    assert {r.levelno for r in records} == {logging.INFO, logging.DEBUG}
    for record in records:
        shown = record.getMessage() + repr(record.args) + repr(vars(record))
        for secret in SECRETS:
            assert secret not in shown, (secret, record.getMessage())
    headers = [r.getMessage() for r in records if r.getMessage().startswith("request headers: ")]
    assert headers
    assert all("'authorization': '***'" in line for line in headers)
    assert any("'x-api-key': '***'" in line for line in headers)
    assert any("'x-project-token': '***'" in line for line in headers)
    assert any("'cookie': '***'" in line for line in headers)
    assert any(
        r.getMessage().startswith("response headers: ") and "'set-cookie': '***'" in r.getMessage() for r in records
    )


SCRIPT = textwrap.dedent(
    """
    import sys
    from calyptia_cloud_client import CalyptiaCloud
    client = CalyptiaCloud(base_url=sys.argv[1], max_retries=1)
    print(client.projects.get("123e4567-e89b-12d3-a456-426614174000").name)
    """
)


@pytest.mark.parametrize("level", ["debug", None])
def test_the_environment_variable_prints_the_log_to_stderr(level: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALYPTIA_CLOUD_")}
    env["CALYPTIA_CLOUD_TOKEN"] = TOKEN
    env["PYTHONPATH"] = str(Path(calyptia_cloud_client.__file__).parents[1])  # the package as pytest imports it
    if level:
        env["CALYPTIA_CLOUD_LOG"] = level
    with loopback_server(service()) as server:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, server.url], env=env, capture_output=True, text=True, timeout=60, check=True
        )
    assert done.stdout == "p\n"
    if level is None:
        assert done.stderr == ""
        return
    lines = done.stderr.splitlines()
    assert any(" INFO calyptia_cloud_client: GET " in line and "-> 503 Service Unavailable" in line for line in lines)
    assert any(" INFO calyptia_cloud_client: retrying GET " in line for line in lines)
    assert any(" DEBUG calyptia_cloud_client: request headers: " in line for line in lines)
    assert TOKEN not in done.stderr


def test_a_log_level_that_is_not_one_says_which_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALYPTIA_CLOUD_LOG", "verbose")
    with pytest.raises(errors.ConfigurationError, match="CALYPTIA_CLOUD_LOG='verbose': use info or debug"):
        CalyptiaCloud(token=TOKEN, base_url="http://127.0.0.1:9")


def unauthenticated(server_url: str, **credentials: Any) -> str:
    client = CalyptiaCloud(base_url=server_url, max_retries=0, **credentials)
    with pytest.raises(errors.AuthenticationError) as caught:
        client.projects.get(PROJECT_ID)
    message = str(caught.value)
    for text in (message, repr(caught.value)):
        assert TOKEN not in text
        assert PROJECT_TOKEN not in text
    return message


def test_a_401_names_the_credential_and_where_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = Reply.json({"error": "unauthenticated"}, 401)
    monkeypatch.delenv("CALYPTIA_CLOUD_TOKEN", raising=False)
    monkeypatch.delenv("CALYPTIA_CLOUD_PROJECT_TOKEN", raising=False)
    with loopback_server(refused) as server:
        assert unauthenticated(server.url, token=TOKEN) == (
            "401 unauthenticated; the service refused the user token sent as Authorization"
            " (from the token= argument): check that it is valid and not revoked"
        )
        monkeypatch.setenv("CALYPTIA_CLOUD_TOKEN", TOKEN)
        assert "user token sent as Authorization (from the environment variable CALYPTIA_CLOUD_TOKEN)" in (
            unauthenticated(server.url)
        )
        monkeypatch.delenv("CALYPTIA_CLOUD_TOKEN")
        assert "the project token sent as X-Project-Token (from the project_token= argument)" in (
            unauthenticated(server.url, project_token=PROJECT_TOKEN)
        )


def test_a_connection_failure_names_the_url_and_the_attempts(info_log: pytest.LogCaptureFixture) -> None:
    import httpx

    port = closed_port()
    transport = RetryTransport(httpx.HTTPTransport(), max_retries=2, sleep=lambda _: None)
    client = AuthenticatedClient(base_url=f"http://127.0.0.1:{port}", token=TOKEN, httpx_args={"transport": transport})
    with pytest.raises(errors.APIConnectionError) as caught:
        get_project.sync_or_raise(PROJECT_ID, client=client)
    assert str(caught.value).startswith(
        f"connection failed: GET http://127.0.0.1:{port}/v1/projects/{PROJECT_ID}, 3 attempts (ConnectError: "
    )
    logged = messages(info_log)
    assert [m.split(" failed in ")[0] for m in logged if " failed in " in m] == [
        f"GET http://127.0.0.1:{port}/v1/projects/{PROJECT_ID}"
    ] * 3
    assert sum(m.startswith("retrying ") and m.endswith("(backoff) after ConnectError") for m in logged) == 2


def test_nothing_is_logged_below_the_applications_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    caplog.set_level(logging.NOTSET, logger=LOGGER)  # the library's default: the application decides
    with loopback_server(service()) as server:
        CalyptiaCloud(token=TOKEN, base_url=server.url, max_retries=1).projects.get(PROJECT_ID)
    assert [r for r in caplog.records if r.name == LOGGER] == []
