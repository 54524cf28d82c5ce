"""`make contract`: schemathesis over real HTTP, against the mock or, on request, the live API.

Default: start the mock on a free loopback port with a fresh file database, run `st run`
with every check and phase, write a JUnit report to build/contract/, stop the mock, and
exit non-zero on any failure.

Live, when CALYPTIA_CLOUD_URL and CALYPTIA_CLOUD_TOKEN are set, made safe:
- read-only unless CONTRACT_WRITES=1: write operations are excluded, the probes that send
  other methods (the `unsupported_method` check and the coverage phase's unexpected
  methods) are off, and so is the stateful phase;
- guarded: the write guard (tools/contract/write_guard.py, enforced by tools/contract/hooks.py) refuses
  every request that would change a resource the run did not create; the run prints how
  many it refused (the list is build/contract/guard-refusals.jsonl);
- with CONTRACT_WRITES=1 every project the run creates is recorded (tools/contract/hooks.py)
  and deleted at the end, whatever happened to the run; leftovers of a killed run are
  deleted at the start of the next one. The fuzzing phase is off for the writes to one
  resource (every ID it draws would be refused). The account is read before and after
  (build/contract/snapshot-{before,after}.json): any change to a project the run did not
  create, or a project left behind, fails the run, naming the project and the field;
- bounded: CONTRACT_RATE_LIMIT (default 5/s) times CONTRACT_MAX_TIME (default 600 s, after
  which the run is stopped) bounds every request schemathesis sends; CONTRACT_MAX_REQUESTS
  (default 1000) caps the generated test cases (a check may add one follow-up request to a
  case); CONTRACT_EXAMPLES (default 20 live, 25 against the mock, as in the pytest suite) sets examples per operation;
  CONTRACT_PHASES (e.g. `stateful`) narrows the phases.
The token goes to schemathesis through the environment only and is never printed.

Every run, mock or live, also reports drift: what responses carry that openapi.yaml does
not describe (tools/contract/drift.py), in build/contract/drift.json and a summary. It
fails the run only with CONTRACT_STRICT_DRIFT=1.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import yaml
from calyptia_mock.handlers import NOT_IMPLEMENTED
from calyptia_mock.server import mock_process

from tools.contract import account_snapshot, coverage
from tools.contract import drift as contract_drift
from tools.contract.write_guard import SAFE_METHODS, PathTemplate
from tools.paths import BUILD, FIXTURES, ROOT, SPEC
from tools.spec import METHODS, load

OUT = Path(os.environ.get("CONTRACT_OUT", BUILD / "contract")).resolve()
DEFAULT_MOCK_PACKAGE = ROOT / "mock"  # the folder holding this checkout's calyptia_mock/
MOCK_TOKEN = "alice-token"  # a user of the fixture file, which also has shared projects
LIVE_READ_ONLY_CONFIG = """
# Added by tools/contract/runner.py for a read-only live run: send no method the spec does not
# list for a path, so no write can slip through as a probe.
[phases.coverage]
unexpected-methods = []
"""


# Examples per operation against the mock, here and in the in-process suite
# (tests/contract/test_schemathesis.py): the mutation tests show 10 catch every seeded break;
# more only adds time. CONTRACT_EXAMPLES overrides it.
MOCK_EXAMPLES = 25

# What st prints that is expected of this API, not a defect: said in the run's own output.
NOTES = (
    'the warning "Schema validation mismatch: 1 operation mostly rejected generated data" (GET /v1/projects) '
    "is expected, not a failure: most schema-valid `before` values are cursors this service never issued, "
    "refused with 400 `decode cursor` as the spec documents; no schema can list the issued cursors",
    'a "Failed to extract data from response ... `before` via $response.header.Link" under "Stateful tests" '
    "is a last page: it has no Link header, so the NextPage link has nothing to follow; not a failure",
)


class UsageError(ValueError):
    """The environment asks for a run that cannot be made; the message says why."""


@dataclass(frozen=True)
class Target:
    url: str
    token: str
    live: bool
    writes: bool


@dataclass
class CleanupReport:
    recorded: int = 0
    deleted: int = 0
    already_gone: int = 0
    left: int = 0


@contextmanager
def running_mock(
    database: Path,
    *,
    log_level: str = "info",
    validate_responses: bool = True,
    package: Path = DEFAULT_MOCK_PACKAGE,
) -> Iterator[tuple[str, int]]:
    """Start the `calyptia-mock` of `package` (the folder holding `calyptia_mock/`; this
    checkout's by default) through the one launcher (mock_process: it binds port 0 itself and
    prints its URL) with a fresh file database, with responses checked against the spec; yield
    (base URL, process ID) and stop it on the way out."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    args = ["--db", str(database), "--fixtures", str(FIXTURES), "--log-level", log_level]
    if validate_responses:
        args.append("--validate-responses")
    OUT.mkdir(parents=True, exist_ok=True)  # a fresh clone has no build/ yet
    log = OUT / "mock.log"
    log.unlink(missing_ok=True)
    with mock_process(args, log, cwd=ROOT, package_root=package) as mock:
        yield mock.url, mock.pid
        mock.stop()


HTTP_METHODS = frozenset(method.upper() for method in METHODS)


def guarded_writes(spec: dict[str, Any]) -> list[str]:
    """The write operations that bind one resource (`PATCH /v1/projects/{projectID}`): in a
    live write run every ID fuzzing draws for them would be refused, so fuzzing them is off."""
    return [
        f"{method.upper()} {path}"
        for path, item in (spec.get("paths") or {}).items()
        if PathTemplate.parse(path).root_length is not None
        for method in item
        if method.upper() in HTTP_METHODS - SAFE_METHODS
    ]


def _live_config(target: Target, spec: Path) -> Path:
    """The repository's schemathesis.toml plus what a live run needs on top of it."""
    extra = LIVE_READ_ONLY_CONFIG
    if target.writes:
        operations = guarded_writes(yaml.safe_load(spec.read_text(encoding="utf-8")))
        extra = "\n# Added by tools/contract/runner.py for a live write run: see guarded_writes().\n"
        if operations:  # one filter: separate include-path and include-method would match either
            extra += f"[[operations]]\ninclude-name = {json.dumps(operations)}\nphases.fuzzing.enabled = false\n"
    config = OUT / ("schemathesis.live-writes.toml" if target.writes else "schemathesis.live.toml")
    config.write_text((ROOT / "schemathesis.toml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return config


# More than a default page: the promise checks' first probes meet full pages and walks that
# cross pages; the run's own creates make the listing longer still.
SEEDED_PROJECTS = 25


def seed_projects(url: str, token: str, count: int = SEEDED_PROJECTS) -> None:
    """Create `count` projects, so that the page-size and page-walk promises are checked on a
    listing of several pages from the first request on."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as client:
        for index in range(count):
            client.post("/v1/projects", json={"name": f"contract-seed-{index:03d}"}).raise_for_status()


def st_command(target: Target, examples: int, spec: Path = SPEC) -> list[str]:
    command = [
        str(Path(sys.executable).parent / "st"),
        "run", str(spec),
        "--url", target.url,
        "--max-examples", str(examples),
        "--request-timeout", "10",
        "--report", "junit",
        "--report-junit-path", str(OUT / "junit.xml"),
    ]  # fmt: skip
    if target.live:
        command += ["--rate-limit", os.environ.get("CONTRACT_RATE_LIMIT", "5/s")]
        command = [command[0], "--config-file", str(_live_config(target, spec)), *command[1:]]
    phases = os.environ.get("CONTRACT_PHASES")
    if target.live and not target.writes:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            command += ["--exclude-method", method]
        command += ["--exclude-checks", "unsupported_method"]
        phases = ",".join(phase for phase in (phases or "examples,coverage,fuzzing").split(",") if phase != "stateful")
        if not phases:
            raise UsageError("a read-only live run has no stateful phase: set CONTRACT_WRITES=1 or other phases")
    if phases:
        command += ["--phases", phases]
    return command


def _ledger_roots(ledger: Path) -> list[str]:
    """The ledger's resource roots (`/v1/projects/<id>`); a bare ID is a project's, as
    written by earlier versions."""
    lines = (line.strip() for line in ledger.read_text(encoding="utf-8").splitlines())
    return list(dict.fromkeys(line if line.startswith("/") else f"/v1/projects/{line}" for line in lines if line))


def delete_recorded(target: Target, ledger: Path) -> CleanupReport:
    """Delete every resource in the ledger; a 404 means the run deleted it already."""
    report = CleanupReport()
    if not ledger.exists():
        return report
    roots = _ledger_roots(ledger)
    report.recorded = len(roots)
    remaining = []
    with _api(target) as client:
        for root in roots:
            try:
                status = client.delete(root).status_code
            except httpx.HTTPError:
                status = 0
            if status == 200:
                report.deleted += 1
            elif status == 404:
                report.already_gone += 1
            else:
                remaining.append(root)
    report.left = len(remaining)
    if remaining:
        ledger.write_text("".join(f"{root}\n" for root in remaining), encoding="utf-8")
    else:
        ledger.unlink()
    return report


def _api(target: Target) -> httpx.Client:
    return httpx.Client(base_url=target.url, headers={"Authorization": f"Bearer {target.token}"}, timeout=10)


def _print_cleanup(report: CleanupReport, when: str) -> None:
    print(
        f"contract: {when}: {report.recorded} project(s) created by the run, {report.deleted} deleted now, "
        f"{report.already_gone} already deleted by the run, {report.left} left",
        flush=True,
    )


def _snapshot(target: Target, when: str) -> account_snapshot.Snapshot:
    with _api(target) as client:
        snapshot = account_snapshot.take(client, interval=_interval(os.environ.get("CONTRACT_RATE_LIMIT", "5/s")))
    account_snapshot.write(snapshot, OUT / f"snapshot-{when}.json")
    return snapshot


def _interval(rate_limit: str) -> float:
    """Seconds between requests at a schemathesis rate limit such as `5/s` or `100/m`."""
    count, _, unit = rate_limit.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit.strip() or "s")
    try:
        return seconds / float(count) if seconds is not None and float(count) > 0 else 1.0
    except ValueError:
        return 1.0


def _print_refusals(log: Path) -> None:
    refusals = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    layers = Counter(refusal["layer"] for refusal in refusals)
    phases = Counter(refusal["phase"] for refusal in refusals if refusal["layer"] == "filter")
    by_phase = ", ".join(f"{phase} {count}" for phase, count in sorted(phases.items()))
    print(
        f"contract: write guard: {len(refusals)} request(s) refused and not sent: "
        f"{layers['filter']} generated case(s) skipped{f' ({by_phase})' if by_phase else ''}, "
        f"{layers['call']} stopped at the call, {layers['transport']} at the transport; list in {log}",
        flush=True,
    )


def _verify_account(target: Target, before: account_snapshot.Snapshot) -> int:
    """Compare the account with its snapshot from before the run; 1 and every difference if it changed."""
    try:
        differences = account_snapshot.compare(before, _snapshot(target, "after"))
    except account_snapshot.SnapshotError as exc:
        print(f"contract: ACCOUNT NOT VERIFIED: {exc}", flush=True)
        return 1
    for difference in differences:
        print(f"contract: ACCOUNT CHANGED: {difference}", flush=True)
    if differences:
        print(f"contract: {len(differences)} change(s) to the account; compare {OUT}/snapshot-*.json", flush=True)
        return 1
    print(f"contract: account unchanged: {len(before)} project(s) as before ({OUT}/snapshot-*.json)", flush=True)
    return 0


def run(target: Target, examples: int) -> int:
    spec, drift_env = contract_drift.prepare(OUT, live=target.live)
    command = st_command(target, examples, spec)
    ledger = OUT / "created-projects.txt"
    refusals = OUT / "guard-refusals.jsonl"
    env = {
        **os.environ,
        "CONTRACT_TOKEN": target.token,
        "SCHEMATHESIS_HOOKS": "tools.contract.hooks",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "CONTRACT_MAX_REQUESTS": os.environ.get("CONTRACT_MAX_REQUESTS", "1000" if target.live else "0"),
        # Lets the promise checks (tools/contract/promises/) write, to projects the run created.
        "CONTRACT_ALLOW_WRITES": "1" if target.writes else "0",
    }
    env.update(drift_env)
    if target.live:
        env |= {"CONTRACT_GUARD": "1", "CONTRACT_GUARD_LOG": str(refusals), "CONTRACT_BASE_URL": target.url}
        refusals.unlink(missing_ok=True)
    cleans_up = target.live and target.writes
    before: account_snapshot.Snapshot = {}
    if cleans_up:
        env["CONTRACT_LEDGER"] = str(ledger)
        if ledger.exists():
            _print_cleanup(delete_recorded(target, ledger), "leftovers of an earlier run")
        try:
            before = _snapshot(target, "before")
        except account_snapshot.SnapshotError as exc:
            print(f"contract: cannot read the account before the run, so it does not start: {exc}", flush=True)
            return 1
    mode = "live API" if target.live else "mock"
    access = "writes allowed" if target.writes else "read-only"
    print(f"contract: {mode} ({access}), {examples} examples per operation", flush=True)
    status = 1
    # st's own --max-time would make fuzzing repeat until the time is spent; this is a cap.
    time_limit = float(os.environ.get("CONTRACT_MAX_TIME", "600")) if target.live else None
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        status = process.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        print(f"contract: stopped after CONTRACT_MAX_TIME={time_limit:g} s", flush=True)
        _stop(process)
    except BaseException:
        _stop(process)
        raise
    finally:
        status = contract_drift.finish(OUT, status)
        declared = {} if target.live else dict(NOT_IMPLEMENTED)  # the mock serving this checkout
        status = coverage.finish(OUT, status, load(SPEC), live=target.live, writes=target.writes, declared=declared)
        if target.live:
            _print_refusals(refusals)
        if cleans_up:
            report = delete_recorded(target, ledger)
            _print_cleanup(report, "cleanup")
            if report.left:
                print(f"contract: could not delete {report.left} project(s); their IDs are in {ledger}", flush=True)
                status = status or 1
            status = _verify_account(target, before) or status
    for note in NOTES:
        print(f"contract: note: {note}", flush=True)
    print(f"contract: JUnit report in {OUT / 'junit.xml'}", flush=True)
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


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.contract",
        description="Contract-test the mock (default) or, with CALYPTIA_CLOUD_URL and CALYPTIA_CLOUD_TOKEN "
        "set, the live API; see tools/contract/runner.py and docs/contract.md.",
    )
    parser.add_argument(
        "--mock-package",
        metavar="DIR",
        type=Path,
        default=DEFAULT_MOCK_PACKAGE,
        help="the folder holding the calyptia_mock/ package to serve in mock mode (default: %(default)s)",
    )
    arguments = parser.parse_args(argv)
    if not (arguments.mock_package / "calyptia_mock").is_dir():
        parser.error(f"--mock-package {arguments.mock_package}: no calyptia_mock/ folder in it")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    OUT.mkdir(parents=True, exist_ok=True)
    live_url = os.environ.get("CALYPTIA_CLOUD_URL", "").rstrip("/")
    live_token = os.environ.get("CALYPTIA_CLOUD_TOKEN", "")
    if live_url and live_token:
        writes = os.environ.get("CONTRACT_WRITES") == "1"
        examples = int(os.environ.get("CONTRACT_EXAMPLES", "20"))
        try:
            return run(Target(live_url, live_token, live=True, writes=writes), examples)
        except UsageError as exc:
            print(f"contract: {exc}", file=sys.stderr)
            return 2
    if live_url or live_token:
        print("contract: set both CALYPTIA_CLOUD_URL and CALYPTIA_CLOUD_TOKEN for a live run", file=sys.stderr)
        return 2
    examples = int(os.environ.get("CONTRACT_EXAMPLES", str(MOCK_EXAMPLES)))
    with running_mock(OUT / "mock.db", package=arguments.mock_package.resolve()) as (url, _):
        seed_projects(url, MOCK_TOKEN)
        return run(Target(url, MOCK_TOKEN, live=False, writes=True), examples)


if __name__ == "__main__":
    raise SystemExit(main())
