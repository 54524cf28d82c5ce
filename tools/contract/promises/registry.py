"""Promises and their checks: the registry that ties each check to a sentence of the spec.

`@promise(...)` only records a check here, in PROMISES; nothing is registered with
schemathesis at import. `tools.contract.hooks.install` registers each one for a run, through
`evaluate`, with the run's `PromiseRun` (follow_up.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tools.spec import at_pointer, json_pointer

if TYPE_CHECKING:
    from tools.contract.promises.follow_up import PromiseRun

# What one evaluation of a check came to (a broken promise raises instead).
HELD = "held"  # the check applied to the response and the promise held
NOT_APPLICABLE = "not applicable"  # not a response this check looks at
OFF = "off: writes not allowed"  # a check that would write, in a read-only run
STOOD_ASIDE = "stood aside: wrong shape"  # a body of the wrong shape: schemathesis's schema checks report it

PromiseCheck = Callable[["PromiseRun", Any, Any], "bool | None"]


@dataclass(frozen=True)
class Promise:
    """A behaviour the spec promises: `says` is quoted verbatim from the description at
    `where` (a JSON pointer), and `id` is listed in `x-promises` of `operation`. `check` returns
    True when it checked the response and the promise held, None when the response is not one
    it checks, and raises BrokenPromiseError when the promise is broken."""

    id: str
    operation: str
    says: str
    where: str
    writes: bool = False
    check: PromiseCheck | None = field(default=None, compare=False, repr=False)


PROMISES: dict[str, Promise] = {}  # check name -> the promise it enforces


class BrokenPromiseError(AssertionError):
    """The service answered in the documented shape but broke a promise of the spec."""


def pointer(operation_path: str, method: str) -> str:
    """The JSON pointer to an operation's description."""
    return json_pointer(("paths", operation_path, method, "description")).removeprefix("#")


def promise(
    id: str, operation: str, says: str, where: str, *, writes: bool = False
) -> Callable[[PromiseCheck], PromiseCheck]:
    """Record a check as the enforcement of one promise of the spec."""

    def record(check: PromiseCheck) -> PromiseCheck:
        PROMISES[check.__name__] = Promise(id, operation, says, where, writes, check)
        return check

    return record


def evaluate(name: str, run: PromiseRun, response: Any, case: Any) -> str:
    """Run one check on one response: HELD, NOT_APPLICABLE, OFF or STOOD_ASIDE; a broken
    promise raises."""
    kept = PROMISES[name]
    assert kept.check is not None
    if kept.writes and not run.writes_allowed:
        return OFF  # it would write: only in a write run (and only to what the run created)
    try:
        held = kept.check(run, response, case)
    except (KeyError, TypeError, ValueError, AttributeError):
        return STOOD_ASIDE
    return HELD if held else NOT_APPLICABLE


def broken(check: str, message: str) -> BrokenPromiseError:
    quoted = PROMISES[check].says
    return BrokenPromiseError(f'{check}: {message} (the spec: "{quoted}")')


def _resolve(spec: dict[str, Any], pointer: str) -> Any:
    """What the pointer names, or None: a promise whose place is gone is reported, not a crash."""
    try:
        return at_pointer(spec, pointer)
    except (LookupError, ValueError):
        return None


def marked_promises(spec: dict[str, Any]) -> set[tuple[str, str]]:
    """(operationId, promise ID) for every promise an operation lists in `x-promises`."""
    return {
        (operation["operationId"], promise_id)
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
        for promise_id in operation.get("x-promises", [])
    }


def traceability_problems(spec: dict[str, Any]) -> list[str]:
    """Where the checks and the spec disagree: a quoted sentence the spec no longer has, a
    check whose promise is not marked, a marked promise without a check."""
    problems = []
    marked = marked_promises(spec)
    for check, kept in sorted(PROMISES.items()):
        description = _resolve(spec, kept.where)
        if not isinstance(description, str) or " ".join(kept.says.split()) not in " ".join(description.split()):
            problems.append(f"{check}: the spec no longer says {kept.says!r} at {kept.where}")
        if (kept.operation, kept.id) not in marked:
            problems.append(f"{check}: {kept.id} is not in x-promises of {kept.operation}")
    checked = {(kept.operation, kept.id) for kept in PROMISES.values()}
    problems += [
        f"{operation}: {promise_id} is marked in x-promises but has no check"
        for operation, promise_id in sorted(marked - checked)
    ]
    if len(checked) != len(PROMISES):
        problems.append("two checks claim the same promise")
    return problems
