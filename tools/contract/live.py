"""Around a live run: the ledger of what it created, the account before and after, the guard's refusals.

- Every project a live write run creates is in the ledger (build/contract/created-projects.txt,
  written by the transport in st's process: tools/contract/hooks.py); `delete_recorded`
  deletes them at the end, whatever happened to the run, and the leftovers of a killed run at
  the start of the next.
- The account is read before and after a write run (build/contract/snapshot-{before,after}.json):
  any change to a project the run did not create, or a project left behind, fails the run,
  naming the project and the field.
- The write guard's refusals (build/contract/guard-refusals.jsonl) are counted by layer and phase.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass

import httpx

from tools.contract import account_snapshot
from tools.contract.config import RunConfig

__all__ = [
    "CleanupReport",
    "append_to_ledger",
    "delete_recorded",
    "ledger_roots",
    "print_cleanup",
    "print_refusals",
    "snapshot",
    "verify_account",
]


@dataclass
class CleanupReport:
    recorded: int = 0
    deleted: int = 0
    already_gone: int = 0
    left: int = 0


def _api(config: RunConfig) -> httpx.Client:
    return httpx.Client(base_url=config.url, headers={"Authorization": f"Bearer {config.token}"}, timeout=10)


def ledger_roots(config: RunConfig) -> list[str]:
    """The ledger's resource roots (`/v1/projects/<id>`); a bare ID is a project's, as
    written by earlier versions. None before the run has created anything."""
    if not config.ledger.exists():
        return []
    lines = (line.strip() for line in config.ledger.read_text(encoding="utf-8").splitlines())
    return list(dict.fromkeys(line if line.startswith("/") else f"/v1/projects/{line}" for line in lines if line))


def delete_recorded(config: RunConfig) -> CleanupReport:
    """Delete every resource in the ledger; a 404 means the run deleted it already."""
    report = CleanupReport()
    if not config.ledger.exists():
        return report
    roots = ledger_roots(config)
    report.recorded = len(roots)
    remaining = []
    with _api(config) as client:
        for root in roots:
            try:
                status = client.delete(root).status_code
            except httpx.HTTPError:
                status = 0
            if status == 200:
                report.deleted += 1
            elif status == 404:
                report.already_gone += 1
            else:
                remaining.append(root)
    report.left = len(remaining)
    if remaining:
        config.ledger.write_text("".join(f"{root}\n" for root in remaining), encoding="utf-8")
    else:
        config.ledger.unlink()
    return report


def append_to_ledger(config: RunConfig, root: str) -> None:
    """Record a resource the run created, on disk at once: a run killed the next moment
    still has it deleted (by its cleanup, or by the next run's)."""
    with config.ledger.open("a", encoding="utf-8") as ledger:
        ledger.write(root + "\n")
        ledger.flush()
        os.fsync(ledger.fileno())


def print_cleanup(report: CleanupReport, when: str) -> None:
    print(
        f"contract: {when}: {report.recorded} project(s) created by the run, {report.deleted} deleted now, "
        f"{report.already_gone} already deleted by the run, {report.left} left",
        flush=True,
    )


def interval(rate_limit: str | None) -> float:
    """Seconds between requests at a schemathesis rate limit such as `5/s` or `100/m`."""
    count, _, unit = (rate_limit or "1/s").partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit.strip() or "s")
    try:
        return seconds / float(count) if seconds is not None and float(count) > 0 else 1.0
    except ValueError:
        return 1.0


def snapshot(config: RunConfig, when: str) -> account_snapshot.Snapshot:
    """The account as reads show it, at the run's rate limit, saved as snapshot-<when>.json."""
    with _api(config) as client:
        taken = account_snapshot.take(client, interval=interval(config.rate_limit))
    account_snapshot.write(taken, config.out / f"snapshot-{when}.json")
    return taken


def print_refusals(config: RunConfig) -> None:
    log = config.guard_log
    refusals = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    layers = Counter(refusal["layer"] for refusal in refusals)
    phases = Counter(refusal["phase"] for refusal in refusals if refusal["layer"] == "filter")
    by_phase = ", ".join(f"{phase} phase {count}" for phase, count in sorted(phases.items()))
    print(
        f"contract: write guard: {len(refusals)} request(s) refused and not sent: "
        f"{layers['filter']} generated case(s) dropped{f' ({by_phase})' if by_phase else ''}, "
        f"{layers['call']} stopped at the call, {layers['transport']} at the transport, "
        f"{layers['model']} of the reference model's own; list in {log}",
        flush=True,
    )


def verify_account(config: RunConfig, before: account_snapshot.Snapshot) -> int:
    """Compare the account with its snapshot from before the run; 1 and every difference if it changed."""
    try:
        differences = account_snapshot.compare(before, snapshot(config, "after"))
    except account_snapshot.SnapshotError as exc:
        print(f"contract: ACCOUNT NOT VERIFIED: {exc}", flush=True)
        return 1
    for difference in differences:
        print(f"contract: ACCOUNT CHANGED: {difference}", flush=True)
    if differences:
        count = len(differences)
        print(f"contract: {count} change(s) to the account; compare {config.out}/snapshot-*.json", flush=True)
        return 1
    print(f"contract: account unchanged: {len(before)} project(s) as before ({config.out}/snapshot-*.json)", flush=True)
    return 0
