"""Who may do what: every caller against every Projects operation on every kind of project.

Callers are named by their relation to the `shared` project:

    creator   alice, created `shared`                       roles [creator], every permission
    admin     bob, a member of `shared`                     roles [admin], every permission
    member    carol, a plain member of `shared`             roles null, permissions [read:*]
    outsider  dave, no member of `shared`; he created `outsiders`
    no-token, bad-token                                     no or an unknown Authorization
    own-project-token, other-project-token                  X-Project-Token of the target project or of another

Projects are `shared`, `outsiders` (only dave is a member) and `missing` (a UUID that was never
created; it has no own project token). Every cell asserts the exact status and JSON body. Each
update and delete cell acts on its own copy of the project, loaded from the fixture, so no
cell depends on another having run. The last test replays the whole matrix and checks that no
token ever reaches the server's log or an error body.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from tests.support.http import loopback
from tests.support.logs import attached
from tests.support.mock import mock_in_thread

Op = Literal["list", "create", "get", "update", "delete"]

NAMESPACE = uuid.UUID("8a6f1c52-3d0e-4b8e-9f61-2c7d5e4a1b90")
ALL_PERMISSIONS = ["create:*", "read:*", "update:*", "delete:*"]
RENAMED = "renamed by the matrix"
BAD_TOKEN = "bad-user-token-5b7e02d4"
MISSING_ID = str(uuid.uuid5(NAMESPACE, "missing"))
TIMEOUT = httpx.Timeout(10.0)


class Pattern:
    """Equal to any string that fully matches `regex`: stands in for generated IDs and times
    inside an otherwise exact expected body."""

    def __init__(self, regex: str) -> None:
        self.regex = re.compile(regex)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.regex.fullmatch(other) is not None

    def __hash__(self) -> int:
        return hash(self.regex.pattern)

    def __repr__(self) -> str:
        return f"Pattern({self.regex.pattern!r})"


ANY_UUID = Pattern(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
ANY_TIME = Pattern(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
ANY_PROJECT_TOKEN = Pattern(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    token: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, self.email))


PEOPLE = {
    "creator": Person("alice@example.com", "Alice", "alice-user-token-3f9a1c77"),
    "admin": Person("bob@example.com", "Bob", "bob-user-token-81d0e5a2"),
    "member": Person("carol@example.com", "Carol", "carol-user-token-c24b9f10"),
    "outsider": Person("dave@example.com", "Dave", "dave-user-token-7e6a3d58"),
}
CALLERS = (
    "creator",
    "admin",
    "member",
    "outsider",
    "no-token",
    "bad-token",
    "own-project-token",
    "other-project-token",
)


@dataclass(frozen=True)
class Project:
    """A project in the fixture: its creator and the other members with roles and permissions."""

    name: str
    token: str
    creator: str
    members: dict[str, tuple[list[str] | None, list[str]]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, self.name))

    def access(self, person: str) -> tuple[list[str] | None, list[str]] | None:
        """The person's (roles, permissions) here, or None for a non-member."""
        if person == self.creator:
            return ["creator"], ALL_PERMISSIONS
        return self.members.get(person)

    def copy(self, label: str) -> Project:
        slug = re.sub(r"\W+", "-", label)
        return Project(f"{self.name} for {label}", f"{self.name}-{slug}-project-token", self.creator, self.members)


SHARED = Project(
    "shared",
    "shared-project-token-8c41d2e9",
    "creator",
    {"admin": (["admin"], ALL_PERMISSIONS), "member": (None, ["read:*"])},
)
OUTSIDERS = Project("outsiders", "outsiders-project-token-2a9f64b3", "outsider")
BASES = {"shared": SHARED, "outsiders": OUTSIDERS}
LEAK_CHECK = SHARED.copy("the existence check")


@dataclass(frozen=True)
class Outcome:
    """What a cell answers, by the rules in openapi.yaml."""

    name: str
    status: int
    error: str | None = None


OK = Outcome("the project, with the caller's own membership", 200)
TOKEN_OK = Outcome("the project, without a membership", 200)
LISTED = Outcome("the name filter finds exactly this project", 200)
UNLISTED = Outcome("the name filter finds nothing", 200)
CREATED = Outcome("created", 201)
UPDATED = Outcome("updated, empty body", 204)
DELETED = Outcome("deleted", 200)
UNAUTH = Outcome("unauthenticated", 401, "unauthenticated")
DENIED = Outcome("permission denied", 403, "permission denied")
NOTFOUND = Outcome("project not found", 404, "project not found")
NA = None  # `missing` has no token of its own

# fmt: off
# The matrix itself. Columns follow CALLERS; for `outsiders`, the outsider column is its creator.
# For create, which targets no project, the token columns are simply shared's and outsiders' tokens.
EXPECTED: dict[tuple[Op, str], tuple[Outcome | None, ...]] = {
    #                       creator   admin     member    outsider  no-token  bad-token own-token other-token
    ("list", "shared"):     (LISTED,   LISTED,   LISTED,   UNLISTED, UNAUTH,   UNAUTH,   UNAUTH,   UNAUTH),
    ("list", "outsiders"):  (UNLISTED, UNLISTED, UNLISTED, LISTED,   UNAUTH,   UNAUTH,   UNAUTH,   UNAUTH),
    ("create", "new"):      (CREATED,  CREATED,  CREATED,  CREATED,  UNAUTH,   UNAUTH,   UNAUTH,   UNAUTH),
    ("get", "shared"):      (OK,       OK,       OK,       NOTFOUND, UNAUTH,   UNAUTH,   TOKEN_OK, NOTFOUND),
    ("get", "outsiders"):   (NOTFOUND, NOTFOUND, NOTFOUND, OK,       UNAUTH,   UNAUTH,   TOKEN_OK, NOTFOUND),
    ("get", "missing"):     (NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, UNAUTH,   UNAUTH,   NA,       NOTFOUND),
    ("update", "shared"):   (UPDATED,  UPDATED,  DENIED,   NOTFOUND, UNAUTH,   UNAUTH,   UPDATED,  NOTFOUND),
    ("update", "outsiders"):(NOTFOUND, NOTFOUND, NOTFOUND, UPDATED,  UNAUTH,   UNAUTH,   UPDATED,  NOTFOUND),
    ("update", "missing"):  (NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, UNAUTH,   UNAUTH,   NA,       NOTFOUND),
    ("delete", "shared"):   (DELETED,  DENIED,   DENIED,   NOTFOUND, UNAUTH,   UNAUTH,   UNAUTH,   UNAUTH),
    ("delete", "outsiders"):(NOTFOUND, NOTFOUND, NOTFOUND, DELETED,  UNAUTH,   UNAUTH,   UNAUTH,   UNAUTH),
    ("delete", "missing"):  (NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, UNAUTH,   UNAUTH,   NA,       UNAUTH),
}
# fmt: on


@dataclass(frozen=True)
class Cell:
    op: Op
    project: str  # "shared", "outsiders", "missing", or "new" for create
    caller: str
    outcome: Outcome

    @property
    def id(self) -> str:
        return f"{self.op}-{self.project}-{self.caller}"

    @property
    def target(self) -> Project | None:
        """The project acted on: a private copy for update and delete, so cells stay independent."""
        base = BASES.get(self.project)
        if base is not None and self.op in ("update", "delete"):
            return base.copy(f"{self.op} by {self.caller}")
        return base

    @property
    def path(self) -> str:
        target = self.target
        return f"/v1/projects/{target.id if target is not None else MISSING_ID}"

    def headers(self) -> dict[str, str]:
        """The caller's credentials for this cell."""
        if self.caller in PEOPLE:
            return {"Authorization": f"Bearer {PEOPLE[self.caller].token}"}
        if self.caller == "bad-token":
            return {"Authorization": f"Bearer {BAD_TOKEN}"}
        if self.caller == "no-token":
            return {}
        target = self.target or SHARED
        own = self.caller == "own-project-token" and self.project != "missing"
        other = OUTSIDERS if target.name.startswith("shared") else SHARED
        return {"X-Project-Token": target.token if own else other.token}


CELLS = [
    Cell(op, project, caller, outcome)
    for (op, project), row in EXPECTED.items()
    for caller, outcome in zip(CALLERS, row, strict=True)
    if outcome is not None
]
COPIES = [target for cell in CELLS if cell.op in ("update", "delete") and (target := cell.target) is not None]


def write_fixture(path: Path) -> Path:
    """The people, the two projects and a private copy for every update and delete cell."""
    users = [{"email": p.email, "name": p.name, "token": p.token, "id": p.id} for p in PEOPLE.values()]
    projects = [
        {
            "name": project.name,
            "id": project.id,
            "token": project.token,
            "creator": PEOPLE[project.creator].email,
            "members": [
                {"user": PEOPLE[key].email, "roles": roles, "permissions": permissions}
                for key, (roles, permissions) in project.members.items()
            ],
        }
        for project in [SHARED, OUTSIDERS, LEAK_CHECK, *COPIES]
    ]
    path.write_text(json.dumps({"users": users, "projects": projects}, indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fixture_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("access") / "access.json")


@pytest.fixture(scope="module")
def server(fixture_file: Path) -> Iterator[str]:
    """One mock for the whole matrix: the cells never touch each other's projects."""
    with mock_in_thread(fixture_file.parent / "matrix.db", fixtures=fixture_file) as url:
        yield url


def perform(url: str, cell: Cell) -> httpx.Response:
    """Send the cell's request."""
    headers = cell.headers()
    if cell.op == "list":
        assert cell.target is not None
        return loopback().get(f"{url}/v1/projects", params={"name": cell.target.name}, headers=headers, timeout=TIMEOUT)
    if cell.op == "create":
        body = {"name": f"created by {cell.caller}"}
        return loopback().post(f"{url}/v1/projects", json=body, headers=headers, timeout=TIMEOUT)
    if cell.op == "get":
        return loopback().get(url + cell.path, headers=headers, timeout=TIMEOUT)
    if cell.op == "update":
        return loopback().patch(url + cell.path, json={"name": RENAMED}, headers=headers, timeout=TIMEOUT)
    return loopback().delete(url + cell.path, headers=headers, timeout=TIMEOUT)


def user_json(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "avatarURL": None,
        "createdAt": ANY_TIME,
        "updatedAt": ANY_TIME,
    }


def membership_json(project_id: str, person: str, roles: list[str] | None, permissions: list[str]) -> dict[str, Any]:
    return {
        "id": ANY_UUID,
        "userID": PEOPLE[person].id,
        "projectID": project_id,
        "roles": roles,
        "permissions": permissions,
        "createdAt": ANY_TIME,
        "user": user_json(PEOPLE[person]),
    }


def project_json(project: Project, viewer: str | None) -> dict[str, Any]:
    """The project as `viewer` sees it; None for its project token (no membership)."""
    body: dict[str, Any] = {
        "id": project.id,
        "name": project.name,
        "membersCount": 1 + len(project.members),
        "agentsCount": 0,
        "aggregatorsCount": 0,
        "createdAt": ANY_TIME,
        "v3Enabled": False,
        "settings": {},
    }
    if viewer is not None:
        access = project.access(viewer)
        assert access is not None, f"{viewer} is no member of {project.name}"
        body["membership"] = membership_json(project.id, viewer, *access)
    return body


def expected_json(cell: Cell, actual: Any) -> Any:
    """The exact body the cell must answer (Pattern stands in for generated values)."""
    outcome, target = cell.outcome, cell.target
    if outcome.error is not None:
        return {"error": outcome.error}
    if outcome in (OK, TOKEN_OK, LISTED):
        assert target is not None
        project = project_json(target, cell.caller if outcome is not TOKEN_OK else None)
        return [project] if outcome is LISTED else project
    if outcome is UNLISTED:
        return []
    if outcome is DELETED:
        return {"deleted": True, "deletedAt": ANY_TIME}
    assert outcome is CREATED
    # The new ID is generated; the membership must name that same project.
    new_id = actual.get("id") if isinstance(actual, dict) else None
    assert new_id == ANY_UUID, actual
    return {
        "id": new_id,
        "token": ANY_PROJECT_TOKEN,
        "createdAt": ANY_TIME,
        "membership": membership_json(new_id, cell.caller, ["creator"], ALL_PERMISSIONS),
    }


def assert_after_effect(url: str, cell: Cell) -> None:
    """An update or delete changed its copy exactly when it succeeded, and nothing otherwise."""
    target = cell.target
    if cell.op not in ("update", "delete") or target is None:
        return
    owner = {"Authorization": f"Bearer {PEOPLE[target.creator].token}"}
    after = loopback().get(url + cell.path, headers=owner, timeout=TIMEOUT)
    if cell.outcome is DELETED:
        assert (after.status_code, after.json()) == (404, {"error": "project not found"})
        # The project's own token died with it.
        by_token = loopback().get(url + cell.path, headers={"X-Project-Token": target.token}, timeout=TIMEOUT)
        assert (by_token.status_code, by_token.json()) == (401, {"error": "unauthenticated"})
    else:
        assert after.status_code == 200, after.text
        assert after.json()["name"] == (RENAMED if cell.outcome is UPDATED else target.name)


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_access(server: str, cell: Cell) -> None:
    """One cell: exact status, exact body, and the state change only when allowed."""
    response = perform(server, cell)
    assert response.status_code == cell.outcome.status, response.text
    if cell.outcome is UPDATED:
        assert response.content == b""
    else:
        assert response.headers["content-type"] == "application/json"
        actual = response.json()
        assert actual == expected_json(cell, actual)
    assert_after_effect(server, cell)


def test_matrix_covers_every_caller_projects_operation_and_project() -> None:
    """The table is complete: 8 callers x the 5 Projects operations, 3 projects where one applies."""
    assert {cell.op for cell in CELLS} == {"list", "create", "get", "update", "delete"}
    assert {cell.caller for cell in CELLS} == set(CALLERS)
    assert len(CELLS) == 2 * 8 + 8 + 3 * (3 * 8 - 1)


@pytest.mark.parametrize(
    ("method", "body"), [("GET", None), ("PATCH", {"name": "leak?"}), ("DELETE", None)], ids=["get", "update", "delete"]
)
def test_hidden_project_is_indistinguishable_from_a_missing_one(server: str, method: str, body: Any) -> None:
    """A non-member learns nothing: status, headers and bytes equal those for a random UUID."""
    headers = {"Authorization": f"Bearer {PEOPLE['outsider'].token}"}
    answers = [
        loopback().request(method, f"{server}/v1/projects/{project_id}", json=body, headers=headers, timeout=TIMEOUT)
        for project_id in (LEAK_CHECK.id, MISSING_ID, str(uuid.uuid4()))
    ]
    shapes = {
        (r.status_code, r.content, tuple(sorted((k, v) for k, v in r.headers.items() if k != "date"))) for r in answers
    }
    assert len(shapes) == 1, shapes
    assert answers[0].status_code == 404
    owner = {"Authorization": f"Bearer {PEOPLE['creator'].token}"}
    assert loopback().get(f"{server}/v1/projects/{LEAK_CHECK.id}", headers=owner, timeout=TIMEOUT).json()["name"] == (
        LEAK_CHECK.name
    )


class _Collector(logging.Handler):
    """Keeps every formatted record, tracebacks included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.names.append(record.name)


@pytest.fixture
def server_log() -> Iterator[_Collector]:
    """Everything the mock and uvicorn log, at DEBUG. uvicorn's loggers do not propagate to
    the root logger (so caplog would miss them): the handler goes on each logger directly."""
    collector = _Collector()
    with attached(collector, ("calyptia_mock", "uvicorn"), logging.DEBUG):
        yield collector


def test_no_token_reaches_the_log_or_an_error_body(tmp_path: Path, server_log: _Collector) -> None:
    """Replay the whole matrix, plus credentials in odd places, on a fresh mock: no token,
    user or project, valid or not, appears in any log line, error body or response header."""
    fixture = write_fixture(tmp_path / "access.json")
    secrets = {p.token for p in PEOPLE.values()} | {p.token for p in (SHARED, OUTSIDERS, LEAK_CHECK, *COPIES)}
    secrets.add(BAD_TOKEN)
    responses: list[httpx.Response] = []
    with mock_in_thread(tmp_path / "scan.db", fixtures=fixture) as url:
        for cell in CELLS:
            response = perform(url, cell)
            responses.append(response)
            if cell.outcome is CREATED:
                secrets.add(response.json()["token"])
        odd_credentials = [
            {"Authorization": f"Basic {PEOPLE['creator'].token}"},
            {"Authorization": f"Bearer {SHARED.token}"},  # a project token as a user token
            {"Authorization": f"bearer \t{BAD_TOKEN}"},
            {"Authorization": f"Bearer {BAD_TOKEN}", "X-Project-Token": SHARED.token},
            {"X-Project-Token": PEOPLE["creator"].token},  # a user token as a project token
            {"X-Project-Token": BAD_TOKEN},
        ]
        for headers in odd_credentials:
            for method, path in (("GET", "/v1/projects"), ("GET", f"/v1/projects/{SHARED.id}")):
                responses.append(loopback().request(method, url + path, headers=headers, timeout=TIMEOUT))
    assert {r.status_code for r in responses[len(CELLS) :]} == {401}
    # The scan is not vacuous: the access log has a line for every request.
    assert server_log.names.count("calyptia_mock.access") >= len(responses)
    leaks = [(secret, line) for line in server_log.lines for secret in secrets if secret in line]
    for response in responses:
        body = "" if response.status_code == 201 else response.text  # only create returns a token
        header_text = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        leaks += [(secret, text) for text in (body, header_text) for secret in secrets if secret in text]
    assert not leaks, leaks[:5]
