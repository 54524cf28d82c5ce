"""`calyptia-mock` (or `python -m calyptia_mock`): serve the mock under uvicorn.

uvicorn handles SIGINT and SIGTERM: it stops accepting, finishes in-flight requests, runs
the shutdown hook and returns; the store is closed (and its WAL checkpointed) before exit.
`--port 0` binds a free port; the base URL is printed once the socket listens, as a JSON
line on stdout with `--print-json`, so a script never has to guess a port. The data lives in
memory unless `--db` names a file: a command run in any folder writes nothing there.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from calyptia_mock import handlers
from calyptia_mock.operations import operation_table
from calyptia_mock.packaged_spec import load_spec
from calyptia_mock.seed_data import DEMO_EMAIL, FixtureError
from calyptia_mock.server import MockOptions, base_url, bind, build, serve

MEMORY = ":memory:"


def build_parser() -> argparse.ArgumentParser:
    """The command's flags; tests/mock/test_cli.py checks each has help and is in docs/mock.md."""
    parser = argparse.ArgumentParser(
        prog="calyptia-mock",
        description="A stateful mock of the Calyptia Cloud Projects API. Without options it serves "
        "http://127.0.0.1:5000 with one user, token demo-token, and keeps its data in memory.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=5000, help="port to listen on; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument(
        "--db",
        default=MEMORY,
        metavar="PATH",
        help="SQLite file to keep the data in across restarts, created with its folder if missing; "
        "the default, :memory:, keeps it in memory until the mock stops and writes no file",
    )
    parser.add_argument(
        "--fixtures",
        type=Path,
        metavar="FILE",
        help="YAML or JSON file of users (with their tokens), projects and memberships to start with, "
        "instead of the demo user",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        metavar="FILE",
        help="the OpenAPI description (YAML or JSON) to serve and validate requests against "
        "(default: the copy packaged with the mock)",
    )
    parser.add_argument(
        "--validate-responses",
        action="store_true",
        help="also check every response against the spec: one it does not allow is logged as an error and "
        "answered 500 (slower; for testing the mock itself)",
    )
    parser.add_argument(
        "--control",
        action="store_true",
        help="serve the control API under /_mock/ (reset, faults, request log, users, members); "
        "never on a shared network",
    )
    parser.add_argument(
        "--print-json",
        action="store_true",
        help='once listening, print {"url", "token", "pid", "control", "not_implemented"} as one JSON line '
        "on stdout, so a script need not guess the port",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="what the mock and uvicorn log on stderr; info has one line per request and per injected fault "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="serve nothing: list the spec's operations the mock does not implement; exit 1 while one is "
        "neither implemented nor declared in calyptia_mock.handlers.NOT_IMPLEMENTED",
    )
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def where_data_lives(db: str) -> str:
    """The startup line that says whether anything is written, and where."""
    if db == MEMORY:
        return "data in memory, gone when the mock stops (--db PATH keeps it in a file)"
    return f"data in {Path(db).resolve()}"


def check(spec: Path | None = None) -> int:
    """`calyptia-mock --check [--spec FILE]`: print what the mock serves of the spec; 1, naming
    each operation, while one is neither implemented nor declared (`make lint` runs it)."""
    try:
        registry = handlers.check_registry(operation_table(load_spec(spec)))
    except handlers.RegistryError as exc:
        print(f"calyptia-mock: {exc}", file=sys.stderr)
        return 1
    for line in registry.unimplemented_lines():
        print(f"calyptia-mock: {line}", file=sys.stderr)
    total = len(registry.implemented) + len(registry.declared) + len(registry.missing)
    print(
        f"calyptia-mock: {len(registry.implemented)} of {total} operations implemented, "
        f"{len(registry.declared)} declared not implemented, {len(registry.missing)} neither"
    )
    return 1 if registry.missing else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.check:
        return check(args.spec)
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
    print(f"calyptia-mock: {where_data_lives(args.db)}", file=sys.stderr, flush=True)
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
