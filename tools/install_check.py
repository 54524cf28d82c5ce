"""`make install-check`: the generated package as a user gets it.

1. `pip install ./generated` into a fresh venv (build/install-venv);
2. `mypy --strict` the examples and tests/install/first_calls.py against that installed
   package, and check that each `reveal_type(...)  # revealed: T` shows exactly T;
3. run the same files with the venv's Python against the mock on a free loopback port.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tools.contract import OUT, running_mock

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "build" / "install-venv"
FIRST_CALLS = ROOT / "tests" / "install" / "first_calls.py"
SCRIPTS = [FIRST_CALLS, *sorted((ROOT / "examples").glob("*.py"))]
TOKEN = "dave-token"  # a user of tests/fixtures/users.yaml, which the launched mock loads
EXPECTED = re.compile(r"reveal_type\(.*\)\s+# revealed: (?P<type>.+)$")
REVEALED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): note: Revealed type is \"(?P<type>.+)\"$")


class InstallCheckError(Exception):
    """What a user of the installed package would trip over."""


def install() -> Path:
    """A fresh venv with the package installed from generated/; returns its python."""
    shutil.rmtree(VENV, ignore_errors=True)
    venv.create(VENV, with_pip=True)
    python = VENV / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(ROOT / "generated")], check=True)
    return python


def type_check(python: Path) -> int:
    """mypy --strict against the installed package; returns how many reveal_types matched."""
    config = VENV / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")  # not the repo's: find the package as installed
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", str(config)]
    command += ["--python-executable", str(python), *map(str, SCRIPTS)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise InstallCheckError(f"mypy --strict failed:\n{result.stdout}{result.stderr}")
    revealed = {
        (Path(m["file"]).resolve(), int(m["line"])): m["type"]
        for m in map(REVEALED.match, result.stdout.splitlines())
        if m
    }
    matched = 0
    for script in SCRIPTS:
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), start=1):
            expected = EXPECTED.search(line)
            if expected is None:
                continue
            actual = revealed.get((script.resolve(), number))
            if actual != expected["type"]:
                raise InstallCheckError(f"{script.name}:{number}: revealed {actual!r}, expected {expected['type']!r}")
            matched += 1
    return matched


def run_against_the_mock(python: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)  # where the launcher writes the mock's log
    with running_mock(ROOT / "build" / "install-check.db", log_level="warning") as (url, _):
        env = {**os.environ, "CALYPTIA_CLOUD_URL": url, "CALYPTIA_CLOUD_TOKEN": TOKEN, "PYTHONPATH": ""}
        for script in SCRIPTS:
            result = subprocess.run([str(python), str(script)], env=env, capture_output=True, text=True, timeout=120)
            if result.returncode != 0:
                raise InstallCheckError(f"{script.name} failed against the mock:\n{result.stdout}{result.stderr}")
            print(f"ran {script.relative_to(ROOT)} against the mock")


def main() -> int:
    try:
        python = install()
        version = subprocess.run(
            [str(python), "-c", "import importlib.metadata as m; print(m.version('calyptia-cloud-client'))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        print(f"installed calyptia-cloud-client {version} into {VENV.relative_to(ROOT)}")
        print(f"mypy --strict: {len(SCRIPTS)} files clean, {type_check(python)} reveal_type lines as expected")
        run_against_the_mock(python)
    except InstallCheckError as exc:
        print(f"install-check: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
