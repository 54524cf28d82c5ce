"""Every line of a contract run's output can be explained (tools/contract/explain.py, facts.py):
st's "N generated" and "N skipped", the responses the coverage table counts, the API links the
stateful phase did not follow, st's notes only when it printed them, and every check of ours by
name. The unit tests feed made-up facts; the end-to-end test reads a real run's output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.contract.configs import mock_config
from tools.contract import explain
from tools.contract.facts import AUTH_PROBE, Facts
from tools.contract.promises import PROMISES
from tools.paths import ROOT

LINK = "GET /v1/projects -> [200] NextPage -> GET /v1/projects"


def _link(link_id: str = LINK, /, **counts: Any) -> dict[str, Any]:
    source, status = link_id.split(" -> ")[0], link_id.split("[")[1].split("]")[0]
    base = {"id": link_id, "source": source, "status": status, "inferred": False, "drawn": 0, "extracted": 0}
    return {**base, "applied": 0, "source_answers": 0, **counts}


def _facts(**changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "schemathesis": {"generated": 30, "without_checks": 4, "errored": 0, "warnings": {}},
        "phases": {"examples": "success", "coverage": "success", "fuzzing": "success", "stateful": "success"},
        "test_cases": {"examples": 6, "coverage": 10, "stateful": 10},
        "probes": {"POST /v1/projects": 2, "GET /v1/projects": 2},
        "unchecked": {AUTH_PROBE: 4},
        "links": [_link(applied=3, drawn=3, extracted=3, source_answers=5)],
        "extraction_failures": {},
        "traffic": {"test case": 27, AUTH_PROBE: 4, "capability probe": 2},
        "checks": {name: {"held": 2, "not applicable": 5} for name in ("next_page_link_resolves", *PROMISES)},
        "errors": [],
    }
    return {**facts, **changes}


RECORDS = (
    [{"operation": "projects", "status": 200, "origin": "examples"}] * 6
    + [{"operation": "projects", "status": 200, "origin": "coverage"}] * 9
    + [{"operation": "project", "status": 200, "origin": "follow-up:update_reads_back"}] * 5
)


def test_generated_and_skipped_are_taken_apart() -> None:
    first, second = explain.test_case_lines(_facts())
    assert first.startswith('contract: test cases: st\'s "30 generated" are 26 requests its phases generated ')
    assert "(examples phase 6, coverage phase 10, stateful phase 10)" in first
    assert "and 4 requests its ignored_auth check sent itself" in first
    assert "(GET /v1/projects 2, POST /v1/projects 2)" in first
    assert "st counted" not in first, "the numbers add up"
    assert second.startswith('contract: test cases: st\'s "4 skipped": 4 are those ignored_auth requests')
    assert second.endswith("no generated test case was skipped")


def test_a_count_that_does_not_add_up_says_so() -> None:
    (first,) = explain.test_case_lines(_facts(schemathesis={"generated": 31, "without_checks": 0}))
    assert first.endswith("; st counted 31, the hooks saw 30")


def test_the_responses_counted_are_test_cases_and_follow_ups() -> None:
    (line,) = explain.response_lines(_facts(), RECORDS)
    assert line.startswith("contract: responses: the coverage table and the drift report count 20 responses")
    assert "15 to test cases (examples phase 6, coverage phase 9)" in line
    assert "5 to follow-up requests of this run's checks (update_reads_back 5)" in line
    # 27 test-case exchanges at the transport, 15 recorded: 12 with a method the path lacks
    assert line.endswith(
        "not counted there: 12 test cases with a method the path does not have (the coverage phase's probes), "
        "4 ignored_auth requests, 2 requests of st's API capability probes"
    )


@pytest.mark.parametrize(
    ("counts", "why"),
    [
        ({}, "never drawn: it starts from a 200 of GET /v1/projects, which no step of the stateful phase got"),
        (
            {"source_answers": 7},
            "never drawn: GET /v1/projects answered 200 7 times in the stateful phase, "
            "but none of its 3 scenarios took this link",
        ),
        ({"drawn": 2, "source_answers": 2}, "drawn 2 times, but no response held the link's values"),
        ({"drawn": 4, "extracted": 4, "source_answers": 4}, "but schemathesis sent values it generated instead"),
    ],
)
def test_a_link_not_followed_says_why(counts: dict[str, int], why: str) -> None:
    followed = _link("POST /v1/projects -> [201] GetCreatedProject -> GET /v1/projects/{projectID}", applied=1)
    facts = _facts(links=[followed, {**_link(**counts), "inferred": True}])
    first, second = explain.link_lines({**facts, "scenarios": {"stateful": 3}})
    assert first.startswith("contract: stateful phase: 1 of 2 API links followed (st's \"1 covered / 2 selected")
    assert "1 from openapi.yaml, 1 schemathesis inferred" in first
    assert first.endswith("; not followed:")
    assert second.startswith(f"contract:   {LINK} (inferred): ")
    assert why in second
    if counts.get("extracted"):
        assert 'next_page_link_resolves follows every rel="next" link instead: 2 times this run' in second


def test_links_are_explained_only_when_the_stateful_phase_ran() -> None:
    assert explain.link_lines(_facts(phases={"stateful": "skip"})) == []
    assert explain.link_lines(_facts(links=[])) == []


def test_notes_only_for_what_st_printed() -> None:
    assert explain.note_lines(_facts()) == []
    warned = _facts(schemathesis={"warnings": {"validation_mismatch": ["GET /v1/projects", "GET /v1/other"]}})
    mismatch, other = explain.note_lines(warned)
    assert "(GET /v1/projects) is expected, not a failure" in mismatch
    assert "also names GET /v1/other: not explained here" in other
    (extraction,) = explain.note_lines(_facts(extraction_failures={LINK: 2}))
    assert 'the 2 "Failed to extract data from response ... `before`' in extraction


def test_every_check_is_named_with_its_verdict() -> None:
    checks = {name: {"held": 3} for name in PROMISES}
    checks["next_page_link_resolves"] = {"held": 4}
    checks["update_reads_back"] = {"held": 1, "failed": 2}
    checks["deleted_project_is_gone"] = {"not applicable": 9}
    checks["settings_change_in_order"] = {"off: writes not allowed": 5}
    checks["name_filter_is_exact"] = {"held": 3, "stood aside: wrong shape": 1}
    lines = explain.check_lines(_facts(checks=checks))
    total = len(PROMISES) + 1
    assert lines[0] == (
        f"contract: checks of this run (promises.md): {total}: {total - 3} passed, 1 failed, "
        "1 off (read-only run), 1 not reached"
    )
    assert "contract:   passed: next_page_link_resolves: followed 4 next-page links" in lines
    assert "contract:   passed: list_is_newest_first (newest-first): held on 3 responses" in lines
    assert "contract:   failed: update_reads_back (update-reads-back): broken on 2 responses, held on 1" in lines
    assert "contract:   failed: update_reads_back (update-reads-back): broken on 2 responses, held on 1" in lines
    assert "contract:   off (read-only run): settings_change_in_order (settings-order): it writes" in " ".join(lines)
    assert any(line.startswith("contract:   not reached: deleted_project_is_gone (delete-gone)") for line in lines)
    assert any(line.endswith("stood aside on 1 of the wrong shape") for line in lines)
    assert len(lines) == 1 + total


def test_without_facts_the_run_says_why(tmp_path: Path) -> None:
    assert explain.lines(mock_config(tmp_path), None, []) == [
        f"contract: no explanations: st did not finish, so {tmp_path / 'facts.json'} was not written"
    ]


def _node(label: str, *, parent: str | None = None, transition: Any = None, applied: bool = False) -> Any:
    case = SimpleNamespace(operation=SimpleNamespace(label=label))
    return SimpleNamespace(value=case, parent_id=parent, transition=transition, is_transition_applied=applied)


def test_facts_sort_st_cases_into_test_cases_probes_and_links() -> None:
    """What st's scenarios recorded, as facts.json keeps it."""
    extracted = SimpleNamespace(value=SimpleNamespace(ok=lambda: "cursor"))
    transition = SimpleNamespace(
        id=LINK, is_inferred=False, parameters={"query": {"before": extracted}}, request_body=None
    )
    recorder = SimpleNamespace(
        cases={
            "a": _node("GET /v1/projects"),
            "b": _node("GET /v1/projects", parent="a"),  # ignored_auth's probe
            "c": _node("GET /v1/projects", parent="a", transition=transition),
        },
        checks={"a": ["ok"], "c": ["ok"]},
        interactions={key: SimpleNamespace(response=SimpleNamespace(status_code=200)) for key in "abc"},
    )
    facts = Facts("token")
    facts.on_event(None, type("ScenarioFinished", (), {"phase": "stateful", "recorder": recorder})())
    assert (facts.test_cases, facts.probes, facts.unchecked) == (
        {"stateful": 2},
        {"GET /v1/projects": 1},
        {AUTH_PROBE: 1},
    )
    link = facts.links[LINK]
    assert (link.drawn, link.extracted, link.applied) == (1, 1, 0)


@pytest.mark.e2e  # a whole `make contract` against the mock, 5 examples per operation (about 15 s)
def test_a_run_explains_its_own_output(tmp_path: Path) -> None:
    env = {**os.environ, "CONTRACT_EXAMPLES": "5", "CONTRACT_OUT": str(tmp_path)}
    for name in ("CALYPTIA_CLOUD_URL", "CALYPTIA_CLOUD_TOKEN"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "tools.contract"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    output = result.stdout
    assert result.returncode == 0, output[-4000:]
    # st's "N generated, N passed, M skipped" = the phases' requests + ignored_auth's, M of them unchecked
    generated, skipped = map(int, re.search(r"(\d+) generated, \d+ passed, (\d+) skipped", output).groups())  # type: ignore[union-attr]
    explained = re.search(
        rf'st\'s "{generated} generated" are (\d+) requests .* and (\d+) requests its ignored_auth', output
    )
    assert explained is not None, output[-4000:]
    assert int(explained.group(1)) + int(explained.group(2)) == generated
    assert f'st\'s "{skipped} skipped": {skipped} are those ignored_auth requests' in output
    assert "st counted" not in output
    # The coverage table's responses are the drift report's, and the explanation adds them up.
    total = sum(row["responses"] for row in json.loads((tmp_path / "coverage.json").read_text(encoding="utf-8")))
    responses = re.search(rf"count {total} responses .*: (\d+) to test cases .* and (\d+) to follow-up", output)
    assert responses is not None, output[-4000:]
    assert int(responses.group(1)) + int(responses.group(2)) == total
    assert f"contract: drift: none; {total} responses match" in output
    # The links: as many followed as st says covered; every one not followed named with a reason.
    covered, selected = map(int, re.search(r"API Links:\s+(\d+) covered / (\d+) selected", output).groups())  # type: ignore[union-attr]
    assert f"contract: stateful phase: {covered} of {selected} API links followed" in output
    assert len(re.findall(r"^contract:   \S.* -> \[\d+\] \w+ -> ", output, flags=re.M)) == selected - covered
    # Every check of ours, by name, with its verdict: passed where it held (against the mock
    # nothing fails; with 5 examples a write check may meet no response it checks).
    verdicts = json.loads((tmp_path / "promises.json").read_text(encoding="utf-8"))
    assert {row["check"] for row in verdicts} == {"next_page_link_resolves", *PROMISES}
    for row in verdicts:
        verdict = "passed" if row["counts"].get("held") else "not reached"
        assert row["verdict"] == verdict, row
        assert re.search(rf"^contract:   {verdict}: {row['check']}\b", output, flags=re.M), row["check"]
    assert sum(row["verdict"] == "passed" for row in verdicts) >= 10
    # A note appears only with what it explains.
    assert ("Failed to extract data from response" in output) == (
        "contract: note: the " in output and "last pages" in output
    )
