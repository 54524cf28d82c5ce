"""The servers under load: our mock, Stoplight Prism and a bare Starlette app.

Each one runs as a subprocess on loopback and is stopped (SIGTERM, or the launch's own
signal, then SIGKILL after 15 s) on the way out of `running`, whatever happened in between.
Every server binds port 0 itself, so no port is chosen free and then taken by someone else.
Our mock is started by its own launcher (`calyptia-mock --port 0 --print-json`), which says
where it listens; for the others the kernel says it (`listening_port`), and they are ready
when an authenticated GET answers 200.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from calyptia_mock.server import cli_command, mock_process

from bench.core import LOOPBACK, Section
from bench.ports import listening_port
from tools.paths import ROOT

PRISM = ROOT / "bench" / "node_modules" / ".bin" / "prism"
FIXTURES = ROOT / "tests" / "fixtures" / "users.yaml"
DEMO_TOKEN = "demo-token"
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}
_RUNS = itertools.count(1)  # numbers each run's log file


@dataclass
class Launch:
    """How to start one server: its command, extra environment and readiness path.

    `port` is 0 until the server has bound one; `mock_args` marks our mock."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    ready_path: str
    token: str = DEMO_TOKEN
    stop_signal: int = signal.SIGTERM
    mock_args: list[str] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"


def mock(db: Path, *, fixtures: Path | None = None, token: str = DEMO_TOKEN) -> Launch:
    """The mock as users run it: the CLI, a file database, warnings-only logging.

    `token` is a user's bearer token: the demo user's, or one from `fixtures`."""
    args = ["--db", str(db), *(["--fixtures", str(fixtures)] if fixtures is not None else []), "--log-level", "warning"]
    return Launch("ours", cli_command(*args), {}, 0, "/v1/projects?last=1", token, mock_args=args)


def prism(*, quiet: bool) -> Launch:
    """Prism 5 in static mode: it answers each operation with the spec's example.

    Prism logs several lines per request at its default level (info), which roughly halves
    its throughput here; our mock logs nothing per request at `--log-level warning`. So it
    runs twice: `quiet` adds `-v warn` (the like-for-like comparison), otherwise it is the
    plain `prism mock` command with its output going to a log file.
    """
    argv = [str(PRISM), "mock", "openapi.yaml", "-h", LOOPBACK, "-p", "0"]
    if quiet:
        return Launch("Prism -v warn", [*argv, "-v", "warn"], {}, 0, "/v1/projects?last=1")
    return Launch("Prism (default logging)", argv, {}, 0, "/v1/projects?last=1")


def profiled(app: str, out: Path, db: Path | None = None) -> Launch:
    """bench/profile_server.py: `app` ("mock" or "bare") under cProfile; SIGINT makes it write `out`."""
    argv = [sys.executable, "-m", "bench.profile_server", app, "--port", "0", "--out", str(out)]
    if db is not None:
        argv += ["--db", str(db)]
    return Launch(f"profiled {app}", argv, {}, 0, "/v1/projects?last=1", stop_signal=signal.SIGINT)


def bare() -> Launch:
    """bench/bare_app.py under uvicorn with the mock's own uvicorn settings."""
    argv = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--host", LOOPBACK, "--port", "0"]
    argv += ["--log-level", "warning", "--no-access-log", "--no-server-header"]
    return Launch("bare Starlette", argv, {}, 0, "/v1/projects?last=1")


@contextmanager
def running(launch: Launch, log_dir: Path, section: Section | None = None) -> Iterator[Launch]:
    """Start `launch`, wait until it answers, and always stop it."""
    if section is not None:
        section.command(launch.argv, launch.env)
    log_path = log_dir / f"{launch.name.replace(' ', '-')}-{next(_RUNS)}.log"
    if launch.mock_args is not None:
        with mock_process(launch.mock_args, log_path, cwd=ROOT) as ours:
            launch.port = int(ours.url.rsplit(":", 1)[1])
            yield launch
            ours.stop()
        return
    env: Mapping[str, str] = {**os.environ, **launch.env}
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(launch.argv, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            launch.port = listening_port(process, LOOPBACK, log_path)
            _wait_ready(launch, process, log_path)
            yield launch
        finally:
            process.send_signal(launch.stop_signal)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _wait_ready(launch: Launch, process: subprocess.Popen[bytes], log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"{launch.name} exited with {process.returncode}:\n{tail}")
        try:
            headers = {"Authorization": f"Bearer {launch.token}"}
            response = httpx.get(launch.url + launch.ready_path, headers=headers, timeout=2)
            if response.status_code == 200:
                return
            raise RuntimeError(f"{launch.name}: {launch.ready_path} answered {response.status_code}")
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{launch.name} did not answer within {timeout:g} s") from None
            time.sleep(0.2)
