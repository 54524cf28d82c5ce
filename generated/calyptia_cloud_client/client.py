import os
import ssl
from collections.abc import Mapping
from typing import Any, Self

import httpx
from attrs import define, evolve, field

from . import errors
from ._headers import checked_headers, with_user_agent
from ._limits import DEFAULT_MAX_RESPONSE_SIZE as DEFAULT_MAX_RESPONSE_SIZE
from ._limits import aread_limited as aread_limited
from ._limits import as_max_response_size as as_max_response_size
from ._limits import read_limited as read_limited
from ._logging import configure_from_environment
from ._redaction import shown_url
from ._request_options import QueryValue as QueryValue
from ._request_options import RequestOptions as RequestOptions
from ._request_options import build_request
from ._request_options import request_options as request_options
from ._retries import DEFAULT_MAX_RETRIES as DEFAULT_MAX_RETRIES
from ._retries import AsyncRetryTransport as AsyncRetryTransport
from ._retries import Backoff as Backoff
from ._retries import RetryTransport as RetryTransport
from ._retries import parse_retry_after as parse_retry_after
from ._transports import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
from ._transports import AsyncClientTransport as AsyncClientTransport
from ._transports import AsyncSharedTransport as AsyncSharedTransport
from ._transports import ClientTransport as ClientTransport
from ._transports import SharedTransport as SharedTransport
from ._transports import as_max_retries as as_max_retries
from ._transports import as_timeout as as_timeout
from ._transports import check_base_url
from ._transports import default_ssl_context as default_ssl_context
from ._transports import ssl_context as ssl_context

USER_AGENT = "calyptia-cloud-client/1.2.0 python-httpx/" + httpx.__version__


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
    # Checked when built, as the high-level clients check it: a URL without http(s)://, or
    # one ending in the prefix every path repeats, would fail only at the first request.
    _base_url: str = field(
        alias="base_url",
        validator=lambda _client, _attribute, value: checked_base_url(value),
        repr=lambda url: repr(shown_url(url)),
    )
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies", repr=False)
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
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args", repr=False)
    # Where each credential header's value came from (`token=`, an environment variable), by
    # header name in lower case: a 401's message names it (errors.AuthenticationError).
    _credential_sources: dict[str, str] = field(factory=dict, kw_only=True, alias="credential_sources", repr=False)
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

    def send(self, kwargs: dict[str, Any], request_options: RequestOptions | None = None) -> httpx.Response:
        """Send a request built from `kwargs` and the call's `request_options`, and read its
        body, at most `max_response_size` bytes of it (see read_limited); network failures
        raise as errors.transport_errors says."""
        with errors.transport_errors():
            http = self.get_httpx_client()
            request = build_request(http, kwargs, request_options, self._credential_sources)
            response = http.send(request, stream=True)
            try:
                read_limited(response, self._max_response_size)
            finally:
                response.close()
        return response

    async def asend(self, kwargs: dict[str, Any], request_options: RequestOptions | None = None) -> httpx.Response:
        """The async twin of send."""
        with errors.transport_errors():
            http = self.get_async_httpx_client()
            request = build_request(http, kwargs, request_options, self._credential_sources)
            response = await http.send(request, stream=True)
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
    # Checked when built, as the high-level clients check it: a URL without http(s)://, or
    # one ending in the prefix every path repeats, would fail only at the first request.
    _base_url: str = field(
        alias="base_url",
        validator=lambda _client, _attribute, value: checked_base_url(value),
        repr=lambda url: repr(shown_url(url)),
    )
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies", repr=False)
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
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args", repr=False)
    # Where each credential header's value came from (`token=`, an environment variable), by
    # header name in lower case: a 401's message names it (errors.AuthenticationError).
    _credential_sources: dict[str, str] = field(factory=dict, kw_only=True, alias="credential_sources", repr=False)
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

    def send(self, kwargs: dict[str, Any], request_options: RequestOptions | None = None) -> httpx.Response:
        """Send a request built from `kwargs` and the call's `request_options`, and read its
        body, at most `max_response_size` bytes of it (see read_limited); network failures
        raise as errors.transport_errors says."""
        with errors.transport_errors():
            http = self.get_httpx_client()
            request = build_request(http, kwargs, request_options, self._credential_sources)
            response = http.send(request, stream=True)
            try:
                read_limited(response, self._max_response_size)
            finally:
                response.close()
        return response

    async def asend(self, kwargs: dict[str, Any], request_options: RequestOptions | None = None) -> httpx.Response:
        """The async twin of send."""
        with errors.transport_errors():
            http = self.get_async_httpx_client()
            request = build_request(http, kwargs, request_options, self._credential_sources)
            response = await http.send(request, stream=True)
            try:
                await aread_limited(response, self._max_response_size)
            finally:
                await response.aclose()
        return response


# -- the resource-style clients' options and transports ------------------------------------

# The spec's production server (`servers[0]` of openapi.yaml; a test keeps the two equal).
DEFAULT_BASE_URL = "https://cloud-api.calyptia.com"
ENV_TOKEN = "CALYPTIA_CLOUD_TOKEN"
ENV_PROJECT_TOKEN = "CALYPTIA_CLOUD_PROJECT_TOKEN"
ENV_BASE_URL = "CALYPTIA_CLOUD_URL"
ENV_LOG = "CALYPTIA_CLOUD_LOG"
# The leading segments every operation's path starts with (tools/generation/spec_facts.py).
PATH_PREFIX = "/v1/projects"


def checked_base_url(base_url: str, source: str = "the base_url= argument") -> str:
    """`base_url`, or errors.ConfigurationError naming the URL to use: see _transports.check_base_url."""
    return check_base_url(base_url, source, PATH_PREFIX, DEFAULT_BASE_URL)


@define(frozen=True)
class ClientOptions:
    """What a resource-style client is built from, resolved once from its arguments and the
    environment, so the sync and async clients and their `with_options` copies agree."""

    base_url: str = field(repr=lambda url: repr(shown_url(url)))
    token: str = field(repr=False)
    project_token: str | None = field(repr=False)
    timeout: httpx.Timeout | None
    max_retries: int
    max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE
    # A user's headers for every request (checked_headers): their values may be secrets.
    default_headers: dict[str, str] = field(factory=dict, repr=False)
    # Where the token and project token came from, by the header each is sent as.
    credential_sources: dict[str, str] = field(factory=dict, repr=False)

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
        default_headers: Mapping[str, str] | None = None,
    ) -> "ClientOptions":
        """Arguments win over the environment; the base URL falls back to the production server.
        The log's stderr handler is set up here too, as CALYPTIA_CLOUD_LOG asks."""
        configure_from_environment(ENV_LOG)
        # Where each credential the client holds came from (a 401 names it, and which it lacks).
        sources: dict[str, str] = {}
        if token is None:
            token = os.environ.get(ENV_TOKEN, "")
            source = f"the environment variable {ENV_TOKEN}"
        else:
            source = "the token= argument"
        if token:
            sources["authorization"] = source
        if project_token is None:
            project_token = os.environ.get(ENV_PROJECT_TOKEN) or None
            source = f"the environment variable {ENV_PROJECT_TOKEN}"
        else:
            source = "the project_token= argument"
        if project_token:
            sources["x-project-token"] = source
        if not token and not project_token:
            raise errors.ConfigurationError(
                f"no credentials: pass token= (or project_token=), or set {ENV_TOKEN} (or {ENV_PROJECT_TOKEN})"
            )
        if base_url is None:
            base_url = os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
            source = f"the environment variable {ENV_BASE_URL}" if os.environ.get(ENV_BASE_URL) else "the default"
        else:
            source = "the base_url= argument"
        return cls(
            base_url=checked_base_url(base_url, source),
            token=token,
            project_token=project_token,
            timeout=as_timeout(timeout),
            max_retries=as_max_retries(max_retries),
            max_response_size=as_max_response_size(max_response_size),
            default_headers=checked_headers(default_headers, "default_headers", user_agent=True),
            credential_sources=sources,
        )

    def with_default_headers(self, headers: Mapping[str, str]) -> "ClientOptions":
        """These options with `headers` added to the default headers (a name given again is
        replaced, whatever its case)."""
        added = checked_headers(headers, "default_headers", user_agent=True)
        replaced = {name.lower() for name in added}
        kept = {name: value for name, value in self.default_headers.items() if name.lower() not in replaced}
        return evolve(self, default_headers={**kept, **added})

    def authenticated_client(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> AuthenticatedClient:
        """The low-level client the resources call through, sending over `transport`."""
        return AuthenticatedClient(
            base_url=self.base_url,
            token=self.token,
            timeout=self.timeout,
            max_retries=self.max_retries,
            max_response_size=self.max_response_size,
            headers=with_user_agent(self.default_headers, USER_AGENT),
            credential_sources=self.credential_sources,
            httpx_args={"transport": transport},
        )
