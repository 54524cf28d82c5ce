"""`make contract` against a live API is safe: proved against a recording stand-in on loopback.

The stand-in is the mock behind a middleware that records every request, holding what a real
account holds before a run: the token user's `default`, a project of theirs with settings,
and a project another user shares with them read-only. A default live run may only read; an
opted-in write run may change only what it created, must leave every pre-existing project
byte-identical through the API and nothing of its own behind, even when interrupted; the
token must appear in no output and no report.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from calyptia_mock import Store
from calyptia_mock.store import ProjectChanges
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.support.mock import mock_in_thread
from tools.contract.coverage import junit_results
from tools.paths import ROOT

pytestmark = pytest.mark.e2e  # a whole tool as a subprocess: `make e2e`

SECRET = "live-secret-token-5b1d0c9e"
OTHER_TOKEN = "other-user-token"
SHARED_ID = "7d5c1c52-2f6e-4b8e-9a0c-3b9f6d0e4a21"
FIXTURE = f"""
users:
  - {{email: owner@example.com, name: Owner, token: {SECRET}}}
  - {{email: other@example.com, name: Other, token: {OTHER_TOKEN}}}
projects:
  - name: shared-with-owner
    id: {SHARED_ID}
    creator: other@example.com
    members:
      - {{user: owner@example.com, roles: null, permissions: ["read:*"]}}
  - name: with-settings
    creator: owner@example.com
"""


@dataclass
class Recorder:
    """Records every request (and which carried no credentials); can answer one request with
    a 307 redirect instead of passing it on."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    without_credentials: list[tuple[str, str]] = field(default_factory=list)
    on_request: Callable[[str, str], None] | None = None
    redirect_once: tuple[str, str, str] | None = None  # method, path, Location

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def recording(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                method, path = scope["method"], scope["path"]
                self.requests.append((method, path))
                if not any(name in (b"authorization", b"x-project-token") for name, _ in scope["headers"]):
                    self.without_credentials.append((method, path))
                if self.on_request is not None:
                    self.on_request(method, path)
                if self.redirect_once is not None and self.redirect_once[:2] == (method, path):
                    location, self.redirect_once = self.redirect_once[2], None
                    await Response(status_code=307, headers={"Location": location})(scope, receive, send)
                    return
            await app(scope, receive, send)

        return recording


@dataclass
class StandIn:
    url: str
    recorder: Recorder
    out: Path
    db: Path
    before: dict[str, str] = field(default_factory=dict)

    def read(self, token: str = SECRET) -> dict[str, str]:
        """Every project the token's user can list, each as the exact bytes GET returns."""
        with httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}) as client:
            listed = client.get("/v1/projects?last=100").json()
            return {project["id"]: client.get(f"/v1/projects/{project['id']}").text for project in listed}

    def assert_untouched(self) -> None:
        """Every pre-existing project byte-identical, for its owner and for the other user, and
        no project left that the run created."""
        assert self.read() == self.before
        assert self.read(OTHER_TOKEN)[SHARED_ID] == self.before_other
        writes = [(method, path) for method, path in self.recorder.requests if method not in ("GET", "HEAD", "OPTIONS")]
        reached = [(method, path) for method, path in writes if any(pid in path for pid in self.before)]
        assert reached == [], "a write reached a project the run did not create"

    before_other: str = ""


@contextmanager
def running_stand_in(directory: Path) -> Iterator[StandIn]:
    """The mock on loopback, recording, with the account's pre-existing projects in place."""
    directory.mkdir(parents=True, exist_ok=True)
    fixtures = directory / "users.yaml"
    fixtures.write_text(FIXTURE, encoding="utf-8")
    recorder = Recorder()
    with mock_in_thread(directory / "stand-in.db", fixtures=fixtures, wrap=recorder.wrap) as url:
        stand_in = StandIn(url, recorder, directory / "contract", directory / "stand-in.db")
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {SECRET}"}) as client:
            settings_id = next(p["id"] for p in client.get("/v1/projects").json() if p["name"] == "with-settings")
            body = {"setSettings": {"gpt": True, "retention": "30d"}}
            assert client.patch(f"/v1/projects/{settings_id}", json=body).status_code == 204
        stand_in.before = stand_in.read()
        stand_in.before_other = stand_in.read(OTHER_TOKEN)[SHARED_ID]
        assert len(stand_in.before) == 3
        assert '"retention":"30d"' in stand_in.before[settings_id].replace(" ", "")
        recorder.requests.clear()
        yield stand_in


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[StandIn]:
    with running_stand_in(tmp_path) as stand_in:
        yield stand_in


def _contract(stand_in: StandIn, **extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "CALYPTIA_CLOUD_URL": stand_in.url,
        "CALYPTIA_CLOUD_TOKEN": SECRET,
        "CONTRACT_EXAMPLES": "3",
        "CONTRACT_RATE_LIMIT": "500/s",
        "CONTRACT_OUT": str(stand_in.out),
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tools.contract"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen[str], timeout: float = 300) -> str:
    output, _ = process.communicate(timeout=timeout)
    print(output)  # shown when a test fails
    return output


def _refusals(stand_in: StandIn) -> list[dict[str, str | None]]:
    log = stand_in.out / "guard-refusals.jsonl"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def _refused_count(output: str) -> int:
    line = next(line for line in output.splitlines() if line.startswith("contract: write guard: "))
    return int(line.split(": ")[2].split()[0])


def _assert_no_secret_anywhere(output: str, out: Path) -> None:
    assert SECRET not in output
    for report in out.rglob("*"):
        if report.is_file():
            assert SECRET not in report.read_text(encoding="utf-8", errors="replace"), report


def test_default_live_run_only_reads(stand_in: StandIn) -> None:
    output = _finish(_contract(stand_in))
    assert "live API (read-only)" in output
    methods = {method for method, _ in stand_in.recorder.requests}
    assert len(stand_in.recorder.requests) > 20, "the run did test something"
    assert methods == {"GET"}, f"a read-only run sent {methods - {'GET'}}"
    assert _refused_count(output) == 0, "a read-only run does not even generate a write"
    # Nothing in the output it cannot explain: no filter for a method the spec does not have,
    # nothing about a stateful phase that did not run, and the writes named as off.
    assert "Unmatched filters" not in output
    assert "Failed to extract" not in output
    assert "contract: stateful phase:" not in output
    assert "contract:   off (read-only run): settings_change_in_order (settings-order)" in output
    stand_in.assert_untouched()
    _assert_no_secret_anywhere(output, stand_in.out)


def test_write_run_changes_only_what_it_created(stand_in: StandIn) -> None:
    process = _contract(stand_in, CONTRACT_WRITES="1")
    output = _finish(process)
    assert process.returncode == 0, output
    assert "live API (writes allowed)" in output
    methods = {method for method, _ in stand_in.recorder.requests}
    assert {"POST", "PATCH", "DELETE"} <= methods, "the run tested writes on what it created"
    refusals = _refusals(stand_in)
    assert _refused_count(output) == len(refusals) > 0
    # The reference model's exploration asks for writes the guard refuses too (its own layer).
    assert {refusal["layer"] for refusal in refusals} - {"model"} == {"filter"}, "the hooks caught every case"
    # ignored_auth's follow-ups (the same write without credentials) went out, only to created projects.
    unauthenticated_writes = [request for request in stand_in.recorder.without_credentials if request[0] != "GET"]
    assert any(method in ("PATCH", "DELETE") for method, _ in unauthenticated_writes)
    # Refused in the examples and coverage phases (fuzzing is off for such writes, see docs/contract.md;
    # the stateful phase is the next test's).
    assert {refusal["phase"] for refusal in refusals} >= {"examples", "coverage"}
    # The coverage phase's unsupported_method probes pass the guard too.
    assert {"PUT", "TRACE"} <= {refusal["method"] for refusal in refusals}
    cleanup = next(line for line in output.splitlines() if line.startswith("contract: cleanup:"))
    assert int(cleanup.split(": ")[2].split()[0]) > 0
    assert cleanup.endswith(", 0 left")
    assert "contract: account unchanged: 3 project(s) as before" in output
    before = json.loads((stand_in.out / "snapshot-before.json").read_text(encoding="utf-8"))
    after = json.loads((stand_in.out / "snapshot-after.json").read_text(encoding="utf-8"))
    assert before == after
    assert set(before) == set(stand_in.before)
    stand_in.assert_untouched()
    assert not (stand_in.out / "created-projects.txt").exists()
    _assert_no_secret_anywhere(output, stand_in.out)


def test_write_run_under_the_stateful_phase_keeps_off_existing_projects(stand_in: StandIn, tmp_path: Path) -> None:
    """The repository's derandomized seed, stateful phase only, 10 examples: unguarded (the
    control: plain `st run`, no hooks, on a second stand-in) schemathesis sends PATCH to
    `with-settings` and `shared-with-owner`, IDs it took from list responses; guarded, the
    run leaves them alone. (Hooks change what Hypothesis explores, so the control has none;
    and it explores the Projects operations only, whose writes those are: every operation
    added to the spec would change the exploration again.)"""
    with running_stand_in(tmp_path / "control") as control:
        command = [str(Path(sys.executable).parent / "st"), "run", "openapi.yaml", "--url", control.url]
        command += ["--phases", "stateful", "--max-examples", "10", "--include-tag", "projects"]
        env = {name: value for name, value in os.environ.items() if name != "SCHEMATHESIS_HOOKS"}
        env["CONTRACT_TOKEN"] = SECRET
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False, timeout=300)
        reached = [(method, path) for method, path in control.recorder.requests if method not in ("GET", "POST")]
        assert any(pid in path for _, path in reached for pid in control.before), "the seed reaches them unguarded"
    process = _contract(stand_in, CONTRACT_WRITES="1", CONTRACT_PHASES="stateful", CONTRACT_EXAMPLES="10")
    output = _finish(process)
    # Every check passed. The stateful phase reaches an operation only through a link: one that
    # no link leads to gets no request, and the coverage rule fails the run naming it.
    assert set(junit_results(stand_in.out / "junit.xml").values()) == {"passed"}, output
    coverage = json.loads((stand_in.out / "coverage.json").read_text(encoding="utf-8"))
    unreached = [row["operation"] for row in coverage if row["verdict"] != "covered"]
    assert all(row["cases"] == 0 for row in coverage if row["operation"] in unreached), output
    assert process.returncode == (1 if unreached else 0), output
    assert "contract: account unchanged: 3 project(s) as before" in output
    assert _refused_count(output) > 0
    # st's refusals all in its stateful phase; the reference model's own are their own layer
    assert {refusal["phase"] for refusal in _refusals(stand_in) if refusal["layer"] != "model"} == {"stateful"}
    stand_in.assert_untouched()
    assert not (stand_in.out / "created-projects.txt").exists()


def test_write_run_killed_with_sigterm_cleans_up_and_verifies(stand_in: StandIn) -> None:
    ledger = stand_in.out / "created-projects.txt"
    process = _contract(stand_in, CONTRACT_WRITES="1", CONTRACT_EXAMPLES="200", CONTRACT_RATE_LIMIT="50/s")
    deadline = time.monotonic() + 120
    while not (ledger.exists() and ledger.read_text(encoding="utf-8").count("\n") >= 3):
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the run created no project in 120 s"
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    output = _finish(process, timeout=120)
    assert process.returncode != 0
    assert "0 left" in output, output
    assert "contract: account unchanged: 3 project(s) as before" in output
    stand_in.assert_untouched()


def test_a_changed_project_fails_the_run_naming_project_and_field(stand_in: StandIn) -> None:
    """Whatever changes an existing project during a write run (here the stand-in itself, on
    the run's first create), the comparison afterwards fails the run and says what changed."""
    target = next(pid for pid, body in stand_in.before.items() if '"with-settings"' in body)
    side_channel = Store(stand_in.db)

    def rename_on_first_create(method: str, path: str) -> None:
        if method == "POST" and stand_in.recorder.on_request is not None:
            stand_in.recorder.on_request = None
            side_channel.update_project(target, ProjectChanges(name="renamed-behind-the-run"))

    stand_in.recorder.on_request = rename_on_first_create
    process = _contract(stand_in, CONTRACT_WRITES="1", CONTRACT_PHASES="examples")
    output = _finish(process)
    side_channel.close()
    assert process.returncode != 0
    expected = f'project {target} (\'with-settings\'): name was "with-settings", is "renamed-behind-the-run"'
    assert f"contract: ACCOUNT CHANGED: {expected}" in output


def test_request_cap_stops_sending(stand_in: StandIn) -> None:
    process = _contract(stand_in, CONTRACT_MAX_REQUESTS="15", CONTRACT_EXAMPLES="50")
    output = _finish(process)
    api_calls = [path for _, path in stand_in.recorder.requests if not path.startswith("/schemathesis-probe")]
    # The cap counts generated test cases; a check such as ignored_auth may send one follow-up
    # of a case, so the hard bound is twice the cap. Without the cap this run sends hundreds.
    assert 15 <= len(api_calls) <= 30
    assert "CONTRACT_MAX_REQUESTS=15 reached" in output


def test_time_cap_stops_the_run_and_still_cleans_up(stand_in: StandIn) -> None:
    started = time.monotonic()
    process = _contract(
        stand_in, CONTRACT_WRITES="1", CONTRACT_MAX_TIME="3", CONTRACT_EXAMPLES="500", CONTRACT_RATE_LIMIT="50/s"
    )
    output = _finish(process, timeout=120)
    assert time.monotonic() - started < 60
    assert process.returncode != 0
    assert "stopped after CONTRACT_MAX_TIME=3 s" in output
    assert next(line for line in output.splitlines() if line.startswith("contract: cleanup:")).endswith(", 0 left")
    stand_in.assert_untouched()


# Each way schemathesis 4.32 sends a request, against a project the run did not create.
PROBE_SCRIPT = """
import json, sys
import requests, schemathesis
from tools.contract.config import build
from tools.contract.hooks import install
url, theirs, token, out = sys.argv[1:5]
# A live write run's configuration: guarded, as every live run (the token stays in memory)
install(build(["--writes"], {"CALYPTIA_CLOUD_URL": url, "CALYPTIA_CLOUD_TOKEN": token, "CONTRACT_OUT": out}))
schema = schemathesis.openapi.from_path("openapi.yaml")
schema.config.update(base_url=url)
auth = {"Authorization": "Bearer " + token}
one, collection = schema["/v1/projects/{projectID}"], schema["/v1/projects"]
def attempt(send):
    try:
        return send()
    except Exception as exc:
        return type(exc.__cause__ or exc).__name__
results = {
    # Case.call: every phase's cases and our next_page_link_resolves; dispatches before_call
    "Case.call": attempt(lambda: one["PATCH"].Case(
        path_parameters={"projectID": theirs}, headers=auth, body={"name": "x"}, media_type="application/json"
    ).call().status_code),
    # transport.send without before_call: ignored_auth's probes, the checks' control requests
    "transport.send": attempt(lambda: schema.transport.send(
        one["DELETE"].Case(path_parameters={"projectID": theirs}, headers=auth)).status_code),
    # a bare requests session: the engine's probes, auth refreshes, anything else
    "requests.Session": attempt(lambda: requests.Session().request("DELETE", url + "/v1/projects/" + theirs,
                                                                   headers=auth).status_code),
    # a create the server answers with 307 to their project: requests follows it with a POST
    "redirect": attempt(lambda: requests.post(url + "/v1/projects", json={"name": "x"}, headers=auth).status_code),
}
created = collection["POST"].Case(headers=auth, body={"name": "probe"}, media_type="application/json").call()
mine = created.json()["id"]
results["created"] = created.status_code
results["transport.send to what the run created"] = schema.transport.send(
    one["DELETE"].Case(path_parameters={"projectID": mine}, headers=auth)).status_code
print(json.dumps(results))
"""


def test_every_way_a_request_leaves_passes_through_the_guard(stand_in: StandIn) -> None:
    theirs = next(pid for pid, body in stand_in.before.items() if '"with-settings"' in body)
    stand_in.recorder.redirect_once = ("POST", "/v1/projects", f"/v1/projects/{theirs}")
    env = {**os.environ, "CONTRACT_TOKEN": SECRET}  # as `st run` gets it: schemathesis.toml reads it
    result = subprocess.run(
        [sys.executable, "-c", PROBE_SCRIPT, stand_in.url, theirs, SECRET, str(stand_in.out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "Case.call": "WriteRefusedError",
        "transport.send": "WriteRefusedError",
        "requests.Session": "WriteRefusedError",
        "redirect": "WriteRefusedError",
        "created": 201,
        "transport.send to what the run created": 200,
    }
    # The redirected create, then the real create and its deletion; nothing to their project.
    assert [method for method, _ in stand_in.recorder.requests] == ["POST", "POST", "DELETE"]
    stand_in.assert_untouched()
