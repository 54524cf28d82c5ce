"""Every file in examples/ runs against the mock, as a user would run it: the scripts with
Python, the user's own test files (`test_*.py`) with pytest and the `calyptia_mock` fixture."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ALL_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.py"))
EXAMPLES = [path for path in ALL_EXAMPLES if not path.name.startswith("test_")]
USER_TESTS = [path for path in ALL_EXAMPLES if path.name.startswith("test_")]
# What each example must print: proof that its last step ran and behaved as documented.
LAST_WORDS = {
    "quickstart.py": "gone: 404 project not found",
    "project_token.py": "delete needs a user token: 401 unauthenticated",
    "async_walk.py": "walked 4 projects, two per page",  # dave's default and the three created
    "debugging.py": "the service refused the user token sent as Authorization (from the token= argument)",
}


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_the_example_runs_against_the_mock(
    example: Path, mock_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CALYPTIA_CLOUD_URL", mock_url)
    monkeypatch.setenv("CALYPTIA_CLOUD_TOKEN", "dave-token")
    runpy.run_path(str(example), run_name="__main__")
    printed = capsys.readouterr().out
    assert LAST_WORDS[example.name] in printed


@pytest.mark.e2e  # pytest in a subprocess on a user's file (about 15 s); make install-check runs it too
@pytest.mark.parametrize("user_tests", USER_TESTS, ids=[path.name for path in USER_TESTS])
def test_the_user_test_file_passes_with_the_fixture(user_tests: Path, tmp_path: Path) -> None:
    """In a folder of its own with an empty pytest.ini: none of this repository's settings."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(user_tests)]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout, result.stdout
    assert "skipped" not in result.stdout, result.stdout
