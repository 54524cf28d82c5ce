"""Schemathesis hooks for `make contract` (loaded through SCHEMATHESIS_HOOKS).

- Every project that a run creates (201 from POST /v1/projects) is appended to the ledger
  file named by CONTRACT_LEDGER and fsynced at once, so `tools.contract` can delete it
  afterwards, even when the run fails, is interrupted or is killed.
- CONTRACT_MAX_REQUESTS caps the number of requests: past it, each further call fails
  before anything is sent.
"""

from __future__ import annotations

import os
import re
from typing import Any

import schemathesis

import tools.contract_drift  # noqa: F401  (registers the drift recorder)

LEDGER = os.environ.get("CONTRACT_LEDGER")
MAX_REQUESTS = int(os.environ.get("CONTRACT_MAX_REQUESTS", "0") or 0)
_sent = 0


class RequestBudgetExhaustedError(RuntimeError):
    """The run reached CONTRACT_MAX_REQUESTS; no further request is sent."""


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    global _sent
    if MAX_REQUESTS and _sent >= MAX_REQUESTS:
        raise RequestBudgetExhaustedError(f"CONTRACT_MAX_REQUESTS={MAX_REQUESTS} reached; request not sent")
    _sent += 1


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    if not LEDGER or case.method.upper() != "POST" or case.path != "/v1/projects" or response.status_code != 201:
        return
    try:
        project_id = str(response.json()["id"])
    except (ValueError, KeyError, TypeError):
        return
    with open(LEDGER, "a", encoding="utf-8") as ledger:
        ledger.write(project_id + "\n")
        ledger.flush()
        os.fsync(ledger.fileno())


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
