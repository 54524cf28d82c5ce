"""The requests an injected delay is holding, so a reset, or the server stopping, ends them at once.

A test that injects a 10 s delay and lets its client time out after 0.2 s leaves the request
waiting in the server. Slept out, that wait outlived the test: a reset could not end it, and
the server's shutdown waited for it (seconds added to the session's teardown). A held request
waits on a future instead, which `release()` completes, from any thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["HeldRequests"]


def _wake(future: asyncio.Future[str], why: str) -> None:
    if not future.done():
        future.set_result(why)


class HeldRequests:
    """The delays in progress; shared by the server's loop and whoever resets or stops it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Each held request: the future that wakes it (with the reason), and the one it
        # completes once its block is over, which `release()` hands back to await.
        self._held: dict[asyncio.Future[str], asyncio.Future[None]] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)

    @asynccontextmanager
    async def holding(self, seconds: float) -> AsyncIterator[str | None]:
        """Wait `seconds`, unless released first; yields None when the delay ran out, else why
        it was released. The request counts as held until the block ends, so what the block
        does on release (drop the connection) is done by the time `release()`'s futures are."""
        loop = asyncio.get_running_loop()
        wake: asyncio.Future[str] = loop.create_future()
        over: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._held[wake] = over
        try:
            released, _ = await asyncio.wait((wake,), timeout=seconds)
            yield wake.result() if released else None
        finally:
            with self._lock:
                self._held.pop(wake, None)
            wake.cancel()
            if not over.done():
                over.set_result(None)

    def release(self, why: str) -> list[asyncio.Future[None]]:
        """End every wait now, saying `why` ("a reset"); returns, for each request released, a
        future done once its `holding` block is over (await them in the server's loop only)."""
        with self._lock:
            held = list(self._held.items())
        for wake, _ in held:
            try:
                wake.get_loop().call_soon_threadsafe(_wake, wake, why)
            except RuntimeError:  # its loop is closed: nothing is waiting any more
                continue
        return [over for _, over in held]
