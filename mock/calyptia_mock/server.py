"""The one way to start the mock: build it from options, then serve it in a thread or a process.

- `build(options)`: the store, its seed (the demo user, or a fixture file) and the app; with
  `control`, the `/_mock` API and a reset that restores the seed.
- `serving(options)`: uvicorn in a daemon thread of this process, on a port the kernel picks
  (port 0, bound before uvicorn starts, so there is no free-port race). The pytest fixture,
  contract runs, soak and bench use it.
- `mock_process(...)`: the real CLI, `calyptia-mock --port 0 --print-json`, in a child process
  whose first stdout line says where it listens; for what a thread cannot give (a process to
  SIGKILL, a restart on the same file). The process never outlives the `with` block.
- `serve(...)`: what the CLI itself runs, on the same bound-socket path as the thread.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp

import calyptia_mock
from calyptia_mock.app import MockApplication, create_app, load_spec
from calyptia_mock.seed_data import DEMO_TOKEN, load_fixtures, seed_demo_user
from calyptia_mock.server_stack import http_protocol, server_stack
from calyptia_mock.store import Store

__all__ = ["BuiltMock", "MockOptions", "MockProcess", "RunningMock", "build", "mock_process", "serve", "serving"]

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class MockOptions:
    """What the CLI's options choose; the defaults are the pytest fixture's."""

    db: str | Path = ":memory:"
    fixtures: Path | None = None
    spec: Path | None = None
    validate_responses: bool = False
    control: bool = False

    @property
    def token(self) -> str | None:
        """The demo user's token; None with a fixture file, whose users have their own."""
        return None if self.fixtures else DEMO_TOKEN


@dataclass(frozen=True)
class BuiltMock:
    app: MockApplication
    store: Store


def build(options: MockOptions) -> BuiltMock:
    """The store, seeded, and the app around it. Raises FixtureError for a bad fixture file."""
    if str(options.db) != ":memory:":
        Path(options.db).parent.mkdir(parents=True, exist_ok=True)
    store = Store(options.db)

    def seed() -> None:
        if options.fixtures:
            load_fixtures(store, options.fixtures)
        else:
            seed_demo_user(store)

    def reset() -> None:
        with store.atomic():  # one transaction: no request sees a half-reset store
            store.clear()
            seed()

    try:
        seed()
    except BaseException:
        store.close()
        raise
    app = create_app(
        store,
        spec=load_spec(options.spec),
        validate_responses=options.validate_responses,
        reset=reset if options.control else None,
    )

    @asynccontextmanager
    async def lifespan(app: object) -> AsyncIterator[None]:
        yield
        store.close()  # uvicorn may re-raise SIGTERM after shutdown: close (and checkpoint) here

    app.router.lifespan_context = lifespan
    return BuiltMock(app, store)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket: connections queue from here on, before the server loop runs."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on sockets whose proto says TCP;
    # with proto 0, Nagle holds each response body behind its headers for a delayed ACK (40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _server(app: ASGIApp, log_level: str) -> uvicorn.Server:
    # http_protocol: JSON error bodies also for requests the HTTP parser refuses.
    config = uvicorn.Config(app, http=http_protocol(), access_log=False, log_level=log_level, server_header=False)
    return uvicorn.Server(config)


def serve(app: ASGIApp, sock: socket.socket, *, log_level: str = "info") -> None:
    """Serve on `sock` until SIGINT or SIGTERM: uvicorn stops accepting, finishes in-flight
    requests and runs the shutdown hook."""
    # Everything built so far (the spec, openapi-core's validators, the app) lives as long as
    # the process: keep it out of the garbage collector's full passes, which would otherwise
    # walk those ~70,000 objects (tens of ms) while every request in flight waits.
    gc.collect()
    gc.freeze()
    logging.getLogger("calyptia_mock").info("serving with %s", server_stack())
    _server(app, log_level).run(sockets=[sock])


@dataclass(frozen=True)
class RunningMock:
    """A mock serving in this process: its base URL, the demo token (None with fixtures), the app."""

    url: str
    token: str | None
    app: MockApplication
    store: Store


@contextmanager
def serving(
    options: MockOptions = MockOptions(),
    *,
    host: str = LOOPBACK,
    port: int = 0,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
    log_level: str = "warning",
) -> Iterator[RunningMock]:
    """Serve the mock in a thread for the length of the block; `wrap` adds outer middleware."""
    built = build(options)
    sock = bind(host, port)
    server = _server(wrap(built.app) if wrap else built.app, log_level)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="calyptia-mock", daemon=True)
    try:
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock did not start")
            time.sleep(0.005)
        yield RunningMock(base_url(sock), options.token, built.app, built.store)
    finally:
        built.app.release_held("the shutdown")
        server.should_exit = True
        thread.join(timeout=STOP_TIMEOUT_S)
        sock.close()
        built.store.close()


@dataclass
class MockProcess:
    """The CLI in a child process: its base URL, what it printed, and its log (stderr)."""

    process: subprocess.Popen[bytes]
    url: str
    token: str | None
    log_path: Path
    not_implemented: list[str] = field(default_factory=list)  # operationIds it answers 501

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook, no checkpoint, no close; what a crash looks like to SQLite."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_S)
        self._close_pipe()

    def stop(self, stop_signal: int = signal.SIGTERM) -> int:
        """`stop_signal`, then wait for uvicorn's clean shutdown (which closes the store); SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(stop_signal)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_pipe()
        return self.process.returncode

    def _close_pipe(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()


def cli_command(*args: str, launcher: Sequence[str] | None = None) -> list[str]:
    """The CLI on a loopback port it picks itself (port 0), announcing itself as JSON.

    `launcher` is what runs it, by default this interpreter's `-m calyptia_mock`."""
    prefix = launcher or [sys.executable, "-m", "calyptia_mock"]
    return [*prefix, "--host", LOOPBACK, "--port", "0", "--print-json", *args]


def start_process(
    args: Sequence[str],
    log_path: Path,
    *,
    cwd: Path | None = None,
    package_root: Path | None = None,
    launcher: Sequence[str] | None = None,
) -> MockProcess:
    """Start the CLI and read where it listens; the process is killed if it does not say so in time.

    The child imports `calyptia_mock` from `package_root` (a checkout's `mock/` folder), by
    default from wherever this process imported it; `launcher` as in `cli_command`."""
    root = str(package_root or Path(calyptia_mock.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    # The log goes to a file, not a pipe: nobody drains a pipe during a storm, and a full one stalls the server.
    command = cli_command(*args, launcher=launcher)
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, env=env, cwd=cwd)
    mock = MockProcess(process, "", None, log_path)
    try:
        announced = _read_announcement(process, START_TIMEOUT_S)
        if announced is None:
            raise RuntimeError(f"the mock did not start (exit {process.poll()}):\n{mock.log()[-4000:]}")
        mock.url, mock.token = announced["url"], announced["token"]
        mock.not_implemented = list(announced.get("not_implemented", []))
        return mock
    except BaseException:
        mock.kill()
        raise


def _read_announcement(process: subprocess.Popen[bytes], timeout: float) -> dict[str, Any] | None:
    """The `--print-json` line, or None if the process exits or stays silent for `timeout` s."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                return None
            line += chunk
    announced: dict[str, Any] = json.loads(line)
    return announced


@contextmanager
def mock_process(
    args: Sequence[str],
    log_path: Path,
    *,
    cwd: Path | None = None,
    package_root: Path | None = None,
    launcher: Sequence[str] | None = None,
) -> Iterator[MockProcess]:
    """Start the CLI; however the block ends (a failed assertion included), SIGKILL it if still up."""
    mock = start_process(args, log_path, cwd=cwd, package_root=package_root, launcher=launcher)
    try:
        yield mock
    finally:
        mock.kill()
