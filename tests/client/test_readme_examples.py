"""Every Python example in README.md runs, against the mock, as written.

Only the address and the token are swapped for the test mock's: the examples target
either the mock's default address or the live API. The examples of a user's own tests
(functions taking `calyptia_mock`) run as tests, on this session's fixture.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from calyptia_mock.pytest_plugin import MockSession

from tests.mock_server import running_mock

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
FIXTURE_TESTS = [block for block in BLOCKS if "(calyptia_mock):" in block]
SCRIPTS = [block for block in BLOCKS if block not in FIXTURE_TESTS]


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 6


def test_the_readme_has_fixture_tests() -> None:
    assert FIXTURE_TESTS


@pytest.mark.parametrize("index", range(len(SCRIPTS)))
def test_readme_example_runs(index: int, tmp_path: Path) -> None:
    with running_mock(tmp_path / "readme.db", fixtures=None) as url:
        code = SCRIPTS[index]
        for address in ("http://127.0.0.1:5000", "https://cloud-api.calyptia.com"):
            code = code.replace(address, url)
        code = code.replace("<your token>", "demo-token").replace("<token>", "demo-token")
        script = tmp_path / "example.py"
        script.write_text(code, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT / "generated")},
        )
    assert result.returncode == 0, f"README example {index} failed:\n{code}\n{result.stderr}"


@pytest.mark.parametrize("index", range(len(FIXTURE_TESTS)))
def test_readme_fixture_tests_pass(index: int, calyptia_mock_session: MockSession) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(FIXTURE_TESTS[index], f"README fixture example {index}", "exec"), namespace)
    tests = {name: function for name, function in namespace.items() if name.startswith("test_")}
    assert tests
    for test in tests.values():
        test(calyptia_mock_session.fresh())  # what the fixture gives each test
