"""A user's own tests against the `calyptia_mock` fixture: `pip install calyptia-cloud-client
calyptia-mock pytest`, and pytest finds the fixture by itself (no import, no conftest).

`make install-check` runs this file in a fresh venv, outside the repository's settings.
"""

from __future__ import annotations

import pytest
from calyptia_cloud_client import AuthenticatedClient, errors
from calyptia_cloud_client.api.projects import create_project, get_project, list_projects
from calyptia_cloud_client.models import CreateProject
from calyptia_mock.pytest_plugin import CalyptiaMock


def as_user(calyptia_mock: CalyptiaMock, token: str | None = None, max_retries: int = 2) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=calyptia_mock.base_url, token=token or calyptia_mock.token, max_retries=max_retries
    )


def test_my_sync_job(calyptia_mock: CalyptiaMock) -> None:
    client = as_user(calyptia_mock)
    create_project.sync_or_raise(client=client, body=CreateProject(name="from-test"))
    assert [p.name for p in list_projects.sync_or_raise(client=client)] == ["from-test", "default"]


def test_each_test_starts_fresh(calyptia_mock: CalyptiaMock) -> None:
    assert [p.name for p in list_projects.sync_or_raise(client=as_user(calyptia_mock))] == ["default"]


def test_retries_through_two_injected_503s(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("projects", status=503, times=2, retry_after=0)
    assert [p.name for p in list_projects.sync_or_raise(client=as_user(calyptia_mock))] == ["default"]
    assert [r.status for r in calyptia_mock.requests()] == [503, 503, 200]


def test_an_extra_user_is_a_non_member_until_added(calyptia_mock: CalyptiaMock) -> None:
    project = create_project.sync_or_raise(client=as_user(calyptia_mock), body=CreateProject(name="shared"))
    bob = calyptia_mock.add_user("bob@example.com")
    with pytest.raises(errors.NotFoundError):
        get_project.sync_or_raise(project.id, client=as_user(calyptia_mock, bob.token))
    calyptia_mock.add_member(project.id, bob, role="read-only")
    assert get_project.sync_or_raise(project.id, client=as_user(calyptia_mock, bob.token)).name == "shared"


def test_a_dropped_connection_is_a_connection_error(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault(drop=True)
    with pytest.raises(errors.APIConnectionError):
        list_projects.sync_or_raise(client=as_user(calyptia_mock, max_retries=0))
