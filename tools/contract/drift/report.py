"""The drift report: the recorder's lines folded into build/contract/drift.json and a summary."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.contract.drift.walk import KINDS, Finding
from tools.paths import ROOT, SPEC

__all__ = ["Entry", "Report", "fold", "read_log", "read_records", "write_report"]


@dataclass
class Entry:
    """One finding, with how often and where it was seen."""

    finding: Finding
    operations: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.operations.values())

    def sentence(self) -> str:
        kind, element, name = self.finding.kind, self.finding.element, self.finding.name
        what = {
            "property": f"`{element}` has no property `{name}`",
            "enum": f"`{element}` has no enum value `{name}`",
            "type": f"`{element}` does not allow a value of type `{name}`",
            "header": f"`{element}` documents no header `{name}`",
            "status": f"`{element}` documents no status `{name}`",
        }[kind]
        where = ", ".join(f"`{operation}`" for operation in self.operations)
        plural = "response" if self.count == 1 else "responses"
        return f"{what}; seen in {self.count} {plural} of {where}"


@dataclass
class Report:
    """The drift of a whole run: entries in a stable order, and how many responses were read."""

    entries: list[Entry]
    responses: dict[str, int]
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "responses": self.responses,
            "errors": self.errors,
            "drift": [
                {
                    **entry.finding.to_json(),
                    "count": entry.count,
                    "operations": entry.operations,
                    "summary": entry.sentence(),
                }
                for entry in self.entries
            ],
        }

    def summary(self) -> str:
        total = sum(self.responses.values())
        if not self.entries:
            lines = [f"contract: drift: none; {total} responses match what openapi.yaml describes"]
        else:
            count = len(self.entries)
            lines = [f"contract: drift: {count} thing(s) in {total} responses that openapi.yaml does not describe:"]
            lines += [f"  - {entry.sentence()}" for entry in self.entries]
            lines.append("  Describe them in openapi.yaml: see 'When the service changes' in docs/maintaining.md.")
        if self.errors:
            failed = len(self.errors)
            lines.append(f"contract: drift: {failed} response(s) could not be checked, first: {self.errors[0]}")
        return "\n".join(lines)


def fold(records: Iterable[Mapping[str, Any]]) -> Report:
    """Aggregate the recorder's lines into a report."""
    entries: dict[Finding, Entry] = {}
    responses: dict[str, int] = {}
    errors: list[str] = []
    for record in records:
        operation = str(record["operation"])
        if "error" in record:
            errors.append(f"{operation}: {record['error']}")
            continue
        responses[operation] = responses.get(operation, 0) + 1
        for item in record.get("drift") or []:
            finding = Finding(**{key: str(item[key]) for key in ("kind", "element", "pointer", "name")})
            entry = entries.setdefault(finding, Entry(finding))
            entry.operations[operation] = entry.operations.get(operation, 0) + 1
    ordered = sorted(entries.values(), key=lambda e: (KINDS.index(e.finding.kind), e.finding.element, e.finding.name))
    return Report(ordered, dict(sorted(responses.items())), errors)


def read_records(log: Path) -> list[dict[str, Any]]:
    """The recorder's lines, one per response (coverage.py reads them too); a line cut short
    by a killed run is skipped."""
    records = []
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    return records


def read_log(log: Path) -> Report:
    """The report from the recorder's log."""
    return fold(read_records(log))


def write_report(log: Path, out: Path) -> Report:
    """build/contract/drift.json from the recorder's log."""
    report = read_log(log)
    data = {"spec": str(SPEC.relative_to(ROOT)), **report.to_json()}
    (out / "drift.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return report
