"""Run the mock under a real uvicorn on a free loopback port, inside the test process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from calyptia_mock import Store, create_app, load_fixtures, seed_demo_user
from starlette.types import ASGIApp

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "users.yaml"


@contextmanager
def running_mock(
    db: Path | str, fixtures: Path | None = FIXTURES, wrap: Callable[[ASGIApp], ASGIApp] | None = None
) -> Iterator[str]:
    """Serve the mock (responses validated against the spec) and yield its base URL.

    `wrap` puts middleware around the app, e.g. one that records every request."""
    store = Store(db)
    if fixtures is not None:
        load_fixtures(store, fixtures)
    else:
        seed_demo_user(store)
    app: ASGIApp = create_app(store, validate_responses=True)
    if wrap is not None:
        app = wrap(app)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, access_log=False, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the mock did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
