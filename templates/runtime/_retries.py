"""Retries: exponential backoff with jitter, Retry-After honoured, idempotent methods only once a
request may have reached the server; the transports that do it, sync and async."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC

import httpx
from attrs import define

from . import _logging, errors
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


class Attempts:
    """One call's attempts, as both retry transports make them: the retry decisions, the log
    lines, and the deadline a per-call timeout sets (errors.DEADLINE on the request), which no
    wait may pass and which cuts each attempt's own timeouts to the time left."""

    def __init__(self, request: httpx.Request, max_retries: int, backoff: Backoff) -> None:
        self.request = request
        self.max_retries = max_retries
        self.backoff = backoff
        self.count = 0
        self.started = 0.0
        self.deadline: float | None = request.extensions.get(errors.DEADLINE)
        self.timeouts: dict[str, float | None] = {}  # the call's own, read at its first attempt
        # Decided once a call: with the log off, an attempt costs no clock reads and no calls.
        self.logged = _logging.logger.isEnabledFor(logging.INFO)

    def start(self) -> None:
        """Before each attempt: count it, and give it no more time than the call has left."""
        self.count += 1
        self.request.extensions[errors.ATTEMPTS] = self.count
        if self.deadline is not None:
            if self.count == 1:
                self.timeouts = dict(self.request.extensions.get("timeout") or {})
            left = max(self.deadline - time.monotonic(), 0.001)
            phases = self.timeouts or dict.fromkeys(("connect", "read", "write", "pool"))
            self.request.extensions["timeout"] = {
                phase: left if limit is None else min(limit, left) for phase, limit in phases.items()
            }
        if self.logged:
            self.started = time.perf_counter()

    def answered(self, response: httpx.Response) -> float | None:
        """The wait before retrying after `response`, or None to return it."""
        if self.logged:
            _logging.attempt_answered(self.request, response, self.count, time.perf_counter() - self.started)
        delay = retry_delay(self.request, self.count - 1, self.max_retries, self.backoff, response=response)
        if delay is None:
            return None
        header = response.headers.get("retry-after")
        reason = f"{response.status_code} {response.reason_phrase}".rstrip()
        return self._retry(delay, reason, from_retry_after=parse_retry_after(header) is not None)

    def failed(self, error: httpx.TransportError) -> float | None:
        """The wait before retrying after `error`, or None to raise it."""
        if self.logged:
            _logging.attempt_failed(self.request, error, self.count, time.perf_counter() - self.started)
        delay = retry_delay(self.request, self.count - 1, self.max_retries, self.backoff, error=error)
        if delay is None:
            return None
        return self._retry(delay, type(error).__name__, from_retry_after=False)

    def _retry(self, delay: float, reason: str, *, from_retry_after: bool) -> float | None:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if delay >= left:
                _logging.not_retrying(self.request, delay, left)
                return None
        _logging.retrying(self.request, self.count, delay, reason, from_retry_after=from_retry_after)
        return delay


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
        attempts = Attempts(request, self.max_retries, self.backoff)
        while True:
            attempts.start()
            try:
                response = self.transport.handle_request(request)
            except httpx.TransportError as exc:
                delay = attempts.failed(exc)
                if delay is None:
                    raise
            else:
                delay = attempts.answered(response)
                if delay is None:
                    return limit_stream(request, response, self.max_response_size)
                response.close()
            self.sleep(delay)

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
        attempts = Attempts(request, self.max_retries, self.backoff)
        while True:
            attempts.start()
            try:
                response = await self.transport.handle_async_request(request)
            except httpx.TransportError as exc:
                delay = attempts.failed(exc)
                if delay is None:
                    raise
            else:
                delay = attempts.answered(response)
                if delay is None:
                    return await alimit_stream(request, response, self.max_response_size)
                await response.aclose()
            await self.sleep(delay)

    async def aclose(self) -> None:
        await self.transport.aclose()
