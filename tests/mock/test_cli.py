"""`python -m calyptia_mock` as a user runs it: starts, serves, logs, stops on a signal."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "users.yaml"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "mock"), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "calyptia_mock", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the mock exited: {process.communicate()[0]}")
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the mock did not start in 20 s")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_demo_user_serving_logging_and_clean_stop(tmp_path: Path, stop: signal.Signals) -> None:
    process, url = _start("--db", str(tmp_path / "cli.db"))
    headers = {"Authorization": "Bearer demo-token"}
    created = httpx.post(f"{url}/v1/projects", json={"name": "from the cli"}, headers=headers, timeout=5)
    assert created.status_code == 201
    project_token = created.json()["token"]
    assert (
        httpx.get(f"{url}/v1/projects/{created.json()['id']}", headers={"X-Project-Token": project_token}).status_code
        == 200
    )
    assert httpx.get(f"{url}/v1/projects", headers={"Authorization": "Bearer wrong-secret"}).status_code == 401
    process.send_signal(stop)
    output, _ = process.communicate(timeout=20)
    # uvicorn finishes in-flight requests and runs shutdown, then re-raises the signal so a
    # supervisor sees why it stopped: 0 or "killed by that signal" are both a clean stop.
    assert process.returncode in (0, -stop), output
    assert "Application shutdown complete" in output
    assert not (tmp_path / "cli.db-wal").exists(), "closing the store checkpoints and removes the WAL"
    assert "Authorization: Bearer demo-token" in output  # the demo token is printed at startup
    request_lines = [line for line in output.splitlines() if "calyptia_mock.access" in line]
    assert re.search(r"calyptia_mock\.access POST /v1/projects 201 [\d.]+ms$", output, re.MULTILINE)
    assert re.search(r"calyptia_mock\.access GET /v1/projects 401 [\d.]+ms$", output, re.MULTILINE)
    assert len(request_lines) == 4  # readiness probe, create, get, list
    # Tokens never reach the log: not the demo token in a request line, not the others at all.
    for secret in (project_token, "wrong-secret"):
        assert secret not in output
    assert all("demo-token" not in line for line in request_lines)


def test_fixture_users_replace_the_demo_user(tmp_path: Path) -> None:
    process, url = _start("--db", str(tmp_path / "cli.db"), "--fixtures", str(FIXTURES))
    try:
        assert httpx.get(f"{url}/v1/projects", headers={"Authorization": "Bearer alice-token"}).status_code == 200
        assert httpx.get(f"{url}/v1/projects", headers={"Authorization": "Bearer demo-token"}).status_code == 401
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "calyptia_mock", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "mock")},
        check=True,
    )
    for option in ("--host", "--port", "--db", "--fixtures"):
        assert option in result.stdout
