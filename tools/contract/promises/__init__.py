"""The behavioural promises of openapi.yaml, as schemathesis checks for `make contract`.

Schemathesis's own checks test that responses have the documented shapes; these test what
the descriptions promise in words (ordering, filtering, page sizes, complete page walks,
read-your-writes, deletion, the creator's membership, the project token's scope), so a
service that answers well-formed nonsense fails the run too.

Each check is registered with the `Promise` it enforces (registry.py): an ID listed in its
operation's `x-promises` and the sentence of the spec that makes it; `traceability_problems`
lists where the two sides disagree. The list's checks (listing.py) only read, so they run in
the live read-only mode too; the others (writes.py) act on the run's own writes, and write
only when the run allows writes (`PromiseRun.writes_allowed`), only to projects this run
created (their IDs are recorded by the ledger like any other). Follow-up requests
(follow_up.py) go through `Case.call`, so the run's rate limit, request cap and hooks apply to
them as well.

Importing this package records the checks in PROMISES and registers nothing with
schemathesis: `tools.contract.hooks.install` does, for one run.
"""

from __future__ import annotations

from tools.contract.promises import listing, writes
from tools.contract.promises.follow_up import PromiseRun
from tools.contract.promises.registry import (
    HELD,
    NOT_APPLICABLE,
    OFF,
    PROMISES,
    STOOD_ASIDE,
    BrokenPromiseError,
    Promise,
    evaluate,
    marked_promises,
    traceability_problems,
)

__all__ = [
    "HELD",
    "NOT_APPLICABLE",
    "OFF",
    "PROMISES",
    "STOOD_ASIDE",
    "BrokenPromiseError",
    "Promise",
    "PromiseRun",
    "evaluate",
    "listing",
    "marked_promises",
    "traceability_problems",
    "writes",
]
