"""A contract run proves each operation or fails naming it (tools/contract/coverage.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.contract.configs import mock_config
from tools.contract import coverage
from tools.contract.coverage import COVERED, DECLARED, NOT_COVERED, READ_ONLY

SPEC: dict[str, Any] = {
    "paths": {
        "/v1/widgets": {
            "get": {"operationId": "widgets", "responses": {}},
            "post": {"operationId": "createWidget", "responses": {}},
        },
        "/v1/widgets/{id}": {"get": {"operationId": "widget", "responses": {}}},
    }
}


def verdicts(rows: list[coverage.OperationCoverage]) -> dict[str, tuple[str, str]]:
    return {row.operation_id: (row.verdict, row.seen()) for row in rows}


def records(*pairs: tuple[str, int], origin: str = "examples") -> list[dict[str, Any]]:
    return [{"operation": operation, "status": status, "drift": [], "origin": origin} for operation, status in pairs]


def test_against_the_mock_an_operation_without_a_2xx_is_not_covered() -> None:
    seen = records(("widgets", 200), ("widgets", 400), ("createWidget", 404), ("createWidget", 404))
    rows = coverage.coverage(SPEC, seen, live=False, writes=True)
    assert verdicts(rows) == {
        "widgets": (COVERED, "200 x1, 400 x1"),
        "createWidget": (NOT_COVERED, "404 x2"),
        "widget": (NOT_COVERED, "none"),
    }
    why = {row.operation_id: row.why for row in rows}
    assert why["createWidget"] == "no documented success in 2 response(s): the test data never reached it"
    assert why["widget"] == "the run sent it no request"


def test_a_501_from_the_mock_says_it_has_no_handler() -> None:
    rows = coverage.coverage(SPEC, records(("widget", 501)), live=False, writes=True)
    assert rows[2].verdict == NOT_COVERED
    assert "the mock answers 501: it has no handler" in rows[2].why


def test_an_operation_the_mock_declares_unimplemented_is_listed_not_failed() -> None:
    rows = coverage.coverage(SPEC, records(("widget", 501)), live=False, writes=True, declared={"widget": "why not"})
    assert (rows[2].verdict, rows[2].why) == (DECLARED, "why not")


def test_a_read_only_live_run_lists_writes_and_needs_every_get() -> None:
    rows = coverage.coverage(SPEC, records(("widgets", 200), ("widget", 404)), live=True, writes=False)
    assert verdicts(rows) == {
        "widgets": (COVERED, "200 x1"),
        "createWidget": (READ_ONLY, "none"),
        "widget": (NOT_COVERED, "404 x1"),
    }
    assert "if the account holds nothing this operation can read, that is why" in rows[2].why
    # Declarations are the mock's: against a live account they excuse nothing.
    live = coverage.coverage(SPEC, records(("widget", 404)), live=True, writes=False, declared={"widget": "x"})
    assert live[2].verdict == NOT_COVERED


def test_the_run_writes_the_table_and_fails_naming_what_it_did_not_cover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = records(("widgets", 200), ("createWidget", 201), ("widget", 404))
    lines += records(("widget", 404), origin="follow-up:some_check")
    (tmp_path / "drift.log").write_text("\n".join(json.dumps(line) for line in lines) + "\n{cut sh", encoding="utf-8")
    (tmp_path / "junit.xml").write_text(
        '<testsuites><testsuite name="schemathesis">'
        '<testcase name="GET /v1/widgets"/>'
        '<testcase name="GET /v1/widgets/{id}"><failure message="boom"/></testcase>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    status = coverage.finish(mock_config(tmp_path), 0, SPEC, declared={})
    assert status == 1
    printed = capsys.readouterr().out
    assert "contract: coverage: 3 operations: 2 covered, 1 NOT COVERED" in printed
    assert "contract: coverage: widget (GET /v1/widgets/{id}): NOT COVERED: statuses seen 404 x2;" in printed
    saved = json.loads((tmp_path / "coverage.json").read_text(encoding="utf-8"))
    assert [
        (row["operation"], row["responses"], row["to_test_cases"], row["to_follow_ups"], row["checks"], row["verdict"])
        for row in saved
    ] == [
        ("widgets", 1, 1, 0, "passed", COVERED),
        ("createWidget", 1, 1, 0, "not run", COVERED),
        ("widget", 2, 1, 1, "failed", NOT_COVERED),
    ]
    table = (tmp_path / "coverage.md").read_text(encoding="utf-8").splitlines()
    assert table[0] == (
        "| operation | method | path | responses (to test cases + follow-ups) | statuses seen | checks | verdict |"
    )
    assert table[4].startswith("| widget | GET | `/v1/widgets/{id}` | 2 (1 + 1) | 404 x2 | failed | NOT COVERED: ")
    assert any("follow-up requests the run's checks send" in line for line in table[5:])


def test_a_covered_run_keeps_its_status(tmp_path: Path) -> None:
    lines = records(("widgets", 200), ("createWidget", 201), ("widget", 200))
    (tmp_path / "drift.log").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert coverage.finish(mock_config(tmp_path), 0, SPEC, declared={}) == 0
    assert coverage.finish(mock_config(tmp_path), 3, SPEC, declared={}) == 3
