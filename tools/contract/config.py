"""The one configuration of a contract run, built once from the command line and the environment.

`python -m tools.contract` (`make contract`) calls `build(argv, environ)` once; every function
of the run then takes the `RunConfig` it returns, and no module of tools/contract reads the
environment on its own. An option on the command line wins over its environment variable,
which wins over the default; a value that cannot be used stops the run with a usage message
and exit status 2, before anything is started.

`st run` is a subprocess: it gets the same configuration as one file, `run-config.json` in the
output folder (`RunConfig.write`), named by CONTRACT_RUN_CONFIG, and the token through
CONTRACT_TOKEN only (schemathesis.toml reads it there; it is never written to a file).
`tools/contract/st_hooks.py`, the module st loads, reads both and installs the hooks.

The variables, each with its option:

| variable | option | default |
| --- | --- | --- |
| CALYPTIA_CLOUD_URL | --url | none: test the mock |
| CALYPTIA_CLOUD_TOKEN | (environment only: a command line is visible to every user) | none |
| CONTRACT_WRITES=1 | --writes / --no-writes | read-only (live); the mock is always written to |
| CONTRACT_EXAMPLES | --examples | 25 against the mock, 20 live |
| CONTRACT_PHASES | --phases | every phase (a read-only live run: all but stateful) |
| CONTRACT_RATE_LIMIT | --rate-limit | 5/s (live only) |
| CONTRACT_MAX_TIME | --max-time | 600 s (live only) |
| CONTRACT_MAX_REQUESTS | --max-requests | 1000 live, no cap against the mock |
| CONTRACT_OUT | --out | build/contract |
| CONTRACT_STRICT_DRIFT=1 | --strict-drift | drift is reported, not failed |
| CONTRACT_DRIFT_IGNORE_HEADERS | --drift-ignore-headers | none |
| CONTRACT_WALK_MAX_PAGES | --walk-max-pages | 20 |
| (none) | --mock-package | this checkout's mock/ |
| (none) | --model / --no-model | on |
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tools.paths import BUILD, ROOT

__all__ = [
    "CONFIG_FILE_VARIABLE",
    "LOG_KEY_VARIABLE",
    "MOCK_EXAMPLES",
    "MOCK_TOKEN",
    "PHASES",
    "TOKEN_VARIABLE",
    "RunConfig",
    "SoakConfig",
    "build",
    "build_soak",
    "parser",
]

# Examples per operation against the mock, here and in the in-process suite
# (tests/contract/test_schemathesis.py): the mutation tests show 10 catch every seeded break;
# more only adds time.
MOCK_EXAMPLES = 25
LIVE_EXAMPLES = 20
MOCK_TOKEN = "alice-token"  # a user of the fixture file, which also has shared projects
# Schemathesis's phases, as `st run --phases` names them ("coverage" is schemathesis's coverage
# phase; the run's own coverage gate is tools/contract/coverage.py).
PHASES: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
DEFAULT_OUT = BUILD / "contract"
DEFAULT_MOCK_PACKAGE = ROOT / "mock"  # the folder holding this checkout's calyptia_mock/
CONFIG_FILE = "run-config.json"
CONFIG_FILE_VARIABLE = "CONTRACT_RUN_CONFIG"  # the path of that file, for st's process
TOKEN_VARIABLE = "CONTRACT_TOKEN"  # the token, for st's process (schemathesis.toml reads it)
# The key that labels credentials in the exchange log (tools/contract/model/secrets.py), for
# st's process: made anew for each run, in no file.
LOG_KEY_VARIABLE = "CONTRACT_LOG_KEY"
RATE_LIMIT = re.compile(r"^[1-9][0-9]*/[smhd]$")


@dataclass(frozen=True)
class RunConfig:
    """Everything a contract run is told, with the defaults of its mode applied.

    `url` is empty for a run against the mock (its URL is known only once it listens).
    `token` is the live token, never printed (`repr` leaves it out) nor written to a file."""

    url: str
    token: str = field(repr=False)
    writes: bool
    examples: int
    phases: tuple[str, ...]
    rate_limit: str | None  # None: unlimited (the mock)
    max_time: float | None  # None: no cap (the mock)
    max_requests: int  # 0: no cap
    out: Path
    strict_drift: bool
    drift_ignore_headers: tuple[str, ...]
    walk_max_pages: int
    mock_package: Path
    # The reference model (tools/contract/model/) observing every exchange of the run.
    model: bool = True

    @property
    def live(self) -> bool:
        return bool(self.url)

    @property
    def guarded(self) -> bool:
        """Whether the write guard decides every request: every live run, read-only or not."""
        return self.live

    @property
    def run_token(self) -> str:
        """The token the run sends: the live one, or the mock fixture user's."""
        return self.token or MOCK_TOKEN

    @property
    def all_phases(self) -> bool:
        return set(self.phases) == set(PHASES)

    # The files of a run, all in `out`.
    @property
    def junit(self) -> Path:
        return self.out / "junit.xml"

    @property
    def drift_log(self) -> Path:
        return self.out / "drift.log"

    @property
    def ledger(self) -> Path:
        return self.out / "created-projects.txt"

    @property
    def guard_log(self) -> Path:
        return self.out / "guard-refusals.jsonl"

    @property
    def exchange_log(self) -> Path:
        """Every exchange of st's process, for the reference model to replay (tools/contract/model/)."""
        return self.out / "exchanges.jsonl"

    @property
    def facts(self) -> Path:
        """What st's process saw, for the run's explanations (tools/contract/facts.py)."""
        return self.out / "facts.json"

    @property
    def file(self) -> Path:
        return self.out / CONFIG_FILE

    def to_json(self) -> dict[str, Any]:
        """Every field but the token, as JSON values."""
        data = asdict(self)
        del data["token"]
        return {key: str(value) if isinstance(value, Path) else value for key, value in data.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, token: str) -> RunConfig:
        return cls(
            url=str(data["url"]),
            token=token,
            writes=bool(data["writes"]),
            examples=int(data["examples"]),
            phases=tuple(data["phases"]),
            rate_limit=data["rate_limit"],
            max_time=data["max_time"],
            max_requests=int(data["max_requests"]),
            out=Path(data["out"]),
            strict_drift=bool(data["strict_drift"]),
            drift_ignore_headers=tuple(data["drift_ignore_headers"]),
            walk_max_pages=int(data["walk_max_pages"]),
            mock_package=Path(data["mock_package"]),
            model=bool(data["model"]),
        )

    def write(self) -> Path:
        """`run-config.json` in the output folder, for st's process; returns its path."""
        self.out.mkdir(parents=True, exist_ok=True)
        self.file.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")
        return self.file

    @classmethod
    def read(cls, path: Path, *, token: str) -> RunConfig:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")), token=token)


def parser() -> argparse.ArgumentParser:
    """`python -m tools.contract --help`."""
    command = argparse.ArgumentParser(
        prog="python -m tools.contract",
        description="Contract-test the mock (the default) or, with CALYPTIA_CLOUD_URL and CALYPTIA_CLOUD_TOKEN "
        "set, a live account: read-only unless writes are allowed. An option wins over its environment "
        "variable. See docs/contract.md.",
    )
    add = command.add_argument
    add("--url", metavar="URL", help="test the live API at URL (CALYPTIA_CLOUD_URL); the token is read from "
        "CALYPTIA_CLOUD_TOKEN only, never from the command line")  # fmt: skip
    add("--writes", action=argparse.BooleanOptionalAction, default=None,
        help="live: allow writes, only to projects the run creates (CONTRACT_WRITES=1); default read-only")  # fmt: skip
    add("--examples", metavar="N", help=f"examples per operation (CONTRACT_EXAMPLES; default {MOCK_EXAMPLES} "
        f"against the mock, {LIVE_EXAMPLES} live)")  # fmt: skip
    add("--phases", metavar="LIST", help=f"comma-separated schemathesis phases, of {','.join(PHASES)} "
        "(CONTRACT_PHASES; default all; a read-only live run has no stateful phase)")  # fmt: skip
    add("--rate-limit", metavar="N/UNIT", help="live: at most N requests per s, m, h or d (CONTRACT_RATE_LIMIT; "
        "default 5/s)")  # fmt: skip
    add("--max-time", metavar="SECONDS", help="live: stop the run after SECONDS (CONTRACT_MAX_TIME; default 600)")
    add("--max-requests", metavar="N", help="send at most N test-case requests, 0 for no cap "
        "(CONTRACT_MAX_REQUESTS; default 1000 live, no cap against the mock)")  # fmt: skip
    add("--out", metavar="DIR", help=f"the run's reports (CONTRACT_OUT; default {DEFAULT_OUT})")
    add("--strict-drift", action=argparse.BooleanOptionalAction, default=None,
        help="fail the run on drift, and check live responses against openapi.yaml itself "
        "(CONTRACT_STRICT_DRIFT=1)")  # fmt: skip
    add("--drift-ignore-headers", metavar="LIST", help="comma-separated response headers the drift report "
        "ignores, such as a CDN's (CONTRACT_DRIFT_IGNORE_HEADERS)")  # fmt: skip
    add("--walk-max-pages", metavar="N", help="pages a promise check's page walk follows at most "
        "(CONTRACT_WALK_MAX_PAGES; default 20)")  # fmt: skip
    add("--mock-package", metavar="DIR", help=f"the folder holding the calyptia_mock/ package to serve in mock "
        f"mode (default {DEFAULT_MOCK_PACKAGE})")  # fmt: skip
    add("--model", action=argparse.BooleanOptionalAction, default=True,
        help="let the reference model (tools/contract/model/) observe every exchange (default on)")  # fmt: skip
    return command


T = TypeVar("T")


class _Values:
    """An option's value from the command line, else from its variable, else the default;
    each checked, a bad one reported through the parser (exit 2)."""

    def __init__(self, command: argparse.ArgumentParser, arguments: argparse.Namespace, environ: Mapping[str, str]):
        self.command = command
        self.arguments = arguments
        self.environ = environ

    def raw(self, option: str, variable: str | None) -> tuple[str | None, str]:
        """The text given for an option and where it came from (for the message)."""
        value = getattr(self.arguments, option.lstrip("-").replace("-", "_"), None)
        if value is not None:
            return str(value), option
        if variable is not None and self.environ.get(variable, "") != "":
            return self.environ[variable], variable
        return None, option

    def get(self, option: str, variable: str | None, parse: Callable[[str], T], default: T, must: str) -> T:
        text, source = self.raw(option, variable)
        if text is None:
            return default
        try:
            return parse(text)
        except ValueError:
            self.command.error(f"{source}={text!r}: {must}")

    def flag(self, option: str, variable: str) -> bool:
        value = getattr(self.arguments, option.lstrip("-").replace("-", "_"), None)
        if value is not None:
            return bool(value)
        text = self.environ.get(variable, "")
        if text not in ("", "0", "1"):
            self.command.error(f"{variable}={text!r}: must be 1 (on) or 0 or empty (off)")
        return text == "1"


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise ValueError(text)
        return value

    return parse


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


def _rate(text: str) -> str:
    if not RATE_LIMIT.match(text.strip()):
        raise ValueError(text)
    return text.strip()


def _phases(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names or any(name not in PHASES for name in names):
        raise ValueError(text)
    return tuple(dict.fromkeys(names))


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def build(argv: Sequence[str] | None, environ: Mapping[str, str]) -> RunConfig:
    """The run's configuration from the command line (`argv`, without the program) and the
    environment; a value that cannot be used exits with status 2 and says which and why."""
    command = parser()
    arguments = command.parse_args(argv)
    values = _Values(command, arguments, environ)
    url = (values.raw("--url", "CALYPTIA_CLOUD_URL")[0] or "").rstrip("/")
    token = environ.get("CALYPTIA_CLOUD_TOKEN", "")
    if bool(url) != bool(token):
        command.error("set both CALYPTIA_CLOUD_URL (or --url) and CALYPTIA_CLOUD_TOKEN for a live run")
    if url and not re.match(r"^https?://[^/\s]+", url):
        command.error(f"the live URL {url!r} is not an http:// or https:// URL")
    live = bool(url)
    writes = values.flag("--writes", "CONTRACT_WRITES") if live else True
    phases = values.get("--phases", "CONTRACT_PHASES", _phases, PHASES, f"must be a comma-separated list of {PHASES}")
    if live and not writes:
        phases = tuple(phase for phase in phases if phase != "stateful")
        if not phases:
            command.error("a read-only live run has no stateful phase: set CONTRACT_WRITES=1 or other phases")
    mock_package = Path(values.raw("--mock-package", None)[0] or DEFAULT_MOCK_PACKAGE).resolve()
    if not live and not (mock_package / "calyptia_mock").is_dir():
        command.error(f"--mock-package {mock_package}: no calyptia_mock/ folder in it")
    whole = "must be a whole number"
    return RunConfig(
        url=url,
        token=token,
        writes=writes,
        examples=values.get(
            "--examples", "CONTRACT_EXAMPLES", _whole(1), LIVE_EXAMPLES if live else MOCK_EXAMPLES, f"{whole} >= 1"
        ),
        phases=phases,
        rate_limit=values.get("--rate-limit", "CONTRACT_RATE_LIMIT", _rate, "5/s", "must be N/s, N/m, N/h or N/d")
        if live
        else None,
        max_time=values.get("--max-time", "CONTRACT_MAX_TIME", _seconds, 600.0, "must be a number of seconds > 0")
        if live
        else None,
        max_requests=values.get(
            "--max-requests", "CONTRACT_MAX_REQUESTS", _whole(0), 1000 if live else 0, f"{whole} >= 0 (0: no cap)"
        ),
        out=Path(values.raw("--out", "CONTRACT_OUT")[0] or DEFAULT_OUT).resolve(),
        strict_drift=values.flag("--strict-drift", "CONTRACT_STRICT_DRIFT"),
        drift_ignore_headers=values.get("--drift-ignore-headers", "CONTRACT_DRIFT_IGNORE_HEADERS", _names, (), ""),
        walk_max_pages=values.get("--walk-max-pages", "CONTRACT_WALK_MAX_PAGES", _whole(1), 20, f"{whole} >= 1"),
        mock_package=mock_package,
        model=bool(arguments.model),
    )


@dataclass(frozen=True)
class SoakConfig:
    """`make soak` (tools/contract/soak.py): SOAK_EXAMPLES, SOAK_SECONDS, SOAK_CLIENTS, SOAK_OUT."""

    examples: int
    seconds: float
    clients: int
    out: Path


def build_soak(environ: Mapping[str, str]) -> SoakConfig:
    """The soak's configuration from the environment; a bad value exits with status 2."""
    command = argparse.ArgumentParser(prog="python -m tools.contract.soak", description="see tools/contract/soak.py")
    values = _Values(command, command.parse_args([]), environ)
    return SoakConfig(
        examples=values.get("SOAK_EXAMPLES", "SOAK_EXAMPLES", _whole(1), 2000, "must be a whole number >= 1"),
        seconds=values.get("SOAK_SECONDS", "SOAK_SECONDS", _seconds, 600.0, "must be a number of seconds > 0"),
        clients=values.get("SOAK_CLIENTS", "SOAK_CLIENTS", _whole(1), 8, "must be a whole number >= 1"),
        out=Path(environ.get("SOAK_OUT") or BUILD / "soak").resolve(),
    )
