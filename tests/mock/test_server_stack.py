"""The mock's server stack: httptools and uvloop where they install, h11 and asyncio where not."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from calyptia_mock.server_stack import server_stack

ROOT = Path(__file__).resolve().parents[2]
# Runs the CLI exactly as `python -m calyptia_mock` does, with both C extensions made unimportable.
WITHOUT_C_EXTENSIONS = (
    "import runpy, sys\n"
    "sys.modules['uvloop'] = None\n"
    "sys.modules['httptools'] = None\n"
    "sys.argv[0] = 'calyptia_mock'\n"
    "runpy.run_module('calyptia_mock', run_name='__main__', alter_sys=True)\n"
)


@pytest.mark.skipif(sys.platform == "win32" or sys.implementation.name != "cpython", reason="no uvloop build")
def test_the_fast_stack_is_installed_with_the_mock() -> None:
    assert server_stack() == "httptools + uvloop"


def test_serves_without_uvloop_and_httptools(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_path = tmp_path / "mock.log"
    command = [sys.executable, "-c", WITHOUT_C_EXTENSIONS, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--db", ":memory:", "--log-level", "info"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "mock")}
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        response = _get_when_up(f"http://127.0.0.1:{port}/v1/projects", process)
        assert response.status_code == 200
        assert [project["name"] for project in response.json()] == ["default"]
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=20)
    log = log_path.read_text(encoding="utf-8")
    assert returncode in (0, -signal.SIGTERM), log  # uvicorn re-raises the signal after a clean shutdown
    assert "Application shutdown complete" in log
    assert "serving with h11 + asyncio" in log


def _get_when_up(url: str, process: subprocess.Popen[bytes], timeout: float = 20) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, "the mock exited"
        try:
            return httpx.get(url, headers={"Authorization": "Bearer demo-token"}, timeout=5)
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the mock did not answer"
            time.sleep(0.1)
