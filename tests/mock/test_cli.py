"""`calyptia-mock` as a user runs it: starts on a free port and says where, serves, logs, stops
on a signal; `--control` turns the control API on, and only then."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from calyptia_mock.__main__ import build_parser, parse_args
from calyptia_mock.server import cli_command, mock_process

from tests.support.http import loopback
from tools.paths import FIXTURES, ROOT


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_demo_user_serving_logging_and_clean_stop(tmp_path: Path, stop: signal.Signals) -> None:
    with mock_process(["--db", str(tmp_path / "cli.db")], tmp_path / "cli.log") as mock:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mock.url)
        assert mock.token == "demo-token"
        headers = {"Authorization": f"Bearer {mock.token}"}
        created = loopback().post(f"{mock.url}/v1/projects", json={"name": "from the cli"}, headers=headers, timeout=5)
        assert created.status_code == 201
        project_token = created.json()["token"]
        by_token = loopback().get(
            f"{mock.url}/v1/projects/{created.json()['id']}", headers={"X-Project-Token": project_token}
        )
        assert by_token.status_code == 200
        assert (
            loopback().get(f"{mock.url}/v1/projects", headers={"Authorization": "Bearer wrong-secret"}).status_code
            == 401
        )
        # Off without --control: the reserved prefix is an unknown path like any other.
        assert loopback().post(f"{mock.url}/_mock/reset").json() == {"error": "not found"}
        returncode = mock.stop(stop)
        output = mock.log()
    # uvicorn finishes in-flight requests and runs shutdown, then re-raises the signal so a
    # supervisor sees why it stopped: 0 or "killed by that signal" are both a clean stop.
    assert returncode in (0, -stop), output
    assert "Application shutdown complete" in output
    assert not (tmp_path / "cli.db-wal").exists(), "closing the store checkpoints and removes the WAL"
    assert f"calyptia-mock: serving {mock.url}" in output
    assert "Authorization: Bearer demo-token" in output  # the demo token is printed at startup
    request_lines = [line for line in output.splitlines() if "calyptia_mock.access" in line]
    assert re.search(r"calyptia_mock\.access POST /v1/projects 201 [\d.]+ms$", output, re.MULTILINE)
    assert re.search(r"calyptia_mock\.access GET /v1/projects 401 [\d.]+ms$", output, re.MULTILINE)
    assert len(request_lines) == 4  # create, get, list, the control probe
    # Tokens never reach the log: not the demo token in a request line, not the others at all.
    for secret in (project_token, "wrong-secret"):
        assert secret not in output
    assert all("demo-token" not in line for line in request_lines)


def test_control_injects_a_503_that_a_plain_http_client_sees(tmp_path: Path) -> None:
    with mock_process(["--db", ":memory:", "--control"], tmp_path / "control.log") as mock:
        control = f"{mock.url}/_mock"
        fault = {"operation": "projects", "status": 503, "retryAfter": 2}
        assert loopback().post(f"{control}/faults", json=fault).status_code == 201
        headers = {"Authorization": f"Bearer {mock.token}"}
        unavailable = loopback().get(f"{mock.url}/v1/projects", headers=headers)
        assert (unavailable.status_code, unavailable.headers["retry-after"]) == (503, "2")
        assert unavailable.json() == {"error": "service unavailable"}
        assert loopback().get(f"{mock.url}/v1/projects", headers=headers).status_code == 200
        statuses = [entry["status"] for entry in loopback().get(f"{control}/requests").json()["requests"]]
        assert statuses == [503, 200]
        assert loopback().post(f"{control}/reset").status_code == 204
        assert loopback().get(f"{control}/requests").json() == {"requests": []}
        assert loopback().put(f"{control}/reset").json() == {"error": "method not allowed"}
        assert (
            loopback().post(f"{control}/faults", json={"operation": "projects.list", "drop": True}).status_code == 201
        )
        with pytest.raises(httpx.RemoteProtocolError):
            loopback().get(f"{mock.url}/v1/projects", headers=headers)
        # Both lines would be written before the connection is reset: the log is complete here.
        output = mock.log()
    # What the user reads: the fault they asked for, not uvicorn's error about an app that crashed.
    assert "calyptia_mock.control injected fault: dropped connection for projects (GET /v1/projects)" in output
    assert "ASGI callable" not in output
    assert "ERROR" not in output


def test_fixture_users_replace_the_demo_user(tmp_path: Path) -> None:
    with mock_process(["--db", str(tmp_path / "cli.db"), "--fixtures", str(FIXTURES)], tmp_path / "f.log") as mock:
        assert mock.token is None  # no demo user: the fixture's users bring their own tokens
        assert (
            loopback().get(f"{mock.url}/v1/projects", headers={"Authorization": "Bearer alice-token"}).status_code
            == 200
        )
        assert (
            loopback().get(f"{mock.url}/v1/projects", headers={"Authorization": "Bearer demo-token"}).status_code == 401
        )


def test_a_bad_fixture_file_exits_2_with_the_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("users: 3\n", encoding="utf-8")
    with (
        pytest.raises(RuntimeError, match="expected a mapping with a 'users' list"),
        mock_process(["--db", ":memory:", "--fixtures", str(broken)], tmp_path / "bad.log"),
    ):
        pass


def test_help() -> None:
    command = [sys.executable, "-m", "calyptia_mock", "--help"]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT / "mock")
    for option in FLAGS:
        assert option in result.stdout
    assert cli_command()[-3:] == ["--port", "0", "--print-json"]


FLAGS = [option for action in build_parser()._actions for option in action.option_strings if option.startswith("--")]


def test_every_flag_has_help_and_is_in_the_guide() -> None:
    actions = build_parser()._actions  # argparse's own list: there is no public one
    assert len(FLAGS) == len(actions) >= 11
    for action in actions:
        assert (action.help or "").strip(), f"{action.option_strings} has no help"
    guide = (ROOT / "docs" / "mock.md").read_text(encoding="utf-8")
    missing = [flag for flag in FLAGS if not re.search(rf"`{flag}\b[^`]*`", guide)]
    assert missing == [], "docs/mock.md names each flag of calyptia-mock, in backticks"


def test_a_bare_run_keeps_its_data_in_memory_and_writes_nothing_in_its_folder(tmp_path: Path) -> None:
    """No --db: nothing appears in the folder it runs in, and what one request writes the
    next one reads (one in-memory database for the whole server)."""
    folder = tmp_path / "user-folder"
    folder.mkdir()
    with mock_process([], tmp_path / "bare.log", cwd=folder) as mock:  # only --host, --port 0, --print-json
        headers = {"Authorization": f"Bearer {mock.token}"}
        with httpx.Client(base_url=mock.url, headers=headers, timeout=5) as first:
            created = first.post("/v1/projects", json={"name": "kept in memory"})
        assert created.status_code == 201
        with httpx.Client(base_url=mock.url, headers=headers, timeout=5) as second:  # another connection
            assert [p["name"] for p in second.get("/v1/projects").json()] == ["kept in memory", "default"]
            assert second.get(f"/v1/projects/{created.json()['id']}").json()["name"] == "kept in memory"
        assert "calyptia-mock: data in memory, gone when the mock stops" in mock.log()
        assert mock.stop() in (0, -signal.SIGTERM)
    assert list(folder.iterdir()) == []
    assert parse_args([]).db == ":memory:"
