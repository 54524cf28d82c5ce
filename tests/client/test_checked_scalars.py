"""The client never hands back a value its types do not promise (templates/checked_parse.jinja).

A loopback server sends, for each field of Project, CreatedProject, Membership, User and
Deleted, each JSON type the spec does not allow there (the allowed ones are read from
openapi.yaml). Every raising call style, sync and async, the page iterators included, must
raise errors.APIResponseValidationError naming the model, the field and the JSON path; the
detailed styles must hand back the response with `parsed` None.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, Response, errors
from calyptia_cloud_client.api.projects import create_project, delete_project, get_project, list_projects
from calyptia_cloud_client.models import CreateProject, Membership, MembershipRole, Project, User

from tests.support.loopback import Answerer, Loopback, Reply, Request, loopback_server
from tests.support.spec_examples import load_spec, resolve

T = TypeVar("T")

TOKEN = "checked-scalars-token"
PROJECT_ID = UUID("123e4567-e89b-12d3-a456-426614174000")
STAMP = "2025-01-22T21:00:39.147Z"
USER = {
    "id": "5d3c1b0e-4b8a-4c1e-9f2a-3b6d7e8f9a0b",
    "email": "a@example.com",
    "name": "A",
    "avatarURL": None,
    "createdAt": STAMP,
    "updatedAt": STAMP,
}
MEMBERSHIP: dict[str, Any] = {
    "id": "7b1f0c2d-1e3a-4f5b-8c6d-9e0f1a2b3c4d",
    "userID": USER["id"],
    "projectID": str(PROJECT_ID),
    "roles": ["creator"],
    "permissions": ["read:*"],
    "createdAt": STAMP,
    "user": USER,
}
PROJECT: dict[str, Any] = {
    "id": str(PROJECT_ID),
    "name": "p",
    "membersCount": 1,
    "agentsCount": 0,
    "aggregatorsCount": 0,
    "createdAt": STAMP,
    "membership": MEMBERSHIP,
    "v3Enabled": True,
    "settings": {"gpt": True},
}
CREATED = {"id": str(PROJECT_ID), "token": "t", "createdAt": STAMP, "membership": MEMBERSHIP}
DELETED = {"deleted": True, "deletedAt": STAMP}

# One value of each JSON type; "number" twice, since 1.0 is integral but still not an integer
# (the service is Go: encoding/json writes an int as `1` and refuses `1.0` for one).
WRONG: dict[str, Any] = {
    "string": "x",
    "integer": 7,
    "number": 1.5,
    "integral number": 1.0,
    "boolean": True,
    "null": None,
    "array": ["x"],
    "object": {"x": 1},
}

# Where each model sits: the operation that returns it, and the keys from the body's root.
WHERE: dict[str, tuple[str, tuple[str, ...]]] = {
    "Project": ("get", ()),
    "CreatedProject": ("create", ()),
    "Membership": ("get", ("membership",)),
    "User": ("get", ("membership", "user")),
    "Deleted": ("delete", ()),
}
BODIES = {"get": PROJECT, "create": CREATED, "delete": DELETED}
STATUSES = {"get": 200, "create": 201, "delete": 200}


def allowed_types(schema: dict[str, Any]) -> set[str]:
    """The JSON types the spec allows for a property (a `$ref` to a model is an object)."""
    schema = resolve(schema)
    if "oneOf" in schema or "anyOf" in schema:
        return set().union(*(allowed_types(s) for s in schema.get("oneOf", schema.get("anyOf", []))))
    types = schema.get("type", [])
    found = set(types if isinstance(types, list) else [types])
    return found | {"integer"} if "number" in found else found


@dataclass(frozen=True)
class Case:
    model: str
    field: str
    kind: str

    @property
    def id(self) -> str:
        return f"{self.model}.{self.field}={self.kind}"

    def body(self, *, listed: bool = False) -> bytes:
        operation, keys = WHERE[self.model]
        document = copy.deepcopy(BODIES[operation])
        target = document
        for key in keys:
            target = target[key]
        target[self.field] = WRONG[self.kind]
        return json.dumps([document] if listed else document).encode()

    def path(self, *, listed: bool = False) -> str:
        keys = WHERE[self.model][1]
        return ("$[0]" if listed else "$") + "".join(f".{key}" for key in (*keys, self.field))


def cases() -> list[Case]:
    schemas = load_spec()["components"]["schemas"]
    found = []
    for model in WHERE:
        for field, schema in schemas[model]["properties"].items():
            allowed = allowed_types(schema)
            for kind in WRONG:
                json_type = "number" if kind == "integral number" else kind
                if json_type not in allowed:
                    found.append(Case(model, field, kind))
    return found


CASES = cases()


@pytest.fixture(scope="module")
def server() -> Iterator[Loopback]:
    with loopback_server() as running:
        yield running


@pytest.fixture(scope="module")
def clients(server: Loopback) -> Iterator[tuple[CalyptiaCloud, AuthenticatedClient]]:
    cloud = CalyptiaCloud(token=TOKEN, base_url=server.url, max_retries=0)
    low = AuthenticatedClient(base_url=server.url, token=TOKEN, max_retries=0)
    with cloud, low:
        yield cloud, low


@dataclass(frozen=True)
class AsyncClients:
    """The async clients of the module and the one event loop they belong to (an async httpx
    client is bound to the loop it first ran in): `run` runs a coroutine on that loop. Built
    once, like the sync `clients`: two clients and a loop per case cost about 6 ms of CPU."""

    runner: asyncio.Runner
    cloud: AsyncCalyptiaCloud
    low: AuthenticatedClient

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coroutine)


@pytest.fixture(scope="module")
def async_clients(server: Loopback) -> Iterator[AsyncClients]:
    async def close(cloud: AsyncCalyptiaCloud, low: AuthenticatedClient) -> None:
        await cloud.aclose()
        await low.get_async_httpx_client().aclose()

    with asyncio.Runner() as runner:
        clients = AsyncClients(
            runner,
            AsyncCalyptiaCloud(token=TOKEN, base_url=server.url, max_retries=0),
            AuthenticatedClient(base_url=server.url, token=TOKEN, max_retries=0),
        )
        yield clients
        runner.run(close(clients.cloud, clients.low))


def test_every_model_and_field_has_cases() -> None:
    # 193 cases today: a field added to one of these models adds its own.
    schemas = load_spec()["components"]["schemas"]
    assert {(case.model, case.field) for case in CASES} == {
        (model, field) for model in WHERE for field in schemas[model]["properties"]
    }
    assert len(CASES) == 193


def sync_calls(operation: str, cloud: CalyptiaCloud, low: AuthenticatedClient) -> dict[str, Callable[[], object]]:
    body = CreateProject(name="p")
    return {
        "get": {
            "CalyptiaCloud": lambda: cloud.projects.get(PROJECT_ID),
            "with_raw_response": lambda: cloud.projects.with_raw_response.get(PROJECT_ID),
            "sync_or_raise": lambda: get_project.sync_or_raise(PROJECT_ID, client=low),
            "sync_raw": lambda: get_project.sync_raw(PROJECT_ID, client=low),
        },
        "create": {
            "CalyptiaCloud": lambda: cloud.projects.create(name="p"),
            "with_raw_response": lambda: cloud.projects.with_raw_response.create(name="p"),
            "sync_or_raise": lambda: create_project.sync_or_raise(client=low, body=body),
            "sync_raw": lambda: create_project.sync_raw(client=low, body=body),
        },
        "delete": {
            "CalyptiaCloud": lambda: cloud.projects.delete(PROJECT_ID),
            "with_raw_response": lambda: cloud.projects.with_raw_response.delete(PROJECT_ID),
            "sync_or_raise": lambda: delete_project.sync_or_raise(PROJECT_ID, client=low),
            "sync_raw": lambda: delete_project.sync_raw(PROJECT_ID, client=low),
        },
    }[operation]


async def async_outcomes(
    operation: str, cloud: AsyncCalyptiaCloud, low: AuthenticatedClient
) -> tuple[dict[str, BaseException | object], Response[Any]]:
    """Each async raising style's outcome (what it raised, or what it returned), and what
    asyncio_detailed returned."""
    body = CreateProject(name="p")
    outcomes: dict[str, BaseException | object] = {}
    calls: Mapping[str, Callable[[], Awaitable[object]]] = {
        "get": {
            "AsyncCalyptiaCloud": lambda: cloud.projects.get(PROJECT_ID),
            "async with_raw_response": lambda: cloud.projects.with_raw_response.get(PROJECT_ID),
            "asyncio_or_raise": lambda: get_project.asyncio_or_raise(PROJECT_ID, client=low),
            "asyncio_raw": lambda: get_project.asyncio_raw(PROJECT_ID, client=low),
        },
        "create": {
            "AsyncCalyptiaCloud": lambda: cloud.projects.create(name="p"),
            "async with_raw_response": lambda: cloud.projects.with_raw_response.create(name="p"),
            "asyncio_or_raise": lambda: create_project.asyncio_or_raise(client=low, body=body),
            "asyncio_raw": lambda: create_project.asyncio_raw(client=low, body=body),
        },
        "delete": {
            "AsyncCalyptiaCloud": lambda: cloud.projects.delete(PROJECT_ID),
            "async with_raw_response": lambda: cloud.projects.with_raw_response.delete(PROJECT_ID),
            "asyncio_or_raise": lambda: delete_project.asyncio_or_raise(PROJECT_ID, client=low),
            "asyncio_raw": lambda: delete_project.asyncio_raw(PROJECT_ID, client=low),
        },
    }[operation]
    for style, call in calls.items():
        try:
            outcomes[style] = await call()
        except BaseException as exc:
            outcomes[style] = exc
    detailed: Response[Any]
    if operation == "create":
        detailed = await create_project.asyncio_detailed(client=low, body=body)
    elif operation == "get":
        detailed = await get_project.asyncio_detailed(PROJECT_ID, client=low)
    else:
        detailed = await delete_project.asyncio_detailed(PROJECT_ID, client=low)
    return outcomes, detailed


def assert_names(error: BaseException, case: Case, status: int, style: str, *, listed: bool = False) -> None:
    assert isinstance(error, errors.APIResponseValidationError), (style, repr(error))
    assert (error.model, error.field, error.path) == (case.model, case.field, case.path(listed=listed)), style
    assert error.status_code == status
    assert case.path(listed=listed) in str(error)
    assert f"{case.model}.{case.field}" in str(error)
    assert TOKEN not in str(error)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_wrong_type_raises_the_typed_error_in_every_style(
    case: Case, server: Loopback, clients: tuple[CalyptiaCloud, AuthenticatedClient], async_clients: AsyncClients
) -> None:
    operation = WHERE[case.model][0]
    status = STATUSES[operation]
    server.always(Reply(status, case.body()))
    for style, call in sync_calls(operation, *clients).items():
        with pytest.raises(errors.APIResponseValidationError) as caught:
            call()
        assert_names(caught.value, case, status, style)
    outcomes, detailed = async_clients.run(async_outcomes(operation, async_clients.cloud, async_clients.low))
    for style, outcome in outcomes.items():
        assert isinstance(outcome, BaseException), (style, outcome)
        assert_names(outcome, case, status, style)
    assert detailed.status_code == status
    assert detailed.parsed is None
    module = {"get": get_project, "create": create_project, "delete": delete_project}[operation]
    low = clients[1]
    if operation == "create":
        response = create_project.sync_detailed(client=low, body=CreateProject(name="p"))
        plain = create_project.sync(client=low, body=CreateProject(name="p"))
    else:
        response = module.sync_detailed(PROJECT_ID, client=low)
        plain = module.sync(PROJECT_ID, client=low)
    assert response.status_code == status
    assert response.parsed is None
    assert plain is None
    assert json.loads(response.content) == json.loads(case.body())  # the body itself still comes back


LISTED = [case for case in CASES if WHERE[case.model][0] == "get"]


@pytest.mark.parametrize("case", LISTED, ids=[case.id for case in LISTED])
def test_the_page_iterators_raise_it_with_the_item_index(
    case: Case, server: Loopback, clients: tuple[CalyptiaCloud, AuthenticatedClient], async_clients: AsyncClients
) -> None:
    async def walk(iterator: AsyncIterator[Project]) -> list[Project]:
        return [project async for project in iterator]

    server.always(Reply(200, case.body(listed=True)))
    cloud, low = clients
    walks: dict[str, Callable[[], object]] = {
        "CalyptiaCloud.list": lambda: list(cloud.projects.list()),
        "iterate": lambda: list(list_projects.iterate(client=low)),
        "AsyncCalyptiaCloud.list": lambda: async_clients.run(walk(async_clients.cloud.projects.list())),
        "aiterate": lambda: async_clients.run(walk(list_projects.aiterate(client=async_clients.low))),
    }
    for style, call in walks.items():
        with pytest.raises(errors.APIResponseValidationError) as caught:
            call()
        assert_names(caught.value, case, 200, style, listed=True)


def test_the_valid_bodies_parse(server: Loopback, clients: tuple[CalyptiaCloud, AuthenticatedClient]) -> None:
    """The cases' base documents are valid: each case fails because of its one wrong value."""
    cloud, _ = clients
    server.always(Reply(200, json.dumps(PROJECT).encode()))
    project = cloud.projects.get(PROJECT_ID)
    assert isinstance(project.membership, Membership)
    assert isinstance(project.membership.user, User)
    assert project.members_count == 1
    assert type(project.members_count) is int
    server.always(Reply(201, json.dumps(CREATED).encode()))
    assert cloud.projects.create(name="p").token == "t"
    server.always(Reply(200, json.dumps(DELETED).encode()))
    assert cloud.projects.delete(PROJECT_ID).deleted is True


@pytest.mark.parametrize("value", [1.0, -0.0, 1e3, True, False, "1"], ids=repr)
def test_an_integer_field_takes_only_a_json_integer(value: object) -> None:
    """README, "Other things to know": `1.0` is refused for an integer. The service is Go, whose
    encoding/json writes an int without a decimal point and refuses `1.0` when decoding one, so
    a 1.0 says something other than the service wrote the body."""
    with pytest.raises(errors.ResponseValueError) as caught:
        Project.from_dict({**PROJECT, "membersCount": value})
    assert (caught.value.model, caught.value.field, caught.value.path) == ("Project", "membersCount", "$.membersCount")
    assert Project.from_dict({**PROJECT, "membersCount": 10**30}).members_count == 10**30  # any JSON integer


def test_open_enums_take_any_string_and_only_strings() -> None:
    owner = Membership.from_dict({**MEMBERSHIP, "roles": ["creator", "owner"]})
    assert owner.roles == [MembershipRole.CREATOR, "owner"]
    assert isinstance(owner.roles[1], MembershipRole)
    assert Membership.from_dict({**MEMBERSHIP, "roles": None}).roles is None
    for bad in (1, None, True, ["x"]):
        with pytest.raises(errors.ResponseValueError) as caught:
            Membership.from_dict({**MEMBERSHIP, "roles": ["creator", bad]})
        assert caught.value.path == "$.roles[1]"


def test_a_missing_field_is_named() -> None:
    document = copy.deepcopy(PROJECT)
    del document["membership"]["user"]["email"]
    with pytest.raises(errors.ResponseValueError) as caught:
        Project.from_dict(document)
    assert caught.value.missing
    assert caught.value.path == "$.membership.user.email"
    assert str(caught.value) == "User.email at $.membership.user.email: expected string, missing"


def test_a_body_of_the_wrong_shape_is_named(
    server: Loopback, clients: tuple[CalyptiaCloud, AuthenticatedClient]
) -> None:
    cloud, _ = clients
    for body, path, expected in [(b"[]", "$", "object"), (b'"x"', "$", "object")]:
        server.always(Reply(200, body))
        with pytest.raises(errors.APIResponseValidationError) as caught:
            cloud.projects.get(PROJECT_ID)
        assert (caught.value.path, caught.value.expected) == (path, expected)
    listed = [(b"{}", "$", "array"), (b"[1]", "$[0]", "object"), (b"[{}, 5]", "$[0].id", "string (UUID)")]
    for body, path, expected in listed:
        server.always(Reply(200, body))
        with pytest.raises(errors.APIResponseValidationError) as caught:
            list(cloud.projects.list())
        assert (caught.value.path, caught.value.expected) == (path, expected)


def pages(*bodies: list[dict[str, Any]]) -> Answerer:
    """Answer the n-th request with the n-th page, each but the last linking to the next."""
    served = iter(enumerate(bodies))

    def answer(request: Request) -> Reply:
        number, page = next(served, (len(bodies), []))
        link = {"Link": f'</v1/projects?before=page{number + 1}>; rel="next"'} if number + 1 < len(bodies) else None
        return Reply.json(page, headers=link)

    return answer


def test_a_wrong_value_on_a_later_page_names_that_page() -> None:
    """The iterators check every page, not the first alone: the path is the item's index in its
    page, and the error's response is that page's, its cursor in the request URL."""
    bad = copy.deepcopy(PROJECT)
    bad["membership"]["user"]["name"] = 5

    async def walk(iterator: AsyncIterator[Project]) -> list[Project]:
        return [project async for project in iterator]

    async def via_async_client(url: str) -> list[Project]:
        async with AsyncCalyptiaCloud(token=TOKEN, base_url=url, max_retries=0) as cloud:
            return await walk(cloud.projects.list())

    async def via_aiterate(url: str) -> list[Project]:
        async with AuthenticatedClient(url, token=TOKEN, max_retries=0) as low:
            return await walk(list_projects.aiterate(client=low))

    walks: dict[str, Callable[[str], object]] = {
        "CalyptiaCloud.list": lambda url: list(CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0).projects.list()),
        "iterate": lambda url: list(list_projects.iterate(client=AuthenticatedClient(url, token=TOKEN, max_retries=0))),
        "AsyncCalyptiaCloud.list": lambda url: asyncio.run(via_async_client(url)),
        "aiterate": lambda url: asyncio.run(via_aiterate(url)),
    }
    for style, call in walks.items():
        with (
            loopback_server(pages([PROJECT, PROJECT], [PROJECT, bad])) as server,
            pytest.raises(errors.APIResponseValidationError) as caught,
        ):
            call(server.url)
        assert (caught.value.model, caught.value.field, caught.value.path) == (
            "User",
            "name",
            "$[1].membership.user.name",
        ), style
        assert caught.value.response.request.url.params["before"] == "page1", style
