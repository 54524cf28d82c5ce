import asyncio
import email.utils
import functools
import os
import random
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC
from typing import Any, Self

import httpx
from attrs import define, evolve, field

from . import errors

# Project operations move small JSON documents and the service answers in well under a
# second: 30 s for the whole read leaves room for a slow network while a hung connection
# still fails, and 5 s to connect fails fast on an unreachable host.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
# The largest body read, in bytes, as sent and again once decompressed. A page of 100 projects
# is about 70 KB; 32 MiB leaves room for any page the API sends while a runaway or hostile
# body fails fast instead of filling memory.
DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024
USER_AGENT = "calyptia-cloud-client/1.1.1 python-httpx/" + httpx.__version__


@define
class Client:
    """A class for keeping track of data related to the API

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take. API functions will raise
        httpx.TimeoutException if this is exceeded. Default: DEFAULT_TIMEOUT (30 s, 5 s to connect).

        ``max_retries``: How often a failed request is retried (default 2; 0 turns retries off).
        See RetryTransport for which requests and failures are retried.

        ``max_response_size``: The largest response body read, in bytes (default 32 MiB; None:
        no limit; below 1 raises errors.ConfigurationError). A larger body raises
        errors.ResponseTooLargeError without being read past it.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.

    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether or not to raise an errors.UnexpectedStatus if the API returns a status code that was not documented in the source OpenAPI document. Can also be provided as a keyword argument to the constructor."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers", repr=False)
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _max_retries: int = field(default=DEFAULT_MAX_RETRIES, kw_only=True, alias="max_retries")
    # Checked when built, as the high-level clients check it: a 0 would refuse every body.
    _max_response_size: int | None = field(
        default=DEFAULT_MAX_RESPONSE_SIZE,
        kw_only=True,
        alias="max_response_size",
        validator=lambda _client, _attribute, value: as_max_response_size(value),
    )
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    def with_headers(self, headers: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "Client":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            headers = {"User-Agent": USER_AGENT, **self._headers}
            httpx_args = dict(self._httpx_args)
            transport = httpx_args.pop("transport", None) or httpx.HTTPTransport(verify=ssl_context(self._verify_ssl))
            if not isinstance(transport, RetryTransport):
                transport = RetryTransport(
                    transport, max_retries=self._max_retries, max_response_size=self._max_response_size
                )
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                transport=transport,
                **httpx_args,
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            headers = {"User-Agent": USER_AGENT, **self._headers}
            httpx_args = dict(self._httpx_args)
            transport = httpx_args.pop("transport", None) or httpx.AsyncHTTPTransport(
                verify=ssl_context(self._verify_ssl)
            )
            if not isinstance(transport, AsyncRetryTransport):
                transport = AsyncRetryTransport(
                    transport, max_retries=self._max_retries, max_response_size=self._max_response_size
                )
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                transport=transport,
                **httpx_args,
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)

    @property
    def max_response_size(self) -> int | None:
        """The largest response body read, in bytes; None: no limit."""
        return self._max_response_size

    def send(self, kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request built from `kwargs` and read its body, at most `max_response_size`
        bytes of it (see read_limited); network failures raise as errors.transport_errors says."""
        with errors.transport_errors():
            http = self.get_httpx_client()
            response = http.send(http.build_request(**kwargs), stream=True)
            try:
                read_limited(response, self._max_response_size)
            finally:
                response.close()
        return response

    async def asend(self, kwargs: dict[str, Any]) -> httpx.Response:
        """The async twin of send."""
        with errors.transport_errors():
            http = self.get_async_httpx_client()
            response = await http.send(http.build_request(**kwargs), stream=True)
            try:
                await aread_limited(response, self._max_response_size)
            finally:
                await response.aclose()
        return response


@define
class AuthenticatedClient:
    """A Client which has been authenticated for use on secured endpoints

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take. API functions will raise
        httpx.TimeoutException if this is exceeded. Default: DEFAULT_TIMEOUT (30 s, 5 s to connect).

        ``max_retries``: How often a failed request is retried (default 2; 0 turns retries off).
        See RetryTransport for which requests and failures are retried.

        ``max_response_size``: The largest response body read, in bytes (default 32 MiB; None:
        no limit; below 1 raises errors.ConfigurationError). A larger body raises
        errors.ResponseTooLargeError without being read past it.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.

    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether or not to raise an errors.UnexpectedStatus if the API returns a status code that was not documented in the source OpenAPI document. Can also be provided as a keyword argument to the constructor."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers", repr=False)
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _max_retries: int = field(default=DEFAULT_MAX_RETRIES, kw_only=True, alias="max_retries")
    # Checked when built, as the high-level clients check it: a 0 would refuse every body.
    _max_response_size: int | None = field(
        default=DEFAULT_MAX_RESPONSE_SIZE,
        kw_only=True,
        alias="max_response_size",
        validator=lambda _client, _attribute, value: as_max_response_size(value),
    )
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    token: str = field(default="", repr=False)
    """The token to use for authentication"""
    prefix: str = "Bearer"
    """The prefix to use for the Authorization header"""
    auth_header_name: str = "Authorization"
    """The name of the Authorization header"""

    def with_headers(self, headers: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "AuthenticatedClient":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            headers = {"User-Agent": USER_AGENT, **self._headers}
            if self.token:
                headers[self.auth_header_name] = f"{self.prefix} {self.token}" if self.prefix else self.token
            httpx_args = dict(self._httpx_args)
            transport = httpx_args.pop("transport", None) or httpx.HTTPTransport(verify=ssl_context(self._verify_ssl))
            if not isinstance(transport, RetryTransport):
                transport = RetryTransport(
                    transport, max_retries=self._max_retries, max_response_size=self._max_response_size
                )
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                transport=transport,
                **httpx_args,
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            headers = {"User-Agent": USER_AGENT, **self._headers}
            if self.token:
                headers[self.auth_header_name] = f"{self.prefix} {self.token}" if self.prefix else self.token
            httpx_args = dict(self._httpx_args)
            transport = httpx_args.pop("transport", None) or httpx.AsyncHTTPTransport(
                verify=ssl_context(self._verify_ssl)
            )
            if not isinstance(transport, AsyncRetryTransport):
                transport = AsyncRetryTransport(
                    transport, max_retries=self._max_retries, max_response_size=self._max_response_size
                )
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                transport=transport,
                **httpx_args,
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)

    @property
    def max_response_size(self) -> int | None:
        """The largest response body read, in bytes; None: no limit."""
        return self._max_response_size

    def send(self, kwargs: dict[str, Any]) -> httpx.Response:
        """Send a request built from `kwargs` and read its body, at most `max_response_size`
        bytes of it (see read_limited); network failures raise as errors.transport_errors says."""
        with errors.transport_errors():
            http = self.get_httpx_client()
            response = http.send(http.build_request(**kwargs), stream=True)
            try:
                read_limited(response, self._max_response_size)
            finally:
                response.close()
        return response

    async def asend(self, kwargs: dict[str, Any]) -> httpx.Response:
        """The async twin of send."""
        with errors.transport_errors():
            http = self.get_async_httpx_client()
            response = await http.send(http.build_request(**kwargs), stream=True)
            try:
                await aread_limited(response, self._max_response_size)
            finally:
                await response.aclose()
        return response


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares. httpx builds a fresh one per transport,
    loading the whole CA bundle (about 50 ms); one context serves any number of connections."""
    return httpx.create_ssl_context()


def ssl_context(verify: str | bool | ssl.SSLContext) -> str | bool | ssl.SSLContext:
    """`verify` as httpx takes it, with the default (True) served by the shared context."""
    return default_ssl_context() if verify is True else verify


# -- the response size limit --------------------------------------------------------------


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


# -- retries ---------------------------------------------------------------------------

# Methods that RFC 9110 defines as idempotent: repeating them has the effect of sending them
# once. POST (create) and PATCH are not retried after the request may have reached the
# server, because a second attempt could act twice; a failure to connect is retried for
# every method, because then nothing was sent.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
RETRY_STATUSES = frozenset({408, 429})
MAX_RETRY_AFTER = 60.0


@define
class Backoff:
    """Exponential backoff with jitter: initial * 2**attempt, capped, minus up to `jitter` of it."""

    initial: float = 0.5
    maximum: float = 8.0
    jitter: float = 0.25
    random: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number `attempt + 1`; a Retry-After header wins."""
        honoured = parse_retry_after(retry_after)
        if honoured is not None:
            return honoured
        base = min(self.maximum, self.initial * 2.0**attempt)
        return float(base * (1 - self.jitter * self.random()))


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date, clamped to [0, MAX_RETRY_AFTER]."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - now()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def retry_delay(
    request: httpx.Request,
    attempt: int,
    max_retries: int,
    backoff: Backoff,
    response: httpx.Response | None = None,
    error: Exception | None = None,
) -> float | None:
    """How long to wait before retrying, or None when this outcome must not be retried.

    Retried: connection failures (any method, since nothing was sent), and for idempotent
    methods also timeouts and broken connections after sending, 408, 429 and 5xx.
    """
    if attempt >= max_retries:
        return None
    if error is not None:
        never_sent = isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout))
        if never_sent or request.method in IDEMPOTENT_METHODS:
            return backoff.delay(attempt)
        return None
    assert response is not None
    if request.method not in IDEMPOTENT_METHODS:
        return None
    if response.status_code in RETRY_STATUSES or response.status_code >= 500:
        return backoff.delay(attempt, response.headers.get("retry-after"))
    return None


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport and retries what `retry_delay` allows, and limits the body of the
    response it returns to `max_response_size` bytes (limit_stream). `sleep` is injectable,
    so tests can use a fake clock."""

    def __init__(
        self,
        transport: httpx.BaseTransport,
        *,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        self.transport = transport
        self.max_retries = max_retries
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.max_response_size = max_response_size

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self.transport.handle_request(request)
            except httpx.TransportError as exc:
                delay = retry_delay(request, attempt, self.max_retries, self.backoff, error=exc)
                if delay is None:
                    raise
            else:
                delay = retry_delay(request, attempt, self.max_retries, self.backoff, response=response)
                if delay is None:
                    return limit_stream(request, response, self.max_response_size)
                response.close()
            self.sleep(delay)
            attempt += 1

    def close(self) -> None:
        self.transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The async twin of RetryTransport, with the same retry decisions."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        *,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: Backoff | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        self.transport = transport
        self.max_retries = max_retries
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.max_response_size = max_response_size

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = await self.transport.handle_async_request(request)
            except httpx.TransportError as exc:
                delay = retry_delay(request, attempt, self.max_retries, self.backoff, error=exc)
                if delay is None:
                    raise
            else:
                delay = retry_delay(request, attempt, self.max_retries, self.backoff, response=response)
                if delay is None:
                    return await alimit_stream(request, response, self.max_response_size)
                await response.aclose()
            await self.sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        await self.transport.aclose()


# -- the resource-style clients' options and transports ------------------------------------

# The spec's production server (`servers[0]` of openapi.yaml; a test keeps the two equal).
DEFAULT_BASE_URL = "https://cloud-api.calyptia.com"
ENV_TOKEN = "CALYPTIA_CLOUD_TOKEN"
ENV_PROJECT_TOKEN = "CALYPTIA_CLOUD_PROJECT_TOKEN"
ENV_BASE_URL = "CALYPTIA_CLOUD_URL"


@define(frozen=True)
class ClientOptions:
    """What a resource-style client is built from, resolved once from its arguments and the
    environment, so the sync and async clients and their `with_options` copies agree."""

    base_url: str
    token: str = field(repr=False)
    project_token: str | None = field(repr=False)
    timeout: httpx.Timeout | None
    max_retries: int
    max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE

    @classmethod
    def resolve(
        cls,
        *,
        token: str | None,
        base_url: str | None,
        project_token: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> "ClientOptions":
        """Arguments win over the environment; the base URL falls back to the production server."""
        token = token if token is not None else os.environ.get(ENV_TOKEN, "")
        project_token = project_token if project_token is not None else os.environ.get(ENV_PROJECT_TOKEN) or None
        if not token and not project_token:
            raise errors.ConfigurationError(
                f"no credentials: pass token= (or project_token=), or set {ENV_TOKEN} (or {ENV_PROJECT_TOKEN})"
            )
        return cls(
            base_url=base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL,
            token=token,
            project_token=project_token,
            timeout=as_timeout(timeout),
            max_retries=as_max_retries(max_retries),
            max_response_size=as_max_response_size(max_response_size),
        )

    def authenticated_client(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> AuthenticatedClient:
        """The low-level client the resources call through, sending over `transport`."""
        return AuthenticatedClient(
            base_url=self.base_url,
            token=self.token,
            timeout=self.timeout,
            max_retries=self.max_retries,
            max_response_size=self.max_response_size,
            httpx_args={"transport": transport},
        )


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout | None:
    """Seconds or an httpx.Timeout; None means no timeout at all."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise errors.ConfigurationError(f"timeout must be seconds > 0, an httpx.Timeout or None, not {timeout!r}")
    return httpx.Timeout(float(timeout))


def as_max_retries(max_retries: int) -> int:
    """A count of retries: an int, 0 or more."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise errors.ConfigurationError(f"max_retries must be an int >= 0, not {max_retries!r}")
    return max_retries


class ClientTransport(httpx.BaseTransport):
    """Sends through a user's own httpx.Client, so its proxies, mounts, TLS settings and event
    hooks apply, while our retries, User-Agent, credentials and timeout wrap it. The user's
    client belongs to the user: closing ours leaves it open."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.client.send(request, stream=True)


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """The async twin of ClientTransport."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.client.send(request, stream=True)


class SharedTransport(httpx.BaseTransport):
    """Another client's transport, borrowed by a `with_options` copy: requests share its
    connection pool; closing the copy leaves the pool to its owner."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self.transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.transport.handle_request(request)


class AsyncSharedTransport(httpx.AsyncBaseTransport):
    """The async twin of SharedTransport."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self.transport = transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transport.handle_async_request(request)
