"""ASGI middleware: the access log, and HEAD responses without content.

Pure ASGI so that they see every response, including the JSON errors produced by the
exception handlers, with little overhead per request. (Response validation, for tests, is
in spec_check.py.)
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLogMiddleware", "HeadMiddleware"]

access_logger = logging.getLogger("calyptia_mock.access")


class AccessLogMiddleware:
    """One line per request: method, path, status, duration. Never headers or query strings,
    so no token can reach the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)  # nothing to log: no timing, no wrapped send
            return
        started = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_logger.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed_ms)


class HeadMiddleware:
    """A response to HEAD keeps its status and headers (Content-Length included) and loses its
    content, whatever produced it (RFC 9110 section 9.3.2). Servers such as uvicorn drop it
    too; this makes the app itself right, also in-process, where no server does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_content(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_without_content)
