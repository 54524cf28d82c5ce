"""The response size limit: a body is read only up to `max_response_size` bytes, as sent and
once decompressed, so a runaway or hostile response fails fast instead of filling memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx

from . import errors

# The largest body read, in bytes, as sent and again once decompressed. A page of 100 projects
# is about 70 KB; 32 MiB leaves room for any page the API sends while a runaway or hostile
# body fails fast instead of filling memory.
DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024


def as_max_response_size(max_response_size: int | None) -> int | None:
    """A size in bytes, 1 or more; None: no limit."""
    if max_response_size is None:
        return None
    if isinstance(max_response_size, bool) or not isinstance(max_response_size, int) or max_response_size < 1:
        raise errors.ConfigurationError(f"max_response_size must be an int >= 1 or None, not {max_response_size!r}")
    return max_response_size


def framing(response: httpx.Response) -> tuple[int | None, bool]:
    """(the Content-Length when it alone frames the body, whether the body is content-encoded),
    in one pass over the raw headers: a single valid Content-Length and no Transfer-Encoding
    beside it, and HTTP/1.1 framing stops the body there, whatever else the server sends."""
    length: int | None = None
    lengths = 0
    chunked = encoded = False
    for name, value in response.headers.raw:
        name = name.lower()
        if name == b"content-length":
            lengths += 1
            length = int(value) if value.isdigit() else None
        elif name == b"transfer-encoding":
            chunked = True
        elif name == b"content-encoding":
            encoded = True
    return (length if lengths == 1 and not chunked else None), encoded


class LimitedStream(httpx.SyncByteStream):
    """A response body as it arrives from the network (before decompression), raising
    errors.ResponseTooLargeError as soon as more than `limit` bytes have come: the rest is
    not read, whatever Content-Length said or when it says nothing (chunked)."""

    def __init__(self, stream: httpx.SyncByteStream, response: httpx.Response, limit: int) -> None:
        self.stream = stream
        self.response = response
        self.limit = limit

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self.stream:
            received += len(chunk)
            if received > self.limit:
                raise errors.ResponseTooLargeError(self.response, self.limit)
            yield chunk

    def close(self) -> None:
        self.stream.close()


class AsyncLimitedStream(httpx.AsyncByteStream):
    """The async twin of LimitedStream."""

    def __init__(self, stream: httpx.AsyncByteStream, response: httpx.Response, limit: int) -> None:
        self.stream = stream
        self.response = response
        self.limit = limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        received = 0
        async for chunk in self.stream:
            received += len(chunk)
            if received > self.limit:
                raise errors.ResponseTooLargeError(self.response, self.limit)
            yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()


def limit_stream(request: httpx.Request, response: httpx.Response, limit: int | None) -> httpx.Response:
    """`response` with its body limited to `limit` bytes as sent (LimitedStream). A
    Content-Length over the limit raises errors.ResponseTooLargeError before any of the body
    is read."""
    declared, _ = framing(response)
    if limit is None or (declared is not None and declared <= limit):
        return response
    if declared is not None:
        response.close()
        response.request = request  # httpx sets it only once the transport returns
        raise errors.ResponseTooLargeError(response, limit)
    stream = response.stream
    assert isinstance(stream, httpx.SyncByteStream)
    response.stream = LimitedStream(stream, response, limit)
    return response


async def alimit_stream(request: httpx.Request, response: httpx.Response, limit: int | None) -> httpx.Response:
    """The async twin of limit_stream."""
    declared, _ = framing(response)
    if limit is None or (declared is not None and declared <= limit):
        return response
    if declared is not None:
        await response.aclose()
        response.request = request
        raise errors.ResponseTooLargeError(response, limit)
    stream = response.stream
    assert isinstance(stream, httpx.AsyncByteStream)
    response.stream = AsyncLimitedStream(stream, response, limit)
    return response


def fits(response: httpx.Response, limit: int | None) -> bool:
    """Whether the body cannot pass the limit: there is none, or an uncompressed body framed
    by a Content-Length within it (the common case, read without counting)."""
    if limit is None:
        return True
    declared, encoded = framing(response)
    return declared is not None and declared <= limit and not encoded


def read_limited(response: httpx.Response, limit: int | None) -> None:
    """Read a streamed response's body, decompressed, raising errors.ResponseTooLargeError as
    soon as it passes `limit` bytes (a small gzip body can inflate a thousandfold). The
    transports limit the bytes as sent (limit_stream); this limits them once decoded."""
    if fits(response, limit):
        response.read()
        return
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if limit is not None and size > limit:
            raise errors.ResponseTooLargeError(response, limit)
        chunks.append(chunk)
    # What Response.read() stores; it has no public way to keep a body read in pieces.
    response._content = b"".join(chunks)


async def aread_limited(response: httpx.Response, limit: int | None) -> None:
    """The async twin of read_limited."""
    if fits(response, limit):
        await response.aread()
        return
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if limit is not None and size > limit:
            raise errors.ResponseTooLargeError(response, limit)
        chunks.append(chunk)
    response._content = b"".join(chunks)
