"""Run `python -m calyptia_mock` as a real subprocess on a file database, for tests that need
what an in-process server cannot give: a separate process to SIGKILL, and a clean restart on
the same file. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

__all__ = ["ROOT", "MockProcess", "free_port", "running_mock_process", "start_mock", "write_fixture"]

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 20.0


def free_port() -> int:
    """A port the kernel just handed out on loopback; nothing else should grab it in between."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_fixture(path: Path, users: Sequence[dict[str, Any]], projects: Sequence[dict[str, Any]] = ()) -> Path:
    """Write a fixture file (JSON, which the YAML loader reads as well) and return its path."""
    path.write_text(json.dumps({"users": list(users), "projects": list(projects)}, indent=1), encoding="utf-8")
    return path


@dataclass
class MockProcess:
    """One running mock: its process, base URL and log file (stdout and stderr together)."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook, no checkpoint, no close; what a crash looks like to SQLite."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> int | None:
        """SIGTERM and wait for uvicorn's clean shutdown (which closes the store); SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode


def start_mock(db: Path, fixtures: Path, log_path: Path, *, log_level: str = "warning") -> MockProcess:
    """Start the CLI on a free port and wait until it answers; the process is killed if it does not."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "mock"), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "calyptia_mock", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--db", str(db), "--fixtures", str(fixtures), "--log-level", log_level]
    # A file, not a pipe: nobody drains a pipe during a storm, and a full pipe would stall the server.
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    mock = MockProcess(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"the mock exited with {process.returncode}:\n{mock.log()}")
            try:
                httpx.get(f"{mock.url}/openapi.json", timeout=1)
                return mock
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError(f"the mock did not start in {START_TIMEOUT_S} s:\n{mock.log()}")
    except BaseException:
        mock.kill()
        raise


@contextmanager
def running_mock_process(db: Path, fixtures: Path, log_path: Path) -> Iterator[MockProcess]:
    """Start the mock; however the block ends, the process does not outlive it (SIGKILL if still up)."""
    mock = start_mock(db, fixtures, log_path)
    try:
        yield mock
    finally:
        mock.kill()
