"""Every file in examples/ runs against the mock, as a user would run it."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.py"))
# What each example must print: proof that its last step ran and behaved as documented.
LAST_WORDS = {
    "quickstart.py": "gone: 404 project not found",
    "project_token.py": "delete needs a user token: 401 unauthenticated",
    "async_walk.py": "walked 4 projects, two per page",  # dave's default and the three created
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
