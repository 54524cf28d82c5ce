"""`calyptia-mock` (or `python -m calyptia_mock`): serve the mock under uvicorn.

uvicorn handles SIGINT and SIGTERM: it stops accepting, finishes in-flight requests, runs
the shutdown hook and returns; the store is closed (and its WAL checkpointed) before exit.
`--port 0` binds a free port; the base URL is printed once the socket listens, as a JSON
line on stdout with `--print-json`, so a script never has to guess a port.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from calyptia_mock import handlers
from calyptia_mock.fixtures import DEMO_EMAIL, FixtureError
from calyptia_mock.server import MockOptions, base_url, bind, build, serve


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="calyptia-mock", description="A stateful mock of the Calyptia Cloud Projects API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=5000, help="port to listen on; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument("--db", default="build/mock.db", help="SQLite file, or :memory: (default: %(default)s)")
    parser.add_argument("--fixtures", type=Path, help="YAML or JSON file of users, tokens, projects and memberships")
    parser.add_argument("--spec", type=Path, help="the OpenAPI description to serve (default: the packaged one)")
    parser.add_argument("--validate-responses", action="store_true", help="check every response against the spec")
    parser.add_argument(
        "--control",
        action="store_true",
        help="serve the control API under /_mock/ (reset, faults, request log); never on a shared network",
    )
    parser.add_argument(
        "--print-json",
        action="store_true",
        help='print {"url", "token", "pid", "control", "not_implemented"} as one JSON line on stdout once listening',
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    parser.add_argument(
        "--check",
        action="store_true",
        help="serve nothing: list the spec's operations the mock does not implement; exit 1 while one is "
        "neither implemented nor declared in calyptia_mock.handlers.NOT_IMPLEMENTED",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.check:
        return handlers.check(args.spec)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    options = MockOptions(
        db=args.db,
        fixtures=args.fixtures,
        spec=args.spec,
        validate_responses=args.validate_responses,
        control=args.control,
    )
    try:
        built = build(options)
    except FixtureError as exc:
        print(f"calyptia-mock: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        built.store.close()
        print(f"calyptia-mock: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    url = base_url(sock)
    print(f"calyptia-mock: serving {url}", file=sys.stderr, flush=True)
    if options.token:
        print(f"demo user {DEMO_EMAIL}: Authorization: Bearer {options.token}", file=sys.stderr, flush=True)
    if args.print_json:
        listening = {"url": url, "token": options.token, "pid": os.getpid(), "control": args.control}
        # The operations the mock answers 501 (calyptia_mock.handlers), so a script can tell.
        listening["not_implemented"] = built.app.registry.unimplemented()
        print(json.dumps(listening), flush=True)
    try:
        serve(built.app, sock, log_level=args.log_level)
    finally:
        sock.close()
        built.store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
