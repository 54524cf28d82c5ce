"""Where a server's time goes under load: uvicorn + an app, run under cProfile until SIGINT.

    python -m bench.profile_server {mock,bare} --port PORT --out OUT.json [--db FILE]

The app is built as the mock's CLI builds it (or is bench/bare_app.py) and served by
uvicorn with the CLI's settings (but the asyncio loop: see main), in this process, with cProfile on for the event loop's
thread. On SIGINT it stops and writes to OUT.json, in seconds, the busy time (everything but waiting in
epoll) and the inclusive time of each part of a request listed in PARTS. The caller divides
by the number of requests. cProfile slows Python calls much more than C code, so the
figures are inflated and lean towards Python-heavy parts: they rank, they do not measure.
"""

from __future__ import annotations

import argparse
import cProfile
import json
from pathlib import Path

import uvicorn
from calyptia_mock.server_stack import http_protocol
from starlette.types import ASGIApp

from bench.core import LOOPBACK, profile_times

APP = "ASGI app (below uvicorn)"
STORE = "store read (SQLite query and the body's JSON)"
ENCODING = "body encoding (Response.render)"
# (file name ending, function name, part): inclusive time of these functions.
PARTS = (
    ("starlette/applications.py", "__call__", APP),
    ("calyptia_mock/projects.py", "_validate", "request validation (openapi-core)"),
    ("calyptia_mock/auth.py", "authenticate", "authentication (token hash + user row)"),
    ("calyptia_mock/store.py", "project_json", STORE),
    ("calyptia_mock/store.py", "list_projects", STORE),
    ("starlette/responses.py", "render", ENCODING),
)
IDLE = "<method 'poll' of 'select.epoll' objects>"


def build(app_name: str, db: Path | None) -> ASGIApp:
    """The app as `calyptia-mock` builds it (no response validation), or the bare one."""
    if app_name == "bare":
        from bench.bare_app import app

        return app
    from calyptia_mock.server import MockOptions, build

    return build(MockOptions(db=db if db is not None else ":memory:")).app


def breakdown(profiler: cProfile.Profile) -> dict[str, float]:
    """Busy seconds and each part's inclusive seconds."""
    times = profile_times(profiler)
    result = {"busy": sum(own for key, (_, own, _) in times.items() if key[2] != IDLE)}
    for (filename, _, function), (_, _, inclusive) in times.items():
        for suffix, name, part in PARTS:
            if function == name and filename.endswith(suffix):
                result[part] = result.get(part, 0.0) + inclusive
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=["mock", "bare"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    app = build(args.app, args.db)
    config = uvicorn.Config(
        app,
        host=LOOPBACK,
        port=args.port,
        http=http_protocol(),
        # asyncio, not uvloop: cProfile sees asyncio's wait in epoll and can leave it out of the
        # busy time; uvloop waits inside one C call that would count as busy.
        loop="asyncio",
        access_log=False,
        log_level="warning",
        server_header=False,
        lifespan="off",
    )
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the SIGINT it handled once it has shut down
    finally:
        profiler.disable()
    args.out.write_text(json.dumps(breakdown(profiler)), encoding="utf-8")


if __name__ == "__main__":
    main()
