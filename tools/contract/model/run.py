"""The model's part of a contract run: learn the account, replay the run, explore, report.

1. Before `st run`: the listing as it stands is learned (every project, in order); against
   the mock the runner's seed projects are created through the model.
2. Then the model sends its own requests to each boundary (explore.py), writes allowed or
   not; its first difference is printed at once. (Before st: its 100-odd projects give st's
   page checks full pages, and a broken service shows in seconds.)
3. After `st run`: every exchange it sent (its checks' own requests included) is replayed
   through the model, in order.
4. The report (build/contract/model.json and the run's output) lists the differences: each
   names the request, where, the predicted and the received value, and the rule. The rules
   whose answers all agreed are listed by name, and any operation of the spec the model
   does not model is named as checked by the schemas only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.contract import live
from tools.contract.config import RunConfig
from tools.contract.model.checker import Checker
from tools.contract.model.client import BudgetExhaustedError, Guard, ModelClient, RefusedError, UnansweredError
from tools.contract.model.exchange import Exchange
from tools.contract.model.explore import Exploration, explore
from tools.contract.model.operations import project_paths
from tools.contract.model.recording import read_exchanges
from tools.contract.model.secrets import Redactor
from tools.contract.write_guard import SAFE_METHODS, WriteGuard

__all__ = ["ModelRun", "explore_phase", "for_run", "model_phase"]

SHOWN_DIFFERENCES = 20


@dataclass
class ModelRun:
    """One run's model, and the client it sends its own requests with."""

    checker: Checker
    client: ModelClient
    exploration: Exploration | None = None
    replayed: int = 0

    @classmethod
    def start(
        cls,
        spec: Mapping[str, Any],
        url: str,
        token: str,
        *,
        strict: bool,
        guard: Guard | None = None,
        other_users: tuple[str, ...] = (),
        brand_new: tuple[str, ...] = (),
        interval: float = 0.0,
        budget: int = 0,
        redactor: Redactor | None = None,
    ) -> ModelRun:
        """Learn the account: the listing of `token`'s user and of each of `other_users`.
        `redactor` labels credentials as st's exchange log does (the same key); `brand_new`
        names the users known to have made no request yet (their listing is worded exactly)."""
        checker = Checker(spec, token, strict=strict, other_users=other_users, brand_new=brand_new, redactor=redactor)
        client = ModelClient(checker, url, token, guard=guard, interval=interval, budget=budget)
        for other in other_users:
            client.remember(other)
        client.learn_account(project_paths(spec)[0])
        return cls(checker, client)

    def seed(self, count: int, name: Callable[[int], str]) -> None:
        """Create `count` projects through the model (the runner's seed, against the mock)."""
        collection = project_paths(self.checker.spec)[0]
        for index in range(count):
            self.client.send("POST", collection, json={"name": name(index)}, origin="seed")

    def replay(self, log: Path) -> None:
        for exchange in read_exchanges(log):
            self.checker.observe(exchange)
            self.replayed += 1

    def explore(self, *, writes: bool) -> None:
        """The model's own requests; a refusal of the guard or the spent budget ends them,
        said in the report."""
        try:
            self.exploration = explore(self.client, writes=writes)
        except (BudgetExhaustedError, UnansweredError) as exc:
            self.exploration = Exploration(requests=len(self.client.sent), steps=[], stopped=str(exc))

    def close(self) -> None:
        self.client.close()

    # -- the report -------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        report = self.checker.report
        return {
            "replayed": self.replayed,
            "explored": self.exploration.requests if self.exploration else 0,
            "exploration_steps": self.exploration.steps if self.exploration else [],
            "agreed": dict(sorted(report.checked.items())),
            "not_modelled": dict(report.not_modelled),
            "differences": [difference.to_json() for difference in report.failures],
            "external": [difference.to_json() for difference in report.external],
        }

    def markdown(self) -> str:
        """model.md: every rule of the model whose answers agreed, by name, and what differed."""
        report = self.checker.report
        lines = ["# The reference model's checks", "", "| rule | answers as predicted |", "| --- | --- |"]
        lines += [f"| {rule} | {count} |" for rule, count in sorted(report.checked.items())]
        for title, differences in (("Differences", report.failures), ("Changes made outside the run", report.external)):
            lines += ["", f"## {title}: {len(differences)}", ""]
            lines += [f"- {difference}" for difference in differences]
        if report.not_modelled:
            lines += ["", "## Not modelled (checked by the schemas only)", ""]
            lines += [f"- {operation}: {count} exchange(s)" for operation, count in sorted(report.not_modelled.items())]
        if self.exploration is not None:
            lines += ["", f"## The model's own requests: {self.exploration.requests}", ""]
            lines += [f"- {step}" for step in self.exploration.steps]
        return "\n".join(lines) + "\n"

    def finish(self, out: Path) -> int:
        """Write model.json, print the summary; 1 when the service differed from the model."""
        (out / "model.json").write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")
        (out / "model.md").write_text(self.markdown(), encoding="utf-8")
        report = self.checker.report
        explored = self.exploration.requests if self.exploration else 0
        agreed = sum(report.checked.values())
        if self.exploration is not None and self.exploration.stopped:
            print(f"contract: model: its own requests stopped early: {self.exploration.stopped}", flush=True)
        print(
            f"contract: model: {self.replayed} exchange(s) of the run replayed and {explored} of its own sent; "
            f"{agreed} answer(s) as predicted, {len(report.failures)} difference(s) ({out / 'model.md'})",
            flush=True,
        )
        rules = Counter({rule.split(":")[0]: 0 for rule in report.checked})
        for rule, count in report.checked.items():
            rules[rule.split(":")[0]] += count
        print(
            "contract: model: answers as predicted, by operation: "
            + ", ".join(f"{op} {n}" for op, n in sorted(rules.items())),
            flush=True,
        )
        for operation, count in sorted(report.not_modelled.items()):
            print(
                f"contract: model: {operation} is not modelled ({count} exchange(s) checked by the schemas only): "
                "add it to tools/contract/model/operations.py",
                flush=True,
            )
        if report.unexplained_by:
            print(
                f"contract: model: after a write of {', '.join(report.unexplained_by)} (not modelled), the model "
                "could no longer tell the service's doing from that write's: later differences are reported as "
                "not failures",
                flush=True,
            )
        for difference in report.external[:SHOWN_DIFFERENCES]:
            print(f"contract: model: NOT A FAILURE: {difference}", flush=True)
        for difference in report.failures[:SHOWN_DIFFERENCES]:
            print(f"contract: model: DIFFERENCE: {difference}", flush=True)
        if len(report.failures) > SHOWN_DIFFERENCES:
            print(
                f"contract: model: ... and {len(report.failures) - SHOWN_DIFFERENCES} more in {out / 'model.json'}",
                flush=True,
            )
        return 1 if report.failures else 0


def for_run(
    config: RunConfig,
    url: str,
    spec: Mapping[str, Any],
    redactor: Redactor,
    *,
    other_users: tuple[str, ...] = (),
    brand_new: tuple[str, ...] = (),
) -> ModelRun:
    """The model of one contract run, the account learned. Against the mock nobody else
    changes the account (every difference is a failure); against a live account the model's
    own requests keep the run's rate limit and request cap, pass the write guard (a refusal
    is logged like st's), and what they create goes into the run's ledger for the cleanup."""
    if not config.live:
        return ModelRun.start(
            spec, url, config.run_token, strict=True, other_users=other_users, brand_new=brand_new, redactor=redactor
        )
    guard = WriteGuard.from_spec(spec, url)
    guard.ledger.update(live.ledger_roots(config))

    def vet(method: str, target: str, headers: dict[str, str]) -> None:
        verdict = guard.verdict(method, target, headers)
        if not verdict.allowed or (not config.writes and method.upper() not in SAFE_METHODS):
            with config.guard_log.open("a", encoding="utf-8") as log:
                entry = {"layer": "model", "phase": None, "method": method, "url": target, "reason": verdict.reason}
                log.write(json.dumps(entry) + "\n")
            raise RefusedError(f"write guard: {method} {target} not sent: {verdict.reason}")

    def record(exchange: Exchange) -> None:
        if exchange.method != "POST" or exchange.status != 201:
            return
        root = guard.created_root("POST", url.rstrip("/") + exchange.path, 201, exchange.response_json())
        if root is not None:
            guard.ledger.add(root)
            live.append_to_ledger(config, root)

    run = ModelRun.start(
        spec,
        url,
        config.run_token,
        strict=False,
        guard=vet,
        interval=live.interval(config.rate_limit),
        redactor=redactor,
        budget=config.max_requests,
    )
    run.client.after = record
    return run


def explore_phase(config: RunConfig, run: ModelRun) -> None:
    """Before `st run`: the model's own requests, to every boundary; the first difference is
    printed at once (a broken service shows it before st starts)."""
    run.explore(writes=config.writes)
    first = next(iter(run.checker.report.failures), None)
    if first is not None:
        print(f"contract: model: DIFFERENCE: {first} (more after the run)", flush=True)


def model_phase(config: RunConfig, run: ModelRun) -> int:
    """After `st run`: replay its exchanges, report. 1 on any difference."""
    try:
        run.replay(config.exchange_log)
    finally:
        run.close()
    return run.finish(config.out)
