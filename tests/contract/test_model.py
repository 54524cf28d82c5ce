"""The reference model (tools/contract/model/): right about a correct service, and finds
services that are wrong in ways nobody wrote a probe for.

The correct service is the mock, on loopback. The wrong ones are the mutants of
tests/contract/mutants.py, which the model was not written against: each must leave at least
one difference after the model has learned the account, seeded it and explored it.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.contract.mutants import BEHAVIOUR_MUTANTS, MUTANTS
from tests.support.mock import mock_in_thread
from tools.contract.model.checker import Checker
from tools.contract.model.exchange import Exchange
from tools.contract.model.recording import ExchangeLog, read_exchanges
from tools.contract.model.run import ModelRun
from tools.contract.model.secrets import Redactor
from tools.paths import SPEC
from tools.spec import load

TOKEN = "alice-token"
WRAPPERS: dict[str, Callable[[ASGIApp], ASGIApp]] = {
    **{name: wrapper for name, (wrapper, _) in MUTANTS.items()},
    **{name: mutant.wrapper for name, mutant in BEHAVIOUR_MUTANTS.items()},
}


@contextmanager
def model_run(
    tmp_path: Path, *, strict: bool = True, wrap: Callable[[ASGIApp], ASGIApp] | None = None
) -> Iterator[tuple[str, ModelRun]]:
    with mock_in_thread(tmp_path / "mock.db", wrap=wrap, validate_responses=False) as url:
        run = ModelRun.start(load(SPEC), url, TOKEN, strict=strict)
        try:
            yield url, run
        finally:
            run.close()


def test_the_mock_answers_every_request_of_an_exploration_as_predicted(tmp_path: Path) -> None:
    with model_run(tmp_path) as (_, run):
        run.seed(5, lambda index: f"seed-{index}")
        run.explore(writes=True)
    report = run.checker.report
    assert [str(difference) for difference in report.differences] == []
    assert report.not_modelled == {}
    assert run.exploration is not None
    assert run.exploration.requests > 250
    # every operation was predicted, success and errors alike
    operations = {rule.split(":")[0] for rule in report.checked}
    assert {"projects", "createProject", "project", "updateProject", "deleteProject"} <= operations
    assert any("no credential" in rule for rule in report.checked)
    assert any("after a cursor" in rule for rule in report.checked)


def test_a_read_only_exploration_sends_only_reads_and_agrees(tmp_path: Path) -> None:
    with model_run(tmp_path, strict=False) as (_, run):
        run.explore(writes=False)
    assert {exchange.method for exchange in run.client.sent} == {"GET"}
    assert run.checker.report.differences == []


def _exchange(method: str, path: str, status: int, body: Any, query: str = "", token: str = TOKEN) -> Exchange:
    return Exchange(
        method=method,
        path=path,
        raw_query=query,
        headers={"authorization": f"Bearer {token}"},
        body=b"",
        status=status,
        response_headers={"content-type": "application/json"},
        response_body=json.dumps(body).encode(),
    )


def _learned(strict: bool, spec: dict[str, Any] | None = None) -> tuple[Checker, dict[str, Any]]:
    project = {
        "id": "5e0c6a3e-7d7b-4d1e-9a38-7f0c2b1d9e11",
        "name": "shared",
        "membersCount": 3,
        "agentsCount": 0,
        "aggregatorsCount": 0,
        "createdAt": "2025-01-22T21:00:39.147Z",
        "membership": {
            "id": "m",
            "userID": "u",
            "projectID": "5e0c6a3e-7d7b-4d1e-9a38-7f0c2b1d9e11",
            "roles": ["creator"],
            "permissions": ["read:*"],
            "createdAt": "2025-01-22T21:00:39.147Z",
            "user": {"id": "u"},
        },
    }
    checker = Checker(spec or load(SPEC), TOKEN, strict=strict)
    checker.learn([_exchange("GET", "/v1/projects", 200, [project], "last=100")], TOKEN)
    return checker, project


def test_a_change_nobody_in_the_run_made_is_external_in_a_live_account_and_a_failure_against_the_mock() -> None:
    for strict in (True, False):
        checker, project = _learned(strict)
        renamed = {**project, "name": "renamed by a colleague"}
        differences = checker.observe(_exchange("GET", f"/v1/projects/{project['id']}", 200, renamed))
        assert len(differences) == 1
        assert differences[0].where.endswith(".name")
        assert differences[0].predicted == '"shared"'
        assert differences[0].received == '"renamed by a colleague"'
        assert differences[0].external is (not strict)
        # reported once: the model takes the service's word for it from then on
        again = checker.observe(_exchange("GET", f"/v1/projects/{project['id']}", 200, renamed))
        assert again == ([] if not strict else again)


def test_a_difference_names_the_request_the_prediction_and_the_answer() -> None:
    checker, project = _learned(strict=True)
    exchange = _exchange("GET", "/v1/projects", 200, [project], "last=0&last=1")
    (difference,) = checker.observe(exchange)
    assert str(difference) == (
        "GET /v1/projects?last=0&last=1: status: predicted 400 (projects: query parameter 'last' given more than "
        "once), received 200 (projects: query parameter 'last' given more than once)"
    )


def test_the_exchange_log_round_trips(tmp_path: Path) -> None:
    class Request:
        method = "PATCH"
        url = "http://127.0.0.1:1/v1/projects/x?a=1"
        headers: ClassVar[dict[str, str]] = {"Content-Type": "application/json"}
        body = b'{"name": "n"}'

    class Response:
        status_code = 204
        headers: ClassVar[dict[str, str]] = {"X-Other": "1"}
        content = b""

    ExchangeLog(tmp_path / "log", Redactor())(Request(), Response())
    (exchange,) = read_exchanges(tmp_path / "log")
    assert exchange.line() == "PATCH /v1/projects/x?a=1"
    assert exchange.headers == {"content-type": "application/json"}
    assert exchange.body == b'{"name": "n"}'
    assert exchange.status == 204
    assert exchange.response_headers == {"x-other": "1"}


def test_no_credential_reaches_the_exchange_log_and_each_keeps_one_label(tmp_path: Path) -> None:
    class Request:
        method = "POST"
        url = "http://127.0.0.1:1/v1/projects"
        headers: ClassVar[dict[str, str]] = {"Authorization": "Bearer user-secret", "X-Project-Token": "project-secret"}
        body = b'{"name": "n", "apiKey": "body-secret"}'

    class Response:
        status_code = 201
        headers: ClassVar[dict[str, str]] = {"Set-Cookie": "session=cookie-secret"}
        content = b'{"id": "x", "token": "project-secret", "membership": {"roles": ["creator"]}}'

    redactor = Redactor()
    ExchangeLog(tmp_path / "log", redactor)(Request(), Response())
    text = (tmp_path / "log").read_text(encoding="utf-8")
    (exchange,) = read_exchanges(tmp_path / "log")
    shown = text + repr(exchange) + exchange.body.decode() + exchange.response_body.decode()
    for secret in ("user-secret", "project-secret", "body-secret", "cookie-secret"):
        assert secret not in shown
    label = redactor.label("project-secret")
    assert exchange.headers["authorization"] == f"Bearer {redactor.label('user-secret')}"
    assert exchange.headers["x-project-token"] == label
    assert exchange.response_json()["token"] == label
    assert exchange.response_json()["membership"] == {"roles": ["creator"]}
    assert Redactor().label("project-secret") != label  # another run's key, another label


@pytest.mark.mutation  # about 3 s a mutant
@pytest.mark.parametrize("mutant", list(WRAPPERS))
def test_the_model_finds_each_hand_written_mutant_without_its_probe(tmp_path: Path, mutant: str) -> None:
    with model_run(tmp_path, wrap=WRAPPERS[mutant]) as (_, run):
        run.seed(10, lambda index: f"seed-{index}")
        run.explore(writes=True)
    assert run.checker.report.failures, f"the model agreed with every answer of the {mutant} mutant"


def _acting_as_alice(method: str, token: bytes) -> Callable[[ASGIApp], ASGIApp]:
    """A service that forgets a role check: `method` from the user of `token` runs as alice."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def forgetful(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["method"] == method:
                headers = [(k, b"Bearer alice-token" if v == b"Bearer " + token else v) for k, v in scope["headers"]]
                scope = {**scope, "headers": headers}
            await app(scope, receive, send)

        return forgetful

    return wrap


@pytest.mark.parametrize(
    ("method", "token", "rule"),
    [
        ("PATCH", b"carol-token", "updateProject: the caller lacks update:*"),  # a plain member updates
        ("DELETE", b"bob-token", "deleteProject: only the creator deletes"),  # an admin deletes
        ("GET", b"dave-token", "project: not a project of the caller"),  # a non-member reads
    ],
)
def test_the_other_users_of_the_fixture_find_a_role_check_the_service_forgot(
    tmp_path: Path, method: str, token: bytes, rule: str
) -> None:
    others = ("bob-token", "carol-token", "dave-token")
    with mock_in_thread(tmp_path / "mock.db", wrap=_acting_as_alice(method, token), validate_responses=False) as url:
        run = ModelRun.start(load(SPEC), url, TOKEN, strict=True, other_users=others)
        try:
            run.explore(writes=True)
        finally:
            run.close()
    assert rule in {difference.rule for difference in run.checker.report.failures}


def _rewriting(rewrite: Callable[[Scope], Scope]) -> Callable[[ASGIApp], ASGIApp]:
    """A service that reads some requests otherwise than the spec says: `rewrite` changes
    what the mock is given."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def lenient(scope: Scope, receive: Receive, send: Send) -> None:
            await app(rewrite(scope) if scope["type"] == "http" else scope, receive, send)

        return lenient

    return wrap


def _any_scheme(scope: Scope) -> Scope:
    """Takes the token whatever the Authorization scheme (or none)."""
    headers = [(k, b"Bearer " + v.rpartition(b" ")[2] if k == b"authorization" else v) for k, v in scope["headers"]]
    return {**scope, "headers": headers}


def _lenient_cursor(scope: Scope) -> Scope:
    """Passes `before` on as the canonical spelling of its bytes, as a service would that
    decodes leniently (ignoring the unused low bits of the last character)."""
    pairs = parse_qsl(scope["query_string"].decode())
    fixed = [(name, _canonical(value) if name == "before" else value) for name, value in pairs]
    return {**scope, "query_string": urlencode(fixed).encode()}


def _canonical(cursor: str) -> str:
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unused_bits_set(cursor: str) -> str:
    """The same bytes, the last character's unused low bit set (unpadded base64 of 1 or 2
    trailing bytes leaves 4 or 2 bits unused)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return cursor[:-1] + alphabet[alphabet.index(cursor[-1]) | 1]


def test_a_service_that_takes_a_token_under_any_scheme_is_found(tmp_path: Path) -> None:
    with model_run(tmp_path, wrap=_rewriting(_any_scheme)) as (_, run):
        run.client.send("GET", "/v1/projects", as_user=False, headers={"Authorization": f"Basic {TOKEN}"})
        run.client.send("GET", "/v1/projects", as_user=False, headers={"Authorization": TOKEN})
    failures = run.checker.report.failures
    assert [(f.where, f.predicted.split(" (")[0], f.received.split(" (")[0]) for f in failures] == [
        ("status", "401", "200"),
        ("status", "401", "200"),
    ]
    assert all(f.rule == "projects: no credential it accepts" for f in failures)


def test_a_service_that_takes_a_cursor_spelled_otherwise_is_found(tmp_path: Path) -> None:
    with model_run(tmp_path, wrap=_rewriting(_lenient_cursor)) as (_, run):
        run.seed(12, lambda index: f"seed-{index}")
        run.client.send("GET", "/v1/projects", params={"last": 1})
        # seq 10 to 999: 16 or 17 bytes, whose unpadded base64 leaves bits unused
        cursor = next(iter(run.checker.account.cursors))
        spelled = _unused_bits_set(cursor)
        assert spelled != cursor
        assert _canonical(spelled) == cursor
        run.client.send("GET", "/v1/projects", params={"before": cursor})  # issued: both agree
        run.client.send("GET", "/v1/projects", params={"before": spelled})
    failures = run.checker.report.failures
    assert [(f.request.split("before=")[1], f.where, f.rule) for f in failures] == [
        (spelled, "status", "projects: a cursor the service did not issue")
    ]


def test_a_brand_new_users_listing_is_worded_exactly() -> None:
    default = {"name": "default", "membersCount": 1, "membership": {"roles": ["creator"]}}
    cases = {
        "as the spec says": ([default], []),
        "no default project": ([], ["[]"]),
        "another member already": ([{**default, "membersCount": 2}], ['"membersCount": 2']),
        "an admin, not the creator": ([{**default, "membership": {"roles": ["admin"]}}], ['"roles": ["admin"]']),
    }
    for case, (listed, found) in cases.items():
        checker = Checker(load(SPEC), TOKEN, strict=True, other_users=("dave-token",), brand_new=("dave-token",))
        checker.learn([_exchange("GET", "/v1/projects", 200, listed, "last=100", token="dave-token")], "dave-token")
        differences = checker.report.failures
        assert [d.rule for d in differences] == [
            "projects: a brand-new user has exactly one project, named `default`"
        ] * len(found), case
        assert all(text in d.received for d, text in zip(differences, found, strict=True)), case
        # a user who is not brand-new may list anything
        other = Checker(load(SPEC), TOKEN, strict=True, other_users=("dave-token",))
        other.learn([_exchange("GET", "/v1/projects", 200, listed, "last=100", token="dave-token")], "dave-token")
        assert other.report.failures == [], case


def test_an_operation_added_without_a_model_is_named_and_its_writes_fail_nothing_by_themselves() -> None:
    spec = copy.deepcopy(load(SPEC))
    spec["paths"]["/v1/projects/{projectID}/members"] = {
        "post": {"operationId": "addMember", "responses": {"201": {"description": "added"}}}
    }
    checker, project = _learned(strict=True, spec=spec)
    path = f"/v1/projects/{project['id']}"
    assert checker.observe(_exchange("POST", f"{path}/members", 201, {})) == []
    assert checker.report.not_modelled == {"addMember": 1}
    grown = {**project, "membersCount": 4}  # what the new operation did, which the model cannot know
    (difference,) = checker.observe(_exchange("GET", path, 200, grown))
    assert difference.external
    assert checker.report.failures == []
    assert checker.report.unexplained_by == ["addMember"]
