"""Section 5: how fast schemathesis exercises the mock, in-process (ASGI) and over loopback HTTP.

In-process: the pytest suite's stateless test, with a request log whose lines count the
requests. Over HTTP: `st run` against a freshly started mock with the fixture users, whose
summary line says how many test cases it generated. Both rates are over the wall time of
the whole command (start-up, schema loading and collection included), and each repetition
starts from a fresh database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench import servers
from bench.core import VENV_BIN, Section, Settings, figure, log, table
from tools.paths import ROOT

_REQUEST_LINE = re.compile(rb"^[A-Z]+ /", re.MULTILINE)
_GENERATED = re.compile(r"(\d+) generated")
_SESSION = re.compile(r" in ([\d.]+)s")
TOKEN = "alice-token"


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("5. Contract-test throughput (schemathesis)")
    in_process: list[tuple[float, int, float]] = []
    over_http: list[tuple[float, int, float]] = []
    for repetition in range(settings.repeats):
        log(f"contract: rep {repetition + 1} in-process pytest")
        folder = scratch / f"rep-{repetition}"
        folder.mkdir(exist_ok=True)
        in_process.append(_pytest(settings, folder / "contract-requests.log", section))
        log(f"contract: rep {repetition + 1} st run over HTTP")
        over_http.append(_st(settings, folder, section))
    rows = []
    for label, unit, results in (
        ("in-process (pytest, ASGI)", "requests", in_process),
        ("loopback HTTP (`st run`)", "test cases", over_http),
    ):
        rows.append(
            [
                label,
                f"{figure([count for _, count, _ in results]).median:,.0f} {unit}",
                figure([wall for wall, _, _ in results]).show(1, " s"),
                figure([count / wall for wall, count, _ in results]).show(0),
                figure([count / session for _, count, session in results if session]).show(0)
                if all(session for _, _, session in results)
                else "n/a",
            ]
        )
    section.body += [
        f"{settings.contract_examples} examples per operation, {settings.repeats} repetitions, median (min-max). "
        "The in-process figure counts HTTP requests (one per line of CONTRACT_REQUEST_LOG); the HTTP figure "
        "counts schemathesis test cases (its `N generated` summary), so the two units differ: a test case "
        "may send a follow-up request for a check.",
        "",
        *table(["mode", "count", "wall time", "per second (wall)", "per second (tool's own timer)"], rows),
        "",
    ]
    return section


def _pytest(settings: Settings, request_log: Path, section: Section) -> tuple[float, int, float]:
    argv = [sys.executable, "-m", "pytest", "tests/contract/test_schemathesis.py", "-q", "-p", "no:cacheprovider"]
    argv += ["-n", "0", "-k", "stateless"]  # one process: one ordered request log, a comparable timing
    env = {"CONTRACT_EXAMPLES": str(settings.contract_examples), "CONTRACT_REQUEST_LOG": str(request_log)}
    section.command(argv, env)
    request_log.unlink(missing_ok=True)
    started = time.perf_counter()
    completed = subprocess.run(
        argv, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=900, check=False
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"pytest failed ({completed.returncode}):\n{completed.stdout[-3000:]}")
    requests = len(_REQUEST_LINE.findall(request_log.read_bytes()))
    session = _SESSION.findall(completed.stdout)
    return wall, requests, float(session[-1]) if session else 0.0


def _st(settings: Settings, folder: Path, section: Section) -> tuple[float, int, float]:
    launch = servers.mock(folder / "contract.db", fixtures=servers.FIXTURES, token=TOKEN)
    with servers.running(launch, folder, section):
        argv = [str(VENV_BIN / "st"), "run", "openapi.yaml", "--url", launch.url]
        argv += ["--max-examples", str(settings.contract_examples), "--phases", "examples,coverage,fuzzing"]
        env = {"CONTRACT_TOKEN": TOKEN}
        section.command(argv, env)
        started = time.perf_counter()
        completed = subprocess.run(
            argv, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=900, check=False
        )
        wall = time.perf_counter() - started
    generated = _GENERATED.findall(completed.stdout)
    if completed.returncode != 0 or not generated:
        raise RuntimeError(f"st run failed ({completed.returncode}):\n{completed.stdout[-3000:]}")
    session = _SESSION.findall(completed.stdout)
    return wall, int(generated[-1]), float(session[-1]) if session else 0.0
