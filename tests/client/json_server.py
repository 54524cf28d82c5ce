"""A loopback HTTP/1.1 server, started by the tests, that answers every request with whatever
status, headers and body the test has set last: one server (and one kept-alive connection per
client) serves a whole module of cases instead of a server per case."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What the server sends next, to any method and path."""

    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


@dataclass
class JSONServer:
    url: str
    reply: Reply

    def set(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.reply = Reply(status, body, headers if headers is not None else {"Content-Type": "application/json"})


@contextmanager
def json_server() -> Iterator[JSONServer]:
    """Serve `server.reply` on 127.0.0.1 until the block ends."""
    state = JSONServer("", Reply())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many cases
        disable_nagle_algorithm = True  # the head and the body go in two writes: no 40 ms delayed-ACK wait

        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            reply = state.reply
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.answer()

        def do_PATCH(self) -> None:
            self.answer()

        def do_DELETE(self) -> None:
            self.answer()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
