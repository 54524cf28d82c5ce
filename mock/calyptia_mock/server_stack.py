"""The HTTP parser and event loop the mock is served with.

The mock depends on httptools and uvloop (uvicorn's "standard" parts) for speed, but must
still run where they are missing (uvloop has no Windows or PyPy build): it then falls back
to h11 and asyncio, as uvicorn's "auto" settings do. Every place that starts uvicorn around
the mock passes `http=http_protocol()`, so tests serve it exactly as users do.
"""

from __future__ import annotations

import asyncio
import importlib

from calyptia_mock.parser_errors import JsonErrorH11Protocol

__all__ = ["http_protocol", "server_stack"]


def http_protocol() -> type[asyncio.Protocol]:
    """uvicorn's `http` setting: httptools with the mock's h11 fallbacks, or h11; either one
    answers a request it cannot parse with the JSON error body (parser_errors.py)."""
    try:
        from calyptia_mock.http_protocol import MockHttpToolsProtocol
    except ImportError:
        return JsonErrorH11Protocol
    return MockHttpToolsProtocol


def _importable(module: str) -> bool:
    """What uvicorn's loop="auto" asks too: does the import succeed?"""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def server_stack() -> str:
    """For example "httptools + uvloop", or "h11 + asyncio" where neither is installed."""
    http = "h11" if http_protocol() is JsonErrorH11Protocol else "httptools"
    loop = "uvloop" if _importable("uvloop") else "asyncio"
    return f"{http} + {loop}"
