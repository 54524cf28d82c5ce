"""Retries: exponential backoff with jitter, Retry-After honoured, idempotent methods only once a
request may have reached the server; the transports that do it, sync and async."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC

import httpx
from attrs import define

from ._limits import DEFAULT_MAX_RESPONSE_SIZE, alimit_stream, limit_stream

DEFAULT_MAX_RETRIES = 2
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
