"""One loopback HTTP/1.1 server for every test that needs a peer other than the mock.

It binds 127.0.0.1 port 0 itself (the kernel picks the port, nobody else can take it in
between) and answers each request with what the test scripted: a `Reply`, sent as HTTP/1.1
with keep-alive; or a `Misbehaviour`, which takes the raw connection over (reset, stall,
truncate, any bytes at all). Each connection has its own thread, so a stalled one holds no
other back. Every request and every status answered is recorded for the test to assert on.
"""

from __future__ import annotations

import json
import mimetypes
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = [
    "Answer",
    "Loopback",
    "Misbehaviour",
    "Reply",
    "Request",
    "closed_port",
    "files",
    "hang",
    "loopback_server",
    "raw",
    "reset",
    "respond",
    "stall",
    "truncate",
]

HEAD_LIMIT = 65536


@dataclass(frozen=True)
class Request:
    """One request as it arrived: header names lower-cased, the body read by its Content-Length."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


@dataclass(frozen=True)
class Reply:
    """A well-formed response; Content-Length is added, the connection stays open."""

    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    reason: str | None = None  # the status line's phrase; None: the standard one, if any

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(value).encode(), {"Content-Type": "application/json", **(headers or {})})

    def encode(self, method: str) -> bytes:
        reason = self.reason
        if reason is None:
            reason = HTTPStatus(self.status).phrase if self.status in HTTPStatus.__members__.values() else "Unknown"
        head = f"HTTP/1.1 {self.status} {reason}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in self.headers.items())
        head += f"Content-Length: {len(self.body)}\r\n\r\n"
        return head.encode("latin-1") + (b"" if method == "HEAD" else self.body)


@dataclass(frozen=True)
class Misbehaviour:
    """What a well-behaved server never does: `act` gets the raw socket once the request is read,
    and the connection is closed after it, whatever it sent."""

    act: Callable[[socket.socket], None]


Answer = Reply | Misbehaviour
Answerer = Callable[[Request], Answer]


@dataclass
class Loopback:
    """A running server: where it is, what it answers next, and what it has seen."""

    url: str
    answer: Answerer
    requests: list[Request] = field(default_factory=list)
    answered: list[tuple[str, int]] = field(default_factory=list)  # (path, status) of every Reply sent

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def always(self, answer: Answer) -> None:
        """From now on, answer every request with `answer`."""
        self.answer = _constant(answer)


def _constant(answer: Answer) -> Answerer:
    return lambda request: answer


def _read_request(connection: socket.socket, buffer: bytearray) -> Request | None:
    """The next request on this connection, or None once the peer has gone or sent no head."""
    while b"\r\n\r\n" not in buffer:
        chunk = connection.recv(65536)
        if not chunk or len(buffer) > HEAD_LIMIT:
            return None
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, *_ = (*line.split(" "), "", "")
    headers = {}
    for header in header_lines:
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    while len(rest) < length:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        rest += chunk
    buffer[:] = rest[length:]
    return Request(method, target, headers, rest[:length])


def _serve_connection(server: Loopback, connection: socket.socket) -> None:
    buffer = bytearray()
    with connection:
        connection.settimeout(5)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while (request := _read_request(connection, buffer)) is not None:
            server.requests.append(request)
            answer = server.answer(request)
            if isinstance(answer, Misbehaviour):
                answer.act(connection)
                return
            connection.sendall(answer.encode(request.method))
            server.answered.append((request.path, answer.status))
            if request.headers.get("connection", "").lower() == "close":
                return


@contextmanager
def loopback_server(answer: Answer | Answerer = Reply()) -> Iterator[Loopback]:
    """Serve on 127.0.0.1 until the block ends: `answer` for every request, or `answer(request)`."""
    listener = socket.create_server(("127.0.0.1", 0))
    host, port = listener.getsockname()[:2]
    server = Loopback(f"http://{host}:{port}", answer if callable(answer) else _constant(answer))
    stop = threading.Event()
    connections: list[socket.socket] = []

    def handle(connection: socket.socket) -> None:
        with suppress(OSError):
            _serve_connection(server, connection)

    def accept() -> None:
        while True:
            connection, _ = listener.accept()
            if stop.is_set():
                connection.close()
                return
            connections.append(connection)
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        with suppress(OSError), socket.create_connection((host, port), timeout=1):
            pass  # wake the accept() so the thread sees `stop` now
        thread.join(timeout=5)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)  # wakes a handler blocked in recv
        listener.close()


def closed_port() -> int:
    """A loopback port nothing listens on: one the kernel handed out and took back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- answers ---------------------------------------------------------------------------


def respond(status_line: str, content_type: str, body: bytes) -> Reply:
    """A reply of any status line ("599 ", "561 Unauthorized") with a body of any type."""
    code, _, reason = status_line.partition(" ")
    return Reply(int(code), body, {"Content-Type": content_type}, reason)


def files(directory: Path) -> Answerer:
    """Serve the files under `directory` as a static site does: `dir/` is its index.html, a
    folder without its slash is a 301 to it, anything else missing is a 404."""
    root = directory.resolve()

    def answer(request: Request) -> Reply:
        path = unquote(request.path)
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            return respond("404 Not Found", "text/plain", b"not found")
        if target.is_dir() and not path.endswith("/"):
            return Reply(301, b"", {"Location": path + "/"})
        if target.is_dir():
            target /= "index.html"
        if not target.is_file():
            return respond("404 Not Found", "text/plain", b"not found")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return respond("200 OK", kind, target.read_bytes())

    return answer


@Misbehaviour
def reset(connection: socket.socket) -> None:
    """RST instead of FIN: a connection reset by peer."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


@Misbehaviour
def stall(connection: socket.socket) -> None:
    """Answer nothing for 3 s, longer than the tests' client timeouts."""
    time.sleep(3)


@Misbehaviour
def truncate(connection: socket.socket) -> None:
    """Promise 500 bytes of body and close after 7."""
    connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"id": ')


def raw(data: bytes) -> Misbehaviour:
    """Send these bytes, whatever they are, and close."""
    return Misbehaviour(lambda connection: connection.sendall(data))


@Misbehaviour
def hang(connection: socket.socket) -> None:
    """Never answer: wait until the client gives up and hangs up."""
    with suppress(OSError):
        connection.recv(1)
