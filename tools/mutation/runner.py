"""`python -m tools.mutation` (`make mutation-score`): run the contract suite against every mutant.

Each mutant is applied to a fresh copy of `mock/calyptia_mock/` in a temporary folder, and
`python -m tools.contract --mock-package <copy>` runs against it with its own CONTRACT_OUT
(two runs at a time share no file) and a timeout: exit 0 = survived, anything else =
killed, still running at the timeout = a hang, killed (its whole process group is
stopped). A run is stopped at its first failed phase (schemathesis prints " ❌  <phase>"),
which already decides it: killed (`--complete-runs` runs every one to its end, to name every
check that catches each mutant). The unmutated copy runs first: if it fails, every mutant
would look killed, so the run stops there.

A full run by default; `--sample N --seed S` runs a fixed choice of N valid mutants of those
that are not equivalent (mutants.sample). A full run exits 1 below THRESHOLD (90%) of the
judged mutants killed, and rewrites tools/mutation/survivors.yaml, the known survivors. A
sample cannot judge a 90% target with a few dozen mutants, so it checks what it can: it
exits 1 when a sampled mutant survives that the last full run did not leave alive (the
suite got weaker, or new code has no check), and tolerates the known survivors until the
suite kills them. Both exit 1 while the reviewed equivalent file has stale entries.

Examples per operation: 5 (`--examples`; the contract run's default against the mock is 25).
Most of a passing run is start-up, the coverage phase and the stateful phase, which do not
scale with examples: alone, 20 s at 25 and 16 s at 10; two at a time, 17 s at 10 and 16 s
at 5. 8 sampled mutants got the same verdicts at 5 as at 10, and the 24 survivors a
request can reach all survived again at 25 (`--rerun-survivors REPORT --examples 25`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from tools.mutation import equivalent, mutants, score, survivors
from tools.mutation.mutants import Mutant
from tools.mutation.score import Outcome, Result
from tools.paths import BUILD, ROOT

__all__ = ["Contract", "main"]

OUT = BUILD / "mutation"
EXAMPLES = 5
JOBS = 2
# A mutant's run is stopped after TIMEOUT_FACTOR times the unmutated run, and never sooner
# than MIN_TIMEOUT seconds: a hang, not a slow machine.
TIMEOUT_FACTOR = 4.0
MIN_TIMEOUT = 60.0
# A contract run reads these; a mutant's run must be the default run against the mock, never
# a live one, whatever the caller's environment holds.
_DROPPED_ENV_PREFIXES = ("CONTRACT_", "CALYPTIA_CLOUD_")


# Schemathesis closes each phase with a line such as " ❌  Examples (in 1.01s)" when a check
# of it failed: from there the run can only exit non-zero.
# A phase of st that failed, or the reference model's first difference (before st starts).
_FAILED_PHASE = re.compile(r"^(?: ❌  ([A-Z][\w ]*?) \(in [\d.]+s\)|contract: (model): DIFFERENCE: .*)$")


@dataclass(frozen=True, slots=True)
class RunOutcome:
    returncode: int | None  # None: stopped, at a failed phase or at the timeout
    seconds: float
    failed_phase: str | None = None  # the phase that decided it, when stopped there


class Contract:
    """Runs the contract suite against one copy of the mock package, and stops what it started.

    With `first_failure` (the default) a run is stopped as soon as a phase of it fails, which
    decides the verdict (killed): a killed mutant then costs its first failing phase, not a
    whole run, and a survivor the whole run, as it must."""

    def __init__(self, examples: int = EXAMPLES, timeout: float = MIN_TIMEOUT, *, first_failure: bool = True) -> None:
        self.examples = examples
        self.timeout = timeout
        self.first_failure = first_failure
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def command(self, package: Path) -> list[str]:
        return [sys.executable, "-m", "tools.contract", "--mock-package", str(package)]

    def environment(self, out: Path) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if not name.startswith(_DROPPED_ENV_PREFIXES)}
        env.update(CONTRACT_OUT=str(out), CONTRACT_EXAMPLES=str(self.examples))
        return env

    def run(self, package: Path, out: Path, log: Path) -> RunOutcome:
        """One contract run, its output to `log`; its process group is stopped at the timeout."""
        started = time.monotonic()
        with log.open("wb") as output:
            process = subprocess.Popen(
                self.command(package),
                cwd=ROOT,
                env=self.environment(out),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: st and the mock stop with it
            )
            with self._lock:
                self._running.add(process)
            try:
                returncode, phase = self._watch(process, log, started + self.timeout)
            finally:
                stop_group(process)
                with self._lock:
                    self._running.discard(process)
        return RunOutcome(returncode, time.monotonic() - started, phase)

    def _watch(self, process: subprocess.Popen[bytes], log: Path, deadline: float) -> tuple[int | None, str | None]:
        """(exit status, None) when it ends; (None, the phase) when a phase fails first; (None,
        None) at the deadline."""
        read = 0
        partial = b""
        while True:
            try:
                return process.wait(timeout=min(0.2, max(deadline - time.monotonic(), 0.01))), None
            except subprocess.TimeoutExpired:
                pass
            if self.first_failure:
                with log.open("rb") as reading:
                    reading.seek(read)
                    chunk = reading.read()
                read += len(chunk)
                *lines, partial = (partial + chunk).split(b"\n")
                for line in lines:
                    match = _FAILED_PHASE.match(line.decode("utf-8", errors="replace"))
                    if match:
                        return None, match[1] or "the reference model"
            if time.monotonic() >= deadline:
                return None, None

    def stop_all(self) -> None:
        with self._lock:
            running = list(self._running)
        for process in running:
            stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the run's process group (the runner, st and the mock): everything it wrote is
    in a temporary folder that goes next."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextmanager
def workspace() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="mutation-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_unmutated(contract: Contract, log: Path) -> RunOutcome:
    """The contract run against an unchanged copy: the control every mutant is judged against."""
    with workspace() as folder:
        shutil.copytree(mutants.MOCK_PACKAGE / "calyptia_mock", folder / "package" / "calyptia_mock")
        return contract.run(folder / "package", folder / "contract", log)


def run_mutant(mutant: Mutant, sources: dict[str, str], contract: Contract, log: Path) -> Result:
    """Apply `mutant` to a copy of the package and run the contract suite against it."""
    source = sources[mutant.module]
    try:
        mutated = mutants.apply(mutant, source)
    except mutants.MutationError as exc:
        return Result(mutant, Outcome.ERROR, reason=str(exc))
    change, patch = mutants.changed_text(source, mutated), mutants.diff(mutant.module, source, mutated)
    if not mutants.compiles(mutated, mutant.module):
        return Result(mutant, Outcome.INVALID, change=change, diff=patch)
    with workspace() as folder:
        package = mutants.mutated_package(mutant, mutated, mutants.MOCK_PACKAGE, folder / "package")
        outcome = contract.run(package, folder / "contract", log)
    caught = (f"{outcome.failed_phase} phase",) if outcome.failed_phase else caught_by(log)
    return Result(mutant, judge(outcome), outcome.seconds, change, patch, log=str(log), caught_by=caught)


# The summary schemathesis prints per failing check ("  ❌ ST901 Custom check failed: `x`: 1",
# "  ❌ Response violates schema: 3"), and the runner's own verdicts ("contract: ... FAIL").
_FAILED_CHECK = re.compile(r"^\s+❌ (?:ST\d+ )?(.+?): \d+$")


def caught_by(log: Path) -> tuple[str, ...]:
    """What failed in a contract run's output, in order, or its last line if no check did
    (a mock that did not start, a runner error)."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return ()
    failed = tuple(
        dict.fromkeys(
            match[1].removeprefix("Custom check failed: ").strip("`")
            for line in lines
            if (match := _FAILED_CHECK.match(line))
        )
    )
    if failed:
        return failed
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return (last[:200],) if last else ()


def log_name(mutant: Mutant) -> str:
    """Unique per mutant of one enumeration: module, operator and Cosmic Ray's occurrence."""
    return f"{Path(mutant.module).stem}-{mutant.operator.split('/')[-1]}-{mutant.occurrence}.log"


def judge(outcome: RunOutcome) -> Outcome:
    if outcome.failed_phase is not None:
        return Outcome.KILLED
    if outcome.returncode is None:
        return Outcome.TIMEOUT
    return Outcome.SURVIVED if outcome.returncode == 0 else Outcome.KILLED


def run_all(
    chosen: Sequence[Mutant],
    sources: dict[str, str],
    contract: Contract,
    jobs: int,
    logs: Path,
    progress: Callable[[Result, int, int], None],
) -> list[Result]:
    """Run every chosen mutant, `jobs` at a time; `progress` hears of each as it ends."""
    results: list[Result] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending: set[Future[Result]] = {
            pool.submit(run_mutant, mutant, sources, contract, logs / log_name(mutant)) for mutant in chosen
        }
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    results.append(future.result())
                    progress(results[-1], len(results), len(chosen))
        except BaseException:
            for future in pending:
                future.cancel()
            contract.stop_all()
            raise
    return results


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.mutation",
        description="Mutation score of the mock's behaviour code, the contract run as the test (make mutation-score).",
    )
    parser.add_argument("--sample", type=int, metavar="N", help="run a fixed seeded choice of N mutants, not all")
    parser.add_argument("--seed", type=int, default=36, help="the sample's seed (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=JOBS, help="contract runs at a time (default: %(default)s)")
    parser.add_argument(
        "--examples", type=int, default=EXAMPLES, help="CONTRACT_EXAMPLES of each run (default: %(default)s)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        help=f"seconds before a run counts as a hang (default: {TIMEOUT_FACTOR:g} x the unmutated run, "
        f"at least {MIN_TIMEOUT:g})",
    )
    parser.add_argument(
        "--complete-runs",
        action="store_true",
        help="run each contract run to its end, not only to its first failed phase: slower, but every check "
        "that catches a mutant is named in the report",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the results of an interrupted run of the same kind (its progress.jsonl) and run the rest",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and what is equivalent; run nothing")
    parser.add_argument("--out", type=Path, default=OUT, help="where the reports go (default: build/mutation)")
    parser.add_argument(
        "--rescore",
        type=Path,
        metavar="REPORT",
        help="judge an earlier run's report.json again with equivalent.yaml as it is now; run nothing",
    )
    parser.add_argument(
        "--rerun-survivors",
        type=Path,
        metavar="REPORT",
        help="run only the survivors of an earlier full run's report.json again, against the contract suite as it "
        "is now; the rest keep their verdicts",
    )
    parser.add_argument("--equivalent", type=Path, default=equivalent.EQUIVALENT_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--survivors", type=Path, default=survivors.SURVIVORS_FILE, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.sample is not None and arguments.sample < 1:
        parser.error("--sample is at least 1")
    if arguments.jobs < 1:
        parser.error("--jobs is at least 1")
    return arguments


def _say(line: str) -> None:
    print(f"mutation: {line}", flush=True)


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through run_all, which stops the runs in flight


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    files = ReviewedFiles(arguments.equivalent, arguments.survivors)
    if arguments.rescore is not None:
        return rescore(arguments.rescore, files)
    if arguments.rerun_survivors is not None:
        return rerun_survivors(arguments.rerun_survivors, files, arguments.examples, arguments.jobs, arguments.out)
    started = time.monotonic()
    every, sources = mutants.enumerate_mutants()
    try:
        reviewed = equivalent.load(arguments.equivalent)
    except equivalent.EquivalentFileError as exc:
        _say(str(exc))
        return 2
    classified = equivalent.classify(every, reviewed)
    per_module = ", ".join(
        f"{module} {sum(mutant.module == module for mutant in every)}" for module in mutants.BEHAVIOUR_MODULES
    )
    _say(f"{len(every)} mutants ({per_module}); {len(classified.equivalent)} equivalent")
    for entry in classified.stale:
        _say(f"STALE equivalent entry (matches no mutant; review {arguments.equivalent.name}): {entry}")
    equivalents = [Result(mutant, Outcome.EQUIVALENT, reason=reason) for mutant, reason in classified.equivalent]
    if arguments.sample is None:
        chosen, mode = classified.to_run, "full"
    else:

        def valid(mutant: Mutant) -> bool:
            try:
                return mutants.compiles(mutants.apply(mutant, sources[mutant.module]), mutant.module)
            except mutants.MutationError:
                return False  # Cosmic Ray cannot apply it: nothing to sample

        chosen = mutants.sample(classified.to_run, arguments.sample, arguments.seed, accept=valid)
        mode = "sample"
        _say(f"sample of {len(chosen)} valid mutants of the {len(classified.to_run)}, seed {arguments.seed}")
    if arguments.list:
        for result in sorted(equivalents, key=lambda result: result.mutant.position):
            print(score.result_line(result))
        for mutant in chosen:
            print(f"{mutant.label}: `{mutant.text}`: to run")
        return 0

    out: Path = arguments.out
    logs = out / ("logs" if mode == "full" else "sample-logs")
    progress_file = out / ("progress.jsonl" if mode == "full" else "sample-progress.jsonl")
    done: list[Result] = []
    if arguments.resume and progress_file.exists():
        wanted = {mutant.key for mutant in chosen}
        earlier = (
            Result.from_json(json.loads(line)) for line in progress_file.read_text(encoding="utf-8").splitlines()
        )
        done = [result for result in earlier if result.mutant.key in wanted]
        finished = {result.mutant.key for result in done}
        chosen = [mutant for mutant in chosen if mutant.key not in finished]
        _say(f"resuming: {len(done)} results from {progress_file}, {len(chosen)} mutants to go")
    else:
        shutil.rmtree(logs, ignore_errors=True)
        progress_file.unlink(missing_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    contract = Contract(arguments.examples, first_failure=not arguments.complete_runs)
    baseline = run_unmutated(Contract(arguments.examples, timeout=600), logs / "baseline.log")
    if baseline.returncode != 0:
        why = f"its {baseline.failed_phase} phase failed" if baseline.failed_phase else f"exit {baseline.returncode}"
        _say(f"the UNMUTATED mock fails its contract run ({why}): see {logs / 'baseline.log'}")
        return 2
    contract.timeout = arguments.timeout or max(MIN_TIMEOUT, TIMEOUT_FACTOR * baseline.seconds)
    _say(
        f"unmutated contract run passed in {baseline.seconds:.1f} s; {arguments.jobs} at a time, "
        f"{arguments.examples} examples per operation, timeout {contract.timeout:.0f} s"
    )

    def progress(result: Result, done: int, total: int) -> None:
        print(f"[{done}/{total}] {score.result_line(result)}", flush=True)
        with progress_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")

    results = done + run_all(chosen, sources, contract, arguments.jobs, logs, progress)
    elapsed = time.monotonic() - started
    settings: dict[str, Any] = {
        "mode": mode,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mutants_enumerated": len(every),
        "sample": arguments.sample,
        "seed": arguments.seed if mode == "sample" else None,
        "examples_per_operation": arguments.examples,
        "stopped_at_first_failed_phase": not arguments.complete_runs,
        "jobs": arguments.jobs,
        "timeout_seconds": round(contract.timeout, 1),
        "baseline_seconds": round(baseline.seconds, 1),
        "seconds": round(elapsed, 1),
        "seconds_per_mutant": round(elapsed / len(results), 2) if results else None,
        "resumed_with_earlier_results": len(done),
    }
    stem = "report" if mode == "full" else "sample-report"
    return finish(equivalents + results, classified.stale, settings, out / stem, files)


def finish(
    everything: list[Result], stale: list[str], settings: dict[str, Any], stem: Path, files: ReviewedFiles
) -> int:
    """Write `stem`.json and `stem`.md, print the survivors and the totals; the exit status.

    A full run fails below THRESHOLD and rewrites the known survivors; a sample fails on a
    survivor that is not a known one (see tools/mutation/survivors.py)."""
    score.report_json(everything, stale, settings, stem.with_suffix(".json"))
    stem.with_suffix(".md").write_text(score.markdown(everything, stale, settings), encoding="utf-8")
    counts = score.tally(everything)
    if counts.invalid:
        _say(f"{counts.invalid} mutations were not valid Python (syntax errors): not run, not counted")
    for result in everything:
        if result.outcome is Outcome.ERROR:
            _say(f"NOT APPLIED (not counted) {result.reason}")
    survived = sorted(
        (result for result in everything if result.outcome is Outcome.SURVIVED),
        key=lambda result: result.mutant.position,
    )
    known = survivors.load(files.survivors) if settings.get("mode") == "sample" else set()
    for result in survived:
        tag = "SURVIVED (known)" if result.mutant.key in known else "SURVIVED"
        _say(f"{tag} {score.result_line(result)}")
    seconds = settings.get("seconds") or 0.0
    run = counts.judged
    _say(
        f"{run} run: {counts.killed} killed ({counts.timeout} by timeout), {counts.survived} survived; "
        f"{counts.equivalent} equivalent not run; score {score.percent(counts.score)} "
        f"(killed / (total - equivalent); target {score.THRESHOLD:.0%}); {seconds:.0f} s "
        f"({seconds / max(run + counts.invalid, 1):.1f} s per mutant); report {stem}.md"
    )
    if stale:
        _say(f"{len(stale)} stale entries in {files.equivalent.name}: review them")
    if settings.get("mode") != "sample":
        summary = (
            f"last full run: {settings.get('date')}, {counts.killed} of {run} killed, score "
            f"{score.percent(counts.score)}, {counts.survived} survivors"
        )
        survivors.write(survived, summary, files.survivors)
        _say(f"{len(survived)} survivors written to {files.survivors} (CI's sample tolerates these, and only these)")
        return 0 if counts.passed() and not stale else 1
    new = [result for result in survived if result.mutant.key not in known]
    _say(
        f"sample: {len(survived) - len(new)} known survivors of the last full run, {len(new)} new; a sample fails "
        f"on a new survivor (the {score.THRESHOLD:.0%} target is the full run's)"
    )
    return 0 if not new and not stale else 1


@dataclass(frozen=True, slots=True)
class ReviewedFiles:
    equivalent: Path = equivalent.EQUIVALENT_FILE
    survivors: Path = survivors.SURVIVORS_FILE


def rescore(report: Path, files: ReviewedFiles) -> int:
    """Judge an earlier run's results again with the reviewed file as it is now: a mutant it now
    lists as equivalent leaves the score; nothing is run. The report is rewritten beside it."""
    document = json.loads(report.read_text(encoding="utf-8"))
    earlier = [Result.from_json(entry) for entry in document["mutants"]]
    classified = equivalent.classify([result.mutant for result in earlier], equivalent.load(files.equivalent))
    reasons = {mutant.key: reason for mutant, reason in classified.equivalent}
    everything: list[Result] = []
    unreviewed = 0
    for result in earlier:
        if result.mutant.key in reasons:
            everything.append(Result(result.mutant, Outcome.EQUIVALENT, reason=reasons[result.mutant.key]))
        elif result.outcome is Outcome.EQUIVALENT:  # listed then, not now, and never run
            _say(f"no longer equivalent, and never run: {result.mutant.label}: run it")
            unreviewed += 1
        else:
            everything.append(result)
    settings = {name: value for name, value in document.items() if name not in _REPORT_FIELDS}
    settings["rescored"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    stem = report.with_name(report.stem + "-rescored")
    return finish(everything, classified.stale, settings, stem, files) or (1 if unreviewed else 0)


def rerun_survivors(report: Path, files: ReviewedFiles, examples: int, jobs: int, out: Path) -> int:
    """Run again only the survivors of an earlier full run, against the contract suite as it is
    now (after strengthening it): each keeps its verdict or is killed now; everything else
    keeps the earlier verdict, judged with the reviewed file as it is now. Writes
    `out`/report.json and .md and the known survivors, as a full run does."""
    document = json.loads(report.read_text(encoding="utf-8"))
    earlier = [Result.from_json(entry) for entry in document["mutants"] if entry["outcome"] != "equivalent"]
    every, sources = mutants.enumerate_mutants()
    classified = equivalent.classify(every, equivalent.load(files.equivalent))
    current = {mutant.key: mutant for mutant in classified.to_run}
    reasons = {mutant.key: reason for mutant, reason in classified.equivalent}
    again = [
        current[result.mutant.key]
        for result in earlier
        if result.outcome is Outcome.SURVIVED and result.mutant.key in current
    ]
    gone = [result for result in earlier if result.mutant.key not in current and result.mutant.key not in reasons]
    if gone:
        _say(f"{len(gone)} mutants of {report} are no longer enumerated (the code changed): run a full run")
        return 2
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    baseline = run_unmutated(Contract(examples, timeout=600), logs / "baseline.log")
    if baseline.returncode != 0:
        _say(f"the UNMUTATED mock fails its contract run: see {logs / 'baseline.log'}")
        return 2
    contract = Contract(examples, timeout=max(MIN_TIMEOUT, TIMEOUT_FACTOR * baseline.seconds))
    _say(f"running the {len(again)} survivors of {report} again ({examples} examples per operation)")

    def progress(result: Result, done: int, total: int) -> None:
        print(f"[{done}/{total}] {score.result_line(result)}", flush=True)

    rerun = {result.mutant.key: result for result in run_all(again, sources, contract, jobs, logs, progress)}
    everything = [Result(mutant, Outcome.EQUIVALENT, reason=reason) for mutant, reason in classified.equivalent]
    everything += [rerun.get(result.mutant.key, result) for result in earlier if result.mutant.key not in reasons]
    settings = {name: value for name, value in document.items() if name not in _REPORT_FIELDS}
    settings["survivors_rerun"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    settings["survivors_rerun_seconds"] = round(time.monotonic() - started, 1)
    killed_now = sum(result.outcome is not Outcome.SURVIVED for result in rerun.values())
    _say(f"{killed_now} of the {len(again)} survivors are killed now")
    return finish(everything, classified.stale, settings, out / "report", files)


_REPORT_FIELDS = {"threshold", "passed", "totals", "stale_equivalent_entries", "mutants"}
