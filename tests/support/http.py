"""One plain HTTP client for the tests' one-off requests to loopback servers.

`httpx.get(...)` builds a client for each call, and with it a TLS context from the CA bundle
(about 50 ms here), though a loopback URL is plain HTTP: a test making hundreds of requests
spent seconds on contexts it never used. `loopback` is one client per process, keep-alive
included, shared by every such request.
"""

from __future__ import annotations

import functools

import httpx

__all__ = ["loopback"]


@functools.cache
def loopback() -> httpx.Client:
    """The shared client: no TLS verification to prepare (plain HTTP only), no proxies from
    the environment, a 10 s timeout unless a request says otherwise."""
    return httpx.Client(verify=False, trust_env=False, timeout=10.0)
