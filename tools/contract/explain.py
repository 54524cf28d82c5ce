"""What a contract run prints after `st run`, so that every line of st's output can be explained.

From build/contract/facts.json (what st's process saw: tools/contract/facts.py) and the drift
log (one line per response, with its origin), after the run:

- **test cases**: what st's "N generated" holds (the requests its phases generated, by
  phase, and the requests its `ignored_auth` check sent itself), and what its "N skipped" are;
- **responses**: why the coverage table and the drift report count more responses than st
  generated test cases: the follow-up requests of the run's own checks, by check;
- **links**: st's "API Links: C covered / S selected / T total (I inferred)": which links the
  stateful phase did not follow, and why (printed when the stateful phase ran);
- **notes**: st's warnings and notes that are expected of this API, each only when st
  printed it this run;
- **promise checks**: every custom check by name, passed, failed, off or not reached, also
  in build/contract/promises.json and promises.md.

Nothing here changes the run's exit status.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from tools.contract import facts as run_facts
from tools.contract.config import RunConfig
from tools.contract.drift import read_records
from tools.contract.facts import AUTH_PROBE, CAPABILITY_PROBE, FAILED, FOLLOW_UP, TEST_CASE
from tools.contract.promises import HELD, NOT_APPLICABLE, OFF, PROMISES, STOOD_ASIDE

__all__ = ["check_verdicts", "finish", "lines"]

PHASE_ORDER = ("examples", "coverage", "fuzzing", "stateful")
PASSED, NOT_REACHED, OFF_READ_ONLY = "passed", "not reached", "off (read-only run)"


def _phase(name: str) -> str:
    """Our word for a schemathesis phase: "the coverage phase", never "coverage" alone."""
    return f"{name} phase"


def _by_phase(counts: Mapping[str, int]) -> str:
    ordered = sorted(counts.items(), key=lambda item: (*PHASE_ORDER, item[0]).index(item[0]))
    return ", ".join(f"{_phase(phase)} {count}" for phase, count in ordered if count)


def _listed(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def test_case_lines(facts: Mapping[str, Any]) -> list[str]:
    """st's "N generated, ..., M skipped", taken apart."""
    summary = facts.get("schemathesis") or {}
    generated = summary.get("generated")
    phases = {str(name): int(count) for name, count in (facts.get("test_cases") or {}).items()}
    probes = {str(label): int(count) for label, count in (facts.get("probes") or {}).items()}
    seen = sum(phases.values()) + sum(probes.values())
    text = f'contract: test cases: st\'s "{generated} generated" are {sum(phases.values())} requests'
    text += " its phases generated"
    text += f" ({_by_phase(phases)})" if phases else ""
    if probes:
        text += (
            f" and {sum(probes.values())} requests its ignored_auth check sent itself: once per operation, the "
            "request it checks again without credentials and with an invalid credential per security scheme "
            f"({_listed(probes)})"
        )
    if generated is not None and generated != seen:
        text += f"; st counted {generated}, the hooks saw {seen}"
    result = [text]
    unchecked = {str(kind): int(count) for kind, count in (facts.get("unchecked") or {}).items()}
    skipped = summary.get("without_checks", sum(unchecked.values()))
    if skipped:
        parts = []
        if unchecked.get(AUTH_PROBE):
            parts.append(
                f"{unchecked[AUTH_PROBE]} are those ignored_auth requests: st records them as test cases, but the "
                "check judges their answers on the request they copy, so no check runs on them"
            )
        others = {kind: count for kind, count in unchecked.items() if kind != AUTH_PROBE}
        if others:
            parts.append(f"{sum(others.values())} are test cases no check applied to ({_listed(others)})")
        else:
            parts.append("no generated test case was skipped")
        result.append(f'contract: test cases: st\'s "{skipped} skipped": ' + "; ".join(parts))
    return result


def response_lines(facts: Mapping[str, Any], records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Why the coverage table and the drift report count more responses than st's test cases."""
    origins = Counter(str(record.get("origin", "unknown")) for record in records if "error" not in record)
    follow_ups = {
        origin.removeprefix(f"{FOLLOW_UP}:"): count for origin, count in origins.items() if origin.startswith(FOLLOW_UP)
    }
    to_cases = {origin: count for origin, count in origins.items() if not origin.startswith(FOLLOW_UP)}
    total = sum(origins.values())
    text = (
        f"contract: responses: the coverage table and the drift report count {total} responses to requests of the "
        f"spec's operations: {sum(to_cases.values())} to test cases ({_by_phase(to_cases)})"
    )
    if follow_ups:
        text += f" and {sum(follow_ups.values())} to follow-up requests of this run's checks ({_listed(follow_ups)})"
    traffic = {str(kind): int(count) for kind, count in (facts.get("traffic") or {}).items()}
    answered_cases = traffic.get(TEST_CASE, 0)
    unrecorded = answered_cases - sum(to_cases.values())
    aside = []
    if unrecorded > 0:
        aside.append(f"{unrecorded} test cases with a method the path does not have (the coverage phase's probes)")
    if traffic.get(AUTH_PROBE):
        aside.append(f"{traffic[AUTH_PROBE]} ignored_auth requests")
    if traffic.get(CAPABILITY_PROBE):
        aside.append(f"{traffic[CAPABILITY_PROBE]} requests of st's API capability probes")
    if aside:
        text += "; not counted there: " + ", ".join(aside)
    return [text]


def _times(count: int, what: str) -> str:
    return f"{count} {what}" if count == 1 else f"{count} {what}s"


def link_lines(facts: Mapping[str, Any]) -> list[str]:
    """st's "API Links: C covered / S selected / T total (I inferred)": which were not followed, and why."""
    links = list(facts.get("links") or [])
    if not links or (facts.get("phases") or {}).get("stateful") in (None, "skip", "skipped"):
        return []
    covered = [link for link in links if link["applied"]]
    inferred = sum(1 for link in links if link["inferred"])
    result = [
        f"contract: stateful phase: {len(covered)} of {len(links)} API links followed (st's \"{len(covered)} "
        f'covered / {len(links)} selected / {len(links)} total ({inferred} inferred)": {len(links) - inferred} from '
        f"openapi.yaml, {inferred} schemathesis inferred from the responses' fields)"
        + ("; not followed:" if len(covered) < len(links) else "")
    ]
    next_page = int(((facts.get("checks") or {}).get("next_page_link_resolves") or {}).get(HELD, 0))
    scenarios = int((facts.get("scenarios") or {}).get("stateful", 0))
    for link in links:
        if link["applied"]:
            continue
        where = "inferred" if link["inferred"] else "openapi.yaml"
        result.append(f"contract:   {link['id']} ({where}): {_why_not_followed(link, scenarios, next_page)}")
    return result


def _why_not_followed(link: Mapping[str, Any], scenarios: int, next_page: int) -> str:
    source, status, drawn = link["source"], link["status"], link["drawn"]
    if not drawn and not link["source_answers"]:
        return (
            f"never drawn: it starts from a {status} of {source}, which no step of the stateful phase got "
            "(state the run never reached)"
        )
    if not drawn:
        return (
            f"never drawn: {source} answered {status} {_times(link['source_answers'], 'time')} in the stateful "
            f"phase, but none of its {_times(scenarios, 'scenario')} took this link (schemathesis picks each step "
            "at random among the links it may follow)"
        )
    if not link["extracted"]:
        return (
            f"drawn {_times(drawn, 'time')}, but no response held the link's values (a last page has no Link "
            "header, say)"
        )
    reason = (
        f"drawn {_times(drawn, 'time')}; the response held the link's values {_times(link['extracted'], 'time')}, "
        "but schemathesis sent values it generated instead each time (it decides at random, step by step, "
        "whether to use a link's values)"
    )
    if "NextPage" in str(link["id"]) and next_page:
        reason += (
            f'; next_page_link_resolves follows every rel="next" link instead: {_times(next_page, "time")} this run'
        )
    return reason


def note_lines(facts: Mapping[str, Any]) -> list[str]:
    """st's warnings and notes that are expected of this API, each when st printed it."""
    result = []
    warnings = (facts.get("schemathesis") or {}).get("warnings") or {}
    mismatch = list(warnings.get("validation_mismatch") or [])
    if "GET /v1/projects" in mismatch:
        result.append(
            'contract: note: the warning "Schema validation mismatch: 1 operation mostly rejected generated data" '
            "(GET /v1/projects) is expected, not a failure: most schema-valid `before` values are cursors this "
            "service never issued, refused with 400 `decode cursor` as the spec documents; no schema can list the "
            "issued cursors"
        )
    unexplained = [label for label in mismatch if label != "GET /v1/projects"]
    if unexplained:
        result.append(
            f"contract: note: st's validation-mismatch warning also names {', '.join(unexplained)}: not explained "
            "here; the spec may be stricter or looser than the service there"
        )
    for transition, count in sorted((facts.get("extraction_failures") or {}).items()):
        if "NextPage" in transition:
            result.append(
                f'contract: note: the {count} "Failed to extract data from response ... `before` via '
                '$response.header.Link" under "Stateful tests" are last pages: a last page has no Link header, so '
                "the NextPage link has nothing to follow; not a failure"
            )
        else:
            result.append(
                f'contract: note: st\'s "Failed to extract data from response" for {transition} ({count}): the '
                "response did not hold the link's value; not a failure, but the link was not followed then"
            )
    return result


def check_verdicts(facts: Mapping[str, Any]) -> dict[str, tuple[str, Mapping[str, int]]]:
    """Each custom check: passed, failed, off (read-only run) or not reached, with its counts."""
    checks = facts.get("checks") or {}
    verdicts: dict[str, tuple[str, Mapping[str, int]]] = {}
    for name in ("next_page_link_resolves", *sorted(PROMISES, key=list(PROMISES).index)):
        counts: Mapping[str, int] = checks.get(name) or {}
        if counts.get(FAILED):
            verdict = FAILED
        elif counts.get(HELD):
            verdict = PASSED
        elif counts.get(OFF):
            verdict = OFF_READ_ONLY
        else:
            verdict = NOT_REACHED
        verdicts[name] = (verdict, counts)
    return verdicts


def _check_detail(name: str, verdict: str, counts: Mapping[str, int]) -> str:
    held, failed = counts.get(HELD, 0), counts.get(FAILED, 0)
    promise = f" ({PROMISES[name].id})" if name in PROMISES else ""
    if verdict == PASSED:
        if name == "next_page_link_resolves":
            what = f"followed {_times(held, 'next-page link')}"
        else:
            what = f"held on {_times(held, 'response')}"
    elif verdict == FAILED:
        what = f"broken on {_times(failed, 'response')}, held on {held}"
    elif verdict == OFF_READ_ONLY:
        what = "it writes, and this run may not"
    else:
        what = f"no response it checks among {counts.get(NOT_APPLICABLE, 0)} (it needs one this run never got)"
    aside = f"; stood aside on {counts[STOOD_ASIDE]} of the wrong shape" if counts.get(STOOD_ASIDE) else ""
    return f"{name}{promise}: {what}{aside}"


def check_lines(facts: Mapping[str, Any]) -> list[str]:
    verdicts = check_verdicts(facts)
    tally = Counter(verdict for verdict, _ in verdicts.values())
    order = (PASSED, FAILED, OFF_READ_ONLY, NOT_REACHED)
    summary = ", ".join(f"{tally[verdict]} {verdict}" for verdict in order if tally[verdict])
    result = [f"contract: checks of this run (promises.md): {len(verdicts)}: {summary}"]
    for verdict in order:
        for name, (got, counts) in verdicts.items():
            if got == verdict:
                result.append(f"contract:   {verdict}: {_check_detail(name, verdict, counts)}")
    return result


def _write_checks(config: RunConfig, facts: Mapping[str, Any]) -> None:
    verdicts = check_verdicts(facts)
    rows = [
        {
            "check": name,
            "promise": PROMISES[name].id if name in PROMISES else None,
            "verdict": verdict,
            "counts": dict(counts),
        }
        for name, (verdict, counts) in verdicts.items()
    ]
    (config.out / "promises.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    table = ["| check | promise | verdict | detail |", "| --- | --- | --- | --- |"]
    for row, (name, (verdict, counts)) in zip(rows, verdicts.items(), strict=True):
        table.append(f"| `{name}` | {row['promise'] or '-'} | {verdict} | {_check_detail(name, verdict, counts)} |")
    (config.out / "promises.md").write_text("\n".join(table) + "\n", encoding="utf-8")


def lines(config: RunConfig, facts: Mapping[str, Any] | None, records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every explanation line of a run, in the order printed."""
    if facts is None:
        return [f"contract: no explanations: st did not finish, so {config.facts} was not written"]
    result = [*test_case_lines(facts), *response_lines(facts, records), *link_lines(facts)]
    result += [*note_lines(facts), *check_lines(facts)]
    result += [f"contract: explanation error: {error}" for error in facts.get("errors") or []]
    return result


def finish(config: RunConfig) -> None:
    """Print the explanations of the run that just ended, and write promises.json and .md."""
    facts = run_facts.read(config.facts)
    for line in lines(config, facts, read_records(config.drift_log)):
        print(line, flush=True)
    if facts is not None:
        _write_checks(config, facts)
