"""The transports and settings the clients are built from: one shared TLS context, a user's own
httpx client or a parent's pool to send through, and the checked timeout and retry options."""

from __future__ import annotations

import functools
import ssl

import httpx

from . import errors
from ._redaction import shown_url

# Project operations move small JSON documents and the service answers in well under a
# second: 30 s for the whole read leaves room for a slow network while a hung connection
# still fails, and 5 s to connect fails fast on an unreachable host.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """The verifying TLS context every client shares. httpx builds a fresh one per transport,
    loading the whole CA bundle (about 50 ms); one context serves any number of connections."""
    return httpx.create_ssl_context()


def ssl_context(verify: str | bool | ssl.SSLContext) -> str | bool | ssl.SSLContext:
    """`verify` as httpx takes it, with the default (True) served by the shared context."""
    return default_ssl_context() if verify is True else verify


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


def check_base_url(base_url: str, source: str, path_prefix: str, default: str) -> str:
    """`base_url`, or errors.ConfigurationError saying which URL to write instead.

    Two first-call mistakes fail late otherwise: a URL without `http://` or `https://` (httpx
    refuses every attempt, and the retries make it look like a network failure), and one that
    ends in the prefix every operation's path already starts with (`https://host/v1` sends
    `/v1/v1/projects`: a 404 that names nothing). `path_prefix` is that prefix, read from the
    spec; the spec's own server (`default`) is taken as it is.
    """
    if not isinstance(base_url, str):
        raise errors.ConfigurationError(f"base_url must be a str such as {default!r}, not {type(base_url).__name__}")
    if base_url == default:
        return base_url
    shown = shown_url(base_url)
    scheme, _, rest = shown.partition("://")
    if not rest or scheme.lower() not in ("http", "https"):
        bare = rest or shown
        raise errors.ConfigurationError(
            f"base_url {shown!r} ({source}) must start with http:// or https://: write 'https://{bare}'"
            f" (or 'http://{bare}' for a server without TLS, such as a local mock)"
        )
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise errors.ConfigurationError(f"base_url {shown!r} ({source}) is not a URL: {exc}") from None
    if not url.host:
        raise errors.ConfigurationError(f"base_url {shown!r} ({source}) has no host: write it as {default!r} is")
    path = url.path.rstrip("/")
    segments = [segment for segment in path_prefix.split("/") if segment]
    for count in range(len(segments), 0, -1):
        repeated = "/" + "/".join(segments[:count])
        if path.endswith(repeated):
            without_prefix = url.copy_with(path=path[: -len(repeated)] or "/", query=None, fragment=None)
            kept = shown_url(str(without_prefix)).rstrip("/")
            raise errors.ConfigurationError(
                f"base_url {shown!r} ({source}) ends with {repeated}, where every path of the API starts"
                f" ({path_prefix}...), so requests would go to {repeated}{repeated}...: use {kept!r}"
            )
    return base_url


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
