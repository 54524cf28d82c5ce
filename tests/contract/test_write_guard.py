"""The write guard's rule, decided from method and URL against the spec's path templates, and
the account snapshot comparison that backs it up."""

from __future__ import annotations

import copy

import httpx
import pytest

from tests.support.spec_examples import load_spec
from tools.contract.account_snapshot import Difference, SnapshotError, compare, take
from tools.contract.runner import guarded_writes
from tools.contract.write_guard import WriteGuard

BASE = "https://cloud.example.com/api"
MINE = "aaaaaaaa-1111-4111-8111-11111111111b"
THEIRS = "22222222-2222-4222-8222-222222222222"
# Today's two paths plus the kind of writes the spec may gain later.
PATHS = [
    "/v1/projects",
    "/v1/projects/{projectID}",
    "/v1/projects/{projectID}/members",
    "/v1/projects/{projectID}/members/{memberID}",
    "/v1/projects/{projectID}/settings",
]


@pytest.fixture
def guard() -> WriteGuard:
    return WriteGuard(PATHS, BASE, ledger=[f"/v1/projects/{MINE}"])


# (method, path, why it is refused; None: it passes)
RULE = [
    ("GET", f"/v1/projects/{THEIRS}", None),
    ("head", f"/v1/projects/{THEIRS}", None),
    ("OPTIONS", "/v1/anything/at/all", None),
    ("POST", "/v1/projects", None),
    ("PATCH", f"/v1/projects/{MINE}?x=1", None),
    ("DELETE", f"/v1/projects/{MINE}", None),
    ("PUT", f"/v1/projects/{MINE}/settings", None),
    ("POST", f"/v1/projects/{MINE}/members", None),
    ("DELETE", f"/v1/projects/{MINE}/members/{THEIRS}", None),
    ("PATCH", "/v1/projects/" + MINE.replace("-", "%2D"), None),  # the same ID, percent-encoded
    ("PATCH", f"/v1/projects/{THEIRS}", "did not create"),
    ("DELETE", f"/v1/projects/{THEIRS}?x=1", "did not create"),
    ("PUT", f"/v1/projects/{THEIRS}/settings", "did not create"),
    ("POST", f"/v1/projects/{THEIRS}/members", "did not create"),
    ("DELETE", f"/v1/projects/{THEIRS}/members/{MINE}", "did not create"),
    ("PATCH", f"/v1/projects/{MINE.upper()}", "did not create"),  # may be the same project: not in the ledger
    ("TRACE", f"/v1/projects/{THEIRS}", "did not create"),
    ("DELETE", "/v1/projects", "whole collection"),
    ("PUT", "/v1/projects", "whole collection"),
    ("POST", "/v1/users", "no path"),
    ("DELETE", f"/v1/projects/{MINE}/unknown", "no path"),
    ("DELETE", f"/v1/projects/{MINE}/../{THEIRS}", "normalise"),
    ("DELETE", f"/v1/projects/{MINE}/%2E%2E/{THEIRS}", "normalise"),
    ("DELETE", f"/v1/projects/{MINE}%2F..%2F{THEIRS}", "normalise"),
    ("DELETE", f"/v1//projects/{MINE}", "normalise"),
    ("DELETE", f"/v1/projects/{MINE}/", "normalise"),
    ("DELETE", f"/v1/projects/{MINE}/members/..;/..;/{THEIRS}", "normalise"),
    ("DELETE", f"/v1/projects/{MINE}/members/..%5C..%5C{THEIRS}", "normalise"),
    ("DELETE", f"/v1/projects/{MINE}/members/%252E%252E", "normalise"),
]


@pytest.mark.parametrize(("method", "path", "refused_because"), RULE)
def test_reads_creates_and_writes_to_what_the_run_created_pass_and_nothing_else(
    guard: WriteGuard, method: str, path: str, refused_because: str | None
) -> None:
    verdict = guard.verdict(method, BASE + path)
    assert verdict.allowed is (refused_because is None)
    assert refused_because is None or refused_because in verdict.reason


@pytest.mark.parametrize(
    "url",
    [
        f"https://elsewhere.example.com/api/v1/projects/{MINE}",
        f"http://cloud.example.com/api/v1/projects/{MINE}",
        f"https://cloud.example.com/v1/projects/{MINE}",  # outside the base path
    ],
)
def test_writes_outside_the_base_url_are_refused(guard: WriteGuard, url: str) -> None:
    assert not guard.verdict("DELETE", url).allowed


def test_a_resource_is_guarded_by_its_first_path_parameter(guard: WriteGuard) -> None:
    assert guard.verdict("DELETE", f"{BASE}/v1/projects/{THEIRS}/members/{MINE}").root == f"/v1/projects/{THEIRS}"


def test_the_spec_decides_not_a_list_of_operations() -> None:
    guard = WriteGuard({"/v2/agents": {}, "/v2/agents/{agentID}/config": {}}, "http://127.0.0.1:1")
    assert guard.verdict("POST", "http://127.0.0.1:1/v2/agents").allowed
    assert not guard.verdict("PUT", f"http://127.0.0.1:1/v2/agents/{THEIRS}/config").allowed
    assert not guard.verdict("PATCH", f"http://127.0.0.1:1/v1/projects/{THEIRS}").allowed


def test_a_created_resource_is_recognised_only_from_a_201_to_a_collection(guard: WriteGuard) -> None:
    created = guard.created_root("POST", f"{BASE}/v1/projects", 201, {"id": THEIRS, "token": "t"})
    assert created == f"/v1/projects/{THEIRS}"
    assert guard.created_root("POST", f"{BASE}/v1/projects", 200, {"id": THEIRS}) is None
    assert guard.created_root("POST", f"{BASE}/v1/projects", 201, {"id": "../x/y"}) is None
    assert guard.created_root("POST", f"{BASE}/v1/projects", 201, ["not", "an", "object"]) is None
    assert guard.created_root("POST", f"{BASE}/v1/projects/{MINE}/members", 201, {"id": THEIRS}) is None


def _project(name: str, **settings: object) -> dict[str, object]:
    return {"id": MINE, "name": name, "settings": settings, "membership": {"roles": ["creator"]}}


def test_compare_names_the_project_and_the_field() -> None:
    before = {MINE: _project("prod", gpt=True), THEIRS: _project("shared")}
    after = {MINE: _project("renamed", gpt=False), "33333333-3333-4333-8333-333333333333": _project("left")}
    assert [str(difference) for difference in compare(before, after)] == [
        f'project {MINE} (\'prod\'): name was "prod", is "renamed"',
        f"project {MINE} ('prod'): settings.gpt was true, is false",
        f'project {THEIRS} (\'shared\'): (the project) was "present", is "deleted"',
        'project 33333333-3333-4333-8333-333333333333 (\'left\'): (the project) was "absent", is "left behind"',
    ]
    assert compare(before, dict(before)) == []
    assert isinstance(compare(before, {})[0], Difference)


def test_fuzzing_is_off_for_exactly_the_writes_to_one_resource() -> None:
    spec = copy.deepcopy(load_spec())  # edited below
    assert guarded_writes(spec) == ["PATCH /v1/projects/{projectID}", "DELETE /v1/projects/{projectID}"]
    spec["paths"]["/v1/projects/{projectID}/members"] = {"post": {}, "get": {}, "parameters": []}
    assert "POST /v1/projects/{projectID}/members" in guarded_writes(spec)
    assert not any(label.startswith(("GET", "POST /v1/projects ")) for label in guarded_writes(spec))


def test_a_snapshot_reads_every_page_and_each_project_and_waits_out_a_429() -> None:
    projects = {pid: {"id": pid, "name": name} for pid, name in ((MINE, "a"), (THEIRS, "b"))}
    seen: list[str] = []

    def service(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.raw_path, "ascii"))
        if request.url.path == "/v1/projects":
            if "before" not in request.url.params:
                return httpx.Response(
                    200, json=[projects[MINE]], headers={"Link": '</v1/projects?before=x>; rel="next"'}
                )
            return httpx.Response(200, json=[projects[THEIRS]])
        if len(seen) == 3:
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"error": "slow down"})
        return httpx.Response(200, json={**projects[request.url.path.rsplit("/", 1)[1]], "settings": {}})

    with httpx.Client(base_url="http://api.test", transport=httpx.MockTransport(service)) as client:
        snapshot = take(client)
    assert snapshot == {pid: {**project, "settings": {}} for pid, project in projects.items()}
    assert seen == [
        "/v1/projects?last=100",
        "/v1/projects?before=x",
        f"/v1/projects/{MINE}",
        f"/v1/projects/{MINE}",
        f"/v1/projects/{THEIRS}",
    ]


def test_a_snapshot_that_cannot_read_everything_is_an_error() -> None:
    def service(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"error": "internal"})

    client = httpx.Client(base_url="http://api.test", transport=httpx.MockTransport(service))
    with client, pytest.raises(SnapshotError, match="answered 500"):
        take(client)


@pytest.mark.parametrize(
    ("headers", "query"),
    [({"X-HTTP-Method-Override": "DELETE"}, ""), ({"x-method-override": "patch"}, ""), ({}, "?_method=DELETE")],
)
def test_a_read_that_names_another_method_is_decided_as_that_method(
    guard: WriteGuard, headers: dict[str, str], query: str
) -> None:
    assert not guard.verdict("GET", f"{BASE}/v1/projects/{THEIRS}{query}", headers).allowed
    assert guard.verdict("GET", f"{BASE}/v1/projects/{MINE}{query}", headers).allowed
    assert guard.verdict("GET", f"{BASE}/v1/projects/{THEIRS}", {"X-HTTP-Method-Override": "GET"}).allowed
