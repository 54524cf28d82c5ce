"""Mutation tests: the contract suite must fail on every deliberately broken mock.

Each mutant (tests/contract/mutants.py) runs the schemathesis suite in a subprocess
against the broken app; the run must fail, and must fail through the check that is meant
to catch that kind of break. A suite that passes on a broken mock is a defect.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.contract.mutants import MUTANTS
from tools.paths import ROOT

SUITE = "tests/contract/test_schemathesis.py"


def _run_suite(**settings: str) -> subprocess.CompletedProcess[str]:
    """The contract suite in a subprocess, 10 examples per operation, with extra settings."""
    env = {**os.environ, "CONTRACT_EXAMPLES": "10", **settings}
    return subprocess.run(
        # -n 0: one process, so the request log is one ordered sequence (pyproject.toml adds -n auto);
        # -m: the whole suite, its stateful run included, which make test leaves to make e2e
        [sys.executable, "-m", "pytest", SUITE, "-q", "-p", "no:cacheprovider", "-n", "0", "-m", "not mutation"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """Run the suite once per mutant, two at a time (one per core)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda mutant: _run_suite(CONTRACT_MUTANT=mutant), MUTANTS)
        return dict(zip(MUTANTS, results, strict=True))


@pytest.mark.mutation
@pytest.mark.parametrize("mutant", list(MUTANTS))
def test_mutant_is_caught_by_its_check(runs: dict[str, subprocess.CompletedProcess[str]], mutant: str) -> None:
    result = runs[mutant]
    _, failure = MUTANTS[mutant]
    assert result.returncode == 1, f"the suite passed on the {mutant} mutant:\n{result.stdout[-2000:]}"
    assert failure in result.stdout, f"{mutant} was not caught by {failure}:\n{result.stdout[-4000:]}"


@pytest.mark.mutation  # a whole contract run (about 30 s): the baseline of make mutants
def test_unmutated_suite_passes_and_sends_the_same_requests_twice(tmp_path: Path) -> None:
    """Determinism: two runs of the suite send byte-identical request sequences."""
    logs = []
    for attempt in ("first", "second"):
        log = tmp_path / f"{attempt}.log"
        # 5 examples send over 400 requests, every method: enough to show two runs are the same.
        result = _run_suite(CONTRACT_REQUEST_LOG=str(log), CONTRACT_EXAMPLES="5")
        assert result.returncode == 0, result.stdout[-3000:]
        logs.append(log.read_bytes())
    assert logs[0].count(b"\n") > 100
    assert logs[0] == logs[1]
