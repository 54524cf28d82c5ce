"""The HTTP parser and event loop the mock is served with.

The mock depends on httptools and uvloop (uvicorn's "standard" parts) for speed, but must
still run where they are missing (uvloop has no Windows or PyPy build): it then falls back
to h11 and asyncio, as uvicorn's "auto" settings do. Every place that starts uvicorn around
the mock passes `http=http_protocol()`, so tests serve it exactly as users do.

The mock's httptools protocol subclasses uvicorn's and uses some of its internals
(http_protocol.USES). A uvicorn without one of them gets one warning at start-up, naming what
is missing, and is served with its own HttpToolsProtocol: every request is still answered,
only a request the parser refuses gets uvicorn's plain-text 400 instead of the JSON error body.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from dataclasses import dataclass

import uvicorn

from calyptia_mock.parser_errors import JsonErrorH11Protocol
from calyptia_mock.uvicorn_internals import missing

__all__ = ["HttpChoice", "choose_http", "http_protocol", "server_stack"]

logger = logging.getLogger("calyptia_mock.server_stack")


@dataclass(frozen=True)
class HttpChoice:
    """The protocol class for uvicorn's `http` setting, its name, and why it is not the mock's
    own httptools protocol where that is what should serve (else None)."""

    protocol: type[asyncio.Protocol]
    name: str
    problem: str | None = None


def choose_http() -> HttpChoice:
    """httptools with the mock's h11 fallbacks; uvicorn's own httptools protocol when the
    installed uvicorn lacks what the mock's uses; h11 where httptools is not installed."""
    try:
        from calyptia_mock.http_protocol import USES, MockHttpToolsProtocol
    except ImportError as exc:
        if not _importable("httptools"):
            return HttpChoice(JsonErrorH11Protocol, "h11")
        problem = f"uvicorn {uvicorn.__version__} cannot serve the mock's httptools protocol ({exc}): serving with h11"
        return HttpChoice(JsonErrorH11Protocol, "h11", problem)
    gone = missing(USES)
    if not gone:
        return HttpChoice(MockHttpToolsProtocol, "httptools")
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol  # http_protocol.py imported it

    problem = (
        f"uvicorn {uvicorn.__version__} has no {', '.join(gone)}, which the mock's HTTP protocol uses: "
        "serving with uvicorn's own HttpToolsProtocol instead (a request the HTTP parser refuses gets "
        "uvicorn's plain-text 400, not the JSON error body)"
    )
    return HttpChoice(HttpToolsProtocol, "httptools (uvicorn's own protocol)", problem)


def http_protocol() -> type[asyncio.Protocol]:
    """uvicorn's `http` setting, for a server about to start: either protocol answers a request
    it cannot parse with the JSON error body (parser_errors.py), unless uvicorn changed (then
    one warning says what changed)."""
    choice = choose_http()
    if choice.problem is not None:
        logger.warning("%s", choice.problem)
    return choice.protocol


def _importable(module: str) -> bool:
    """What uvicorn's loop="auto" asks too: does the import succeed?"""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def server_stack() -> str:
    """For example "httptools + uvloop", or "h11 + asyncio" where neither is installed."""
    loop = "uvloop" if _importable("uvloop") else "asyncio"
    return f"{choose_http().name} + {loop}"
