"""What `st run`'s process saw, kept for the run's explanations (build/contract/facts.json).

`st run` prints counts it does not explain: "471 generated, 471 passed, 12 skipped", "API
Links: 7 covered / 9 selected", a "Failed to extract data" note. The numbers behind them are
in st's own process: `tools.contract.hooks.install` feeds a `Facts` from the hooks, the
checks, the transport and schemathesis's event stream (a CLI event handler), and the handler
writes them to facts.json when the run ends. `tools.contract.explain` turns that file into the
lines the run prints. Nothing here changes what the run checks.

What is kept:
- `test_cases`: the cases schemathesis recorded, by phase, as it counts its "generated";
  `probes`: among them, the requests its `ignored_auth` check sends itself (each operation's
  request once without credentials and once with an invalid credential per security scheme,
  recorded as cases of their own); `unchecked`: the recorded cases no check ran on, which
  st reports as "skipped", by kind;
- `links`: every OpenAPI link of the stateful phase (the spec's and those schemathesis
  inferred), how often a scenario drew it, whether it could take the link's values from the
  response and whether it used them ("covered" is used at least once), and how often its
  source answered with the link's status;
- `extraction_failures`: per link, the responses schemathesis could not take values from;
- `traffic`: every exchange at the transport, by origin: a test case, a check's follow-up
  request, an `ignored_auth` probe, one of st's capability probes;
- `checks`: per custom check (the promise checks and `next_page_link_resolves`), how often it
  held, did not apply, was off or failed;
- `schemathesis`: st's own summary (generated, without checks, errored, warnings).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from tools.contract.write_guard import PathTemplate

__all__ = ["AUTH_PROBE", "CAPABILITY_PROBE", "FAILED", "FOLLOW_UP", "TEST_CASE", "Facts", "LinkFacts"]

# Origins of an exchange at the transport.
TEST_CASE = "test case"
FOLLOW_UP = "follow-up"  # "follow-up:<check>": a request a check of ours sent through Case.call
AUTH_PROBE = "ignored_auth probe"
CAPABILITY_PROBE = "capability probe"
OTHER = "other"
FAILED = "failed"  # a check outcome beside those of tools.contract.promises.registry


def _name(value: Any) -> str:
    """An enum's value (PhaseName.EXAMPLES -> "examples"), or the text of anything else."""
    return str(getattr(value, "value", value))


@dataclass
class LinkFacts:
    """One OpenAPI link of the stateful phase and what the phase did with it."""

    id: str  # schemathesis's transition ID: "SOURCE -> [STATUS] NAME -> TARGET"
    source: str
    status: str
    inferred: bool
    drawn: int = 0  # steps that took this link
    extracted: int = 0  # of which the response held the link's values
    applied: int = 0  # of which schemathesis used at least one of them ("covered")
    source_answers: int = 0  # responses of the source, in the stateful phase, with the link's status

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "status": self.status,
            "inferred": self.inferred,
            "drawn": self.drawn,
            "extracted": self.extracted,
            "applied": self.applied,
            "source_answers": self.source_answers,
        }


@dataclass
class Facts:
    """Collected in st's process; `write` saves them. `token` tells the run's own requests
    from `ignored_auth`'s probes, which carry no valid credentials."""

    token: str
    schema: Any = None  # the schema st loaded (after_load_schema): its templates and links
    current_check: str | None = None  # the check of ours running now: its requests are follow-ups
    pending_case: bool = False  # a Case.call is on its way to the transport
    traffic: Counter[str] = field(default_factory=Counter)
    checks: dict[str, Counter[str]] = field(default_factory=dict)
    test_cases: Counter[str] = field(default_factory=Counter)
    scenarios: Counter[str] = field(default_factory=Counter)
    probes: Counter[str] = field(default_factory=Counter)
    unchecked: Counter[str] = field(default_factory=Counter)
    links: dict[str, LinkFacts] = field(default_factory=dict)
    source_answers: Counter[tuple[str, str]] = field(default_factory=Counter)
    phases: dict[str, str] = field(default_factory=dict)
    extraction_failures: Counter[str] = field(default_factory=Counter)
    summary: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    # --- from the hooks and the checks ------------------------------------------------------

    def check_outcome(self, check: str, outcome: str) -> None:
        self.checks.setdefault(check, Counter())[outcome] += 1

    def origin(self, case: Any) -> str:
        """Where a request for `case` comes from: a check's follow-up, or a test case of a phase."""
        if self.current_check is not None:
            return f"{FOLLOW_UP}:{self.current_check}"
        meta = getattr(case, "meta", None)
        return _name(meta.phase.name) if meta is not None else "unknown"

    def observe(self, request: requests.PreparedRequest, response: requests.Response) -> None:
        """The exchange observer: count every exchange by origin."""
        if self.pending_case:
            self.pending_case = False
            kind = f"{FOLLOW_UP}:{self.current_check}" if self.current_check else TEST_CASE
        elif not self._in_spec(str(request.url)):
            kind = CAPABILITY_PROBE
        elif request.headers.get("Authorization") != f"Bearer {self.token}":
            kind = AUTH_PROBE
        else:
            kind = OTHER
        self.traffic[kind] += 1

    def _in_spec(self, url: str) -> bool:
        """Whether the URL's path ends with a path of the spec (after the base URL's own path)."""
        paths = (getattr(self.schema, "raw_schema", None) or {}).get("paths") or {}
        segments = tuple(urlsplit(url).path.strip("/").split("/"))
        for path in paths:
            template = PathTemplate.parse(path)
            length = len(template.segments)
            if len(segments) >= length and template.matches(segments[len(segments) - length :]):
                return True
        return False

    # --- from schemathesis's event stream (the CLI handler) ----------------------------------

    def on_event(self, ctx: Any, event: Any) -> None:
        kind = type(event).__name__
        if kind == "ScenarioFinished":
            self._scenario(_name(event.phase), event.recorder)
        elif kind == "PhaseFinished":
            self.phases[_name(event.phase.name)] = _name(event.status)

    def _scenario(self, phase: str, recorder: Any) -> None:
        self.scenarios[phase] += 1
        for case_id, node in recorder.cases.items():
            label = node.value.operation.label
            interaction = recorder.interactions.get(case_id)
            response = getattr(interaction, "response", None)
            probe = node.parent_id is not None and node.transition is None
            if probe:
                self.probes[label] += 1
            else:
                self.test_cases[phase] += 1
            if not recorder.checks.get(case_id) and response is not None:
                self.unchecked[AUTH_PROBE if probe else f"{phase} test case"] += 1
            if phase == "stateful" and response is not None:
                self.source_answers[(label, str(response.status_code))] += 1
            transition = node.transition
            if transition is not None:
                link = self.links.setdefault(
                    transition.id, LinkFacts(transition.id, "", "", bool(transition.is_inferred))
                )
                link.drawn += 1
                link.extracted += int(_extracted(transition))
                link.applied += int(bool(node.is_transition_applied))

    def finish(self, ctx: Any) -> None:
        """At the end of the run: st's summary, the links it had and its extraction failures."""
        try:
            summary = ctx.summary()
            cases = summary.test_cases
            self.summary = {
                "generated": cases.generated,
                "without_checks": cases.without_checks,
                "errored": cases.errored,
                "with_failures": cases.with_failures,
                "warnings": {name: list(labels) for name, labels in summary.warnings.as_labels().items() if labels},
            }
            self.extraction_failures.update(failure.id for failure in ctx.statistic.extraction_failures)
        except Exception as exc:  # explanations must never change the run
            self.errors.append(f"summary: {type(exc).__name__}: {exc}")
        try:
            for link in _all_links(self.schema):
                known = self.links.setdefault(link.id, link)
                known.source, known.status, known.inferred = link.source, link.status, link.inferred
        except Exception as exc:
            self.errors.append(f"links: {type(exc).__name__}: {exc}")
        for link in self.links.values():
            link.source_answers = sum(
                count
                for (label, status), count in self.source_answers.items()
                if label == link.source and _status_matches(link.status, status)
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "schemathesis": self.summary,
            "phases": self.phases,
            "test_cases": dict(self.test_cases),
            "scenarios": dict(self.scenarios),
            "probes": dict(self.probes),
            "unchecked": dict(self.unchecked),
            "links": [link.to_json() for link in sorted(self.links.values(), key=lambda link: link.id)],
            "extraction_failures": dict(self.extraction_failures),
            "traffic": dict(sorted(self.traffic.items())),
            "checks": {name: dict(counts) for name, counts in sorted(self.checks.items())},
            "errors": self.errors,
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")


def _extracted(transition: Any) -> bool:
    """Whether the response held a value for at least one of the link's parameters."""
    values: Iterable[Any] = [
        extracted.value for parameters in transition.parameters.values() for extracted in parameters.values()
    ]
    if transition.request_body is not None:
        values = [*values, transition.request_body.value]
    return any(hasattr(value, "ok") and value.ok() is not None for value in values)


def _status_matches(pattern: str, status: str) -> bool:
    pattern = pattern.upper()
    return pattern == status or (pattern.endswith("XX") and status.startswith(pattern[0])) or pattern == "DEFAULT"


def _all_links(schema: Any) -> list[LinkFacts]:
    """Every link the stateful phase could follow, the inferred ones included (schemathesis
    adds them to the loaded schema when the phase starts), as schemathesis 4.32 collects them."""
    if schema is None:
        return []
    from schemathesis.specs.openapi.stateful import collect_transitions

    operations = [result.ok() for result in schema.get_all_operations() if hasattr(result, "ok")]
    transitions = collect_transitions(operations)
    return [
        LinkFacts(link.full_name, link.source.label, str(link.status_code), bool(link.is_inferred))
        for label in sorted(transitions.operations)
        for link in transitions.operations[label].outgoing
    ]


def read(path: Path) -> Mapping[str, Any] | None:
    """The facts of a finished run, or None when st did not write them (it did not finish)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
