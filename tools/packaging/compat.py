"""`make compat`: both packages at both ends of the ranges they declare, on every Python they claim.

For each Python the wheels' classifiers claim (`Programming Language :: Python :: 3.X`) that
this machine has (the running one, `python3.X` on PATH, /usr/bin, /usr/local/bin, pyenv's
versions), and for each end of the ranges:

- `lowest`: uv's `--resolution lowest-direct`, with every `Requires-Dist` of both wheels
  given as a direct requirement, so each declared lower bound is what gets installed;
- `highest`: uv's `--resolution highest`, the newest release each range allows;

1. a fresh venv (build/compat/<python>-<end>) with the wheels from `make dist` and the pinned
   pytest: `uv pip install`, never the source folders;
2. the client's tests against the mock and the mock's own tests (TESTS below), run
   from this checkout but importing the installed packages (`-o pythonpath=.`: not the
   repository's `generated` and `mock` folders);
3. the user's fixture test file (examples/test_*.py) alone in a folder, as `make install-check`
   runs it.

It prints the resolved version of every declared dependency at each end and writes the same
to build/compat/report.md. A claimed Python that this machine lacks is named, not failed (uv
may not download interpreters here); no interpreter at all is a failure. COMPAT_PYTHONS=3.11,3.12
limits the run to those versions.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tools.packaging.dist import DistError, wheel_metadata, wheels
from tools.packaging.install_check import InstallCheckError, pinned, run_the_user_tests
from tools.paths import BUILD, ROOT

WORK = BUILD / "compat"
UV = Path(sys.executable).parent / "uv"
RESOLUTIONS = {"lowest": "lowest-direct", "highest": "highest"}
# The client's tests against the mock (in-process and over loopback) and its fault handling;
# the mock's own: its rules, hostile and malformed HTTP (it subclasses uvicorn's protocols), HEAD,
# the store, the CLI and server stack, the pytest plugin. What needs no repository tooling
# beyond pytest and the packages (not the Swagger UI test: it needs Chromium; not the slow
# concurrency and crash tests, which exercise SQLite rather than a dependency).
TESTS = (
    "tests/client/test_against_mock.py",
    "tests/client/test_cloud_client.py",
    "tests/client/test_resilience.py",
    "tests/client/test_misbehaving_server.py",
    "tests/client/test_network_faults.py",
    "tests/client/test_model_parsing.py",
    "tests/mock/test_access_matrix.py",
    "tests/mock/test_cli.py",
    "tests/mock/test_cursor.py",
    "tests/mock/test_end_to_end.py",
    "tests/mock/test_head.py",
    "tests/mock/test_hostile_input.py",
    "tests/mock/test_plugin.py",
    "tests/mock/test_registry.py",
    "tests/mock/test_server.py",
    "tests/mock/test_server_stack.py",
    "tests/mock/test_store.py",
    "tests/mock/test_store_json.py",
)
CLASSIFIER = re.compile(r"^Programming Language :: Python :: (3\.\d+)$")
REQUIREMENT_NAME = re.compile(r"^[A-Za-z0-9._-]+")
# uv must not fetch a Python of its own: only what this machine has counts.
UV_ENV = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_CONFIG": "1", "PYTHONPATH": ""}


class CompatError(Exception):
    """One end of a range that does not work."""


@dataclass(frozen=True)
class Outcome:
    python: str
    end: str
    versions: dict[str, str]
    tests: str
    user_tests: str
    seconds: float


def claimed_pythons(built: list[Path]) -> list[str]:
    """The 3.X versions the wheels' classifiers claim, oldest first."""
    claimed = {
        match[1]
        for wheel in built
        for classifier in wheel_metadata(wheel).get("Classifier", [])
        if (match := CLASSIFIER.match(classifier))
    }
    return sorted(claimed, key=lambda version: tuple(map(int, version.split("."))))


def interpreters() -> dict[str, Path]:
    """Every Python this machine has, one executable per 3.X version."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [sys.executable]
    candidates += [path for n in range(8, 30) if (path := shutil.which(f"python3.{n}"))]
    candidates += sorted(glob.glob("/usr/bin/python3.*") + glob.glob("/usr/local/bin/python3.*"))
    candidates += sorted(glob.glob(str(pyenv / "versions" / "*" / "bin" / "python3")))
    found: dict[str, Path] = {}
    for candidate in candidates:
        if candidate.endswith("-config"):
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
        except OSError:
            continue
        if probe.returncode == 0:
            found.setdefault(probe.stdout.strip(), Path(candidate))
    return found


def requirements(built: list[Path]) -> list[str]:
    """Every Requires-Dist of the wheels (no extras): as direct requirements, lowest-direct
    applies to them."""
    declared = [req for wheel in built for req in wheel_metadata(wheel).get("Requires-Dist", [])]
    return [req for req in declared if "extra ==" not in req]


def names(requirement_list: list[str]) -> list[str]:
    """The distribution names, normalised, in first-seen order."""
    seen: list[str] = []
    for requirement in requirement_list:
        match = REQUIREMENT_NAME.match(requirement)
        name = re.sub(r"[-_.]+", "-", match[0]).lower() if match else requirement
        if name not in seen:
            seen.append(name)
    return seen


def install(python: Path, venv: Path, built: list[Path], resolution: str) -> dict[str, str]:
    """A fresh venv with the wheels and their dependencies at one end; returns what resolved."""
    shutil.rmtree(venv, ignore_errors=True)
    run([str(UV), "venv", "--quiet", "--python", str(python), str(venv)])
    target = str(venv / "bin" / "python")
    command = [str(UV), "pip", "install", "--quiet", "--python", target, "--resolution", resolution]
    run([*command, *map(str, built), *requirements(built), pinned("pytest")])
    listed = run([str(UV), "pip", "list", "--python", target, "--format", "json"])
    return {re.sub(r"[-_.]+", "-", item["name"]).lower(): item["version"] for item in json.loads(listed)}


def run(command: list[str], cwd: Path = ROOT, timeout: float = 600) -> str:
    result = subprocess.run(command, cwd=cwd, env=UV_ENV, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise CompatError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def run_tests(venv: Path) -> str:
    """The client's and the plugin's tests from this checkout, importing the installed packages."""
    python = str(venv / "bin" / "python")
    probe = "import calyptia_cloud_client as c, calyptia_mock as m; print(c.__file__); print(m.__file__)"
    for location in run([python, "-c", probe]).split():
        if not Path(location).is_relative_to(venv):
            raise CompatError(f"the tests would import {location}, not the installed package")
    options = ["-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), "-o", "addopts=", "-o", "pythonpath=."]
    output = run([python, "-m", "pytest", *options, *TESTS])
    summary = output.strip().splitlines()[-1]
    if "failed" in summary or "skipped" in summary or "error" in summary:
        raise CompatError(f"tests: {summary}\n{output}")
    return summary


def check_end(python_version: str, python: Path, end: str, built: list[Path]) -> Outcome:
    started = time.monotonic()
    venv = WORK / f"py{python_version}-{end}"
    resolved = install(python, venv, built, RESOLUTIONS[end])
    versions = {name: resolved.get(name, "-") for name in names(requirements(built))}
    tests = run_tests(venv)
    try:
        user_tests = run_the_user_tests(venv / "bin" / "python", venv / "user-project")
    except InstallCheckError as exc:
        raise CompatError(str(exc)) from exc
    return Outcome(python_version, end, versions, tests, user_tests, time.monotonic() - started)


def report(outcomes: list[Outcome], untested: list[str]) -> str:
    dependencies = list(outcomes[0].versions) if outcomes else []
    lines = ["| Python | end | " + " | ".join(dependencies) + " | tests | user's fixture tests | s |"]
    lines.append("|" + " --- |" * (len(dependencies) + 5))
    for o in outcomes:
        row = [o.python, o.end, *o.versions.values(), o.tests, o.user_tests, f"{o.seconds:.0f}"]
        lines.append("| " + " | ".join(row) + " |")
    if untested:
        lines.append("")
        lines.append(f"Claimed but not on this machine, so not tested: Python {', '.join(untested)}.")
    return "\n".join(lines) + "\n"


def main() -> int:
    try:
        built = wheels()
        claimed = claimed_pythons(built)
        wanted = os.environ.get("COMPAT_PYTHONS")
        selected = [v for v in claimed if not wanted or v in wanted.split(",")]
        available = interpreters()
        untested = [v for v in claimed if v not in available]
        runnable = [v for v in selected if v in available]
        if not runnable:
            raise CompatError(f"no interpreter for any of Python {', '.join(selected)} on this machine")
        outcomes = []
        for version in runnable:
            for end in RESOLUTIONS:
                print(f"compat: Python {version} ({available[version]}), {end} ...", flush=True)
                outcome = check_end(version, available[version], end, built)
                print(f"  {' '.join(f'{k}=={v}' for k, v in outcome.versions.items())}")
                print(f"  tests: {outcome.tests}; the user's fixture tests: {outcome.user_tests}", end="")
                print(f" ({outcome.seconds:.0f} s)")
                outcomes.append(outcome)
    except (CompatError, DistError, subprocess.TimeoutExpired) as exc:
        print(f"compat: {exc}", file=sys.stderr)
        return 1
    text = report(outcomes, untested)
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "report.md").write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
