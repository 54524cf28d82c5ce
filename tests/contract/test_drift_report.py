"""Drift reports: a contract run names what responses carry that openapi.yaml does not describe.

The stand-in is the mock behind a middleware that changes its responses the way a service
moves on: a new property, a new enum value, a new header. The run reads it as a live API.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.contract.configs import live_config, mock_config
from tests.support.mock import mock_in_thread
from tests.support.spec_examples import load_spec, operations
from tools.contract.drift import Recorder, fold, prepare, read_log, response_findings, tolerant_spec
from tools.paths import ROOT
from tools.paths import SPEC as SPEC_FILE

TOKEN = "drift-owner-token"
FIXTURE = f"users:\n  - {{email: owner@example.com, name: Owner, token: {TOKEN}}}\n"


def _drift(body: Any, *, new_field: bool, new_role: bool) -> Any:
    """Every project gets `fleetsCount`; every membership the role `owner` besides its own."""
    if isinstance(body, list):
        return [_drift(item, new_field=new_field, new_role=new_role) for item in body]
    if not isinstance(body, dict):
        return body
    if new_field and "aggregatorsCount" in body:
        body["fleetsCount"] = 3
    membership = body.get("membership")
    if new_role and isinstance(membership, dict):
        membership["roles"] = [*(membership.get("roles") or []), "owner"]
    return body


def drifting(app: ASGIApp, *, new_field: bool = True, new_role: bool = True) -> ASGIApp:
    """The mock, but its JSON bodies carry the drift above and every response `X-Request-ID`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            if body and dict(headers).get(b"content-type", b"").startswith(b"application/json"):
                body = json.dumps(_drift(json.loads(body), new_field=new_field, new_role=new_role)).encode()
            headers += [(b"content-length", str(len(body)).encode()), (b"x-request-id", b"req-1")]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, buffered)

    return wrapped


def _contract(url: str, out: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CALYPTIA_CLOUD_URL": url,
        "CALYPTIA_CLOUD_TOKEN": TOKEN,
        "CONTRACT_EXAMPLES": "3",
        "CONTRACT_RATE_LIMIT": "1000/s",
        "CONTRACT_OUT": str(out),
    }
    env.pop("CONTRACT_STRICT_DRIFT", None)
    env.update(extra)
    command = [sys.executable, "-m", "tools.contract"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    path = tmp_path / "users.yaml"
    path.write_text(FIXTURE, encoding="utf-8")
    return path


@pytest.fixture
def stand_in(tmp_path: Path, fixtures: Path) -> Iterator[str]:
    with mock_in_thread(tmp_path / "stand-in.db", fixtures=fixtures, wrap=drifting) as url:
        yield url


@pytest.mark.e2e
def test_new_field_enum_value_and_header_are_reported_and_the_run_passes(stand_in: str, tmp_path: Path) -> None:
    out = tmp_path / "contract"
    result = _contract(stand_in, out)
    assert result.returncode == 0, result.stdout[-3000:]
    report = json.loads((out / "drift.json").read_text(encoding="utf-8"))
    found = {(item["kind"], item["element"], item["name"]) for item in report["drift"]}
    assert ("property", "Project", "fleetsCount") in found
    assert ("enum", "Membership.roles[]", '"owner"') in found
    assert ("header", "GET /v1/projects 200", "x-request-id") in found
    # Nothing else: the header is reported once per documented response that carried it.
    assert {name for kind, _, name in found if kind == "header"} == {"x-request-id"}
    assert {kind for kind, _, _ in found} == {"property", "enum", "header"}
    project = next(item for item in report["drift"] if item["name"] == "fleetsCount")
    assert project["pointer"] == "#/components/schemas/Project/properties"
    assert set(project["operations"]) == {"projects", "project"}
    assert project["count"] == sum(project["operations"].values()) > 1
    role = next(item for item in report["drift"] if item["kind"] == "enum")
    assert role["pointer"] == "#/components/schemas/Membership/properties/roles/items/enum"
    summary = f"`Project` has no property `fleetsCount`; seen in {project['count']} responses of "
    assert summary in result.stdout
    assert '`Membership.roles[]` has no enum value `"owner"`' in result.stdout


@pytest.mark.e2e
def test_strict_drift_fails_the_run(tmp_path: Path, fixtures: Path) -> None:
    # Only a new field and a header: drift that breaks no schema, so drift alone fails the run.
    def field_only(app: ASGIApp) -> ASGIApp:
        return drifting(app, new_role=False)

    with mock_in_thread(tmp_path / "field-only.db", fixtures=fixtures, wrap=field_only) as url:
        strict = _contract(url, tmp_path / "strict", CONTRACT_STRICT_DRIFT="1")
    assert strict.returncode != 0
    assert "CONTRACT_STRICT_DRIFT=1: drift fails the run" in strict.stdout
    assert "`Project` has no property `fleetsCount`" in strict.stdout


@pytest.mark.e2e
@pytest.mark.operations  # a response of every operation
def test_the_mock_has_no_drift(tmp_path: Path) -> None:
    out = tmp_path / "contract"
    env = {**os.environ, "CONTRACT_EXAMPLES": "2", "CONTRACT_OUT": str(out), "CONTRACT_STRICT_DRIFT": "1"}
    for name in ("CALYPTIA_CLOUD_URL", "CALYPTIA_CLOUD_TOKEN"):
        env.pop(name, None)
    command = [sys.executable, "-m", "tools.contract"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads((out / "drift.json").read_text(encoding="utf-8"))
    assert report["drift"] == [], report["drift"]
    assert set(report["responses"]) == {operation["operationId"] for _, _, operation in operations()}
    assert result.returncode == 0, result.stdout[-3000:]


# --- the walk, without a server -------------------------------------------------------------

PROJECT = {
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "name": "p",
    "membersCount": 1,
    "agentsCount": 0,
    "aggregatorsCount": 0,
    "createdAt": "2025-01-22T21:00:39.147Z",
    "settings": {"anything": {"goes": True}},
    "membership": {
        "id": "0b4bfa07-16c4-4b62-9b0e-4e2c8d5f7a11",
        "userID": "5f0c8f4e-7c1f-4bd5-8d0a-1e6c3c1f9b2d",
        "projectID": "123e4567-e89b-12d3-a456-426614174000",
        "roles": None,
        "permissions": ["read:*"],
        "createdAt": "2025-01-22T21:00:39.147Z",
    },
}


def _found(status: int, body: Any, headers: dict[str, str] | None = None) -> set[tuple[str, str, str]]:
    findings = response_findings(load_spec(), "GET", "/v1/projects", status, headers or {}, body)
    return {(finding.kind, finding.element, finding.name) for finding in findings}


def test_a_documented_response_has_no_drift() -> None:
    assert _found(200, [PROJECT], {"Link": "<...>", "Content-Type": "application/json", "Date": "x"}) == set()
    assert _found(401, {"error": "unauthenticated"}) == set()


def test_nested_and_item_drift_names_the_schema_to_edit() -> None:
    membership = {**PROJECT["membership"], "roles": ["admin", "viewer"], "user": {"id": "x", "plan": "free"}}  # type: ignore[dict-item]
    body = [{**PROJECT, "membership": membership}, "not-a-project"]
    assert _found(200, body) == {
        ("enum", "Membership.roles[]", '"viewer"'),
        ("property", "User", "plan"),
        ("type", "Project", "string"),
    }


def test_undocumented_status_and_free_form_settings() -> None:
    assert _found(429, {"error": "slow down"}) == {("status", "GET /v1/projects", "429")}
    assert _found(200, [{**PROJECT, "settings": {"new": 1}}]) == set()


def test_report_counts_per_operation() -> None:
    finding = {"kind": "property", "element": "Project", "pointer": "#/x", "name": "fleetsCount"}
    records = [{"operation": "projects", "drift": [finding]}] * 3 + [{"operation": "project", "drift": [finding]}]
    (entry,) = fold([*records, {"operation": "project", "drift": []}]).entries
    assert entry.sentence() == "`Project` has no property `fleetsCount`; seen in 4 responses of `projects`, `project`"


def test_tolerant_spec_drops_response_enums_only() -> None:
    spec = json.loads(json.dumps(load_spec()))
    spec["components"]["schemas"]["CreateProject"]["properties"]["kind"] = {"type": "string", "enum": ["a", "b"]}
    tolerant = tolerant_spec(spec)
    assert "enum" not in tolerant["components"]["schemas"]["Membership"]["properties"]["roles"]["items"]
    assert tolerant["components"]["schemas"]["CreateProject"]["properties"]["kind"]["enum"] == ["a", "b"]
    assert "enum" in load_spec()["components"]["schemas"]["Membership"]["properties"]["roles"]["items"], "not modified"


def test_only_a_live_run_relaxes_response_enums(tmp_path: Path) -> None:
    (tmp_path / "drift.log").write_text("left over\n", encoding="utf-8")
    assert prepare(mock_config(tmp_path)) == SPEC_FILE
    assert not (tmp_path / "drift.log").exists(), "each run starts a fresh log"
    spec = prepare(live_config(tmp_path))
    assert spec == tmp_path / "openapi.drift-tolerant.yaml"
    assert yaml.safe_load(spec.read_text(encoding="utf-8")) == tolerant_spec(load_spec())
    assert prepare(live_config(tmp_path, strict_drift=True)) == SPEC_FILE


def test_a_response_the_recorder_cannot_read_is_noted_not_fatal(tmp_path: Path) -> None:
    log = tmp_path / "drift.log"
    recorder = Recorder({"paths": {"/x": {"get": {"responses": {"200": {"$ref": "#/nowhere"}}}}}}, log)
    with pytest.raises(KeyError):
        recorder.record("GET", "/x", 200, {}, b"{}")
    recorder.record_error("GET", "/x", KeyError("nowhere"))
    recorder.record("POST", "/x", 200, {}, b"{}")  # a probe with another method: not recorded
    report = read_log(log)
    assert report.errors == ["GET /x: KeyError: 'nowhere'"]
    assert "1 response(s) could not be checked, first: GET /x: KeyError: 'nowhere'" in report.summary()
