"""The client's log, on the standard `logging` module: what a developer debugs a slow, failing
or retried call with.

INFO is one line per attempt (method, URL without query values, status or failure, elapsed
time, attempt number) and one per retry (why, how long the wait, whether Retry-After set
it); DEBUG adds both sides' headers, secrets redacted. Bodies are never logged. Nothing is
printed unless the application configures logging, or the environment variable the client
names (`CALYPTIA_CLOUD_LOG=info|debug`) asks for a stderr handler.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

import httpx

from . import errors
from ._headers import redacted

# The package's own name (`calyptia_cloud_client`): this module is copied into it.
logger = logging.getLogger(__name__.rpartition(".")[0] or __name__)
# A library's logger prints nothing by itself, not even through logging's last-resort handler.
logger.addHandler(logging.NullHandler())

LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever `sys.stderr` is when a record arrives (a test's capture, say), as
    logging's own last-resort handler does, rather than the stream it was created with."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(logging.Formatter(FORMAT))

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _stream: TextIO) -> None:
        pass


def configure_from_environment(variable: str) -> None:
    """Attach the stderr handler at the level `variable` names (`info` or `debug`); unset or
    empty leaves logging to the application. Called as each client is built; idempotent."""
    value = os.environ.get(variable, "").strip().lower()
    if not value:
        return
    level = LEVELS.get(value)
    if level is None:
        raise errors.ConfigurationError(f"{variable}={value!r}: use info or debug, or leave it unset")
    handler = next((h for h in logger.handlers if isinstance(h, _StderrHandler)), None)
    if handler is None:
        handler = _StderrHandler()
        logger.addHandler(handler)
    handler.setLevel(level)
    logger.setLevel(level)


def attempt_answered(request: httpx.Request, response: httpx.Response, attempt: int, elapsed: float) -> None:
    """One attempt's response, as its headers arrived."""
    if not logger.isEnabledFor(logging.INFO):
        return
    status = f"{response.status_code} {response.reason_phrase}".rstrip()
    logger.info(
        "%s -> %s in %.1f ms (attempt %d)",
        errors.request_line(request),
        status,
        elapsed * 1000,
        attempt,
        extra=_fields(request, attempt, elapsed, status_code=response.status_code),
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request headers: %s", redacted(request.headers.multi_items()))
        logger.debug("response headers: %s", redacted(response.headers.multi_items()))


def attempt_failed(request: httpx.Request, error: Exception, attempt: int, elapsed: float) -> None:
    """One attempt that got no response: refused, reset, timed out."""
    if not logger.isEnabledFor(logging.INFO):
        return
    logger.info(
        "%s failed in %.1f ms (attempt %d): %s: %s",
        errors.request_line(request),
        elapsed * 1000,
        attempt,
        type(error).__name__,
        error,
        extra=_fields(request, attempt, elapsed, status_code=None),
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request headers: %s", redacted(request.headers.multi_items()))


def retrying(request: httpx.Request, attempt: int, delay: float, reason: str, *, from_retry_after: bool) -> None:
    """The wait before attempt `attempt + 1`, and why."""
    if not logger.isEnabledFor(logging.INFO):
        return
    source = "as Retry-After asked" if from_retry_after else "backoff"
    logger.info(
        "retrying %s in %.2f s (%s) after %s",
        errors.request_line(request),
        delay,
        source,
        reason,
        extra={"http_method": request.method, "attempt": attempt, "retry_delay": delay},
    )


def not_retrying(request: httpx.Request, delay: float, remaining: float) -> None:
    """A retry the per-call timeout leaves no time for."""
    logger.info(
        "not retrying %s: the wait (%.2f s) would pass the call's timeout (%.2f s left)",
        errors.request_line(request),
        delay,
        remaining,
    )


def _fields(request: httpx.Request, attempt: int, elapsed: float, *, status_code: int | None) -> dict[str, object]:
    """The record's structured fields, for an application's own formatter or handler."""
    return {
        "http_method": request.method,
        "url_path": request.url.path,
        "status_code": status_code,
        "elapsed_ms": round(elapsed * 1000, 1),
        "attempt": attempt,
    }
