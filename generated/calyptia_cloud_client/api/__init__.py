"""The resource-style clients, `CalyptiaCloud` and `AsyncCalyptiaCloud`: one attribute per tag of
the spec, one method per operation, every failure an errors.APIError.

The modules below this package (`api/<tag>/<operation>.py`) are the low-level layer they are
built on.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Self

import httpx
from attrs import evolve

from .._redaction import shown_url
from ..client import (
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncClientTransport,
    AsyncSharedTransport,
    AuthenticatedClient,
    ClientOptions,
    ClientTransport,
    SharedTransport,
    as_max_response_size,
    as_max_retries,
    as_timeout,
    default_ssl_context,
)
from ..types import UNSET, Unset
from .projects import AsyncProjects, Projects

__all__ = ["AsyncCalyptiaCloud", "CalyptiaCloud"]


class CalyptiaCloud:
    """The Calyptia Cloud Projects API: `client.<resource>.<method>(...)`.

    Args:
        token: the user token, sent as `Authorization: Bearer <token>`. Default: the
            environment variable CALYPTIA_CLOUD_TOKEN.
        base_url: where the API is. Default: the environment variable CALYPTIA_CLOUD_URL,
            else the production server.
        project_token: a project's own token, sent as `X-Project-Token` by the operations
            that accept one (a user token wins when both are given). Default: the
            environment variable CALYPTIA_CLOUD_PROJECT_TOKEN.
        timeout: seconds, or an httpx.Timeout; None waits forever. Default: 30 s, 5 s to connect.
        max_retries: how often a failed idempotent request (or one that never connected) is
            retried, with exponential backoff honouring Retry-After; 0 turns retries off.
        max_response_size: the largest response body read, in bytes, as sent and once
            decompressed; a larger one raises errors.ResponseTooLargeError without being read
            past the limit. Default: 32 MiB; None: no limit.
        http_client: your own `httpx.Client` (proxies, mTLS, event hooks). Requests go
            through it with this client's retries, User-Agent, credentials and timeout; it is
            not closed by `close()`.
        default_headers: headers sent with every request (a tracing or tenant header). They
            never replace the credentials (Authorization or X-Project-Token raise
            errors.ConfigurationError); a User-Agent goes before the client's own.

    Raises:
        errors.ConfigurationError: no token and no project token, as arguments or in the
            environment; a negative max_retries or timeout; a max_response_size below 1;
            a credential in default_headers; CALYPTIA_CLOUD_LOG set to other than info or debug.
    """

    projects: Projects
    """The `projects` operations."""

    def __init__(
        self,
        *,
        token: str | None = None,
        base_url: str | None = None,
        project_token: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        options = ClientOptions.resolve(
            token=token,
            base_url=base_url,
            project_token=project_token,
            timeout=timeout,
            max_retries=max_retries,
            max_response_size=max_response_size,
            default_headers=default_headers,
        )
        transport: httpx.BaseTransport
        if http_client is not None:
            transport = ClientTransport(http_client)
        else:
            transport = httpx.HTTPTransport(verify=default_ssl_context())
        self._setup(options, transport, shared=False)

    def _setup(self, options: ClientOptions, transport: httpx.BaseTransport, *, shared: bool) -> None:
        self._options = options
        self._transport = transport
        self._client: AuthenticatedClient = options.authenticated_client(
            SharedTransport(transport) if shared else transport
        )
        project_token: str | Unset = options.project_token or UNSET
        self.projects = Projects(self._client, project_token)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        max_response_size: int | None | Unset = UNSET,
        default_headers: Mapping[str, str] | None = None,
    ) -> CalyptiaCloud:
        """A copy with another timeout, retry count or response size limit, or more default
        headers (added to this client's; a name given again is replaced), sharing this
        client's connection pool.

        The pool stays this client's: close this one when both are done.
        """
        options = self._options
        if not isinstance(timeout, Unset):
            options = evolve(options, timeout=as_timeout(timeout))
        if not isinstance(max_retries, Unset):
            options = evolve(options, max_retries=as_max_retries(max_retries))
        if not isinstance(max_response_size, Unset):
            options = evolve(options, max_response_size=as_max_response_size(max_response_size))
        if default_headers is not None:
            options = options.with_default_headers(default_headers)
        copy = object.__new__(type(self))
        copy._setup(options, self._transport, shared=True)
        return copy

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._options.base_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={shown_url(self._options.base_url)!r})"

    def close(self) -> None:
        """Close the connections (a `with_options` copy leaves its parent's pool open)."""
        self._client.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class AsyncCalyptiaCloud:
    """The Calyptia Cloud Projects API, async: `client.<resource>.<method>(...)`.

    Args:
        token: the user token, sent as `Authorization: Bearer <token>`. Default: the
            environment variable CALYPTIA_CLOUD_TOKEN.
        base_url: where the API is. Default: the environment variable CALYPTIA_CLOUD_URL,
            else the production server.
        project_token: a project's own token, sent as `X-Project-Token` by the operations
            that accept one (a user token wins when both are given). Default: the
            environment variable CALYPTIA_CLOUD_PROJECT_TOKEN.
        timeout: seconds, or an httpx.Timeout; None waits forever. Default: 30 s, 5 s to connect.
        max_retries: how often a failed idempotent request (or one that never connected) is
            retried, with exponential backoff honouring Retry-After; 0 turns retries off.
        max_response_size: the largest response body read, in bytes, as sent and once
            decompressed; a larger one raises errors.ResponseTooLargeError without being read
            past the limit. Default: 32 MiB; None: no limit.
        http_client: your own `httpx.AsyncClient` (proxies, mTLS, event hooks). Requests go
            through it with this client's retries, User-Agent, credentials and timeout; it is
            not closed by `aclose()`.
        default_headers: headers sent with every request (a tracing or tenant header). They
            never replace the credentials (Authorization or X-Project-Token raise
            errors.ConfigurationError); a User-Agent goes before the client's own.

    Raises:
        errors.ConfigurationError: no token and no project token, as arguments or in the
            environment; a negative max_retries or timeout; a max_response_size below 1;
            a credential in default_headers; CALYPTIA_CLOUD_LOG set to other than info or debug.
    """

    projects: AsyncProjects
    """The `projects` operations."""

    def __init__(
        self,
        *,
        token: str | None = None,
        base_url: str | None = None,
        project_token: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        options = ClientOptions.resolve(
            token=token,
            base_url=base_url,
            project_token=project_token,
            timeout=timeout,
            max_retries=max_retries,
            max_response_size=max_response_size,
            default_headers=default_headers,
        )
        transport: httpx.AsyncBaseTransport
        if http_client is not None:
            transport = AsyncClientTransport(http_client)
        else:
            transport = httpx.AsyncHTTPTransport(verify=default_ssl_context())
        self._setup(options, transport, shared=False)

    def _setup(self, options: ClientOptions, transport: httpx.AsyncBaseTransport, *, shared: bool) -> None:
        self._options = options
        self._transport = transport
        self._client: AuthenticatedClient = options.authenticated_client(
            AsyncSharedTransport(transport) if shared else transport
        )
        project_token: str | Unset = options.project_token or UNSET
        self.projects = AsyncProjects(self._client, project_token)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        max_response_size: int | None | Unset = UNSET,
        default_headers: Mapping[str, str] | None = None,
    ) -> AsyncCalyptiaCloud:
        """A copy with another timeout, retry count or response size limit, or more default
        headers (added to this client's; a name given again is replaced), sharing this
        client's connection pool.

        The pool stays this client's: close this one when both are done.
        """
        options = self._options
        if not isinstance(timeout, Unset):
            options = evolve(options, timeout=as_timeout(timeout))
        if not isinstance(max_retries, Unset):
            options = evolve(options, max_retries=as_max_retries(max_retries))
        if not isinstance(max_response_size, Unset):
            options = evolve(options, max_response_size=as_max_response_size(max_response_size))
        if default_headers is not None:
            options = options.with_default_headers(default_headers)
        copy = object.__new__(type(self))
        copy._setup(options, self._transport, shared=True)
        return copy

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._options.base_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={shown_url(self._options.base_url)!r})"

    async def aclose(self) -> None:
        """Close the connections (a `with_options` copy leaves its parent's pool open)."""
        await self._client.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()
