"""The model fed exchange after exchange: every answer compared with its prediction.

`Checker.observe` takes one exchange, predicts it from the account as it stands, compares,
and changes the account as the answer says. `Checker.learn` takes the listing at the start of
a run (the account's projects before the run). Differences are kept in order; those about a
project the run neither created nor changed, in an account others may change, are marked
external: reported as changes made outside the run, not as failures of the service.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tools.contract.model.account import Account
from tools.contract.model.exchange import Exchange
from tools.contract.model.operations import MODELS, NOT_EXTERNAL, Request, next_cursor
from tools.contract.model.predict import Difference, Outcome, error_outcome, judge, text
from tools.contract.model.request_rules import RequestRules, Routes, credentials
from tools.contract.model.secrets import Redactor
from tools.spec import resolve_ref

__all__ = ["Checker", "ModelReport"]

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _page_limits(spec: Mapping[str, Any]) -> tuple[int, int]:
    """The default and maximum of the list's `last`, as the spec declares them."""
    for item in (spec.get("paths") or {}).values():
        for parameter in (item.get("get") or {}).get("parameters") or []:
            resolved = resolve_ref(spec, parameter)
            if resolved.get("name") == "last" and resolved.get("in") == "query":
                schema = resolved.get("schema") or {}
                return int(schema.get("default", 20)), int(schema.get("maximum", 100))
    return 20, 100


@dataclass
class ModelReport:
    """What the model checked in a run."""

    differences: list[Difference] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)  # rule -> answers that agreed
    not_modelled: Counter[str] = field(default_factory=Counter)  # operationId -> exchanges
    unexplained_by: list[str] = field(default_factory=list)  # unmodelled writes that changed the account

    @property
    def failures(self) -> list[Difference]:
        return [difference for difference in self.differences if not difference.external]

    @property
    def external(self) -> list[Difference]:
        return [difference for difference in self.differences if difference.external]


class Checker:
    """The reference model of one run, and what it found."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        user_token: str,
        *,
        strict: bool,
        other_users: tuple[str, ...] = (),
        brand_new: tuple[str, ...] = (),
        redactor: Redactor | None = None,
    ) -> None:
        """`user_token` is the run's user; `other_users` the tokens of other users the run may
        act as (the mock's fixture users), each learned like the first; `brand_new` those of
        them known to have made no request yet. The model knows every credential by its label
        under `redactor` (secrets.py), as the exchanges show it."""
        default, maximum = _page_limits(spec)
        self.spec = spec
        self.redactor = redactor or Redactor()
        self.user_token = self.redactor.label(user_token)
        self.user_tokens = (self.user_token, *(self.redactor.label(token) for token in other_users))
        self.brand_new = {self.redactor.label(token) for token in brand_new}
        self.account = Account(strict=strict, page_default=default, page_maximum=maximum)
        self.routes = Routes(spec)
        self.rules = RequestRules(spec)
        self.report = ModelReport()
        self._external_seen: set[str] = set()

    # -- the account before the run -------------------------------------------------------

    def learn(self, pages: Iterable[Exchange], user: str) -> None:
        """A user's listing at the start, walked in full pages: every project, in its order."""
        user = self.redactor.label(user)
        index = 0
        listed: list[dict[str, Any]] = []
        first: Exchange | None = None
        for exchange in map(self.redactor.exchange, pages):
            first = first or exchange
            page = exchange.response_json()
            if exchange.status != 200 or not isinstance(page, list):
                continue
            last = None
            for item in page:
                if isinstance(item, dict):
                    listed.append(item)
                    last = self.account.learn_listed(user, item, -index) or last
                    index += 1
            cursor = next_cursor(exchange)
            if cursor is not None and last is not None:
                self.account.cursors[cursor] = last.rank
        if user in self.brand_new and self.account.strict and first is not None:
            self._check_brand_new(first, listed)

    def _check_brand_new(self, first: Exchange, listed: list[dict[str, Any]]) -> None:
        """The spec's words: a brand-new user has exactly one project, named `default`, made
        by the service on the user's first request; so the user is its only member, and its
        creator (the roles a creator's membership holds)."""
        rule = "projects: a brand-new user has exactly one project, named `default`"
        shape = [
            {"name": item.get("name"), "membersCount": item.get("membersCount"), "roles": _roles(item)}
            for item in listed
        ]
        predicted = [{"name": "default", "membersCount": 1, "roles": ["creator"]}]
        if shape == predicted:
            self.report.checked[rule] += 1
        else:
            self.report.differences.append(Difference(first.line(), "body", text(predicted), text(shape), rule))

    # -- one exchange ---------------------------------------------------------------------

    def predict(self, exchange: Exchange) -> list[Outcome] | None:
        """The outcomes the model allows, or None for an operation it does not model."""
        outcomes = self._predict(exchange)
        if outcomes is not None and any(_CONTROL.search(value) for value in exchange.headers.values()):
            # Not a valid HTTP field value (RFC 9110, 5.5): a server may refuse the message itself.
            outcomes.append(error_outcome(400, "a header value holds a control character"))
        return outcomes

    def _predict(self, exchange: Exchange) -> list[Outcome] | None:
        found = self.routes.template(exchange.path)
        if found is None:
            return [error_outcome(404, "no path of the spec matches")]
        template, values = found
        if any("/" in value for value in values.values()):
            # An encoded slash: a server may decode it before routing, and find no path.
            return [
                error_outcome(404, "no path of the spec matches (a parameter holds a slash)"),
                error_outcome(400, "a parameter holds a slash"),
                error_outcome(401, "no path matches; no credentials"),
            ]
        route = self.routes.route(exchange.method, template, values)
        if route is None:
            allowed = ", ".join(sorted(self.routes.methods(template)))
            outcome = error_outcome(405, f"{template} has no {exchange.method}")
            outcome.check = lambda answer: _allow_found(answer, allowed)
            return [outcome, error_outcome(401, f"{template} has no {exchange.method}; no credentials")]
        model = MODELS.get(route.operation_id)
        if model is None:
            return None
        tokens = {
            project.token: project.id
            for project in self.account.projects.values()
            if project.token and not project.deleted
        }
        deleted = {project.token for project in self.account.projects.values() if project.token and project.deleted}
        who = credentials(exchange, route, self.user_tokens, tokens, deleted)
        errors, path_ok = self.rules.errors(exchange, route)
        outcomes: list[Outcome] = []
        if who.may_fail:
            outcomes.append(error_outcome(401, f"{route.operation_id}: no credential it accepts", "unauthenticated"))
        if who.stale_project_token:
            outcomes.append(
                error_outcome(404, f"{route.operation_id}: the token of a deleted project", "project not found")
            )
        outcomes += errors
        if path_ok:
            for caller in who.callers:
                outcomes += model(Request(exchange, route, caller, self.account, valid=not errors))
        return outcomes

    def observe(self, exchange: Exchange) -> list[Difference]:
        exchange = self.redactor.exchange(exchange)  # labels stay labels: the log's are as they were
        outcomes = self.predict(exchange)
        if outcomes is None:
            found = self.routes.template(exchange.path)
            route = self.routes.route(exchange.method, *found) if found else None
            operation = route.operation_id if route else exchange.line()
            self.report.not_modelled[operation] += 1
            if exchange.method not in ("GET", "HEAD", "OPTIONS") and 200 <= exchange.status < 300:
                self._unexplained_change(operation)
            return []
        chosen, differences = judge(exchange, outcomes)
        differences = [kept for d in differences if (kept := self._classify(d, exchange)) is not None]
        if chosen is not None:
            self.report.checked[chosen.rule] += 1
        self.report.differences += differences
        return differences

    def _unexplained_change(self, operation: str) -> None:
        """A write of an operation the model does not model succeeded: it may have changed
        anything the model knows. From then on the model holds what it learns as a live run
        does, and reports differences as changes it cannot explain, not as failures."""
        if operation not in self.report.unexplained_by:
            self.report.unexplained_by.append(operation)
        self.account.strict = False
        for project in self.account.projects.values():
            project.created = project.written = False

    def unanswered(self, request: str, error: str) -> None:
        """A request the service answered with nothing at all: always the service's failure."""
        self.report.differences.append(
            Difference(request, "answer", "an HTTP answer", error, "every request is answered")
        )

    def record(self, exchange: Exchange, where: str, predicted: str, received: str, rule: str) -> None:
        """A difference found by comparing two answers (HEAD with GET, say)."""
        difference = self._classify(Difference(exchange.line(), where, predicted, received, rule), exchange)
        if difference is not None:
            self.report.differences.append(difference)

    def _classify(self, difference: Difference, exchange: Exchange) -> Difference | None:
        """In an account others may change, a difference about projects the run neither
        created nor changed (or never saw) is theirs: reported once per project as external,
        and the model takes the service's word for it from then on."""
        if self.account.strict or NOT_EXTERNAL in difference.where:
            return difference
        projects = self.account.projects
        mentioned = {pid for pid in projects if pid in difference.where or pid in exchange.path}
        unknown = {pid for pid in _ids(exchange) if pid not in projects and pid in difference.where}
        if any(projects[pid].ours for pid in mentioned) or not (mentioned or unknown):
            return difference
        if exchange.status == 404:
            for pid in mentioned:
                projects[pid].gone = True
        key = f"{difference.where.split('.')[-1] if mentioned else ''}:{','.join(sorted(mentioned | unknown))}"
        if key in self._external_seen:
            return None
        self._external_seen.add(key)
        return Difference(
            difference.request, difference.where, difference.predicted, difference.received, difference.rule, True
        )


def _roles(item: Mapping[str, Any]) -> Any:
    membership = item.get("membership")
    return membership.get("roles") if isinstance(membership, Mapping) else None


def _ids(exchange: Exchange) -> list[str]:
    body = exchange.response_json()
    items = body if isinstance(body, list) else [body]
    return [str(item["id"]) for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _allow_found(exchange: Exchange, allowed: str) -> list[tuple[str, str, str]]:
    received = exchange.response_headers.get("allow")
    got = sorted(method.strip().upper() for method in (received or "").split(",") if method.strip())
    if got != sorted(allowed.split(", ")):
        return [("header allow", text(allowed), "nothing (absent)" if received is None else text(received))]
    return []
