"""The generated client against the mock over real HTTP on loopback.

Every operation, every documented error status with its body, paging, isolation between
users, project-token scope and persistence across a restart. The server checks each of
its own responses against openapi.yaml, so a non-conforming answer fails the request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from calyptia_cloud_client import AuthenticatedClient
from calyptia_cloud_client.api.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
    update_project,
)
from calyptia_cloud_client.models import (
    CreatedProject,
    CreateProject,
    Deleted,
    Error,
    Membership,
    MembershipRole,
    Project,
    ProjectSettings,
    UpdateProject,
    UpdateProjectSetSettings,
    User,
)
from calyptia_cloud_client.types import UNSET

from tests.support.http import loopback
from tests.support.mock import mock_in_thread

SHARED = UUID("5e0c6a3e-7d7b-4d1e-9a38-7f0c2b1d9e11")
SHARED_TOKEN = "shared-project-token"


def user(url: str, token: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=url, token=token, timeout=httpx.Timeout(10.0))


def project_token(url: str, token: str) -> AuthenticatedClient:
    """A project token goes in X-Project-Token, bare: the generated client supports that."""
    return AuthenticatedClient(
        base_url=url, token=token, auth_header_name="X-Project-Token", prefix="", timeout=httpx.Timeout(10.0)
    )


def raw(url: str, method: str, path: str, token: str | None = "alice-token", **kwargs: Any) -> httpx.Response:
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return loopback().request(method, url + path, headers=headers, timeout=10.0, **kwargs)


def create(client: AuthenticatedClient, name: str) -> CreatedProject:
    created = create_project.sync(client=client, body=CreateProject(name=name))
    assert isinstance(created, CreatedProject), created
    return created


def assert_error(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert body["error"] == error
    return body


# -- the five operations -----------------------------------------------------------------


def test_new_user_starts_with_the_default_project(mock_url: str) -> None:
    projects = list_projects.sync(client=user(mock_url, "dave-token"))
    assert isinstance(projects, list)
    assert [p.name for p in projects] == ["default"]
    (default,) = projects
    assert (default.members_count, default.agents_count, default.aggregators_count) == (1, 0, 0)
    assert isinstance(default.membership, Membership)
    assert default.membership.roles == [MembershipRole.CREATOR]


def test_create_get_update_delete(mock_url: str) -> None:
    alice = user(mock_url, "alice-token")
    created = create(alice, "payments")
    assert created.membership.roles == [MembershipRole.CREATOR]
    assert sorted(created.membership.permissions) == ["create:*", "delete:*", "read:*", "update:*"]
    assert created.membership.project_id == created.id
    assert isinstance(created.membership.user, User)
    assert created.membership.user.email == "alice@example.com"
    assert created.token

    project = get_project.sync(created.id, client=alice)
    assert isinstance(project, Project)
    assert (project.id, project.name, project.members_count, project.agents_count) == (created.id, "payments", 1, 0)
    assert project.created_at == created.created_at

    changed = update_project.sync_detailed(
        created.id,
        client=alice,
        body=UpdateProject(
            name="billing", v_3_enabled=True, set_settings=UpdateProjectSetSettings.from_dict({"gpt": True})
        ),
    )
    assert changed.status_code == 204
    assert changed.content == b""
    project = get_project.sync(created.id, client=alice)
    assert isinstance(project, Project)
    assert (project.name, project.v_3_enabled) == ("billing", True)
    assert isinstance(project.settings, ProjectSettings)
    assert project.settings.to_dict() == {"gpt": True}

    deleted = delete_project.sync(created.id, client=alice)
    assert isinstance(deleted, Deleted)
    assert deleted.deleted is True
    assert deleted.deleted_at is not None
    gone = get_project.sync(created.id, client=alice)
    assert isinstance(gone, Error)
    assert gone.error == "project not found"


def test_update_with_null_or_nothing_changes_nothing(mock_url: str) -> None:
    alice = user(mock_url, "alice-token")
    created = create(alice, "steady")
    for body in (UpdateProject(name=None), UpdateProject()):
        assert update_project.sync_detailed(created.id, client=alice, body=body).status_code == 204
    project = get_project.sync(created.id, client=alice)
    assert isinstance(project, Project)
    assert project.name == "steady"


def test_settings_are_cleared_then_set_then_unset(mock_url: str) -> None:
    created = create(user(mock_url, "alice-token"), "settings")
    path = f"/v1/projects/{created.id}"
    assert raw(mock_url, "PATCH", path, json={"setSettings": {"a": 1, "b": 2, "c": 3}}).status_code == 204
    body = {"clearAllSettings": True, "setSettings": {"b": 20, "d": 4}, "unsetSettings": ["d"]}
    assert raw(mock_url, "PATCH", path, json=body).status_code == 204
    assert raw(mock_url, "GET", path).json()["settings"] == {"b": 20}


def test_valid_unicode_names_round_trip(mock_url: str) -> None:
    alice = user(mock_url, "alice-token")
    for name in ("проект 🚀", "مشروع", "x" * 64, "50% off_; DROP TABLE projects;--"):
        created = create(alice, name)
        project = get_project.sync(created.id, client=alice)
        assert isinstance(project, Project)
        assert project.name == name
        listed = list_projects.sync(client=alice, name=name)
        assert isinstance(listed, list)
        assert [p.id for p in listed] == [created.id]


def test_name_filter_is_exact_and_case_sensitive(mock_url: str) -> None:
    alice = user(mock_url, "alice-token")
    for name in ("Alpha", "alpha", "alpha-2", "a%"):
        create(alice, name)
    for query, expected in (("alpha", ["alpha"]), ("Alpha", ["Alpha"]), ("a%", ["a%"]), ("a_pha", []), ("alp", [])):
        listed = list_projects.sync(client=alice, name=query)
        assert isinstance(listed, list)
        assert [p.name for p in listed] == expected, query


# -- paging ------------------------------------------------------------------------------


def test_walking_link_headers_visits_every_project_once(mock_url: str) -> None:
    alice = user(mock_url, "alice-token")
    made = [create(alice, f"p{i:02d}").id for i in range(25)]
    seen: list[UUID] = []
    url: str | None = f"{mock_url}/v1/projects?last=7"
    pages = 0
    while url is not None:
        response = loopback().get(url, headers={"Authorization": "Bearer alice-token"}, timeout=10)
        assert response.status_code == 200
        seen += [UUID(item["id"]) for item in response.json()]
        pages += 1
        link = response.links.get("next")
        url = mock_url + link["url"] if link else None
    # 25 created + default + shared = 27 projects, newest first, in pages of 7.
    assert pages == 4
    assert len(seen) == len(set(seen)) == 27
    assert seen[:25] == list(reversed(made))


def test_page_size_defaults_to_20_and_zero_means_the_default(mock_url: str) -> None:
    alice = user(mock_url, "alice-token")
    for i in range(22):
        create(alice, f"p{i}")
    for last in (None, 0):
        params = {} if last is None else {"last": last}
        response = raw(mock_url, "GET", "/v1/projects", params=params)
        assert len(response.json()) == 20
        assert 'rel="next"' in response.headers["link"]
    assert len(raw(mock_url, "GET", "/v1/projects", params={"last": 100}).json()) == 24


def test_last_page_has_no_link(mock_url: str) -> None:
    response = raw(mock_url, "GET", "/v1/projects", params={"last": 2})
    assert len(response.json()) == 2  # default + shared
    assert "link" not in response.headers


def test_link_keeps_the_name_filter(mock_url: str) -> None:
    alice = user(mock_url, "alice-token")
    for _ in range(3):
        create(alice, "same name")
    first = raw(mock_url, "GET", "/v1/projects", params={"last": 2, "name": "same name"})
    next_url = first.links["next"]["url"]
    assert next_url.startswith("/v1/projects?last=2&name=same+name&before=")
    second = raw(mock_url, "GET", next_url)
    assert [p["name"] for p in second.json()] == ["same name"]
    assert "link" not in second.headers


# -- permissions and isolation -----------------------------------------------------------


def test_members_see_the_shared_project_with_their_own_membership(mock_url: str) -> None:
    for token, roles in (("alice-token", ["creator"]), ("bob-token", ["admin"]), ("carol-token", None)):
        body = raw(mock_url, "GET", f"/v1/projects/{SHARED}", token=token).json()
        assert body["membersCount"] == 3
        assert body["membership"]["roles"] == roles
        assert body["membership"]["user"]["email"] == token.removesuffix("-token") + "@example.com"


def test_non_member_gets_404_exactly_as_for_a_missing_project(mock_url: str) -> None:
    hidden = raw(mock_url, "GET", f"/v1/projects/{SHARED}", token="dave-token")
    missing = raw(mock_url, "GET", f"/v1/projects/{uuid4()}", token="dave-token")
    assert hidden.json() == missing.json() == {"error": "project not found"}
    assert hidden.status_code == missing.status_code == 404
    for method, kwargs in (("PATCH", {"json": {"name": "x"}}), ("DELETE", {})):
        assert_error(
            raw(mock_url, method, f"/v1/projects/{SHARED}", token="dave-token", **kwargs), 404, "project not found"
        )
    listed = raw(mock_url, "GET", "/v1/projects", token="dave-token").json()
    assert SHARED not in {UUID(p["id"]) for p in listed}


def test_two_users_see_only_their_own_projects(mock_url: str) -> None:
    alice, dave = user(mock_url, "alice-token"), user(mock_url, "dave-token")
    alices = {create(alice, f"a{i}").id for i in range(3)}
    daves = {create(dave, f"d{i}").id for i in range(3)}
    for client, own, other in ((alice, alices, daves), (dave, daves, alices)):
        listed = list_projects.sync(client=client, last=100)
        assert isinstance(listed, list)
        ids = {p.id for p in listed}
        assert own <= ids
        assert not ids & other


def test_plain_member_cannot_update_and_only_the_creator_deletes(mock_url: str) -> None:
    assert_error(
        raw(mock_url, "PATCH", f"/v1/projects/{SHARED}", token="carol-token", json={"name": "x"}),
        403,
        "permission denied",
    )
    assert (
        raw(mock_url, "PATCH", f"/v1/projects/{SHARED}", token="bob-token", json={"name": "renamed by bob"}).status_code
        == 204
    )
    assert_error(raw(mock_url, "DELETE", f"/v1/projects/{SHARED}", token="bob-token"), 403, "permission denied")
    assert_error(raw(mock_url, "DELETE", f"/v1/projects/{SHARED}", token="carol-token"), 403, "permission denied")
    assert raw(mock_url, "GET", f"/v1/projects/{SHARED}", token="carol-token").json()["name"] == "renamed by bob"
    assert raw(mock_url, "DELETE", f"/v1/projects/{SHARED}", token="alice-token").json()["deleted"] is True
    assert_error(raw(mock_url, "GET", f"/v1/projects/{SHARED}", token="bob-token"), 404, "project not found")


def test_project_token_reads_and_updates_its_own_project_only(mock_url: str) -> None:
    created = create(user(mock_url, "alice-token"), "own")
    scoped = project_token(mock_url, created.token)
    project = get_project.sync(created.id, client=scoped)
    assert isinstance(project, Project)
    assert project.membership is UNSET
    assert (
        update_project.sync_detailed(created.id, client=scoped, body=UpdateProject(name="via token")).status_code == 204
    )
    other = get_project.sync(SHARED, client=scoped)
    assert isinstance(other, Error)
    assert other.error == "project not found"
    headers = {"X-Project-Token": created.token}
    for method, path in (("GET", "/v1/projects"), ("POST", "/v1/projects"), ("DELETE", f"/v1/projects/{created.id}")):
        assert_error(
            raw(mock_url, method, path, token=None, headers=dict(headers), json={"name": "x"}), 401, "unauthenticated"
        )
    shared = raw(mock_url, "GET", f"/v1/projects/{SHARED}", token=None, headers={"X-Project-Token": SHARED_TOKEN})
    assert shared.json()["name"] == "shared"


# -- every documented error status -------------------------------------------------------

PROJECT_PATH = f"/v1/projects/{SHARED}"
# A canonical ID no project has, fixed so that test IDs are the same in every run.
UNKNOWN_PROJECT = "0b7e1f3c-9d2a-4c55-8e61-3f4a5b6c7d8e"

ERROR_CASES: list[tuple[str, str, str | None, dict[str, Any], int, str]] = [
    ("GET", "/v1/projects", None, {}, 401, "unauthenticated"),
    ("GET", "/v1/projects", "wrong-token", {}, 401, "unauthenticated"),
    ("GET", "/v1/projects", "alice-token", {"params": {"last": 101}}, 400, "invalid query parameter"),
    ("GET", "/v1/projects", "alice-token", {"params": {"last": "ten"}}, 400, "invalid query parameter"),
    ("GET", "/v1/projects", "alice-token", {"params": {"before": "not-a-cursor"}}, 400, "decode cursor"),
    ("POST", "/v1/projects", None, {"json": {"name": "x"}}, 401, "unauthenticated"),
    ("POST", "/v1/projects", "alice-token", {"json": {"name": " padded"}}, 400, "invalid project name"),
    ("POST", "/v1/projects", "alice-token", {"json": {"name": ""}}, 400, "invalid project name"),
    ("POST", "/v1/projects", "alice-token", {"json": {}}, 400, "invalid request body"),
    (
        "POST",
        "/v1/projects",
        "alice-token",
        {"content": b"{", "headers": {"Content-Type": "application/json"}},
        400,
        "invalid request body",
    ),
    (
        "POST",
        "/v1/projects",
        "alice-token",
        {"content": b"\xff", "headers": {"Content-Type": "application/json"}},
        400,
        "invalid request body",
    ),
    (
        "POST",
        "/v1/projects",
        "alice-token",
        {"content": b"name=x", "headers": {"Content-Type": "text/plain"}},
        415,
        "unsupported media type",
    ),
    (
        "POST",
        "/v1/projects",
        "alice-token",
        {"content": b" " * 1_048_577, "headers": {"Content-Type": "application/json"}},
        413,
        "request body too large",
    ),
    ("GET", "/v1/projects/not-a-uuid", "alice-token", {}, 400, "invalid project ID"),
    ("GET", PROJECT_PATH, None, {}, 401, "unauthenticated"),
    ("GET", f"/v1/projects/{UNKNOWN_PROJECT}", "alice-token", {}, 404, "project not found"),
    ("PATCH", "/v1/projects/not-a-uuid", "alice-token", {"json": {}}, 400, "invalid project ID"),
    ("PATCH", PROJECT_PATH, "alice-token", {"json": {"name": "a\x00b"}}, 400, "invalid project name"),
    ("PATCH", PROJECT_PATH, None, {"json": {}}, 401, "unauthenticated"),
    ("PATCH", PROJECT_PATH, "carol-token", {"json": {}}, 403, "permission denied"),
    ("PATCH", f"/v1/projects/{UNKNOWN_PROJECT}", "alice-token", {"json": {}}, 404, "project not found"),
    ("PATCH", PROJECT_PATH, "alice-token", {"content": b"{}"}, 415, "unsupported media type"),
    (
        "PATCH",
        PROJECT_PATH,
        "alice-token",
        {"content": b"[" * 2_000_000, "headers": {"Content-Type": "application/json"}},
        413,
        "request body too large",
    ),
    ("DELETE", "/v1/projects/123", "alice-token", {}, 400, "invalid project ID"),
    ("DELETE", PROJECT_PATH, None, {}, 401, "unauthenticated"),
    ("DELETE", PROJECT_PATH, "bob-token", {}, 403, "permission denied"),
    ("DELETE", f"/v1/projects/{UNKNOWN_PROJECT}", "alice-token", {}, 404, "project not found"),
    ("GET", "/v1/nothing-here", "alice-token", {}, 404, "not found"),
    ("GET", "/v1/projects/", "alice-token", {}, 404, "not found"),
]


@pytest.mark.parametrize(
    ("method", "path", "token", "kwargs", "status", "error"),
    ERROR_CASES,
    ids=[f"{m} {p[:24]} {s} {e}" for m, p, _, _, s, e in ERROR_CASES],
)
def test_documented_error(
    mock_url: str, method: str, path: str, token: str | None, kwargs: dict[str, Any], status: int, error: str
) -> None:
    assert_error(raw(mock_url, method, path, token=token, **kwargs), status, error)
    assert raw(mock_url, "GET", "/v1/projects").status_code == 200  # and the server still answers


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [("PUT", "/v1/projects", "GET, HEAD, POST"), ("POST", PROJECT_PATH, "GET, HEAD, PATCH, DELETE")],
)
def test_wrong_method_is_405_with_allow(mock_url: str, method: str, path: str, allow: str) -> None:
    response = raw(mock_url, method, path)
    assert_error(response, 405, "method not allowed")
    assert response.headers["allow"] == allow


def test_generated_client_parses_errors_from_the_mock(mock_url: str) -> None:
    anonymous = user(mock_url, "no-such-token")
    for response in (
        list_projects.sync_detailed(client=anonymous),
        create_project.sync_detailed(client=anonymous, body=CreateProject(name="x")),
        get_project.sync_detailed(SHARED, client=anonymous),
        update_project.sync_detailed(SHARED, client=anonymous, body=UpdateProject()),
        delete_project.sync_detailed(SHARED, client=anonymous),
    ):
        assert response.status_code == 401
        assert isinstance(response.parsed, Error)
        assert response.parsed.error == "unauthenticated"


# -- persistence -------------------------------------------------------------------------


def test_projects_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "restart.db"
    with mock_in_thread(db) as url:
        created = create(user(url, "alice-token"), "durable")
        update_project.sync_detailed(created.id, client=user(url, "alice-token"), body=UpdateProject(name="durable-2"))
        first_page = raw(url, "GET", "/v1/projects", params={"last": 1})
    with mock_in_thread(db) as url:
        project = get_project.sync(created.id, client=user(url, "alice-token"))
        assert isinstance(project, Project)
        assert (project.name, project.created_at) == ("durable-2", created.created_at)
        # The project token and a cursor from before the restart still work.
        assert (
            raw(
                url, "GET", f"/v1/projects/{created.id}", token=None, headers={"X-Project-Token": created.token}
            ).status_code
            == 200
        )
        assert raw(url, "GET", first_page.links["next"]["url"]).status_code == 200
        names = [p["name"] for p in raw(url, "GET", "/v1/projects", params={"name": "default"}).json()]
        assert names == ["default"], "the default project is created once, not again after a restart"
