"""Schemathesis hooks for `make contract` (loaded through SCHEMATHESIS_HOOKS).

- With CONTRACT_GUARD=1 (every live run) the write guard of `tools.contract.write_guard` decides
  every request, at three layers:
  - `filter_case` and `before_add_examples`: a generated case (coverage, fuzzing, stateful)
    or an example case that the guard refuses is dropped before it is sent; in the stateful
    phase the case already holds the IDs its link took from a response, and Hypothesis
    discards the scenario;
  - `before_call`: a case that reaches the call anyway (none should) fails with
    `WriteRefusedError` and is not sent;
  - the HTTP transport itself (`requests`' `HTTPAdapter.send`, which every request of
    schemathesis passes, including the follow-ups checks send without `before_call`, such as
    `ignored_auth`'s): a refused request raises `WriteRefusedError` and is not sent.
  Each refusal is appended to CONTRACT_GUARD_LOG, which `tools.contract` counts.
- Every resource that a run creates (201 to POST on a collection) is added to the guard's
  ledger and appended to the file named by CONTRACT_LEDGER, fsynced at once, so
  `tools.contract` can delete it afterwards, even when the run fails, is interrupted or is
  killed. The transport records it, so a creation no hook sees is recorded too.
- CONTRACT_MAX_REQUESTS caps the number of requests: past it, each further call fails
  before anything is sent.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import Any

import requests
import schemathesis
from requests.adapters import HTTPAdapter

import tools.contract.drift  # noqa: F401  (registers the drift recorder)
from tools.contract import promises  # noqa: F401  (registers the checks of the spec's promises)
from tools.contract.write_guard import Verdict, WriteGuard

LEDGER = os.environ.get("CONTRACT_LEDGER")
MAX_REQUESTS = int(os.environ.get("CONTRACT_MAX_REQUESTS", "0") or 0)
GUARDED = os.environ.get("CONTRACT_GUARD") == "1"
GUARD_LOG = os.environ.get("CONTRACT_GUARD_LOG")
BASE_URL = os.environ.get("CONTRACT_BASE_URL", "")
_sent = 0
_guard: WriteGuard | None = None


class RequestBudgetExhaustedError(RuntimeError):
    """The run reached CONTRACT_MAX_REQUESTS; no further request is sent."""


class WriteRefusedError(RuntimeError):
    """The write guard refused a request at the call or the transport; it was not sent."""


def _verdict(method: str, url: str, headers: Mapping[str, str]) -> Verdict:
    if _guard is None:  # the schema is not loaded yet: nothing but reads
        return WriteGuard((), BASE_URL).verdict(method, url, headers)
    return _guard.verdict(method, url, headers)


def _refuse(layer: str, phase: str | None, method: str, url: str, verdict: Verdict) -> None:
    if GUARD_LOG:
        with open(GUARD_LOG, "a", encoding="utf-8") as log:
            entry = {"layer": layer, "phase": phase, "method": method.upper(), "url": url, "reason": verdict.reason}
            log.write(json.dumps(entry) + "\n")


def _text_headers(headers: Mapping[str, Any]) -> dict[str, str]:
    text = {str(name): value for name, value in headers.items()}
    return {name: value.decode("latin-1") if isinstance(value, bytes) else str(value) for name, value in text.items()}


def _case_verdict(layer: str, case: Any) -> Verdict:
    url = case.operation.schema.build_request_url(case, case.operation.base_url or BASE_URL)
    verdict = _verdict(case.method, url, _text_headers(case.headers or {}))
    if not verdict.allowed:
        _refuse(layer, str(case.meta.phase.name) if case.meta is not None else None, case.method, url, verdict)
    return verdict


def _guarded_send(original: Any) -> Any:
    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        method, url = str(request.method), str(request.url)
        verdict = _verdict(method, url, _text_headers(request.headers))
        if not verdict.allowed:
            _refuse("transport", None, method, url, verdict)
            raise WriteRefusedError(f"write guard: {method} {url} not sent: {verdict.reason}")
        response: requests.Response = original(adapter, request, *args, **kwargs)
        if _guard is not None and method.upper() == "POST" and response.status_code == 201:
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
            _record(_guard.created_root(method, url, response.status_code, body))
        return response

    return send


def _record(root: str | None) -> None:
    if root is None or _guard is None:
        return
    _guard.ledger.add(root)
    if LEDGER:
        with open(LEDGER, "a", encoding="utf-8") as ledger:
            ledger.write(root + "\n")
            ledger.flush()
            os.fsync(ledger.fileno())


def after_load_schema(context: Any, schema: Any) -> None:
    global _guard
    _guard = WriteGuard.from_spec(schema.raw_schema, BASE_URL)


def filter_case(context: Any, case: Any) -> bool:
    return _case_verdict("filter", case).allowed


def before_add_examples(context: Any, examples: list[Any]) -> None:
    """The examples phase takes the spec's examples without `filter_case`."""
    examples[:] = [case for case in examples if _case_verdict("filter", case).allowed]


if GUARDED:  # only live runs: the mock runs and the in-process suite test every request
    HTTPAdapter.send = _guarded_send(HTTPAdapter.send)  # type: ignore[method-assign]
    for _hook in (after_load_schema, filter_case, before_add_examples):
        schemathesis.hook(_hook)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    global _sent
    if GUARDED:
        verdict = _case_verdict("call", case)
        if not verdict.allowed:
            message = f"write guard: {case.method.upper()} {case.formatted_path} not sent: {verdict.reason}"
            raise WriteRefusedError(message)
    if MAX_REQUESTS and _sent >= MAX_REQUESTS:
        raise RequestBudgetExhaustedError(f"CONTRACT_MAX_REQUESTS={MAX_REQUESTS} reached; request not sent")
    _sent += 1


NEXT_PAGE_CURSOR = re.compile(r"[?&]before=([^&>]+)")


class NextPageUnreachableError(AssertionError):
    """A `Link: rel="next"` header leads to a page the service will not serve."""


@schemathesis.check
def next_page_link_resolves(ctx: Any, response: Any, case: Any) -> bool | None:
    """Follow the list's `rel="next"` link once and require a 200: random generation almost
    never reaches a real cursor, so without this a broken Link header goes unnoticed."""
    if case.operation.label != "GET /v1/projects" or response.status_code != 200:
        return None
    links = response.headers.get("link") or []
    match = NEXT_PAGE_CURSOR.search(links[0] if links else "")
    if match is None:
        return None
    query = {key: value for key, value in (case.query or {}).items() if key in ("last", "name")}
    follow = case.operation.Case(query={**query, "before": match.group(1)}, headers=dict(case.headers or {}))
    status = follow.call().status_code
    if status != 200:
        raise NextPageUnreachableError(f"NextPageUnreachable: the Link rel=next page answered {status}")
    return True
