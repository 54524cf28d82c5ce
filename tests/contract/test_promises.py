"""The promise checks of `make contract` (tools/contract/promises/): traced to the spec,
and each proved by a mutant that `make contract` must fail on, naming the check.

Every mutant (tests/contract/mutants.py, BEHAVIOUR_MUTANTS) is a stand-in on loopback: the
mock, with every response still valid, but one promise broken. `python -m tools.contract`
runs against it as against the live API: read-only (only GETs may arrive) for the promises
that reads can check, with CONTRACT_WRITES=1 for the others.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.contract.mutants import BEHAVIOUR_MUTANTS, BehaviourMutant
from tests.support.mock import mock_in_thread
from tests.support.spec_examples import load_spec
from tools.contract.promises import PROMISES, marked_promises, traceability_problems
from tools.contract.runner import MOCK_TOKEN, seed_projects
from tools.paths import ROOT


def test_checks_and_spec_agree() -> None:
    assert traceability_problems(load_spec()) == []
    assert len(PROMISES) == len(marked_promises(load_spec())) == 13


def test_a_sentence_dropped_from_the_spec_is_found() -> None:
    spec = copy.deepcopy(load_spec())
    operation = spec["paths"]["/v1/projects"]["get"]
    operation["description"] = operation["description"].replace("newest first", "in any order")
    assert traceability_problems(spec) == [
        "list_is_newest_first: the spec no longer says 'Lists the projects the caller is a member of, newest first "
        "(descending creation time).' at /paths/~1v1~1projects/get/description"
    ]


def test_a_marked_promise_without_a_check_is_found() -> None:
    spec = copy.deepcopy(load_spec())
    spec["paths"]["/v1/projects/{projectID}"]["get"]["x-promises"] = ["token-read-has-no-membership"]
    assert traceability_problems(spec) == [
        "project: token-read-has-no-membership is marked in x-promises but has no check"
    ]


def test_an_unmarked_promise_is_found() -> None:
    spec = copy.deepcopy(load_spec())
    spec["paths"]["/v1/projects/{projectID}"]["delete"].pop("x-promises")
    assert traceability_problems(spec) == ["deleted_project_is_gone: delete-gone is not in x-promises of deleteProject"]


def test_every_check_has_a_mutant() -> None:
    assert {mutant.check for mutant in BEHAVIOUR_MUTANTS.values()} == set(PROMISES)
    for name, mutant in BEHAVIOUR_MUTANTS.items():
        assert not (mutant.reads_only and PROMISES[mutant.check].writes), f"{name}: {mutant.check} writes"


@dataclass
class Run:
    output: str
    returncode: int
    methods: set[str]


def _contract_against(mutant: BehaviourMutant, tmp: Path) -> Run:
    methods: set[str] = set()

    def record(app: ASGIApp) -> ASGIApp:
        async def recording(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                methods.add(scope["method"])
            await app(scope, receive, send)

        return recording

    with mock_in_thread(tmp / "stand-in.db", wrap=lambda app: record(mutant.wrapper(app))) as url:
        seed_projects(url, MOCK_TOKEN, mutant.projects)
        methods.clear()
        env = {
            **os.environ,
            "CALYPTIA_CLOUD_URL": url,
            "CALYPTIA_CLOUD_TOKEN": MOCK_TOKEN,
            "CONTRACT_WRITES": "" if mutant.reads_only else "1",
            "CONTRACT_EXAMPLES": str(mutant.examples),
            "CONTRACT_PHASES": mutant.phases,
            "CONTRACT_RATE_LIMIT": "1000/s",
            "CONTRACT_OUT": str(tmp / "contract"),
        }
        result = subprocess.run(
            [sys.executable, "-m", "tools.contract"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    return Run(result.stdout + result.stderr, result.returncode, methods)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """`make contract` once per mutant, two at a time (one per core).

    The folders are made here, before the threads start: `TempPathFactory` is not
    thread-safe, and two threads making the first folder at once can each create a
    base folder and fail with "is not a normalized and relative path" (CI, stop 22).
    """
    folders = {name: tmp_path_factory.mktemp(name) for name in BEHAVIOUR_MUTANTS}

    def one(name: str) -> Run:
        return _contract_against(BEHAVIOUR_MUTANTS[name], folders[name])

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(BEHAVIOUR_MUTANTS, pool.map(one, BEHAVIOUR_MUTANTS), strict=True))


@pytest.mark.mutation
@pytest.mark.parametrize("mutant", list(BEHAVIOUR_MUTANTS))
def test_make_contract_fails_on_the_mutant_naming_its_check(runs: dict[str, Run], mutant: str) -> None:
    check = BEHAVIOUR_MUTANTS[mutant].check
    run = runs[mutant]
    assert run.returncode != 0, f"make contract passed on {mutant}:\n{run.output[-3000:]}"
    # named as failed (every check is named in the run's list of checks, passed or not)
    assert re.search(rf"failed: {check}\b", run.output), f"{mutant} was not named by {check}:\n{run.output[-5000:]}"
    if BEHAVIOUR_MUTANTS[mutant].reads_only:
        assert "live API (read-only)" in run.output
        assert run.methods == {"GET"}, f"a read-only run sent {run.methods - {'GET'}}"
