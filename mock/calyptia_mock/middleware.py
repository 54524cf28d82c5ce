"""ASGI middleware: the access log, and response validation for tests.

Both are pure ASGI so that they see every response, including the JSON errors produced
by the exception handlers, with little overhead per request.
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calyptia_mock.validation import SpecValidator, raw_path

__all__ = ["AccessLogMiddleware", "ResponseValidationMiddleware"]

access_logger = logging.getLogger("calyptia_mock.access")


class AccessLogMiddleware:
    """One line per request: method, path, status, duration. Never headers or query strings,
    so no token can reach the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
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


class ResponseValidationMiddleware:
    """Buffer each API response and check it against the spec before it is sent.

    A response the spec does not allow raises ResponseValidationError instead of
    reaching the client, so a test fails loudly at the faulty request.
    """

    def __init__(self, app: ASGIApp, validator: SpecValidator, prefix: str = "/v1/") -> None:
        self.app = app
        self.validator = validator
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []

        async def buffer(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, buffer)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        self.validator.validate_response(
            scope["method"], raw_path(scope), Headers(scope=scope), start["status"], Headers(raw=start["headers"]), body
        )
        for message in messages:
            await send(message)
