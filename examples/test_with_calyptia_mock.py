"""A user's own tests against the `calyptia_mock` fixture: install both packages and pytest
(from this checkout, `pip install ./generated ./mock pytest`; or the wheels `make dist`
builds, `pip install dist/*.whl pytest`), and pytest finds the fixture by itself (no
conftest); the import is only for the annotation.

`make install-check` type-checks this file with `mypy --strict` and runs it in a fresh venv,
outside the repository's settings.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from calyptia_cloud_client import errors
from calyptia_mock import CalyptiaMock


def test_my_sync_job(calyptia_mock: CalyptiaMock) -> None:
    client = calyptia_mock.client()
    client.projects.create(name="from-test")
    assert [p.name for p in client.projects.list()] == ["from-test", "default"]


def test_each_test_starts_fresh(calyptia_mock: CalyptiaMock) -> None:
    assert [p.name for p in calyptia_mock.client().projects.list()] == ["default"]


def test_retries_through_two_injected_503s(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("projects", status=503, times=2, retry_after=0)
    assert [p.name for p in calyptia_mock.client(max_retries=2).projects.list()] == ["default"]
    assert [r.status for r in calyptia_mock.requests()] == [503, 503, 200]


def test_without_retries_a_503_is_a_typed_error(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("projects", status=503, retry_after=0)
    with pytest.raises(errors.InternalServerError) as raised:  # every 5xx
        list(calyptia_mock.client(max_retries=0).projects.list())
    assert raised.value.status_code == 503


def test_an_extra_user_is_a_non_member_until_added(calyptia_mock: CalyptiaMock) -> None:
    project = calyptia_mock.client().projects.create(name="shared")
    bob = calyptia_mock.add_user("bob@example.com")
    as_bob = calyptia_mock.client(token=bob.token)
    with pytest.raises(errors.NotFoundError):
        as_bob.projects.get(project.id)
    calyptia_mock.add_member(project.id, bob, role="read-only")
    assert as_bob.projects.get(project.id).name == "shared"
    with pytest.raises(errors.PermissionDeniedError):  # a read-only member may not rename it
        as_bob.projects.update(project.id, name="renamed")


def test_a_client_with_the_clients_own_options(calyptia_mock: CalyptiaMock) -> None:
    """client() and async_client() take every argument CalyptiaCloud() does, typed."""
    client = calyptia_mock.client(
        max_retries=0,
        timeout=httpx.Timeout(5.0, connect=1.0),
        default_headers={"X-Tenant": "blue"},
        max_response_size=1024 * 1024,
    )
    client.projects.create(name="tenant-blue")
    assert calyptia_mock.requests()[-1].headers["x-tenant"] == "blue"

    async def names() -> list[str]:
        async with calyptia_mock.async_client(max_response_size=64, max_retries=0) as client:
            return [p.name async for p in client.projects.list()]

    with pytest.raises(errors.ResponseTooLargeError):  # the list is over 64 bytes
        asyncio.run(names())


def test_async_client(calyptia_mock: CalyptiaMock) -> None:
    async def names() -> list[str]:
        async with calyptia_mock.async_client() as client:
            await client.projects.create(name="async")
            return [p.name async for p in client.projects.list()]

    assert asyncio.run(names()) == ["async", "default"]


def test_a_dropped_connection_is_a_connection_error(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault(drop=True)
    with pytest.raises(errors.APIConnectionError):
        list(calyptia_mock.client(max_retries=0).projects.list())
