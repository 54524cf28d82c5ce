"""`make contract` against a live API is safe: proved against a recording stand-in on loopback.

The stand-in is the mock behind a middleware that records every request. A default live
run may only read; an opted-in run must leave nothing behind, even when interrupted; the
token must appear in no output and no report.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.mock_server import running_mock

ROOT = Path(__file__).resolve().parents[2]
SECRET = "live-secret-token-5b1d0c9e"
FIXTURE = f"""
users:
  - {{email: owner@example.com, name: Owner, token: {SECRET}}}
"""


@dataclass
class Recorder:
    requests: list[tuple[str, str]] = field(default_factory=list)

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def recording(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                self.requests.append((scope["method"], scope["path"]))
            await app(scope, receive, send)

        return recording


@dataclass
class StandIn:
    url: str
    recorder: Recorder
    out: Path

    def projects(self) -> list[str]:
        response = httpx.get(f"{self.url}/v1/projects?last=100", headers={"Authorization": f"Bearer {SECRET}"})
        return [project["name"] for project in response.json()]


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[StandIn]:
    fixtures = tmp_path / "users.yaml"
    fixtures.write_text(FIXTURE, encoding="utf-8")
    recorder = Recorder()
    with running_mock(tmp_path / "stand-in.db", fixtures=fixtures, wrap=recorder.wrap) as url:
        yield StandIn(url, recorder, tmp_path / "contract")


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


def _assert_no_secret_anywhere(output: str, out: Path) -> None:
    assert SECRET not in output
    for report in out.rglob("*"):
        if report.is_file():
            assert SECRET not in report.read_text(encoding="utf-8", errors="replace"), report


def test_default_live_run_only_reads(stand_in: StandIn) -> None:
    process = _contract(stand_in)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    assert "live API (read-only)" in output
    methods = {method for method, _ in stand_in.recorder.requests}
    assert len(stand_in.recorder.requests) > 20, "the run did test something"
    assert methods == {"GET"}, f"a read-only run sent {methods - {'GET'}}"
    assert stand_in.projects() == ["default"]
    _assert_no_secret_anywhere(output, stand_in.out)


def test_opted_in_run_writes_and_leaves_nothing_behind(stand_in: StandIn) -> None:
    process = _contract(stand_in, CONTRACT_WRITES="1")
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    methods = {method for method, _ in stand_in.recorder.requests}
    assert {"POST", "PATCH", "DELETE"} <= methods
    cleanup = next(line for line in output.splitlines() if line.startswith("contract: cleanup:"))
    created = int(cleanup.split(": ")[2].split()[0])
    assert created > 0
    assert cleanup.endswith(", 0 left")
    assert stand_in.projects() == ["default"]
    assert not (stand_in.out / "created-projects.txt").exists()
    _assert_no_secret_anywhere(output, stand_in.out)


def test_interrupted_run_still_cleans_up(stand_in: StandIn) -> None:
    ledger = stand_in.out / "created-projects.txt"
    process = _contract(stand_in, CONTRACT_WRITES="1", CONTRACT_EXAMPLES="200", CONTRACT_RATE_LIMIT="50/s")
    deadline = time.monotonic() + 120
    while not (ledger.exists() and ledger.read_text(encoding="utf-8").count("\n") >= 3):
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the run created no project in 120 s"
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    assert process.returncode != 0
    assert "0 left" in output, output
    assert stand_in.projects() == ["default"]


def test_request_cap_stops_sending(stand_in: StandIn) -> None:
    process = _contract(stand_in, CONTRACT_MAX_REQUESTS="15", CONTRACT_EXAMPLES="50")
    output, _ = process.communicate(timeout=300)
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
    output, _ = process.communicate(timeout=120)
    assert time.monotonic() - started < 60
    assert process.returncode != 0
    assert "stopped after CONTRACT_MAX_TIME=3 s" in output
    assert output.rstrip().splitlines()[-2].endswith(", 0 left")
    assert stand_in.projects() == ["default"]
