"""The schemathesis hooks of a contract run, installed by `install(config)`, never at import.

`st run` loads `tools/contract/st_hooks.py` (SCHEMATHESIS_HOOKS), which reads the run's
configuration and calls `install`; the in-process suite (tests/contract/test_schemathesis.py)
calls `install_checks`. What `install` puts in place, for one run:

- **The transport**: one wrapper of `requests`' `HTTPAdapter.send`, on every run, mock and
  live, which every request of the process passes (schemathesis's cases, the follow-ups
  checks send without `before_call`, such as `ignored_auth`'s, redirects, anything else):
  - when the configuration says the run is guarded (every live run), the write guard of
    `tools.contract.write_guard` decides the request first: a refused one raises
    `WriteRefusedError` and is not sent; a resource the response created (201 to POST on a
    collection) goes into the guard's ledger and, in a live write run, to the ledger file
    (build/contract/created-projects.txt), fsynced at once, so `tools.contract` can delete it
    afterwards even when the run fails, is interrupted or is killed;
  - after each response, the exchange observers, in order: callables taking the
    `requests.PreparedRequest` and the `requests.Response`. The run's own count of its traffic
    (tools/contract/facts.py) is the first; `Installation.add_observer` adds more (the
    reference model, tools/contract/model/, when the configuration's `model` is on).
- **The guard's hooks** (guarded runs only): `filter_case` and `before_add_examples` drop a
  generated or example case the guard refuses before it is sent (in the stateful phase the
  case already holds the IDs its link took from a response, and Hypothesis discards the
  scenario); `before_call` stops one that reaches the call anyway. Each refusal is appended to
  build/contract/guard-refusals.jsonl, which `tools.contract` counts.
- **The request cap**: past `max_requests` calls (CONTRACT_MAX_REQUESTS), each further call
  fails before anything is sent.
- **The drift recorder** (`after_call`): one line per response to a request of an operation.
- **The checks**: `next_page_link_resolves` (below) and the promise checks
  (tools/contract/promises/), each counted in the facts.
- **The facts**: a CLI event handler that writes build/contract/facts.json when st finishes.

`Installation.uninstall` takes all of it back (the tests install and uninstall in turn).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from requests.adapters import HTTPAdapter
from schemathesis.checks import CHECKS
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

from tools.contract import live
from tools.contract.config import RunConfig
from tools.contract.drift import Recorder
from tools.contract.facts import FAILED, Facts
from tools.contract.model.recording import ExchangeLog
from tools.contract.model.secrets import Redactor
from tools.contract.promises import PROMISES, PromiseRun, evaluate
from tools.contract.write_guard import Verdict, WriteGuard

__all__ = [
    "ExchangeObserver",
    "Installation",
    "NextPageUnreachableError",
    "RequestBudgetExhaustedError",
    "WriteRefusedError",
    "install",
    "install_checks",
]

ExchangeObserver = Callable[[requests.PreparedRequest, requests.Response], None]
CUSTOM_CHECKS = ("next_page_link_resolves", *PROMISES)  # every check of ours, as the facts name them


class RequestBudgetExhaustedError(RuntimeError):
    """The run reached its max_requests (CONTRACT_MAX_REQUESTS); no further request is sent."""


class WriteRefusedError(RuntimeError):
    """The write guard refused a request at the call or the transport; it was not sent."""


class NextPageUnreachableError(AssertionError):
    """A `Link: rel="next"` header leads to a page the service will not serve."""


@dataclass
class Installation:
    """The hooks of one run, in place; `uninstall` takes them back."""

    config: RunConfig
    facts: Facts
    observers: list[ExchangeObserver] = field(default_factory=list)
    guard: WriteGuard | None = None
    sent: int = 0
    _undo: list[Callable[[], None]] = field(default_factory=list)

    def add_observer(self, observer: ExchangeObserver) -> None:
        """Call `observer(request, response)` after every response the transport gets."""
        self.observers.append(observer)

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    # --- the write guard --------------------------------------------------------------------

    def verdict(self, method: str, url: str, headers: Mapping[str, str]) -> Verdict:
        if self.guard is None:  # the schema is not loaded yet: nothing but reads
            return WriteGuard((), self.config.url).verdict(method, url, headers)
        return self.guard.verdict(method, url, headers)

    def refuse(self, layer: str, phase: str | None, method: str, url: str, verdict: Verdict) -> None:
        with self.config.guard_log.open("a", encoding="utf-8") as log:
            entry = {"layer": layer, "phase": phase, "method": method.upper(), "url": url, "reason": verdict.reason}
            log.write(json.dumps(entry) + "\n")

    def case_verdict(self, layer: str, case: Any) -> Verdict:
        url = case.operation.schema.build_request_url(case, case.operation.base_url or self.config.url)
        verdict = self.verdict(case.method, url, _text_headers(case.headers or {}))
        if not verdict.allowed:
            self.refuse(layer, str(case.meta.phase.name) if case.meta is not None else None, case.method, url, verdict)
        return verdict

    def record_created(self, root: str | None) -> None:
        if root is None or self.guard is None:
            return
        self.guard.ledger.add(root)
        if self.config.writes:
            live.append_to_ledger(self.config, root)

    # --- the transport ----------------------------------------------------------------------

    def transport(self, original: Callable[..., requests.Response]) -> Callable[..., requests.Response]:
        """`HTTPAdapter.send`, guarded when the run is, with the observers after each response."""

        def send(adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
            method, url = str(request.method), str(request.url)
            if self.config.guarded:
                verdict = self.verdict(method, url, _text_headers(request.headers))
                if not verdict.allowed:
                    self.refuse("transport", None, method, url, verdict)
                    raise WriteRefusedError(f"write guard: {method} {url} not sent: {verdict.reason}")
            response = original(adapter, request, *args, **kwargs)
            created = method.upper() == "POST" and response.status_code == 201
            if self.config.guarded and self.guard is not None and created:
                try:
                    body = json.loads(response.content)
                except ValueError:
                    body = None
                self.record_created(self.guard.created_root(method, url, response.status_code, body))
            for observer in self.observers:
                observer(request, response)
            return response

        return send

    # --- registration -----------------------------------------------------------------------

    def hook(self, name: str, function: Callable[..., Any]) -> None:
        GLOBAL_HOOK_DISPATCHER.register_hook_with_name(function, name)
        self._undo.append(lambda: GLOBAL_HOOK_DISPATCHER.unregister(function))

    def check(self, name: str, function: Callable[[Any, Any, Any], bool | None]) -> None:
        function.__name__ = name
        schemathesis.check(function)
        self._undo.append(lambda: CHECKS.unregister(name))

    @contextmanager
    def running(self, check: str) -> Iterator[None]:
        """While one of our checks runs, its requests are its follow-ups."""
        self.facts.current_check = check
        try:
            yield
        finally:
            self.facts.current_check = None


def _text_headers(headers: Mapping[str, Any]) -> dict[str, str]:
    text = {str(name): value for name, value in headers.items()}
    return {name: value.decode("latin-1") if isinstance(value, bytes) else str(value) for name, value in text.items()}


def install_checks(config: RunConfig) -> Installation:
    """Only the checks: `next_page_link_resolves` and the promise checks, with the run's token
    and its permission to write. Returns the installation (whose facts count the outcomes)."""
    installation = Installation(config, Facts(config.run_token))
    run = PromiseRun(token=config.run_token, writes_allowed=config.writes, walk_max_pages=config.walk_max_pages)
    _register_checks(installation, run)
    return installation


def install(
    config: RunConfig, *, observers: tuple[ExchangeObserver, ...] = (), redactor: Redactor | None = None
) -> Installation:
    """Every hook of a contract run in `st run`'s process (see the module docstring). With the
    model on, every exchange is logged for it, credentials labelled by `redactor`."""
    config.out.mkdir(parents=True, exist_ok=True)  # the ledger, the refusals, the drift log and the facts
    installation = install_checks(config)
    facts = installation.facts
    installation.add_observer(facts.observe)
    if config.model and redactor is not None:
        installation.add_observer(ExchangeLog(config.exchange_log, redactor))
    for observer in observers:
        installation.add_observer(observer)
    original = HTTPAdapter.send
    HTTPAdapter.send = installation.transport(original)  # type: ignore[method-assign]
    installation._undo.append(lambda: setattr(HTTPAdapter, "send", original))
    recorder = Recorder.for_run(config)

    def after_load_schema(context: Any, schema: Any) -> None:
        facts.schema = schema
        installation.guard = WriteGuard.from_spec(schema.raw_schema, config.url)

    def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
        if config.guarded:
            verdict = installation.case_verdict("call", case)
            if not verdict.allowed:
                message = f"write guard: {case.method.upper()} {case.formatted_path} not sent: {verdict.reason}"
                raise WriteRefusedError(message)
        if config.max_requests and installation.sent >= config.max_requests:
            raise RequestBudgetExhaustedError(f"CONTRACT_MAX_REQUESTS={config.max_requests} reached; request not sent")
        installation.sent += 1
        facts.pending_case = True

    def after_call(context: Any, case: Any, response: Any) -> None:
        """Record the drift of every response to a request for an operation; the probes that
        some checks send with another method (unsupported_method) are not calls of it."""
        facts.pending_case = False
        if response.request.method.upper() != case.method.upper():
            return
        try:
            recorder.record(
                case.method, case.path, response.status_code, response.headers, response.content, facts.origin(case)
            )
        except Exception as exc:  # a hook error would fail the run: drift must not change its outcome
            recorder.record_error(case.method, case.path, exc)

    installation.hook("after_load_schema", after_load_schema)
    installation.hook("before_call", before_call)
    installation.hook("after_call", after_call)
    if config.guarded:  # the mock runs test every request

        def filter_case(context: Any, case: Any) -> bool:
            return installation.case_verdict("filter", case).allowed

        def before_add_examples(context: Any, examples: list[Any]) -> None:
            """The examples phase takes the spec's examples without `filter_case`."""
            examples[:] = [case for case in examples if installation.case_verdict("filter", case).allowed]

        installation.hook("filter_case", filter_case)
        installation.hook("before_add_examples", before_add_examples)
    _register_facts_handler(installation)
    return installation


def _register_checks(installation: Installation, run: PromiseRun) -> None:
    """Our checks, as schemathesis counts them: None when a check held (a check that ran and
    passed), True when it did not apply (schemathesis's "skip"); a broken promise raises."""
    facts = installation.facts

    def next_page(ctx: Any, response: Any, case: Any) -> bool | None:
        with installation.running("next_page_link_resolves"):
            try:
                followed = next_page_link_resolves(response, case)
            except AssertionError:
                facts.check_outcome("next_page_link_resolves", FAILED)
                raise
        facts.check_outcome("next_page_link_resolves", "held" if followed else "not applicable")
        return None if followed else True

    for name in PROMISES:  # first, as before: the order of the checks is the order of their requests
        installation.check(name, _promise_check(installation, run, name))
    installation.check("next_page_link_resolves", next_page)


def _promise_check(installation: Installation, run: PromiseRun, name: str) -> Callable[[Any, Any, Any], bool | None]:
    facts = installation.facts

    def check(ctx: Any, response: Any, case: Any) -> bool | None:
        with installation.running(name):
            try:
                outcome = evaluate(name, run, response, case)
            except AssertionError:
                facts.check_outcome(name, FAILED)
                raise
        facts.check_outcome(name, outcome)
        return None if outcome == "held" else True

    return check


def _register_facts_handler(installation: Installation) -> None:
    """A CLI event handler of `st run` that feeds the facts and writes them when st finishes."""
    from schemathesis.cli.commands.run.handlers.base import EventHandler
    from schemathesis.cli.ext.handlers import CUSTOM_HANDLERS

    facts, path = installation.facts, installation.config.facts
    path.unlink(missing_ok=True)

    class FactsHandler(EventHandler[Any]):
        def __init__(self, *args: Any, **params: Any) -> None:
            pass

        def handle_event(self, ctx: Any, event: Any) -> None:
            try:
                facts.on_event(ctx, event)
            except Exception as exc:  # explanations must never change the run
                facts.errors.append(f"{type(event).__name__}: {type(exc).__name__}: {exc}")

        def shutdown(self, ctx: Any) -> None:
            facts.finish(ctx)
            facts.write(path)

    CUSTOM_HANDLERS.append(FactsHandler)
    installation._undo.append(lambda: CUSTOM_HANDLERS.remove(FactsHandler))


NEXT_PAGE_CURSOR = re.compile(r"[?&]before=([^&>]+)")


def next_page_link_resolves(response: Any, case: Any) -> bool:
    """Follow the list's `rel="next"` link once and require a 200: random generation almost
    never reaches a real cursor, so without this a broken Link header goes unnoticed. True when
    it followed a link, False when the response has none to follow."""
    if case.operation.label != "GET /v1/projects" or response.status_code != 200:
        return False
    links = response.headers.get("link") or []
    match = NEXT_PAGE_CURSOR.search(links[0] if links else "")
    if match is None:
        return False
    query = {key: value for key, value in (case.query or {}).items() if key in ("last", "name")}
    follow = case.operation.Case(query={**query, "before": match.group(1)}, headers=dict(case.headers or {}))
    status = follow.call().status_code
    if status != 200:
        raise NextPageUnreachableError(f"NextPageUnreachable: the Link rel=next page answered {status}")
    return True
