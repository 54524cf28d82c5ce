"""`python -m calyptia_mock`: serve the mock under uvicorn.

uvicorn handles SIGINT and SIGTERM: it stops accepting, finishes in-flight requests, runs
the shutdown hook (which closes the database) and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from calyptia_mock.app import DEFAULT_SPEC_PATH, create_app, load_spec
from calyptia_mock.fixtures import DEMO_EMAIL, DEMO_TOKEN, FixtureError, load_fixtures, seed_demo_user
from calyptia_mock.store import Store


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m calyptia_mock", description="A stateful mock of the Calyptia Cloud Projects API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=5000, help="port to listen on; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument("--db", default="build/mock.db", help="SQLite file, or :memory: (default: %(default)s)")
    parser.add_argument("--fixtures", type=Path, help="YAML or JSON file of users, tokens, projects and memberships")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC_PATH, help="the OpenAPI description to serve")
    parser.add_argument("--validate-responses", action="store_true", help="check every response against the spec")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    if args.db != ":memory:":
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    store = Store(args.db)
    try:
        if args.fixtures:
            load_fixtures(store, args.fixtures)
        else:
            seed_demo_user(store)
            print(f"demo user {DEMO_EMAIL}: Authorization: Bearer {DEMO_TOKEN}", file=sys.stderr, flush=True)
    except FixtureError as exc:
        print(f"calyptia_mock: {exc}", file=sys.stderr)
        return 2

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    app = create_app(store, spec=load_spec(args.spec), validate_responses=args.validate_responses)
    app.router.lifespan_context = lifespan
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level=args.log_level, server_header=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
