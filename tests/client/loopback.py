"""A misbehaving HTTP peer on loopback: a raw TCP server, started by the test on 127.0.0.1,
that answers each connection with a scripted behaviour (reset, stall, truncate, any bytes)."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

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
        with suppress(OSError), socket.create_connection(listener.getsockname(), timeout=1):
            pass  # wake the accept() so the thread sees `stop` now
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


def raw(data: bytes) -> Behaviour:
    """Send these bytes, whatever they are, and close."""

    def behaviour(connection: socket.socket) -> None:
        connection.sendall(data)
        connection.close()

    return behaviour


def hang(connection: socket.socket) -> None:
    """Read the request and never answer: wait until the client gives up and hangs up."""
    connection.settimeout(5)
    with suppress(OSError):
        connection.recv(1)
