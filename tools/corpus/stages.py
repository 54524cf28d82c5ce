"""The stages a spec goes through, each a subprocess: our generation, importing, `mypy --strict`.

Shared by `make corpus` (tools/corpus) and the fixture corpus's tests (tests/corpus/corpus.py),
so both judge a spec by the same commands. Each stage runs in a subprocess because the package
under test is named `calyptia_cloud_client`, as is the one the calling process may have imported
from generated/. A stage that outlives its timeout is killed with its whole process group (the
generator's own post-hooks included) and comes back as a failed run, exit TIMEOUT_EXIT.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from tools.paths import ROOT

PACKAGE = "calyptia_cloud_client"
VENV_BIN = Path(sys.executable).parent
# tools.generation.regenerate imports the mock's naming rule.
TOOLS_PATH = os.pathsep.join(str(path) for path in (ROOT, ROOT / "mock"))
# The exit status a killed stage is recorded with (as coreutils' `timeout` exits).
TIMEOUT_EXIT = 124
TIMEOUT_LINE = "timeout: killed after"
TRACEBACK = "Traceback (most recent call last)"

IMPORT_ALL = (
    "import importlib, pkgutil, sys; package = importlib.import_module(sys.argv[1]); "
    "names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]; "
    "[importlib.import_module(name) for name in names]; print(len(names) + 1)"
)
# The line a failed run is summed up by: the exception, or the generator's own error lines.
ERROR_LINE = re.compile(
    r"^(?:[\w.]+(?:Error|Exception)\b.*|error: .*|Error\(s\) encountered.*|Warning\(s\) encountered.*|WARNING .*)$"
)


def run(argv: list[str], *, cwd: Path, pythonpath: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `argv` with the venv's tools first on PATH; a run past `timeout` seconds is killed
    (its process group) and returned with exit TIMEOUT_EXIT and a last stderr line saying so."""
    env = {**os.environ, "PYTHONPATH": pythonpath, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    with subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            stderr += f"\n{TIMEOUT_LINE} {timeout:g} s\n"
            return subprocess.CompletedProcess(argv, TIMEOUT_EXIT, stdout, stderr)
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def timed_out(done: subprocess.CompletedProcess[str]) -> bool:
    """Whether `run` killed this run at its timeout."""
    return done.returncode == TIMEOUT_EXIT and TIMEOUT_LINE in done.stderr


def error_summary(output: str) -> str:
    """The lines that say what went wrong (the first five), without the tracebacks' boxes."""
    lines = [line.strip() for line in output.splitlines()]
    found = [line for line in lines if ERROR_LINE.match(line)]
    # generate_into's CalledProcessError only repeats the command: the generator's lines say why.
    said = [line for line in found if not line.startswith("subprocess.CalledProcessError")] or found
    return " | ".join(said[:5]) or (lines[-1] if lines else "(no output)")


def generate(
    spec: Path, output: Path, settings: Path | None = None, *, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Our pipeline, as `make generate` runs it, on `spec` into `output` (generate_into), with
    generator settings from the YAML file `settings` laid over generator_config.yml."""
    argv = [sys.executable, "-m", "tools.generation.regenerate", "into", str(output), "--spec", str(spec)]
    argv += ["--settings", str(settings)] if settings is not None else []
    return run(argv, cwd=ROOT, pythonpath=TOOLS_PATH, timeout=timeout)


def import_all(output: Path, *, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Import every module of the package in `output`; stdout is how many there are."""
    return run([sys.executable, "-c", IMPORT_ALL, PACKAGE], cwd=output, pythonpath=str(output), timeout=timeout)


def mypy(
    output: Path, *files: Path, cache_dir: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` on the package in `output` (and `files`), outside the repository's own
    settings; its cache in `cache_dir` (by default beside the package)."""
    config = output / "corpus-mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    cache = cache_dir or output / ".mypy"
    argv = [str(VENV_BIN / "mypy"), "--strict", "--config-file", str(config), "--cache-dir", str(cache)]
    argv += [PACKAGE, *map(str, files)]
    return run(argv, cwd=output, pythonpath=str(output), timeout=timeout)


def mypy_errors(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The `error:` lines of a mypy run."""
    return [line for line in done.stdout.splitlines() if ": error:" in line]
