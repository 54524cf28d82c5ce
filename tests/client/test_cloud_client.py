"""CalyptiaCloud and AsyncCalyptiaCloud: the resource-style client against the mock, its
configuration from the environment, project tokens, with_options and a user's own httpx
client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from calyptia_cloud_client import (
    UNSET,
    APIResponse,
    AsyncCalyptiaCloud,
    AuthenticatedClient,
    CalyptiaCloud,
    errors,
    models,
)
from calyptia_cloud_client.api.projects import get_project
from calyptia_cloud_client.client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, USER_AGENT

from tests.support.spec_examples import load_spec

SHARED = UUID("5e0c6a3e-7d7b-4d1e-9a38-7f0c2b1d9e11")
SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


def test_the_issue_walkthrough_against_the_mock(mock_url: str) -> None:
    client = CalyptiaCloud(token="dave-token", base_url=mock_url, timeout=10.0, max_retries=3)
    created = client.projects.create(name="edge", v3_enabled=True)
    assert isinstance(created, models.CreatedProject)
    project = client.projects.get(created.id)
    assert (project.name, project.v_3_enabled) == ("edge", True)
    client.projects.update(created.id, name="edge-2", set_settings={"gpt": True})  # 204: returns None
    settings = client.projects.get(created.id).settings
    assert settings
    assert settings.to_dict() == {"gpt": True}
    assert [p.id for p in client.projects.list(last=50, name="edge-2")] == [created.id]
    raw = client.projects.with_raw_response.get(created.id)
    assert isinstance(raw, APIResponse)
    assert (raw.status_code, raw.headers["content-type"], raw.parsed.name) == (200, "application/json", "edge-2")
    assert b'"edge-2"' in raw.content
    quiet = client.with_options(max_retries=0, timeout=2.0)
    assert quiet.projects.get(created.id).name == "edge-2"
    deleted = client.projects.delete(created.id)
    assert deleted.deleted is True
    with pytest.raises(errors.NotFoundError) as missing:
        client.projects.get(created.id)
    assert missing.value.error == "project not found"
    client.close()


def test_the_async_client_walks_every_page(mock_url: str) -> None:
    async def walk() -> tuple[list[str], int]:
        async with AsyncCalyptiaCloud(token="alice-token", base_url=mock_url) as client:
            for i in range(3):
                await client.projects.create(name=f"a{i}")
            names = [p.name async for p in client.projects.list(last=2)]
            raw = await client.projects.with_raw_response.list(last=2)
            return names, len(raw.parsed)

    assert asyncio.run(walk()) == (["a2", "a1", "a0", "default", "shared"], 2)


def test_a_project_token_reads_and_updates_its_project_only(mock_url: str) -> None:
    client = CalyptiaCloud(token="", project_token="shared-project-token", base_url=mock_url)
    assert client.projects.get(SHARED).membership is UNSET
    client.projects.update(SHARED, name="renamed")
    assert client.projects.get(SHARED).name == "renamed"
    with pytest.raises(errors.AuthenticationError):
        client.projects.delete(SHARED)  # the spec does not accept project tokens here
    with pytest.raises(errors.AuthenticationError):
        list(client.projects.list())


def test_configuration_from_the_environment(monkeypatch: pytest.MonkeyPatch, mock_url: str) -> None:
    monkeypatch.setenv("CALYPTIA_CLOUD_TOKEN", "carol-token")
    monkeypatch.setenv("CALYPTIA_CLOUD_URL", mock_url)
    assert CalyptiaCloud().projects.get(SHARED).name == "shared"
    monkeypatch.delenv("CALYPTIA_CLOUD_URL")
    assert CalyptiaCloud().base_url == DEFAULT_BASE_URL
    monkeypatch.delenv("CALYPTIA_CLOUD_TOKEN")
    with pytest.raises(errors.ConfigurationError, match="CALYPTIA_CLOUD_TOKEN"):
        CalyptiaCloud()
    with pytest.raises(errors.ConfigurationError, match="CALYPTIA_CLOUD_TOKEN"):
        AsyncCalyptiaCloud(base_url=mock_url)


def test_the_default_base_url_is_the_specs_production_server() -> None:
    spec = load_spec()
    assert spec["servers"][0]["description"].startswith("Production")
    assert spec["servers"][0]["url"] == DEFAULT_BASE_URL


@pytest.mark.parametrize(("option", "value"), [("max_retries", -1), ("timeout", 0), ("timeout", "5")])
def test_bad_options_are_a_configuration_error(option: str, value: object) -> None:
    with pytest.raises(errors.ConfigurationError, match=option):
        CalyptiaCloud(token="t", **{option: value})  # type: ignore[arg-type]


def test_the_token_stays_out_of_repr() -> None:
    client = CalyptiaCloud(token="very-secret", project_token="also-secret", base_url="http://127.0.0.1:9")
    assert "secret" not in repr(client) + repr(client.with_options(timeout=1.0))


def flaky_then_ok(seen: list[httpx.Request]) -> httpx.MockTransport:
    """503 (Retry-After: 0) on every other request, then the shared project."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) % 2:
            return httpx.Response(503, json={"error": "unavailable"}, headers={"Retry-After": "0"})
        return httpx.Response(200, json={"id": str(SHARED), "name": "s", "membersCount": 1, "agentsCount": 0,
                                         "aggregatorsCount": 0, "createdAt": "2025-01-22T21:00:39Z"})  # fmt: skip

    return httpx.MockTransport(handler)


def test_a_users_own_httpx_client_keeps_retries_user_agent_and_timeout() -> None:
    seen: list[httpx.Request] = []
    hooked: list[str] = []
    own = httpx.Client(transport=flaky_then_ok(seen), event_hooks={"request": [lambda r: hooked.append(r.url.path)]})
    client = CalyptiaCloud(token="t", base_url="http://api.test", http_client=own)
    assert client.projects.get(SHARED).name == "s"
    assert len(seen) == 2  # one retry after the 503
    assert hooked == [f"/v1/projects/{SHARED}"] * 2  # the requests went through the user's client
    assert seen[-1].headers["user-agent"] == USER_AGENT
    assert seen[-1].headers["authorization"] == "Bearer t"
    assert seen[-1].extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()
    client.close()
    assert not own.is_closed  # the user's client is the user's to close


def test_with_options_changes_retries_and_timeout_and_shares_the_pool() -> None:
    seen: list[httpx.Request] = []
    own = httpx.Client(transport=flaky_then_ok(seen))
    client = CalyptiaCloud(token="t", base_url="http://api.test", http_client=own)
    quiet = client.with_options(max_retries=0, timeout=2.0)
    with pytest.raises(errors.InternalServerError):
        quiet.projects.get(SHARED)
    assert len(seen) == 1
    assert seen[0].extensions["timeout"] == httpx.Timeout(2.0).as_dict()
    quiet.close()
    assert client.projects.get(SHARED).name == "s"  # closing the copy left the pool open


def test_the_detailed_styles_return_unregistered_statuses() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(520, text="<html>origin down</html>"))
    own = httpx.Client(transport=transport)
    low_level = AuthenticatedClient(
        base_url="http://api.test", token="t", max_retries=0, httpx_args={"transport": transport}
    )
    response = get_project.sync_detailed(SHARED, client=low_level)
    assert (response.status_code, response.parsed) == (520, None)
    with pytest.raises(errors.InternalServerError) as caught:
        CalyptiaCloud(token="t", base_url="http://api.test", http_client=own, max_retries=0).projects.get(SHARED)
    assert caught.value.status_code == 520


def test_unexpected_status_is_an_api_error_when_asked_for() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(299, json={}))
    strict = AuthenticatedClient(
        base_url="http://api.test", token="t", raise_on_unexpected_status=True, httpx_args={"transport": transport}
    )
    with pytest.raises(errors.APIError) as caught:
        get_project.sync_detailed(SHARED, client=strict)
    assert isinstance(caught.value, errors.UnexpectedStatus)
    assert caught.value.status_code == 299


def test_a_users_own_async_client_keeps_retries_and_user_agent() -> None:
    seen: list[httpx.Request] = []
    sync_transport = flaky_then_ok(seen)

    async def handler(request: httpx.Request) -> httpx.Response:
        return sync_transport.handle_request(request)

    async def get_twice() -> tuple[str, str, bool]:
        own = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncCalyptiaCloud(token="t", base_url="http://api.test", http_client=own) as client:
            name = (await client.projects.get(SHARED)).name
            quiet = client.with_options(max_retries=0)
            with pytest.raises(errors.InternalServerError):
                await quiet.projects.get(SHARED)
            await quiet.aclose()
            again = (await client.projects.get(SHARED)).name
        return name, again, own.is_closed

    assert asyncio.run(get_twice()) == ("s", "s", False)
    assert [r.headers["user-agent"] for r in seen] == [USER_AGENT] * 4  # 503 then 200; 503; 200
