"""The launcher's socket: bound before serving, on loopback, with TCP_NODELAY in effect."""

from __future__ import annotations

import socket

from calyptia_mock.server import base_url, bind


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
