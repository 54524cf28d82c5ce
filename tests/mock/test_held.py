"""A request held by an injected delay ends when the test that held it is over: at the next
reset (test_control_api) or when the server stops, not when the delay runs out."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from calyptia_mock.held import HeldRequests
from calyptia_mock.server import MockOptions, serving


def test_a_stopping_server_does_not_wait_out_a_held_request() -> None:
    """The issue's case: a 60 s delay, a client that gave up after 0.2 s, then the session's
    end. Slept out, the delay kept uvicorn's shutdown waiting, past `serving`'s join timeout
    (20 s), and the server thread outlived the block."""
    before = set(threading.enumerate())
    with serving(MockOptions(control=True)) as mock:
        (server_thread,) = [thread for thread in threading.enumerate() if thread not in before]
        fault = {"operation": "projects.list", "delay": 60, "status": 503}
        assert httpx.post(f"{mock.url}/_mock/faults", json=fault).status_code == 201
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{mock.url}/v1/projects", headers={"Authorization": f"Bearer {mock.token}"}, timeout=0.2)
        assert len(mock.app.state.control.held) == 1
    assert not server_thread.is_alive()


def test_release_wakes_the_holder_with_the_reason_and_hands_back_its_end() -> None:
    held = HeldRequests()
    seen: list[str | None] = []

    async def request() -> None:
        async with held.holding(60) as ended_by:
            seen.append(ended_by)  # where the control layer drops the connection

    async def scenario() -> None:
        task = asyncio.create_task(request())
        while not len(held):
            await asyncio.sleep(0)
        ends = await asyncio.to_thread(held.release, "a reset")  # from another thread, as `serving` does
        await asyncio.wait_for(asyncio.gather(*ends), timeout=10)
        assert seen == ["a reset"]  # the block's work was done by the time its end was
        assert len(held) == 0
        await task

    asyncio.run(scenario())


def test_a_delay_that_runs_out_is_not_released() -> None:
    held = HeldRequests()

    async def scenario() -> str | None:
        async with held.holding(0.01) as ended_by:
            return ended_by

    assert asyncio.run(scenario()) is None
    assert len(held) == 0
    assert held.release("a reset") == []
