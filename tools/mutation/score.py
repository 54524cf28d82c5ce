"""Outcomes, the score and the reports (build/mutation/*.json and *.md).

score = killed / (total - equivalent), where a timeout (a hang) counts as killed: the
contract run did not pass. The target is THRESHOLD of the non-equivalent mutants killed.
A mutation that is not valid Python (see mutants.compiles) is no mutant: it is listed as
invalid and counted in neither the total nor the score, where it would only pad `killed`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from tools.mutation.mutants import Mutant

__all__ = ["THRESHOLD", "Outcome", "Result", "Tally", "markdown", "report_json", "result_line", "tally"]

THRESHOLD = 0.90


class Outcome(StrEnum):
    KILLED = "killed"  # the contract run failed (a check, or a mock that would not start)
    TIMEOUT = "timeout"  # the contract run was stopped at the timeout: a hang, killed
    SURVIVED = "survived"  # the contract run passed
    EQUIVALENT = "equivalent"  # not run: reviewed as unobservable
    INVALID = "invalid"  # not run: the mutation is a syntax error
    ERROR = "error"  # not run: Cosmic Ray could not apply it (its bug): reported, not counted


@dataclass(frozen=True, slots=True)
class Result:
    mutant: Mutant
    outcome: Outcome
    seconds: float = 0.0
    change: str = ""  # the mutated line(s)
    diff: str = ""
    reason: str = ""  # an equivalent mutant's
    log: str = ""  # the contract run's output, a path
    caught_by: tuple[str, ...] = ()  # the checks that failed, as the contract run names them

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Result:
        """A result as report_json wrote it."""
        return cls(
            Mutant.from_json(entry),
            Outcome(entry["outcome"]),
            entry.get("seconds", 0.0),
            entry.get("change", ""),
            entry.get("diff", ""),
            entry.get("reason", ""),
            entry.get("log", ""),
            tuple(entry.get("caught_by", ())),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            **self.mutant.to_json(),
            "outcome": str(self.outcome),
            "seconds": round(self.seconds, 2),
            "change": self.change,
            "diff": self.diff,
            "reason": self.reason,
            "log": self.log,
            "caught_by": list(self.caught_by),
        }


@dataclass(slots=True)
class Tally:
    killed: int = 0  # timeouts included
    timeout: int = 0
    survived: int = 0
    equivalent: int = 0
    invalid: int = 0  # in no other figure
    error: int = 0  # in no other figure
    by_module: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.killed + self.survived + self.equivalent

    @property
    def judged(self) -> int:
        """The non-equivalent mutants: the score's denominator."""
        return self.total - self.equivalent

    @property
    def score(self) -> float | None:
        """killed / (total - equivalent); None when nothing was judged."""
        return self.killed / self.judged if self.judged else None

    def passed(self, threshold: float = THRESHOLD) -> bool:
        return self.score is not None and self.score >= threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "killed": self.killed,
            "timeout": self.timeout,
            "survived": self.survived,
            "equivalent": self.equivalent,
            "invalid (not counted)": self.invalid,
            "errors (not counted)": self.error,
            "score": None if self.score is None else round(self.score, 4),
            "by_module": self.by_module,
        }


def tally(results: Iterable[Result]) -> Tally:
    counts = Tally()
    for result in results:
        module = counts.by_module.setdefault(
            result.mutant.module,
            {"mutants": 0, "killed": 0, "timeout": 0, "survived": 0, "equivalent": 0, "invalid": 0},
        )
        if result.outcome is Outcome.ERROR:
            counts.error += 1
            continue
        if result.outcome is Outcome.INVALID:
            counts.invalid += 1
            module["invalid"] += 1
            continue
        module["mutants"] += 1
        if result.outcome in (Outcome.KILLED, Outcome.TIMEOUT):
            counts.killed += 1
            module["killed"] += 1
            if result.outcome is Outcome.TIMEOUT:
                counts.timeout += 1
                module["timeout"] += 1
        elif result.outcome is Outcome.SURVIVED:
            counts.survived += 1
            module["survived"] += 1
        else:
            counts.equivalent += 1
            module["equivalent"] += 1
    return counts


def percent(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1%}"


def result_line(result: Result) -> str:
    """`file:line operator: `before` -> `after`: outcome (seconds)`, one per mutant."""
    mutant = result.mutant
    change = f"`{mutant.text}` -> `{result.change}`" if result.change else f"`{mutant.text}`"
    seconds = (
        "" if result.outcome in (Outcome.EQUIVALENT, Outcome.INVALID, Outcome.ERROR) else f" ({result.seconds:.1f} s)"
    )
    return f"{mutant.label}: {change}: {result.outcome}{seconds}"


def report_json(
    results: Sequence[Result], stale: Sequence[str], settings: Mapping[str, Any], path: Path
) -> dict[str, Any]:
    counts = tally(results)
    ordered = sorted(results, key=lambda result: result.mutant.position)
    document = {
        **settings,
        "threshold": THRESHOLD,
        "passed": counts.passed() and not stale,
        "totals": counts.to_json(),
        "stale_equivalent_entries": list(stale),
        "mutants": [result.to_json() for result in ordered],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return document


def markdown(results: Sequence[Result], stale: Sequence[str], settings: Mapping[str, Any]) -> str:
    """The report a person reads: figures per module, every survivor with its diff, the
    equivalent mutants with their reasons, stale entries."""
    counts = tally(results)
    lines = [f"# Mutation score: {settings.get('mode', 'full')} run", ""]
    lines += [f"- {name}: {value}" for name, value in settings.items()]
    lines += [
        "",
        f"**Score: {percent(counts.score)}** of {counts.judged} non-equivalent mutants killed "
        f"(target {THRESHOLD:.0%}): {counts.killed} killed ({counts.timeout} by timeout), "
        f"{counts.survived} survived, {counts.equivalent} equivalent, {counts.total} in all; "
        f"{counts.invalid} invalid (syntax errors, not counted).",
        "",
        "| module | mutants | equivalent | killed | of which timeout | survived | score | invalid, not counted |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for module, row in sorted(counts.by_module.items()):
        judged = row["mutants"] - row["equivalent"]
        score = row["killed"] / judged if judged else None
        lines.append(
            f"| {module} | {row['mutants']} | {row['equivalent']} | {row['killed']} | {row['timeout']} "
            f"| {row['survived']} | {percent(score)} | {row['invalid']} |"
        )
    survivors = [result for result in results if result.outcome is Outcome.SURVIVED]
    lines += ["", f"## Survivors ({len(survivors)})", ""]
    for result in sorted(survivors, key=lambda result: result.mutant.position):
        where = f" in `{result.mutant.definition}`" if result.mutant.definition else ""
        lines += [f"### {result.mutant.label}{where}", "", "```diff", result.diff.rstrip("\n"), "```", ""]
    if stale:
        lines += ["## Stale entries of the equivalent file", ""]
        lines += [f"- {entry}" for entry in stale]
        lines.append("")
    equivalent = [result for result in results if result.outcome is Outcome.EQUIVALENT]
    lines += [f"## Equivalent ({len(equivalent)})", ""]
    for result in sorted(equivalent, key=lambda result: result.mutant.position):
        lines.append(f"- {result.mutant.label} `{result.mutant.text}`: {result.reason}")
    errors = [result for result in results if result.outcome is Outcome.ERROR]
    if errors:
        lines += ["", f"## Errors: mutants the harness could not apply ({len(errors)})", ""]
        lines += [f"- {result.mutant.label}: {result.reason}" for result in errors]
    invalid = [result for result in results if result.outcome is Outcome.INVALID]
    lines += ["", f"## Invalid, not counted ({len(invalid)})", ""]
    lines += [
        f"- {result.mutant.label}: `{result.mutant.text}` -> `{result.change}`"
        for result in sorted(invalid, key=lambda result: result.mutant.position)
    ]
    return "\n".join(lines) + "\n"
