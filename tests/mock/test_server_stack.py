"""The mock's server stack: httptools and uvloop where they install, h11 and asyncio where not."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest
from calyptia_mock.server import mock_process
from calyptia_mock.server_stack import server_stack

from tests.support.http import loopback
from tools.paths import ROOT

# Runs the CLI exactly as `python -m calyptia_mock` does, with both C extensions made unimportable.
WITHOUT_C_EXTENSIONS = (
    "import runpy, sys\n"
    "sys.modules['uvloop'] = None\n"
    "sys.modules['httptools'] = None\n"
    "sys.argv[0] = 'calyptia_mock'\n"
    "runpy.run_module('calyptia_mock', run_name='__main__', alter_sys=True)\n"
)


@pytest.mark.skipif(sys.platform == "win32" or sys.implementation.name != "cpython", reason="no uvloop build")
def test_the_fast_stack_is_installed_with_the_mock() -> None:
    assert server_stack() == "httptools + uvloop"


def test_serves_without_uvloop_and_httptools(tmp_path: Path) -> None:
    launcher = [sys.executable, "-c", WITHOUT_C_EXTENSIONS]
    args = ["--db", ":memory:", "--log-level", "info"]
    with mock_process(args, tmp_path / "mock.log", cwd=ROOT, package_root=ROOT / "mock", launcher=launcher) as mock:
        response = loopback().get(
            f"{mock.url}/v1/projects", headers={"Authorization": f"Bearer {mock.token}"}, timeout=5
        )
        assert response.status_code == 200
        assert [project["name"] for project in response.json()] == ["default"]
        returncode = mock.stop()
    log = mock.log()
    assert returncode in (0, -signal.SIGTERM), log  # uvicorn re-raises the signal after a clean shutdown
    assert "Application shutdown complete" in log
    assert "serving with h11 + asyncio" in log
