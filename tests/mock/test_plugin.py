"""The `calyptia_mock` pytest fixture, as a user's tests use it: fresh state per test, extra
users and memberships, the request log, and injected faults seen through the real client.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any, get_type_hints
from uuid import UUID

import calyptia_mock as package
import httpx
import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, errors
from calyptia_cloud_client.api.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
    update_project,
)
from calyptia_cloud_client.models import CreateProject, UpdateProject
from calyptia_mock import pytest_plugin
from calyptia_mock.control import REQUEST_LOG_SIZE, ControlState
from calyptia_mock.operation_names import client_operation_names
from calyptia_mock.operations import OperationTable
from calyptia_mock.packaged_spec import load_spec
from calyptia_mock.pytest_plugin import CalyptiaMock, ControlError, MockAsyncClientOptions, MockClientOptions
from calyptia_mock.seed_data import InvalidMemberError, load_fixtures
from calyptia_mock.store import Store

from tests.support.calls import arguments, consume
from tests.support.error_statuses import STATUS_ERRORS
from tests.support.http import loopback
from tests.support.operations import SpecOperation, spec_operations


def http(mock: CalyptiaMock, token: str | None = None) -> httpx.Client:
    return httpx.Client(base_url=mock.base_url, headers={"Authorization": f"Bearer {token or mock.token}"}, timeout=10)


def client(mock: CalyptiaMock, token: str | None = None, **options: Any) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=mock.base_url, token=token or mock.token, **options)


@pytest.mark.parametrize("run", [1, 2])
def test_every_test_starts_from_the_fresh_state(calyptia_mock: CalyptiaMock, run: int) -> None:
    with http(calyptia_mock) as api:
        assert [p["name"] for p in api.get("/v1/projects").json()] == ["default"]
        assert api.post("/v1/projects", json={"name": f"run {run}"}).status_code == 201
        assert [p["name"] for p in api.get("/v1/projects").json()] == [f"run {run}", "default"]
    # The second run sees neither the first run's project nor its user or requests.
    assert [r.operation_id for r in calyptia_mock.requests()] == ["projects", "createProject", "projects"]


def test_permission_paths_with_extra_users(calyptia_mock: CalyptiaMock) -> None:
    admin = calyptia_mock.add_user("admin@example.com")
    reader = calyptia_mock.add_user("reader@example.com")
    stranger = calyptia_mock.add_user()
    with http(calyptia_mock) as creator:
        project_id = creator.post("/v1/projects", json={"name": "shared"}).json()["id"]
    assert calyptia_mock.add_member(project_id, admin, role="admin")["roles"] == ["admin"]
    assert calyptia_mock.add_member(project_id, reader.email)["permissions"] == ["read:*"]
    path = f"/v1/projects/{project_id}"
    with http(calyptia_mock, admin.token) as api:
        assert api.patch(path, json={"name": "renamed"}).status_code == 204
        assert api.delete(path).json() == {"error": "permission denied"}
    with http(calyptia_mock, reader.token) as api:
        assert api.get(path).json()["membership"]["permissions"] == ["read:*"]
        assert api.patch(path, json={"name": "x"}).status_code == 403
    with http(calyptia_mock, stranger.token) as api:
        assert api.get(path).json() == {"error": "project not found"}
        assert [p["name"] for p in api.get("/v1/projects").json()] == ["default"]
    with pytest.raises(ControlError, match="409"):
        calyptia_mock.add_user("admin@example.com")
    with pytest.raises(ControlError, match="unknown member"):
        calyptia_mock.add_member(project_id, "nobody@example.com")


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ({"roles": ["admin", "admin"]}, "roles ['admin', 'admin'] has non-unique elements"),
        ({"roles": ["owner"]}, "roles 'owner' is not one of ['creator', 'admin']"),
        ({"permissions": ["read:*", "read:*"]}, "permissions ['read:*', 'read:*'] has non-unique elements"),
        ({"permissions": "read:*"}, "permissions 'read:*' is not of type 'array'"),
    ],
)
def test_a_membership_the_spec_forbids_is_refused_and_not_stored(
    calyptia_mock: CalyptiaMock, member: dict[str, Any], problem: str
) -> None:
    """The control API holds roles and permissions to the spec's Membership schema (role enum,
    uniqueItems), so no test can make the mock answer outside its own spec."""
    user = calyptia_mock.add_user()
    with http(calyptia_mock) as api:
        project_id = api.post("/v1/projects", json={"name": "strict"}).json()["id"]
        refused = api.post(f"/_mock/projects/{project_id}/members", json={"user": user.email, **member})
        assert (refused.status_code, refused.json()) == (
            400,
            {"error": "invalid request body", "detail": f"member: {problem}"},
        )
        assert api.get(f"/v1/projects/{project_id}").json()["membersCount"] == 1
        # An open permission list: a permission beyond the four the service grants today is kept.
        added = api.post(
            f"/_mock/projects/{project_id}/members", json={"user": user.email, "permissions": ["read:agents"]}
        )
        assert (added.status_code, added.json()["permissions"]) == (201, ["read:agents"])
        assert api.get(f"/v1/projects/{project_id}").json()["membersCount"] == 2


def test_a_fixture_membership_the_spec_forbids_names_where(tmp_path: Path) -> None:
    fixture = tmp_path / "fixture.yaml"
    fixture.write_text(
        "users:\n  - {email: a@example.com, token: a}\n  - {email: b@example.com, token: b}\n"
        "projects:\n  - {name: p, creator: a@example.com, members: [{user: b@example.com, roles: [admin, admin]}]}\n",
        encoding="utf-8",
    )
    store = Store(":memory:")
    with pytest.raises(InvalidMemberError, match=r"fixture.yaml: projects\[0\]: roles .* has non-unique elements"):
        load_fixtures(store, fixture)
    assert store.user_by_email("a@example.com") is None  # one transaction: nothing was kept


def test_the_request_log_redacts_tokens_and_keeps_bodies(calyptia_mock: CalyptiaMock) -> None:
    with http(calyptia_mock) as api:
        api.post("/v1/projects", json={"name": "logged"})
        api.get("/v1/projects", params={"last": 5})
        api.get("/openapi.json")  # not an API operation: not logged
    create, listing = calyptia_mock.requests()
    assert (create.method, create.path, create.status, create.body) == ("POST", "/v1/projects", 201, {"name": "logged"})
    assert create.headers["authorization"] == "<redacted>"
    assert (listing.operation_id, listing.query, listing.status, listing.body) == ("projects", "last=5", 200, None)


def test_two_503s_then_success_with_max_retries_2(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("projects", status=503, times=2, retry_after=0)
    projects = list_projects.sync_or_raise(client=client(calyptia_mock, max_retries=2))
    assert [p.name for p in projects] == ["default"]
    log = calyptia_mock.requests()
    assert [(r.operation_id, r.status) for r in log] == [("projects", 503), ("projects", 503), ("projects", 200)]
    assert log[0].fault is not None
    assert log[2].fault is None


OPERATIONS = spec_operations()


@pytest.mark.operations
@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.dotted for operation in OPERATIONS])
def test_a_fault_is_aimed_by_the_clients_name_or_the_operation_id(
    calyptia_mock: CalyptiaMock, operation: SpecOperation
) -> None:
    """Every operation of the spec, called through the client's own method of that name with
    arguments built from its types: a fault aimed by either name answers it, and the request
    log names the operation by the spec's operationId."""
    cloud = calyptia_mock.client(max_retries=0)
    method = getattr(getattr(cloud, operation.resource), operation.method)
    for alias in (operation.dotted, operation.operation_id):
        calyptia_mock.inject_fault(alias, status=418)
        with pytest.raises(errors.APIStatusError) as caught:
            consume(method(**arguments(method, {})))
        assert caught.value.status_code == 418
        assert calyptia_mock.requests()[-1].operation_id == operation.operation_id


@pytest.mark.operations
def test_the_mocks_fault_names_are_the_clients_method_names() -> None:
    """The mock names faults from the spec it serves (openapi.yaml), the client its methods from
    the effective spec (overlays applied): the two must agree on every operation."""
    assert client_operation_names(load_spec()) == {operation.dotted: operation.operation_id for operation in OPERATIONS}


def test_the_old_options_names_still_import_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match="use MockClientOptions"):
        from calyptia_mock.pytest_plugin import ClientOptions
    assert ClientOptions is MockClientOptions
    with pytest.warns(DeprecationWarning, match="use MockAsyncClientOptions"):
        assert pytest_plugin.AsyncClientOptions is MockAsyncClientOptions


def test_injected_status_has_the_service_error_body_and_retry_after(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault(status=429, retry_after=7)
    calyptia_mock.inject_fault("createProject", status=409, error="project exists")
    with http(calyptia_mock) as api:
        limited = api.post("/v1/projects", json={"name": "a"})
        assert (limited.status_code, limited.headers["retry-after"], limited.json()) == (
            429,
            "7",
            {"error": "too many requests"},
        )
        assert limited.headers["content-type"] == "application/json"
        conflict = api.post("/v1/projects", json={"name": "a"})
        assert (conflict.status_code, conflict.json()) == (409, {"error": "project exists"})
        assert "retry-after" not in conflict.headers
        assert [r.body for r in calyptia_mock.requests()] == [{"name": "a"}, {"name": "a"}]  # read though refused
        assert api.post("/v1/projects", json={"name": "a"}).status_code == 201  # faults used up
    # The faulted requests never reached the store: one project besides `default`.
    with http(calyptia_mock) as api:
        assert [p["name"] for p in api.get("/v1/projects").json()] == ["a", "default"]


@pytest.mark.parametrize(("status", "error_class"), [*STATUS_ERRORS, (503, errors.InternalServerError)])
def test_each_typed_error_from_an_injected_response(
    calyptia_mock: CalyptiaMock, status: int, error_class: type[errors.APIStatusError]
) -> None:
    calyptia_mock.inject_fault(status=status, retry_after=0)
    with pytest.raises(error_class) as raised:
        list_projects.sync_or_raise(client=client(calyptia_mock, max_retries=0))
    assert type(raised.value) is error_class
    assert raised.value.status_code == status


def test_a_dropped_connection_is_an_api_connection_error(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("project", drop=True, times=2)
    project_id = create_project.sync_or_raise(client=client(calyptia_mock), body=CreateProject(name="p")).id
    with pytest.raises(errors.APIConnectionError) as dropped:
        get_project.sync_or_raise(project_id, client=client(calyptia_mock, max_retries=1))
    assert not isinstance(dropped.value, errors.APITimeoutError)
    log = calyptia_mock.requests()
    assert [(r.operation_id, r.status) for r in log] == [("createProject", 201)] + [("project", None)] * 2


def test_a_delay_longer_than_the_timeout_is_an_api_timeout_error(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("deleteProject", delay=1.0)
    with pytest.raises(errors.APITimeoutError):
        delete_project.sync_or_raise(
            UUID(int=1), client=client(calyptia_mock, max_retries=0, timeout=httpx.Timeout(0.2))
        )


def test_a_short_delay_then_the_real_answer(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("updateProject", delay=0.05)
    project = create_project.sync_or_raise(client=client(calyptia_mock), body=CreateProject(name="slow"))
    update_project.sync_or_raise(project.id, client=client(calyptia_mock), body=UpdateProject(name="slower"))
    assert [r.status for r in calyptia_mock.requests()] == [201, 204]


def test_async_client_sees_the_same_faults(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("projects", status=500, times=1)

    async def scenario() -> list[str]:
        async with client(calyptia_mock, max_retries=1) as api:
            return [p.name for p in await list_projects.asyncio_or_raise(client=api)]

    assert asyncio.run(scenario()) == ["default"]
    assert [r.status for r in calyptia_mock.requests()] == [500, 200]


# What an unknown fault target is told to use instead: every client name, then every operationId.
FAULT_NAMES = ", ".join(
    [*sorted(operation.dotted for operation in OPERATIONS), *sorted(operation.operation_id for operation in OPERATIONS)]
)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"status": 200}, "must be an error status"),
        ({"times": 0, "status": 500}, "at least 1"),
        ({"drop": True, "status": 500}, "exclude each other"),
        ({}, "needs a status, a delay or drop"),
        ({"status": "500"}, "status: wrong type"),
        ({"status": 500, "colour": "red"}, "unknown field"),
        ({"status": 503, "operation": "getProject"}, f"unknown operation 'getProject'; one of {FAULT_NAMES}, or '*'"),
        ({"status": 503, "operation": "projects.show"}, f"unknown operation 'projects.show'; one of {FAULT_NAMES}"),
    ],
)
@pytest.mark.operations  # the message lists every operation of the spec
def test_bad_faults_are_400_with_the_reason(calyptia_mock: CalyptiaMock, fault: dict[str, Any], message: str) -> None:
    response = loopback().post(f"{calyptia_mock.base_url}/_mock/faults", json=fault)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid request body"
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "status", "detail"),
    [
        ("/users", b"not json", 400, "expected a JSON object"),
        ("/users", b"[]", 400, "expected a JSON object"),
        ("/users", b'{"email": "a@example.com"}', 400, "must be non-empty strings"),
        ("/users", b'{"email": "demo@example.com", "token": "t"}', 409, "exists"),
        ("/users", b'{"email": "x@example.com", "token": "demo-token"}', 409, "exists"),
        ("/projects/no-such-project/members", b'{"user": "demo@example.com"}', 404, "unknown project"),
        ("/faults", b"{", 400, "expected a JSON object"),
    ],
)
def test_bad_control_requests_get_json_errors(
    calyptia_mock: CalyptiaMock, path: str, body: bytes, status: int, detail: str
) -> None:
    response = loopback().post(f"{calyptia_mock.base_url}/_mock{path}", content=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert detail in response.json()["detail"]


def test_the_request_log_keeps_the_newest_entries() -> None:
    state = ControlState(reset_store=lambda: None, operations=OperationTable(()))
    for index in range(REQUEST_LOG_SIZE + 5):
        state.record({"index": index})
    recorded = state.recorded()
    assert len(recorded) == REQUEST_LOG_SIZE
    assert recorded[0] == {"index": 5}


def test_the_issue_example_with_calyptia_cloud(calyptia_mock: CalyptiaMock) -> None:
    client = calyptia_mock.client()
    client.projects.create(name="from-test")
    assert [p.name for p in client.projects.list()] == ["from-test", "default"]
    assert [r.operation_id for r in calyptia_mock.requests()] == ["createProject", "projects"]


def test_a_client_for_an_extra_user_sees_only_their_projects(calyptia_mock: CalyptiaMock) -> None:
    created = calyptia_mock.client().projects.create(name="shared")
    bob = calyptia_mock.add_user("bob@example.com")
    as_bob = calyptia_mock.client(token=bob.token, max_retries=0)
    with pytest.raises(errors.NotFoundError):
        as_bob.projects.get(created.id)
    calyptia_mock.add_member(created.id, bob, role="read-only")
    assert as_bob.projects.get(created.id).name == "shared"


def test_async_calyptia_cloud_retries_injected_503s(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.inject_fault("projects", status=503, times=2, retry_after=0)

    async def names() -> list[str]:
        async with calyptia_mock.async_client(max_retries=2) as client:
            return [p.name async for p in client.projects.list()]

    assert asyncio.run(names()) == ["default"]
    assert [r.status for r in calyptia_mock.requests()] == [503, 503, 200]


def test_the_fixtures_type_is_importable_from_the_package() -> None:
    assert package.CalyptiaMock is CalyptiaMock
    assert "CalyptiaMock" in package.__all__


@pytest.mark.parametrize(
    ("options", "client_class"), [(MockClientOptions, CalyptiaCloud), (MockAsyncClientOptions, AsyncCalyptiaCloud)]
)
def test_the_options_typed_dicts_are_the_clients_arguments(options: type, client_class: type) -> None:
    """client() takes the client's own signature (handle._takes_arguments_of); these copies, for
    a user's helpers, must keep up with it."""
    parameters = inspect.signature(client_class).parameters
    assert all(parameter.kind is inspect.Parameter.KEYWORD_ONLY for parameter in parameters.values())
    hints = get_type_hints(vars(client_class)["__init__"])
    assert get_type_hints(options) == {name: hints[name] for name in parameters}


def test_client_passes_every_option_on(calyptia_mock: CalyptiaMock) -> None:
    client = calyptia_mock.client(
        base_url=None,  # None is this mock's address, never the environment's or production's
        token=None,
        max_retries=0,
        timeout=httpx.Timeout(5.0),
        default_headers={"X-Tenant": "blue"},
        max_response_size=64,
    )
    assert client.base_url == calyptia_mock.base_url
    with pytest.raises(errors.ResponseTooLargeError):
        list(client.projects.list())
    (listed,) = calyptia_mock.requests()
    assert (listed.headers["x-tenant"], listed.status) == ("blue", 200)


def test_async_client_passes_every_option_on(calyptia_mock: CalyptiaMock) -> None:
    async def get() -> str:
        async with (
            httpx.AsyncClient() as http,
            calyptia_mock.async_client(
                http_client=http, default_headers={"X-Tenant": "green"}, max_response_size=None
            ) as client,
        ):
            created = await client.projects.create(name="green")
            return (await client.projects.get(created.id)).name

    assert asyncio.run(get()) == "green"
    assert [r.headers["x-tenant"] for r in calyptia_mock.requests()] == ["green", "green"]


def test_a_positional_token_still_works_with_a_deprecation_warning(calyptia_mock: CalyptiaMock) -> None:
    """1.1.0 typed `client(token)`; the client's own signature, which client() now takes, has
    keywords only, so a positional token warns (and mypy flags it) but still works."""
    bob = calyptia_mock.add_user("bob@example.com")
    with pytest.warns(DeprecationWarning, match=r"client\(token=\.\.\.\)"):
        as_bob = calyptia_mock.client(bob.token)  # type: ignore[call-arg]
    assert [p.name for p in as_bob.projects.list()] == ["default"]  # bob's own, not the demo user's
    with pytest.warns(DeprecationWarning, match="token="), pytest.raises(TypeError, match="token twice"):
        calyptia_mock.async_client(bob.token, token=bob.token)  # type: ignore[misc]
