"""The README's runnable example works against the mock, as the README says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.mock_server import running_mock

ROOT = Path(__file__).resolve().parents[2]


def test_quickstart_runs_against_the_mock(tmp_path: Path) -> None:
    with running_mock(tmp_path / "demo.db", fixtures=None) as url:
        env = {
            **os.environ,
            "CALYPTIA_CLOUD_URL": url,
            "CALYPTIA_CLOUD_TOKEN": "demo-token",
            "PYTHONPATH": str(ROOT / "generated"),
        }
        result = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "quickstart.py")],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("created ")
    assert lines[1] == "got quickstart members: 1"
    assert lines[2] == "update status 204"
    assert lines[3] == "listed ['quickstart-2', 'default'] next: None"
    assert lines[4].startswith("deleted True at ")
