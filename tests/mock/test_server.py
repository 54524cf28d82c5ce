"""The launcher's socket (bound before serving, TCP_NODELAY in effect), and the spec it serves."""

from __future__ import annotations

import socket
from pathlib import Path

from calyptia_mock.app import load_spec
from calyptia_mock.control import CONTROL_PREFIX
from calyptia_mock.server import base_url, bind

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


def test_the_listening_socket_is_tcp_so_asyncio_turns_nagle_off() -> None:
    # asyncio sets TCP_NODELAY only when the socket's proto is IPPROTO_TCP; with 0, every JSON
    # response waited 40 ms for a delayed ACK between its headers and its body.
    with bind("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        assert base_url(sock).startswith("http://127.0.0.1:")
        client = socket.create_connection(sock.getsockname()[:2])
        accepted, _ = sock.accept()
        with client, accepted:
            assert accepted.proto == socket.IPPROTO_TCP


def test_the_control_api_is_not_in_the_spec_the_contract_suite_reads() -> None:
    assert not [path for path in load_spec()["paths"] if path.startswith(CONTROL_PREFIX)]
    assert not [path for path in load_spec(SPEC)["paths"] if "_mock" in path]
