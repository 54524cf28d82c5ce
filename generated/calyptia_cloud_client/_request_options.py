"""One call's own options (`extra_headers`, `extra_query`, `timeout` on every method), and the
one place a request is built, so every call style and every page of an iterator sends them."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import httpx
from attrs import define

from . import errors
from ._headers import checked_headers
from ._redaction import masked
from ._transports import as_timeout
from .types import UNSET, Unset

QueryValue = str | int | float | bool
"""A query value httpx sends as it is: a bool as `true` / `false`, a number in decimal."""


@define(frozen=True, slots=True)
class RequestOptions:
    """What one call adds to its requests, checked once: its retries and pages all send it.

    `timeout` replaces the client's for each attempt; `deadline`, in seconds, bounds the whole
    call, its retries and their waits included (errors.DEADLINE, read by the retries).
    """

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, QueryValue]
    timeout: httpx.Timeout | Unset | None
    deadline: float | None

    def applied_to(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The request's arguments with these options laid over them: an extra header or query
        value replaces the operation's own of the same name."""
        kwargs = dict(kwargs)
        if self.extra_headers:
            headers = httpx.Headers(kwargs.get("headers"))
            headers.update(self.extra_headers)
            kwargs["headers"] = headers
        if self.extra_query:
            kwargs["params"] = {**kwargs.get("params", {}), **self.extra_query}
        if not isinstance(self.timeout, Unset):
            kwargs["timeout"] = self.timeout
        return kwargs


def request_options(
    extra_headers: Mapping[str, str] | None = None,
    extra_query: Mapping[str, QueryValue] | None = None,
    timeout: float | httpx.Timeout | Unset | None = UNSET,
) -> RequestOptions | None:
    """A method's per-call arguments, checked (errors.ConfigurationError), or None when the call
    has none: the common case costs three comparisons.

    A number of seconds is each attempt's timeout and the bound of the whole call; an
    httpx.Timeout sets each phase of each attempt, and its longest phase bounds the whole call;
    None turns both off for this call.
    """
    if extra_headers is None and extra_query is None and isinstance(timeout, Unset):
        return None
    checked_timeout = timeout if isinstance(timeout, Unset) else as_timeout(timeout)
    return RequestOptions(
        extra_headers=checked_headers(extra_headers, "extra_headers", user_agent=False),
        extra_query=_checked_query(extra_query),
        timeout=checked_timeout,
        deadline=_longest(checked_timeout),
    )


def _checked_query(query: Mapping[str, QueryValue] | None) -> dict[str, QueryValue]:
    if query is None:
        return {}
    if not isinstance(query, Mapping) or not all(
        isinstance(name, str) and isinstance(value, (str, int, float, bool)) for name, value in query.items()
    ):
        shown = masked(dict(query)) if isinstance(query, Mapping) else type(query).__name__
        raise errors.ConfigurationError(f"extra_query must map names to str, int, float or bool values, not {shown!r}")
    return dict(query)


def _longest(timeout: httpx.Timeout | Unset | None) -> float | None:
    if not isinstance(timeout, httpx.Timeout):
        return None
    phases = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t is not None]
    return max(phases) if phases else None


def build_request(
    http: httpx.Client | httpx.AsyncClient,
    kwargs: dict[str, Any],
    options: RequestOptions | None,
    credential_sources: Mapping[str, str],
) -> httpx.Request:
    """The request a call sends: the operation's arguments, the call's options over them, and
    what the retries, the log and the errors read back (see errors.DEADLINE)."""
    request = http.build_request(**(kwargs if options is None else options.applied_to(kwargs)))
    if credential_sources:
        request.extensions[errors.CREDENTIAL_SOURCES] = credential_sources
    if options is not None and options.deadline is not None:
        request.extensions[errors.DEADLINE] = time.monotonic() + options.deadline
    return request
