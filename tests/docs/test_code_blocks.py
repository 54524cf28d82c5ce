"""Every code block of README.md and of the guides in docs/ runs, or is checked, as written.

- `python`: run against this session's mock. A block defining tests that take
  `calyptia_mock` runs those tests on the fixture; any other block runs as a script, with
  only the address and the token swapped for the mock's (the examples target either the
  mock's default address or the live API).
- `sh`: each command is checked against what it names: a make target and every variable
  given to make exist (a `BASE` is a commit of this history), a `calyptia-mock` command line
  parses, a path is a file of the repository or a wheel `make dist` writes, an environment
  variable is one the tools read, a commit `git switch` names is in this history (a clone
  has no tags, so a guide must not count on one). Where it is cheap, the command runs: an
  example script against the mock, `curl` against the mock's control API and service, its
  status compared with the block's comment, `git log` (read-only), which must find something.
  A program the test does not know fails it, so a new kind of command gets a check before it
  gets into a guide.
- `json`: parses. `text` (output shown for reading) and the README's Layout block (checked
  by test_layout.py) are not run.

The blocks run in-process on the session's mock, so all of them cost about a second.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from calyptia_mock.__main__ import parse_args
from calyptia_mock.pytest_plugin import CalyptiaMock, MockSession

from tests.docs.blocks import LANGUAGES, Block, blocks, documents
from tools.packaging.dist import PACKAGES
from tools.paths import ROOT

PYTHON = blocks("python")
FIXTURE_TESTS = [block for block in PYTHON if "(calyptia_mock):" in block.code]
SCRIPTS = [block for block in PYTHON if block not in FIXTURE_TESTS]
SHELL = blocks("sh")
JSON = blocks("json")
# The addresses the examples use: the mock's default (make mock) and the live API.
ADDRESSES = ("http://127.0.0.1:5000", "https://cloud-api.calyptia.com")
PLACEHOLDER_TOKENS = ("<your token>", "<token>")
# Where the variables a command line sets must be read: the Makefile or the code behind it.
READERS = [ROOT / "Makefile", *ROOT.glob("tools/**/*.py"), *ROOT.glob("mock/calyptia_mock/*.py")]
PYTHON_VARIABLES = {"PYTHONPATH"}


def ids(found: list[Block]) -> list[str]:
    return [block.id for block in found]


def test_every_document_has_blocks_of_a_known_language() -> None:
    everything = blocks()
    assert {block.path for block in everything} >= {"README.md", "docs/client.md", "docs/mock.md"}
    assert {block.lang for block in everything} <= LANGUAGES
    untagged = [block.id for block in everything if block.lang == ""]
    assert len(untagged) == 1, "tag every block but the README's Layout"
    assert untagged[0].startswith("README.md")
    assert len(SCRIPTS) >= 8
    assert FIXTURE_TESTS
    assert len(SHELL) >= 8


def run_script(code: str, mock: CalyptiaMock) -> str:
    for address in ADDRESSES:
        code = code.replace(address, mock.base_url)
    for placeholder in PLACEHOLDER_TOKENS:
        code = code.replace(placeholder, mock.token)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<block>", "exec"), {"__name__": "__main__"})
    return printed.getvalue()


@pytest.mark.parametrize("block", SCRIPTS, ids=ids(SCRIPTS))
def test_python_block_runs_against_the_mock(block: Block, calyptia_mock: CalyptiaMock) -> None:
    try:
        with logging_as_it_was():
            run_script(block.code, calyptia_mock)
    except Exception as exc:
        pytest.fail(f"{block.id} failed: {exc!r}\n{block.code}")
    assert calyptia_mock.requests() or "CalyptiaCloud(" in block.code  # it reached the mock, or only builds


@contextlib.contextmanager
def logging_as_it_was() -> Iterator[None]:
    """A block that configures logging (the client guide's Debugging) leaves the next test's as it found it."""
    root, client = logging.getLogger(), logging.getLogger("calyptia_cloud_client")
    saved = [(logger, logger.level, list(logger.handlers)) for logger in (root, client)]
    try:
        yield
    finally:
        for logger, level, handlers in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers


@pytest.mark.parametrize("block", FIXTURE_TESTS, ids=ids(FIXTURE_TESTS))
def test_python_block_tests_pass_on_the_fixture(block: Block, calyptia_mock_session: MockSession) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(block.code, block.id, "exec"), namespace)
    tests = {name: function for name, function in namespace.items() if name.startswith("test_")}
    assert tests
    for test in tests.values():
        test(calyptia_mock_session.fresh())  # what the fixture gives each test


@pytest.mark.parametrize("block", JSON, ids=ids(JSON))
def test_json_block_parses(block: Block) -> None:
    json.loads(block.code)


# --- shell blocks ---------------------------------------------------------------------------


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))


def is_read(variable: str) -> bool:
    return variable in PYTHON_VARIABLES or any(variable in path.read_text(encoding="utf-8") for path in READERS)


def commands(block: Block) -> list[tuple[str, list[str]]]:
    """Each command line of a block, as (the line, its words without the comment or a final `&`)."""
    found = []
    for line in block.code.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[-1] == "&":
            words.pop()
        if words:
            found.append((line, words))
    return found


def split_assignments(words: list[str]) -> tuple[dict[str, str], list[str]]:
    env: dict[str, str] = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, _, value = words[0].partition("=")
        env[name] = value
        words = words[1:]
    return env, words


class Checker:
    """Checks, or runs, one command line; the session's mock stands in for any address."""

    def __init__(self, mock: CalyptiaMock) -> None:
        self.mock = mock
        self.host = urlsplit(mock.base_url).netloc

    def check(self, line: str, words: list[str]) -> None:
        env, words = split_assignments(words)
        unknown = [name for name in env if not is_read(name)]
        assert not unknown, f"no tool reads {unknown}: {line}"
        program, args = words[0], words[1:]
        if program == "make":
            self.make(args)
        elif program == "pip":
            self.pip(args)
        elif program == "calyptia-mock":
            parse_args(args)  # exits 2, failing the test, on a flag the command does not have
        elif program in ("python", ".venv/bin/python"):
            self.python(env, args)
        elif program == "curl":
            self.curl(line, args)
        elif program == "git":
            self.git(line, args)
        else:
            pytest.fail(f"no check for {program!r} in tests/docs/test_code_blocks.py: {line}")

    def make(self, args: list[str]) -> None:
        targets = make_targets()
        for arg in args:
            if "=" in arg:
                name, _, value = arg.partition("=")
                assert is_read(name), f"make variable {name} is read by nothing"
                if name == "BASE" and not value.startswith("<"):  # `<last release>` is a placeholder
                    assert_commit(value)
            else:
                assert arg in targets, f"no make target {arg!r}"

    def pip(self, args: list[str]) -> None:
        assert args[0] == "install"
        wheels = {f"dist/{package}-*.whl" for _, _, package in PACKAGES}  # what `make dist` writes
        for arg in args[1:]:
            if arg.startswith("./"):
                assert (ROOT / arg / "pyproject.toml").is_file(), f"{arg} is not a package of this repository"
            elif arg.startswith("dist/"):
                assert arg in wheels, f"{arg} is not a wheel make dist writes ({sorted(wheels)})"

    def python(self, env: dict[str, str], args: list[str]) -> None:
        if args[0] == "-m":
            module = args[1].replace(".", "/")
            assert (ROOT / f"{module}.py").is_file() or (ROOT / module / "__main__.py").is_file(), args[1]
            return
        script = ROOT / args[0]
        assert script.is_file(), f"no script {args[0]}"
        env = {**env, "CALYPTIA_CLOUD_URL": self.mock.base_url, "CALYPTIA_CLOUD_TOKEN": self.mock.token}
        env["PYTHONPATH"] = os.pathsep.join(str(ROOT / part) for part in env.get("PYTHONPATH", "").split(":"))
        done = subprocess.run(
            [sys.executable, str(script), *args[1:]],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr

    def curl(self, line: str, args: list[str]) -> None:
        if shutil.which("curl") is None:
            pytest.skip("curl is not installed")
        args = [re.sub(r"^(?:localhost|127\.0\.0\.1):\d+", self.host, arg) for arg in args]
        done = subprocess.run(["curl", "--max-time", "10", *args], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        expected = re.search(r"#\s*(\d{3})\b", line)
        if expected is not None:
            status = re.match(r"HTTP/[\d.]+ (\d{3})", done.stdout)
            assert status is not None, (line, done.stdout)
            assert status[1] == expected[1], (line, done.stdout)

    def git(self, line: str, args: list[str]) -> None:
        """Release instructions must work in a clone without tags: `git log` runs and finds
        something; `git switch` is not run (it would move this checkout), its commit must exist."""
        if git_output("rev-parse", "--is-shallow-repository").strip() == "true":
            pytest.skip("a shallow clone may not hold the commits the guides name")
        if args[0] == "log":
            assert git_output(*args).strip(), f"git log found nothing: {line}"
        elif args[0] == "switch":
            refs = [arg for arg in args[1:] if not arg.startswith("-")]
            assert refs, line
            for ref in refs:
                assert_commit(ref)
        else:
            pytest.fail(f"no check for git {args[0]!r} in tests/docs/test_code_blocks.py: {line}")


def git_output(*args: str) -> str:
    """A git command's output in this checkout; a failing command fails the check that ran it."""
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def assert_commit(ref: str) -> None:
    """`ref` names a commit of this repository (a tag a clone lacks does not)."""
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, f"{ref} is not a commit of this history (a clone has no tags)"


@pytest.mark.parametrize("block", SHELL, ids=ids(SHELL))
def test_shell_block_names_what_exists(block: Block, calyptia_mock: CalyptiaMock) -> None:
    checker = Checker(calyptia_mock)
    found = commands(block)
    assert found, f"{block.id}: an empty sh block"
    for line, words in found:
        checker.check(line, words)


def test_the_checker_refuses_what_does_not_exist(calyptia_mock: CalyptiaMock) -> None:
    """The shell check can fail: a missing target, an unread variable, a wrong flag, a bad path."""
    checker = Checker(calyptia_mock)
    for line in (
        "make no-such-target",
        "make contract NO_SUCH_VARIABLE=1",
        "NO_SUCH_VARIABLE=1 make contract",
        "pip install ./no-such-package",
        "python examples/no_such_example.py",
        "curl -si localhost:5000/v1/projects   # 200",  # no token: a 401
        "rm -rf build",
        "make diff BASE=v0.0.0",  # a tag this clone does not have
        "pip install dist/calyptia_cloud_client.whl",
        "git switch --detach v0.0.0",  # a tag this clone does not have
        # Last: in a shallow clone, the git checks skip.
        "git log --oneline --grep='^Release 0.0.0$'",  # no such release
        "git push origin HEAD",
    ):
        with pytest.raises((AssertionError, SystemExit, pytest.fail.Exception)):
            checker.check(line, shlex.split(line, comments=True))


def test_the_paths_the_guides_name_exist() -> None:
    """A repository path in backticks (`tools/contract/runner.py`, `tests/fixtures/users.yaml`) exists."""
    missing = []
    for document in documents():
        text = document.read_text(encoding="utf-8")
        for path in re.findall(r"`((?:tools|tests|mock|examples|templates|overlays|bench|docs)/[\w./-]+)`", text):
            if not (ROOT / path.rstrip("/")).exists():
                missing.append(f"{document.name}: {path}")
    assert missing == []
