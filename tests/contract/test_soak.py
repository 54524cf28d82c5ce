"""`make soak` works on a fresh clone: a tiny run of the real target, with every output
folder missing beforehand (a fresh clone has no build/), must pass and write its report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from tools.paths import ROOT

pytestmark = pytest.mark.e2e  # a whole tool as a subprocess: `make e2e`


def test_make_soak_runs_with_no_build_folder(tmp_path: Path) -> None:
    soak_out = tmp_path / "missing" / "soak"
    env = {
        **os.environ,
        "SOAK_EXAMPLES": "2",
        "SOAK_SECONDS": "1",
        "SOAK_CLIENTS": "2",
        "SOAK_OUT": str(soak_out),  # the report, st's output and the mock's log
    }
    # Its own session: should the run hang, the whole group (make, the soak, the mock) is killed.
    process = subprocess.Popen(
        ["make", "--no-print-directory", "soak"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("make soak did not finish within 300 s")
    assert process.returncode == 0, stdout[-3000:] + stderr[-3000:]
    assert f"soak: passed; report in {soak_out / 'report.json'}" in stdout
    report = json.loads((soak_out / "report.json").read_text(encoding="utf-8"))
    assert report["schemathesis"]["exit_code"] == 0
    assert report["schemathesis"]["cases"] > 0
    assert report["schemathesis"]["failures"] == 0
    assert report["load"]["total"] > 0
    assert report["load"]["server_errors"] == report["load"]["client_errors"] == 0
    assert set(report["memory_kib"]) == {"start", "after_fuzzing", "end"}
    assert all(kib > 0 for kib in report["memory_kib"].values())
    assert (soak_out / "mock.log").is_file()
