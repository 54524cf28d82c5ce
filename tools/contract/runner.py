"""`make contract`: schemathesis over real HTTP, against the mock or, on request, the live API.

`python -m tools.contract --help` lists the options; each has an environment variable
(tools/contract/config.py, where the run's one configuration is built).

Default: start the mock (this checkout's, or `--mock-package DIR`'s) on a free loopback port
with a fresh file database, run `st run` with every check and phase, write a JUnit report to
build/contract/, stop the mock, and exit non-zero on any failure.

Live, when CALYPTIA_CLOUD_URL and CALYPTIA_CLOUD_TOKEN are set, made safe:
- read-only unless CONTRACT_WRITES=1: write operations are excluded, the probes that send
  other methods (the `unsupported_method` check and the coverage phase's unexpected
  methods) are off, and so is the stateful phase;
- guarded: the write guard (tools/contract/write_guard.py, enforced by tools/contract/hooks.py) refuses
  every request that would change a resource the run did not create; the run prints how
  many it refused (the list is build/contract/guard-refusals.jsonl);
- with CONTRACT_WRITES=1 every project the run creates is recorded and deleted at the end,
  whatever happened to the run; leftovers of a killed run are deleted at the start of the
  next one (tools/contract/live.py). The fuzzing phase is off for the writes to one resource
  (every ID it draws would be refused). The account is read before and after: any change to
  a project the run did not create, or a project left behind, fails the run;
- bounded: CONTRACT_RATE_LIMIT (default 5/s) times CONTRACT_MAX_TIME (default 600 s, after
  which the run is stopped) bounds every request schemathesis sends; CONTRACT_MAX_REQUESTS
  (default 1000) caps the calls of test cases and of the checks' follow-ups.
The token goes to schemathesis through the environment only and is never printed.

Every run, mock or live, also reports drift: what responses carry that openapi.yaml does
not describe (tools/contract/drift/), in build/contract/drift.json and a summary (a failure
only with CONTRACT_STRICT_DRIFT=1); proves coverage: every operation got a documented success
(tools/contract/coverage.py); and explains what st printed (tools/contract/explain.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import yaml
from calyptia_mock.handlers import NOT_IMPLEMENTED
from calyptia_mock.server import mock_process

from tools.contract import account_snapshot, coverage, drift, explain, live
from tools.contract.config import (
    CONFIG_FILE_VARIABLE,
    DEFAULT_MOCK_PACKAGE,
    LOG_KEY_VARIABLE,
    MOCK_EXAMPLES,
    MOCK_TOKEN,
    TOKEN_VARIABLE,
    RunConfig,
    build,
)
from tools.contract.model import run as model_run
from tools.contract.model.run import ModelRun
from tools.contract.model.secrets import Redactor
from tools.contract.write_guard import SAFE_METHODS, PathTemplate
from tools.paths import FIXTURES, ROOT, SPEC
from tools.spec import METHODS, load

__all__ = [
    "MOCK_EXAMPLES",
    "MOCK_TOKEN",
    "guarded_writes",
    "main",
    "run",
    "running_mock",
    "seed_projects",
    "st_command",
]

LIVE_READ_ONLY_CONFIG = """
# Added by tools/contract/runner.py for a read-only live run: send no method the spec does not
# list for a path, so no write can slip through as a probe.
[phases.coverage]
unexpected-methods = []
"""
HOOKS_MODULE = "tools.contract.st_hooks"


@contextmanager
def running_mock(
    database: Path,
    log: Path,
    *,
    log_level: str = "info",
    validate_responses: bool = True,
    package: Path = DEFAULT_MOCK_PACKAGE,
) -> Iterator[tuple[str, int]]:
    """Start the `calyptia-mock` of `package` (the folder holding `calyptia_mock/`; this
    checkout's by default) through the one launcher (mock_process: it binds port 0 itself and
    prints its URL) with a fresh file database, with responses checked against the spec, its
    log in `log`; yield (base URL, process ID) and stop it on the way out."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    args = ["--db", str(database), "--fixtures", str(FIXTURES), "--log-level", log_level]
    if validate_responses:
        args.append("--validate-responses")
    log.parent.mkdir(parents=True, exist_ok=True)  # a fresh clone has no build/ yet
    log.unlink(missing_ok=True)
    with mock_process(args, log, cwd=ROOT, package_root=package) as mock:
        yield mock.url, mock.pid
        mock.stop()


HTTP_METHODS = frozenset(method.upper() for method in METHODS)


def guarded_writes(spec: Mapping[str, Any]) -> list[str]:
    """The write operations that bind one resource (`PATCH /v1/projects/{projectID}`): in a
    live write run every ID fuzzing draws for them would be refused, so fuzzing them is off."""
    return [
        f"{method.upper()} {path}"
        for path, item in (spec.get("paths") or {}).items()
        if PathTemplate.parse(path).root_length is not None
        for method in item
        if method.upper() in HTTP_METHODS - SAFE_METHODS
    ]


def write_methods(spec: Mapping[str, Any]) -> list[str]:
    """The write methods the spec has, in the order of tools.spec.METHODS: a filter for a
    method no operation has would only make st warn "Unmatched filters"."""
    present = {method.upper() for item in (spec.get("paths") or {}).values() for method in item}
    return [method.upper() for method in METHODS if method.upper() in present - SAFE_METHODS]


def _live_config(config: RunConfig, spec: Path) -> Path:
    """The repository's schemathesis.toml plus what a live run needs on top of it."""
    extra = LIVE_READ_ONLY_CONFIG
    if config.writes:
        operations = guarded_writes(yaml.safe_load(spec.read_text(encoding="utf-8")))
        extra = "\n# Added by tools/contract/runner.py for a live write run: see guarded_writes().\n"
        if operations:  # one filter: separate include-path and include-method would match either
            extra += f"[[operations]]\ninclude-name = {json.dumps(operations)}\nphases.fuzzing.enabled = false\n"
    path = config.out / ("schemathesis.live-writes.toml" if config.writes else "schemathesis.live.toml")
    path.write_text((ROOT / "schemathesis.toml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


# More than a default page: the promise checks' first probes meet full pages and walks that
# cross pages; the run's own creates make the listing longer still.
SEEDED_PROJECTS = 25


def seed_projects(url: str, token: str, count: int = SEEDED_PROJECTS) -> None:
    """Create `count` projects, so that the page-size and page-walk promises are checked on a
    listing of several pages from the first request on."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as client:
        for index in range(count):
            client.post("/v1/projects", json={"name": f"contract-seed-{index:03d}"}).raise_for_status()


def st_command(config: RunConfig, url: str, spec: Path = SPEC) -> list[str]:
    """The `st run` command line of a run against `url`."""
    command = [
        str(Path(sys.executable).parent / "st"),
        "run", str(spec),
        "--url", url,
        "--max-examples", str(config.examples),
        "--request-timeout", "10",
        "--report", "junit",
        "--report-junit-path", str(config.junit),
    ]  # fmt: skip
    if config.live:
        command += ["--rate-limit", str(config.rate_limit)]
        command = [command[0], "--config-file", str(_live_config(config, spec)), *command[1:]]
    if config.live and not config.writes:
        for method in write_methods(load(spec)):
            command += ["--exclude-method", method]
        command += ["--exclude-checks", "unsupported_method"]
    if not config.all_phases:
        command += ["--phases", ",".join(config.phases)]
    return command


def st_environment(config: RunConfig, environ: Mapping[str, str], log_key: str = "") -> dict[str, str]:
    """st's environment: the caller's, plus the run's configuration file, the token, the key
    of the exchange log's labels and the module that installs the hooks."""
    return {
        **environ,
        CONFIG_FILE_VARIABLE: str(config.write()),
        TOKEN_VARIABLE: config.run_token,
        LOG_KEY_VARIABLE: log_key,
        "SCHEMATHESIS_HOOKS": HOOKS_MODULE,
        "PYTHONPATH": os.pathsep.join([str(ROOT), environ.get("PYTHONPATH", "")]),
    }


def run(config: RunConfig, url: str, environ: Mapping[str, str], *, model: ModelRun | None = None) -> int:
    """One `st run` against `url` (the live API's, or the mock's), and everything around it.
    `model` is the reference model, the account already learned (against the mock, seeded
    through it); with `config.model` and none given, it learns the account here."""
    spec = drift.prepare(config)
    config.exchange_log.unlink(missing_ok=True)
    command = st_command(config, url, spec)
    if config.guarded:
        config.guard_log.unlink(missing_ok=True)
    cleans_up = config.live and config.writes
    before: account_snapshot.Snapshot = {}
    if cleans_up:
        if config.ledger.exists():
            live.print_cleanup(live.delete_recorded(config), "leftovers of an earlier run")
        try:
            before = live.snapshot(config, "before")
        except account_snapshot.SnapshotError as exc:
            print(f"contract: cannot read the account before the run, so it does not start: {exc}", flush=True)
            return 1
    mode = "live API" if config.live else "mock"
    access = "writes allowed" if config.writes else "read-only"
    print(f"contract: {mode} ({access}), {config.examples} examples per operation", flush=True)
    status = 1
    process: subprocess.Popen[bytes] | None = None
    # Everything that may create a project (the model's own requests as well as st's) is inside
    # this `try`, so its `finally` deletes what the ledger holds however the run ends (SIGTERM too).
    try:
        if model is None and config.model:
            model = model_run.for_run(config, url, load(SPEC), Redactor())
        if model is not None:
            model_run.explore_phase(config, model)
        env = st_environment(config, environ, model.checker.redactor.key.hex() if model is not None else "")
        # st's own --max-time would make fuzzing repeat until the time is spent; this is a cap.
        process = subprocess.Popen(command, env=env, cwd=ROOT)
        status = process.wait(timeout=config.max_time)
        if model is not None:
            status = model_run.model_phase(config, model) or status
            model = None
    except subprocess.TimeoutExpired:
        print(f"contract: stopped after CONTRACT_MAX_TIME={config.max_time:g} s", flush=True)
        if process is not None:
            _stop(process)
    except BaseException:
        if process is not None:
            _stop(process)
        raise
    finally:
        if model is not None:
            model.close()
        status = drift.finish(config, status)
        declared = {} if config.live else dict(NOT_IMPLEMENTED)  # the mock serving this checkout
        status = coverage.finish(config, status, load(SPEC), declared=declared)
        explain.finish(config)
        if config.live:
            live.print_refusals(config)
        if cleans_up:
            report = live.delete_recorded(config)
            live.print_cleanup(report, "cleanup")
            if report.left:
                print(
                    f"contract: could not delete {report.left} project(s); their IDs are in {config.ledger}",
                    flush=True,
                )
                status = status or 1
            status = live.verify_account(config, before) or status
    print(f"contract: JUnit report in {config.junit}", flush=True)
    return status


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Interrupt st as Ctrl-C would, so the call in flight finishes and its hooks record
    what it created; kill it only if it does not stop within 30 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` that cleans up


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """`python -m tools.contract`: the configuration, built once, then the run."""
    environ = os.environ if environ is None else environ
    config = build(argv, environ)  # a bad value exits 2 here, before anything starts
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    config.out.mkdir(parents=True, exist_ok=True)
    if config.live:
        return run(config, config.url, environ)
    with running_mock(config.out / "mock.db", config.out / "mock.log", package=config.mock_package) as (url, _):
        if not config.model:
            seed_projects(url, config.run_token)
            return run(config, url, environ)
        # The model learns every fixture user's account, and sees the seed projects created.
        others, fresh = fixture_users(FIXTURES, config.run_token)
        model = model_run.for_run(config, url, load(SPEC), Redactor(), other_users=others, brand_new=fresh)
        model.seed(SEEDED_PROJECTS, lambda index: f"contract-seed-{index:03d}")
        return run(config, url, environ, model=model)


def fixture_users(fixtures: Path, run_token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """From the mock's fixture file, read once: the tokens of its other users (the model acts
    as each of them too), and of those no fixture project names as creator or member (each
    is a brand-new user when the mock starts, whose listing the spec words exactly)."""
    document = yaml.safe_load(fixtures.read_text(encoding="utf-8")) or {}
    named: set[str] = set()
    for project in document.get("projects") or []:
        named.add(str(project.get("creator")))
        named.update(str(member.get("user")) for member in project.get("members") or [])
    users = [user for user in document.get("users") or [] if user.get("token")]
    others = tuple(str(user["token"]) for user in users if str(user["token"]) != run_token)
    brand_new = tuple(str(user["token"]) for user in users if str(user.get("email")) not in named)
    return others, brand_new


if __name__ == "__main__":
    raise SystemExit(main())
