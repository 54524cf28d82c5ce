"""uvicorn's httptools protocol, with the mock's behaviour on malformed HTTP kept as it is on h11.

httptools (llhttp, in C) parses requests several times faster than h11, but it judges some
input differently, and the mock promises the same answers whatever the parser:
- An unknown method (`FOO /v1/projects`) is a parse error to llhttp, answered with uvicorn's
  plain-text 400 before the app sees it; h11 passes it on and the app answers the documented
  JSON 405 with an Allow list. So a connection whose request llhttp cannot parse is handed to
  uvicorn's own h11 protocol (as uvicorn itself hands a connection over for a WebSocket
  upgrade), which parses the same bytes and answers exactly as before.
- llhttp sets no limit on a request head; h11 refuses an incomplete head over
  `h11_max_incomplete_event_size` (16 KiB). The same limit applies here, with h11's answer.
Either parser's refusal is the service's JSON error body (parser_errors.py), not uvicorn's
plain text. Importing this module fails where httptools is not installed (see server_stack.py).

The class leans on uvicorn's internals, listed in `USES`: a server about to start checks them
against the installed uvicorn (server_stack.py), and serves with uvicorn's own protocol when
one is missing. A test keeps `USES` in step with what the code below touches.
"""

from __future__ import annotations

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from calyptia_mock.parser_errors import JsonErrorH11Protocol, JsonParserErrors
from calyptia_mock.uvicorn_internals import Internals

__all__ = ["USES", "MockHttpToolsProtocol"]

_HTTPTOOLS_IMPL = "uvicorn.protocols.http.httptools_impl"
# What MockHttpToolsProtocol, its mixin and its hand-over to h11 use of uvicorn beyond the
# asyncio.Protocol API, as it is in uvicorn 0.25 to 0.55.
USES = (
    Internals(
        _HTTPTOOLS_IMPL,
        "HttpToolsProtocol",
        methods=(
            "_unset_keepalive_if_required",
            "_should_upgrade",
            "handle_websocket_upgrade",
            "on_message_begin",
            "on_headers_complete",
            "on_message_complete",
        ),
        attributes=(
            "parser",
            "pipeline",
            "cycle",
            "config",
            "logger",
            "transport",
            "connections",
            "server_state",
            "app_state",
            "loop",
        ),
    ),
    Internals(_HTTPTOOLS_IMPL, "RequestResponseCycle", attributes=("response_complete",)),
    Internals("uvicorn.config", "Config", attributes=("h11_max_incomplete_event_size",)),
    # The hand-over builds uvicorn's h11 protocol, whose refusals JsonParserErrors rewrites.
    Internals(
        "uvicorn.protocols.http.h11_impl",
        "H11Protocol",
        methods=("send_400_response",),
        parameters=("config", "server_state", "app_state", "_loop"),
    ),
)

H11_DEFAULT_MAX_INCOMPLETE_HEAD = 16 * 1024  # h11.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
INVALID_REQUEST_LOG = "Invalid HTTP request received."  # the warning uvicorn logs for it, word for word


class MockHttpToolsProtocol(JsonParserErrors, HttpToolsProtocol):
    """httptools for every request it parses; h11 for the connections it cannot."""

    _head_bytes = 0  # bytes received while the current request head is incomplete
    _in_head = False
    _completed = 0  # requests parsed to the end on this connection

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        completed_before = self._completed
        idle = not self._in_head and self._no_request_in_flight()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:  # as uvicorn's own data_received
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            elif (warn := getattr(self, "_unsupported_upgrade_warning", None)) is not None:
                warn()  # uvicorn >= 0.30.6; before, _should_upgrade() logs the same warning itself
            return
        except httptools.HttpParserError:
            if idle and self._completed == completed_before:
                self._hand_over_to_h11(data)  # `data` holds the whole of what was parsed so far
            else:
                self._reject(400)
            return
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self._max_incomplete_head():
                self._reject(431)  # h11's answer to the same head

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._completed += 1
        super().on_message_complete()

    def _no_request_in_flight(self) -> bool:
        return not self.pipeline and (self.cycle is None or self.cycle.response_complete)

    def _max_incomplete_head(self) -> int:
        limit = self.config.h11_max_incomplete_event_size
        return H11_DEFAULT_MAX_INCOMPLETE_HEAD if limit is None else limit

    def _reject(self, status: int) -> None:
        """What the mock answers to a request it cannot parse, on either parser."""
        self.logger.warning(INVALID_REQUEST_LOG)
        self.send_parser_error(status)

    def _hand_over_to_h11(self, data: bytes) -> None:
        self.connections.discard(self)
        protocol = JsonErrorH11Protocol(
            config=self.config, server_state=self.server_state, app_state=self.app_state, _loop=self.loop
        )
        self.transport.set_protocol(protocol)
        protocol.connection_made(self.transport)
        protocol.data_received(data)
