"""The service's JSON error body also for a request the HTTP parser refuses.

Such a request never reaches the app, so uvicorn answers it itself: `400 text/plain
"Invalid HTTP request received."`. The mock's protocols (this module's h11 one, and
http_protocol.py's httptools one) answer with the JSON error body instead, like every other
error of the mock: `431 request header fields too large` when the parser gave up on an
oversized request head, else `400 invalid request`. The connection is closed afterwards, as
uvicorn does: the parser's state is lost.
"""

from __future__ import annotations

import asyncio
import json
import sys
from http import HTTPStatus

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["JsonErrorH11Protocol", "JsonParserErrors", "parser_error_response"]

HEADER_TOO_LARGE = "request header fields too large"
INVALID_REQUEST = "invalid request"
DETAILS = {431: "the request head is too large", 400: "the HTTP request could not be parsed"}


def parser_error_response(status: int) -> bytes:
    """A complete HTTP/1.1 response with the service's error body, ready for the socket."""
    error = HEADER_TOO_LARGE if status == 431 else INVALID_REQUEST
    body = json.dumps({"error": error, "detail": DETAILS[status]}).encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class JsonParserErrors:
    """Replaces uvicorn's text/plain answer to a request its parser refused."""

    transport: asyncio.Transport

    def send_400_response(self, msg: str) -> None:
        # uvicorn calls this inside its `except <parser error>` block: the error is current.
        # h11 hints 431 for an incomplete head over its limit.
        error = sys.exc_info()[1]
        self.send_parser_error(431 if getattr(error, "error_status_hint", None) == 431 else 400)

    def send_parser_error(self, status: int) -> None:
        self.transport.write(parser_error_response(status))
        self.transport.close()


class JsonErrorH11Protocol(JsonParserErrors, H11Protocol):
    """uvicorn's h11 protocol; a request h11 refuses gets the JSON error body."""
