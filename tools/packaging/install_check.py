"""`make install-check`: the client and the mock as a user gets them.

1. `pip install` the wheels `make dist` built (dist/) and the pinned pytest into a fresh venv
   (build/install-venv): what a user gets from an index, not the source folders;
2. `mypy --strict` the examples and tests/install/first_calls.py against those installed
   packages, and check that each `reveal_type(...)  # revealed: T` shows exactly T;
3. run the scripts with the venv's Python against the mock on a free loopback port;
4. run the user's own test files (examples/test_*.py) with the venv's pytest in a folder of
   their own, outside this repository's settings: the installed `calyptia_mock` fixture.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from calyptia_mock.server import MockOptions, serving

from tools.packaging.dist import DistError, wheels
from tools.paths import BUILD, FIXTURES, ROOT

VENV = BUILD / "install-venv"
FIRST_CALLS = ROOT / "tests" / "install" / "first_calls.py"
# Every call style printed, logged and raised through: no token may show (exits 1 naming it).
NO_SECRETS = ROOT / "tests" / "install" / "no_secrets.py"
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
USER_TESTS = [path for path in EXAMPLES if path.name.startswith("test_")]
SCRIPTS = [FIRST_CALLS, NO_SECRETS, *(path for path in EXAMPLES if path not in USER_TESTS)]
TYPE_CHECKED = [*SCRIPTS, *USER_TESTS]
TOKEN = "dave-token"  # a user of tests/fixtures/users.yaml, which the launched mock loads
EXPECTED = re.compile(r"reveal_type\(.*\)\s+# revealed: (?P<type>.+)$")
REVEALED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): note: Revealed type is \"(?P<type>.+)\"$")


DISTRIBUTIONS = ("calyptia-cloud-client", "calyptia-mock")


class InstallCheckError(Exception):
    """What a user of the installed package would trip over."""


def install() -> Path:
    """A fresh venv with the built wheels of the client and the mock, and the pinned pytest."""
    try:
        built = wheels()
    except DistError as exc:
        raise InstallCheckError(str(exc)) from exc
    shutil.rmtree(VENV, ignore_errors=True)
    venv.create(VENV, with_pip=True)
    python = VENV / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *map(str, built), pinned("pytest")], check=True)
    return python


def pinned(name: str) -> str:
    """`name==version` as requirements.txt pins it."""
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.lower().startswith(f"{name.lower()}=="):
            return line.strip()
    raise InstallCheckError(f"{name} is not pinned in requirements.txt")


def type_check(python: Path) -> int:
    """mypy --strict against the installed package; returns how many reveal_types matched."""
    config = VENV / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")  # not the repo's: find the package as installed
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", str(config)]
    command += ["--python-executable", str(python), *map(str, TYPE_CHECKED)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise InstallCheckError(f"mypy --strict failed:\n{result.stdout}{result.stderr}")
    revealed = {
        (Path(m["file"]).resolve(), int(m["line"])): m["type"]
        for m in map(REVEALED.match, result.stdout.splitlines())
        if m
    }
    matched = 0
    for script in TYPE_CHECKED:
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
    with serving(MockOptions(fixtures=FIXTURES, validate_responses=True)) as mock:
        env = {**os.environ, "CALYPTIA_CLOUD_URL": mock.url, "CALYPTIA_CLOUD_TOKEN": TOKEN, "PYTHONPATH": ""}
        for script in SCRIPTS:
            result = subprocess.run([str(python), str(script)], env=env, capture_output=True, text=True, timeout=120)
            if result.returncode != 0:
                raise InstallCheckError(f"{script.name} failed against the mock:\n{result.stdout}{result.stderr}")
            print(f"ran {script.relative_to(ROOT)} against the mock")


def run_the_user_tests(python: Path, project: Path = VENV / "user-project") -> str:
    """The user's test files alone in a folder with an empty pytest.ini: no conftest, no repo
    settings, the fixture found through the installed plugin's entry point. Returns pytest's
    summary line."""
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    for user_tests in USER_TESTS:
        shutil.copy(user_tests, project)
    command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    env = {**os.environ, "PYTHONPATH": ""}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or "skipped" in result.stdout:
        raise InstallCheckError(f"the user's tests failed with the installed fixture:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def main() -> int:
    try:
        python = install()
        version = subprocess.run(
            [str(python), "-c", f"import importlib.metadata as m; print(*map(m.version, {DISTRIBUTIONS!r}))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        installed = " and ".join(map(" ".join, zip(DISTRIBUTIONS, version.split(), strict=True)))
        print(f"installed {installed} into {VENV.relative_to(ROOT)}")
        subprocess.run([str(VENV / "bin" / "calyptia-mock"), "--help"], check=True, capture_output=True)
        print(f"mypy --strict: {len(TYPE_CHECKED)} files clean, {type_check(python)} reveal_type lines as expected")
        run_against_the_mock(python)
        print(f"pytest with the installed calyptia_mock fixture: {run_the_user_tests(python)}")
    except InstallCheckError as exc:
        print(f"install-check: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
