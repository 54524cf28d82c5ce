"""Predictions and differences: what the model expects of an answer, and how it compares.

A prediction is a list of outcomes, one per answer the spec allows (usually one). An
outcome names its status; an error outcome the `error` messages the spec names for it; a
success outcome a `check` of the body and headers and an `apply` that changes the model
as the answer says. The answer's status chooses the outcomes to compare with: none means a
wrong status; several (an answer the spec leaves open) are tried in turn, and the first
that agrees is taken.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tools.contract.model.exchange import NOT_JSON, Exchange

__all__ = [
    "Difference",
    "Outcome",
    "compare_value",
    "error_outcome",
    "is_datetime",
    "is_uuid",
    "judge",
    "parse_datetime",
    "text",
]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Difference:
    """Where an answer differs from the prediction: the request, the place, both values.

    `external` marks a difference the run could not have caused: a project it neither
    created nor changed, in an account others may change (a live run)."""

    request: str
    where: str
    predicted: str
    received: str
    rule: str  # the model's rule that made the prediction, e.g. `project: caller is a member`
    external: bool = False

    def __str__(self) -> str:
        prefix = "changed outside the run, or by a write the model does not model: " if self.external else ""
        return (
            f"{prefix}{self.request}: {self.where}: predicted {self.predicted}, received {self.received} ({self.rule})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.request,
            "where": self.where,
            "predicted": self.predicted,
            "received": self.received,
            "rule": self.rule,
            "external": self.external,
        }


Found = list[tuple[str, str, str]]  # (where, predicted, received), before the request is known


@dataclass
class Outcome:
    """One answer the model allows."""

    status: int
    rule: str
    messages: frozenset[str] | None = None  # an error's allowed `error` values; empty: any
    check: Callable[[Exchange], Found] | None = None
    apply: Callable[[Exchange], None] | None = None
    headers: Mapping[str, str | None] = field(default_factory=dict)  # exact values; None: absent

    @property
    def is_error(self) -> bool:
        return self.messages is not None


def error_outcome(status: int, rule: str, *messages: str) -> Outcome:
    """An error answer: the service's JSON error body, with one of `messages` if any are named."""
    return Outcome(status, rule, messages=frozenset(messages))


def text(value: Any) -> str:
    """A value as a report shows it: JSON, cut short."""
    if value is NOT_JSON:
        return "a body that is not JSON"
    shown = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return shown if len(shown) <= 160 else shown[:157] + "..."


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def is_datetime(value: Any) -> bool:
    return parse_datetime(value) is not None


def compare_value(where: str, predicted: Any, received: Any) -> Found:
    """Exact JSON equality, reported at the first place the two differ."""
    if isinstance(predicted, dict) and isinstance(received, dict):
        found: Found = []
        for key in sorted(set(predicted) | set(received)):
            if key not in received:
                found.append((f"{where}.{key}", text(predicted[key]), "nothing (absent)"))
            elif key not in predicted:
                found.append((f"{where}.{key}", "nothing (absent)", text(received[key])))
            else:
                found += compare_value(f"{where}.{key}", predicted[key], received[key])
        return found
    if isinstance(predicted, list) and isinstance(received, list) and len(predicted) == len(received):
        return [
            item
            for index, pair in enumerate(zip(predicted, received, strict=True))
            for item in compare_value(f"{where}[{index}]", *pair)
        ]
    if _same(predicted, received):
        return []
    return [(where, text(predicted), text(received))]


def _same(predicted: Any, received: Any) -> bool:
    if isinstance(predicted, bool) or isinstance(received, bool):
        return type(predicted) is type(received) and predicted == received
    return bool(predicted == received)


def _media_found(exchange: Exchange) -> Found:
    """Every body this API documents is JSON, errors included."""
    media = exchange.response_headers.get("content-type", "").split(";")[0].strip().lower()
    if exchange.status == 204 or media == "application/json":
        return []
    if exchange.method == "HEAD" and not exchange.response_headers.get("content-type"):
        return []
    return [("header content-type", "application/json", text(exchange.response_headers.get("content-type")))]


def _error_found(outcome: Outcome, exchange: Exchange) -> Found:
    body = exchange.response_json()
    if exchange.method == "HEAD":
        return [("body", "no content (HEAD)", f"{len(exchange.response_body)} bytes")] if exchange.response_body else []
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return [("body", 'the JSON error body {"error": "..."}', text(body))]
    if outcome.messages and body["error"] not in outcome.messages:
        return [("body.error", " or ".join(text(message) for message in sorted(outcome.messages)), text(body["error"]))]
    return []


def _headers_found(outcome: Outcome, exchange: Exchange) -> Found:
    found: Found = []
    for name, value in outcome.headers.items():
        received = exchange.response_headers.get(name)
        if value is None and received is not None:
            found.append((f"header {name}", "no such header", text(received)))
        elif value is not None and received != value:
            found.append((f"header {name}", text(value), "nothing (absent)" if received is None else text(received)))
    return found


def judge(exchange: Exchange, outcomes: Iterable[Outcome]) -> tuple[Outcome | None, list[Difference]]:
    """The outcome the answer agrees with, or None and the differences from the first outcome
    of its status. Either way the outcome of the answer's status is applied to the model."""
    allowed = list(outcomes)
    request = exchange.line()
    matching = [outcome for outcome in allowed if outcome.status == exchange.status]
    if not matching:
        predicted = " or ".join(f"{outcome.status} ({outcome.rule})" for outcome in _unique_statuses(allowed))
        received = str(exchange.status)
        body = exchange.response_json()
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            received += f" {body['error']!r}"
        rules = "; ".join(sorted({outcome.rule for outcome in allowed}))
        return None, [Difference(request, "status", predicted, received, rules)]
    first: tuple[Outcome, list[Difference]] | None = None
    for outcome in matching:
        found = _headers_found(outcome, exchange) + _media_found(exchange)
        found += (
            _error_found(outcome, exchange) if outcome.is_error else (outcome.check(exchange) if outcome.check else [])
        )
        if not found:
            if outcome.apply is not None:
                outcome.apply(exchange)
            return outcome, []
        if first is None:
            first = (outcome, [Difference(request, where, p, r, outcome.rule) for where, p, r in found])
    assert first is not None
    # The status says which branch the service took: follow it, so that one wrong value is
    # reported once, not again on every later read that the branch explains.
    if first[0].apply is not None:
        first[0].apply(exchange)
    return None, first[1]


def _unique_statuses(outcomes: list[Outcome]) -> list[Outcome]:
    seen: dict[int, Outcome] = {}
    for outcome in outcomes:
        seen.setdefault(outcome.status, outcome)
    return list(seen.values())
