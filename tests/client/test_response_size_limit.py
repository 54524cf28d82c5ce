"""`max_response_size`: a body over the limit raises errors.ResponseTooLargeError, and the
client stops reading it there (templates/runtime/_limits.py: limit_stream, read_limited).

A loopback server floods 64 MiB in every framing (an honest Content-Length, a Content-Length
that lies under chunked encoding, chunked without a length, delimited by closing the
connection, and gzip that is small on the wire but inflates past the limit) and records how
much it managed to send before the client hung up.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, errors
from calyptia_cloud_client.api.projects import get_project, list_projects
from calyptia_cloud_client.client import Client

from tests.client.test_misbehaving_server import TOKEN
from tests.support.loopback import Misbehaviour, loopback_server
from tests.support.samples import PROJECT, PROJECT_ID

FLOOD = 64 * 1024 * 1024
LIMIT = 64 * 1024
CHUNK = b" " * 65536  # whitespace: valid JSON padding, in case anything tried to parse it
ZIPPED = gzip.compress(b" " * (FLOOD // 4), compresslevel=9)  # 16 KiB on the wire: under LIMIT until inflated


@dataclass
class Flood:
    """Send a head, then up to FLOOD bytes of body framed as `framing` says; record how many
    body bytes went out before the peer hung up."""

    framing: str = "content-length"
    sent: list[int] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def __call__(self, connection: socket.socket) -> None:
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        head += {
            "content-length": f"Content-Length: {FLOOD}\r\n",
            "lying content-length": "Content-Length: 1000\r\n",
            "content-length and chunked": "Content-Length: 1000\r\nTransfer-Encoding: chunked\r\n",
            "chunked": "Transfer-Encoding: chunked\r\n",
            "until close": "Connection: close\r\n",
            "gzip": f"Content-Encoding: gzip\r\nContent-Length: {len(ZIPPED)}\r\n",
        }[self.framing]
        sent = 0
        try:
            connection.sendall(head.encode() + b"\r\n")
            if self.framing == "gzip":
                connection.sendall(ZIPPED)
                sent = len(ZIPPED)
            else:
                chunked = "chunked" in self.framing
                while sent < FLOOD:
                    connection.sendall(b"10000\r\n" + CHUNK + b"\r\n" if chunked else CHUNK)
                    sent += len(CHUNK)
                connection.sendall(b"0\r\n\r\n" if chunked else b"")
        except OSError:
            pass
        finally:
            connection.close()
            self.sent.append(sent)
            self.done.set()

    def reset(self, framing: str) -> None:
        self.framing = framing
        self.sent.clear()
        self.done.clear()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Flood, str]]:
    flood = Flood()
    with loopback_server(Misbehaviour(flood)) as running:
        yield flood, running.url


def styles(url: str) -> dict[str, Callable[[], Any]]:
    """Every way to set the limit, and the call styles that read a body."""

    async def via_async_client() -> Any:
        async with AsyncCalyptiaCloud(token=TOKEN, base_url=url, max_retries=0, max_response_size=LIMIT) as client:
            return await client.projects.get(PROJECT_ID)

    async def via_async_options() -> Any:
        async with AsyncCalyptiaCloud(token=TOKEN, base_url=url, max_retries=0) as roomy:
            return await roomy.with_options(max_response_size=LIMIT).projects.with_raw_response.get(PROJECT_ID)

    async def via_aiterate() -> Any:
        async with AuthenticatedClient(base_url=url, token=TOKEN, max_retries=0, max_response_size=LIMIT) as client:
            return [p async for p in list_projects.aiterate(client=client)]

    def via_own_http_client() -> Any:
        with httpx.Client() as own:
            client = CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0, http_client=own, max_response_size=LIMIT)
            return client.projects.get(PROJECT_ID)

    low = AuthenticatedClient(base_url=url, token=TOKEN, max_retries=0, max_response_size=LIMIT)
    roomy = CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0)
    return {
        "CalyptiaCloud(max_response_size=)": lambda: CalyptiaCloud(
            token=TOKEN, base_url=url, max_retries=0, max_response_size=LIMIT
        ).projects.get(PROJECT_ID),
        "with_options(max_response_size=)": lambda: roomy.with_options(max_response_size=LIMIT).projects.get(
            PROJECT_ID
        ),
        "with_raw_response": lambda: roomy.with_options(max_response_size=LIMIT).projects.with_raw_response.get(
            PROJECT_ID
        ),
        "your own http_client": via_own_http_client,
        "AsyncCalyptiaCloud": lambda: asyncio.run(via_async_client()),
        "AsyncCalyptiaCloud.with_options, raw": lambda: asyncio.run(via_async_options()),
        "sync_detailed": lambda: get_project.sync_detailed(PROJECT_ID, client=low),
        "asyncio_detailed": lambda: asyncio.run(get_project.asyncio_detailed(PROJECT_ID, client=low)),
        "iterate": lambda: list(list_projects.iterate(client=low)),
        "aiterate": lambda: asyncio.run(via_aiterate()),
    }


FRAMINGS = ["content-length", "chunked", "until close", "gzip"]


@pytest.mark.parametrize("framing", FRAMINGS)
def test_a_body_over_the_limit_raises_without_being_read(framing: str, server: tuple[Flood, str]) -> None:
    flood, url = server
    for style, call in styles(url).items():
        flood.reset(framing)
        with pytest.raises(errors.ResponseTooLargeError) as caught:
            call()
        assert caught.value.limit == LIMIT, style
        assert caught.value.status_code == 200
        assert caught.value.response.request.url.path.startswith("/v1/projects")
        assert f"{LIMIT:,} bytes" in str(caught.value)
        assert isinstance(caught.value, errors.UnexpectedResponseError)  # the raising styles' contract
        assert flood.done.wait(10), style
        if framing == "gzip":  # under the limit as sent: it is the inflated size that is over
            assert len(ZIPPED) < LIMIT
        else:  # the client hung up long before the flood ended
            assert flood.sent[0] < FLOOD // 4, (style, flood.sent)


def test_a_content_length_that_lies_low_is_all_that_is_read(server: tuple[Flood, str]) -> None:
    """`Content-Length: 1000` before a 64 MiB flood: the body is those 1,000 bytes (HTTP/1.1
    framing), the rest is never read, and the connection is not reused."""
    flood, url = server
    flood.reset("lying content-length")
    with CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0, max_response_size=LIMIT) as client:
        with pytest.raises(errors.UnexpectedResponseError) as caught:
            client.projects.get(PROJECT_ID)
        assert not isinstance(caught.value, errors.ResponseTooLargeError)
        assert caught.value.response.content == CHUNK[:1000]
    assert flood.done.wait(10)
    assert flood.sent[0] < FLOOD // 4, flood.sent


def test_a_content_length_beside_chunked_is_a_protocol_error(server: tuple[Flood, str]) -> None:
    """Both framings at once (a request smuggling pattern): refused as a broken response."""
    flood, url = server
    flood.reset("content-length and chunked")
    with CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0, max_response_size=LIMIT) as client:
        with pytest.raises(errors.APIError) as caught:
            client.projects.get(PROJECT_ID)
        assert isinstance(caught.value, errors.APIConnectionError | errors.UnexpectedResponseError)
    assert flood.done.wait(10)
    assert flood.sent[0] < FLOOD // 4, flood.sent


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_the_default_limit_is_32_mib(framing: str, server: tuple[Flood, str]) -> None:
    flood, url = server
    flood.reset(framing)
    with (
        CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0) as client,
        pytest.raises(errors.ResponseTooLargeError) as caught,
    ):
        client.projects.get(PROJECT_ID)
    assert caught.value.limit == 32 * 1024 * 1024
    assert flood.done.wait(10)


def test_a_body_at_the_limit_is_read() -> None:
    body = json.dumps(PROJECT).encode()
    exact = len(body)

    def answer(connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + b"Connection: close\r\n\r\n"
            + f"{exact:x}\r\n".encode()
            + body
            + b"\r\n0\r\n\r\n"
        )
        connection.close()

    with loopback_server(Misbehaviour(answer)) as server:
        url = server.url
        at_limit = CalyptiaCloud(token=TOKEN, base_url=url, max_retries=0, max_response_size=exact)
        assert at_limit.projects.get(PROJECT_ID).id == PROJECT_ID
        with pytest.raises(errors.ResponseTooLargeError):
            at_limit.with_options(max_response_size=exact - 1).projects.get(PROJECT_ID)
        unlimited = at_limit.with_options(max_response_size=None)
        assert unlimited.projects.get(PROJECT_ID).id == PROJECT_ID


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "1"])
def test_a_limit_that_is_not_a_size_is_refused(bad: Any) -> None:
    with pytest.raises(errors.ConfigurationError, match="max_response_size"):
        CalyptiaCloud(token=TOKEN, max_response_size=bad)
    with pytest.raises(errors.ConfigurationError, match="max_response_size"):
        CalyptiaCloud(token=TOKEN).with_options(max_response_size=bad)
    with pytest.raises(errors.ConfigurationError, match="max_response_size"):
        AsyncCalyptiaCloud(token=TOKEN).with_options(max_response_size=bad)
    with pytest.raises(errors.ConfigurationError, match="max_response_size"):
        AuthenticatedClient(base_url="http://127.0.0.1:1", token=TOKEN, max_response_size=bad)
    with pytest.raises(errors.ConfigurationError, match="max_response_size"):
        Client(base_url="http://127.0.0.1:1", max_response_size=bad)
