"""Coverage, the run's gate: a contract run proves each operation, or fails naming the one it did not reach.

(Not schemathesis's coverage phase, which generates boundary and edge-case requests: in this
repository "coverage" alone means this gate.)

A run can pass every check and still prove nothing about an operation: when every case of it
is answered 404 (documented), every check holds. So after the run, each operation of the
spec must have had at least one documented success (2xx), or the run fails naming the
operation, the statuses it saw and why:

- against the mock (and a live run with writes): every operation, except those the mock
  declares it does not implement (calyptia_mock.handlers.NOT_IMPLEMENTED), listed as such;
- against a live account, read-only: every GET; each write is listed "not exercised
  (read-only)", never counted as passed.

The statuses come from the drift recorder's log (one line per response to a request of the
operation, tools/contract/drift/recorder.py): the responses to the generated test cases and
to the follow-up requests of the run's checks, each line saying which; whether the
operation's checks passed, from the JUnit report. Each run writes coverage.json and
coverage.md beside the JUnit report and prints the table's summary.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.contract.config import RunConfig
from tools.contract.drift import read_records
from tools.spec import operations

__all__ = ["OperationCoverage", "coverage", "finish"]

COVERED = "covered"
NOT_COVERED = "NOT COVERED"
READ_ONLY = "not exercised (read-only)"
DECLARED = "declared not implemented by the mock"


@dataclass
class OperationCoverage:
    """One operation's line of the table."""

    operation_id: str
    method: str
    path: str
    statuses: Counter[int] = field(default_factory=Counter)
    follow_ups: int = 0  # of the responses, those to the checks' follow-up requests
    checks: str = "not run"  # from the JUnit report: passed, failed, not run
    verdict: str = NOT_COVERED
    why: str = ""

    @property
    def responses(self) -> int:
        return sum(self.statuses.values())

    @property
    def to_test_cases(self) -> int:
        return self.responses - self.follow_ups

    def seen(self) -> str:
        return ", ".join(f"{status} x{count}" for status, count in sorted(self.statuses.items())) or "none"

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation_id,
            "method": self.method,
            "path": self.path,
            "responses": self.responses,
            "to_test_cases": self.to_test_cases,
            "to_follow_ups": self.follow_ups,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "checks": self.checks,
            "verdict": self.verdict,
            "why": self.why,
        }


def junit_results(report: Path) -> dict[str, str]:
    """`METHOD path` -> passed or failed, from schemathesis's JUnit report."""
    if not report.exists():
        return {}
    try:
        root = ElementTree.parse(report).getroot()
    except ElementTree.ParseError:
        return {}
    results = {}
    for case in root.iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        results[case.get("name", "")] = "failed" if failed else "passed"
    return results


def coverage(
    spec: Mapping[str, Any],
    records: Iterable[Mapping[str, Any]],
    *,
    live: bool,
    writes: bool,
    declared: Mapping[str, str] | None = None,
    checks: Mapping[str, str] | None = None,
) -> list[OperationCoverage]:
    """Each operation of `spec`, with what the run's responses to it were and its verdict."""
    declared = declared or {}
    rows: dict[str, OperationCoverage] = {}
    for path, method, operation in operations(spec):
        operation_id = str(operation.get("operationId") or f"{method.upper()} {path}")
        row = OperationCoverage(operation_id, method.upper(), path)
        row.checks = (checks or {}).get(f"{row.method} {path}", "not run")
        rows[operation_id] = row
    for record in records:
        answered = rows.get(str(record.get("operation")))
        if answered is not None and isinstance(record.get("status"), int):
            answered.statuses[record["status"]] += 1
            answered.follow_ups += str(record.get("origin", "")).startswith("follow-up:")
    for judged in rows.values():
        _judge(judged, live=live, writes=writes, declared=declared)
    return list(rows.values())


def _judge(row: OperationCoverage, *, live: bool, writes: bool, declared: Mapping[str, str]) -> None:
    if any(200 <= status < 300 for status in row.statuses):
        row.verdict = COVERED
        return
    if live and not writes and row.method != "GET":
        row.verdict, row.why = READ_ONLY, "a read-only run sends no write"
        return
    if not live and row.operation_id in declared:
        row.verdict, row.why = DECLARED, declared[row.operation_id]
        return
    row.verdict = NOT_COVERED
    if not row.statuses:
        row.why = "the run sent it no request"
    elif 501 in row.statuses and not live:
        row.why = "the mock answers 501: it has no handler (calyptia_mock.handlers; see docs/maintaining.md)"
    elif live and not writes:
        row.why = (
            f"no 2xx in {row.responses} response(s): if the account holds nothing this operation can read, "
            "that is why, and a read-only run cannot create it; otherwise the test data never reached it"
        )
    else:
        row.why = f"no documented success in {row.responses} response(s): the test data never reached it"


def table(rows: Iterable[OperationCoverage]) -> str:
    """The Markdown table written beside the JUnit report."""
    lines = [
        "| operation | method | path | responses (to test cases + follow-ups) | statuses seen | checks | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        verdict = f"{row.verdict}: {row.why}" if row.why else row.verdict
        answered = f"{row.responses} ({row.to_test_cases} + {row.follow_ups})"
        cells = [row.operation_id, row.method, f"`{row.path}`", answered, row.seen(), row.checks, verdict]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Responses: every response the run got to a request of the operation, to schemathesis's generated test",
        "cases and to the follow-up requests the run's checks send (a promise check reading back a write, say).",
        'Schemathesis\'s own count ("N generated") is of test cases only; the run explains the difference.',
    ]
    return "\n".join(lines) + "\n"


def finish(config: RunConfig, status: int, spec: Mapping[str, Any], *, declared: Mapping[str, str]) -> int:
    """Write coverage.json and coverage.md, print the summary; fail a run that left an
    operation not covered."""
    out = config.out
    rows = coverage(
        spec,
        read_records(config.drift_log),
        live=config.live,
        writes=config.writes,
        declared=declared,
        checks=junit_results(config.junit),
    )
    (out / "coverage.json").write_text(json.dumps([row.to_json() for row in rows], indent=2) + "\n", encoding="utf-8")
    (out / "coverage.md").write_text(table(rows), encoding="utf-8")
    counts = Counter(row.verdict for row in rows)
    summary = ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
    print(
        f"contract: coverage: {len(rows)} operations: {summary} (each needs a documented 2xx; {out / 'coverage.md'})",
        flush=True,
    )
    for row in rows:
        if row.verdict != COVERED:
            print(f"contract: coverage: {row.operation_id} ({row.method} {row.path}): {row.verdict}: "
                  f"statuses seen {row.seen()}; {row.why}", flush=True)  # fmt: skip
    if counts[NOT_COVERED]:
        print(f"contract: coverage: {counts[NOT_COVERED]} operation(s) not covered fail the run", flush=True)
        return status or 1
    return status
