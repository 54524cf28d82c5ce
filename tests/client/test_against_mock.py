"""The generated client's iterator and typed errors against real mock responses on loopback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from calyptia_cloud_client import AuthenticatedClient, errors
from calyptia_cloud_client.api.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
    update_project,
)
from calyptia_cloud_client.models import CreateProject, UpdateProject

from tests.support.mock import mock_in_thread

SHARED = UUID("5e0c6a3e-7d7b-4d1e-9a38-7f0c2b1d9e11")


def client(url: str, token: str, requests: list[httpx.Request] | None = None) -> AuthenticatedClient:
    hooks = {"request": [requests.append]} if requests is not None else {}
    return AuthenticatedClient(base_url=url, token=token, httpx_args={"event_hooks": hooks})


def test_iterating_250_projects_makes_exactly_three_page_requests(mock_url: str) -> None:
    url = mock_url
    dave = client(url, "dave-token")
    made = {create_project.sync_or_raise(client=dave, body=CreateProject(name=f"p{i}")).id for i in range(250)}
    requests: list[httpx.Request] = []
    walked = [project.id for project in list_projects.iterate(client=client(url, "dave-token", requests), last=100)]
    assert len(walked) == len(set(walked)) == 251  # 250 + dave's default project
    assert made <= set(walked)
    assert len(requests) == 3
    assert [request.url.params.get("last") for request in requests] == ["100"] * 3


def test_async_iteration_matches(mock_url: str) -> None:
    url = mock_url
    alice = client(url, "alice-token")
    for i in range(5):
        create_project.sync_or_raise(client=alice, body=CreateProject(name=f"a{i}"))

    async def walk() -> list[str]:
        return [p.name async for p in list_projects.aiterate(client=client(url, "alice-token"), last=2)]

    names = asyncio.run(walk())
    # Newest first: alice's `default` appears on her first request, after the fixture's `shared`.
    assert names == ["a4", "a3", "a2", "a1", "a0", "default", "shared"]


@pytest.fixture
def mock_client_url(mock_url: str) -> str:
    return mock_url


def test_each_typed_error_from_a_real_mock_response(mock_client_url: str) -> None:
    url = mock_client_url
    with pytest.raises(errors.BadRequestError) as bad_request:
        list_projects.sync_or_raise(client=client(url, "alice-token"), before="forged")
    assert bad_request.value.error == "decode cursor"
    with pytest.raises(errors.AuthenticationError) as unauthenticated:
        get_project.sync_or_raise(SHARED, client=client(url, "no-such-token"))
    assert unauthenticated.value.error == "unauthenticated"
    with pytest.raises(errors.PermissionDeniedError) as denied:
        update_project.sync_or_raise(SHARED, client=client(url, "carol-token"), body=UpdateProject(name="x"))
    assert denied.value.error == "permission denied"
    with pytest.raises(errors.PermissionDeniedError):
        delete_project.sync_or_raise(SHARED, client=client(url, "bob-token"))
    with pytest.raises(errors.NotFoundError) as missing:
        get_project.sync_or_raise(uuid4(), client=client(url, "alice-token"))
    assert missing.value.error == "project not found"
    with pytest.raises(errors.BadRequestError) as bad_name:
        create_project.sync_or_raise(client=client(url, "alice-token"), body=CreateProject(name=" padded"))
    assert bad_name.value.error == "invalid project name"
    # A 204 returns None and raises nothing.
    update_project.sync_or_raise(SHARED, client=client(url, "bob-token"), body=UpdateProject(name="ok"))


def test_connection_refused_on_a_closed_loopback_port(tmp_path: Path) -> None:
    with mock_in_thread(tmp_path / "closed.db") as url:
        pass  # the server is stopped: its port is closed now
    with pytest.raises(errors.APIConnectionError):
        list_projects.sync_or_raise(client=AuthenticatedClient(base_url=url, token="t", max_retries=0))
