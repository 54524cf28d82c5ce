"""Schemathesis hooks for `make contract` (loaded through SCHEMATHESIS_HOOKS).

- Every project that a run creates (201 from POST /v1/projects) is appended to the ledger
  file named by CONTRACT_LEDGER and fsynced at once, so `tools.contract` can delete it
  afterwards, even when the run fails, is interrupted or is killed.
- CONTRACT_MAX_REQUESTS caps the number of requests: past it, each further call fails
  before anything is sent.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis

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
