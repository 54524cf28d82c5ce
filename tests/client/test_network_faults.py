"""The client against a misbehaving server on loopback: typed errors, never a hang.

A raw TCP server (started by the test on 127.0.0.1) resets connections, stalls,
truncates bodies, or answers 5xx and HTML. Every case must end in a typed
`errors.APIError` within the client's timeout, and the token must appear in no
exception message or repr.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID

import httpx
import pytest
from calyptia_cloud_client import AuthenticatedClient, errors
from calyptia_cloud_client.api.projects import get_project, list_projects

TOKEN = "fault-test-secret-token"
PROJECT_ID = UUID("123e4567-e89b-12d3-a456-426614174000")
Behaviour = Callable[[socket.socket], None]


def _read_request(connection: socket.socket) -> None:
    connection.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return
        data += chunk


@contextmanager
def fault_server(behaviour: Behaviour) -> Iterator[str]:
    """Serve `behaviour` for each connection until the test ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    connections: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            try:
                _read_request(connection)
                behaviour(connection)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in connections:
            connection.close()
        listener.close()


def reset(connection: socket.socket) -> None:
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()  # RST instead of FIN


def stall(connection: socket.socket) -> None:
    time.sleep(3)  # longer than the client's timeout


def truncate(connection: socket.socket) -> None:
    connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"id": ')
    connection.close()


def respond(status: str, content_type: str, body: bytes) -> Behaviour:
    def behaviour(connection: socket.socket) -> None:
        head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        connection.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)
        connection.close()

    return behaviour


def client(url: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=url, token=TOKEN, timeout=httpx.Timeout(0.5), max_retries=0)


CASES: list[tuple[str, Behaviour, type[errors.APIError]]] = [
    ("connection reset", reset, errors.APIConnectionError),
    ("stalled response", stall, errors.APITimeoutError),
    ("truncated body", truncate, errors.APIConnectionError),
    (
        "503 JSON",
        respond("503 Service Unavailable", "application/json", b'{"error": "unavailable"}'),
        errors.InternalServerError,
    ),
    (
        "502 HTML",
        respond("502 Bad Gateway", "text/html", b"<html><h1>502 Bad Gateway</h1></html>"),
        errors.InternalServerError,
    ),
    ("200 HTML", respond("200 OK", "text/html", b"<html>login page</html>"), errors.UnexpectedResponseError),
]


@pytest.mark.parametrize(("behaviour", "expected"), [(b, e) for _, b, e in CASES], ids=[name for name, _, _ in CASES])
def test_fault_becomes_a_typed_error_in_time(behaviour: Behaviour, expected: type[errors.APIError]) -> None:
    with fault_server(behaviour) as url:
        started = time.monotonic()
        with pytest.raises(expected) as caught:
            get_project.sync_or_raise(PROJECT_ID, client=client(url))
        elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"took {elapsed:.1f} s with a 0.5 s timeout"
    for text in (str(caught.value), repr(caught.value), repr(client(url))):
        assert TOKEN not in text


def test_the_iterator_stops_with_a_typed_error_when_a_page_fails() -> None:
    with fault_server(reset) as url, pytest.raises(errors.APIConnectionError):
        list(list_projects.iterate(client=client(url)))


def test_retries_do_not_stretch_a_stall_past_the_budget() -> None:
    """With the default 2 retries, three 0.5 s timeouts plus backoff (at most 1.5 s)."""
    with fault_server(stall) as url:
        started = time.monotonic()
        with pytest.raises(errors.APITimeoutError):
            get_project.sync_or_raise(
                PROJECT_ID, client=AuthenticatedClient(base_url=url, token=TOKEN, timeout=httpx.Timeout(0.5))
            )
        assert time.monotonic() - started < 3.0 + 1.5
