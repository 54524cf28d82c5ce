"""Faults to inject: what the next N requests to an operation get instead of the real answer.

A fault is one of, or a combination of: a delay before the request is handled; an error
status with the service's JSON error body (and `Retry-After` for 429 and 503); or a dropped
connection (closed with no response at all). Faults are kept in order; a request takes the
first one that matches its operationId (or `*`, every operation) and uses up one of its
`times`. The plan is shared by the server thread and whoever injects, hence the lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

__all__ = ["ANY_OPERATION", "Fault", "FaultError", "FaultPlan"]

ANY_OPERATION = "*"
_FIELDS = frozenset({"operation", "status", "times", "delay", "drop", "retryAfter", "error"})


class FaultError(ValueError):
    """A fault description the mock cannot apply; the message says which field is wrong."""


@dataclass
class Fault:
    operation: str = ANY_OPERATION
    times: int = 1
    status: int | None = None
    delay: float = 0.0
    drop: bool = False
    retry_after: int | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        if self.times < 1:
            raise FaultError("times: must be at least 1")
        if self.status is not None and not 400 <= self.status <= 599:
            raise FaultError("status: must be an error status, 400 to 599")
        if not 0 <= self.delay <= 60:
            raise FaultError("delay: must be between 0 and 60 seconds")
        if self.retry_after is not None and self.retry_after < 0:
            raise FaultError("retryAfter: must not be negative")
        if self.status is None and not self.drop and not self.delay:
            raise FaultError("a fault needs a status, a delay or drop")
        if self.drop and self.status is not None:
            raise FaultError("drop and status exclude each other: a dropped connection has no status")

    @property
    def message(self) -> str:
        """The `error` field of the body: the one given, else the status's reason phrase."""
        assert self.status is not None
        return self.error or HTTPStatus(self.status).phrase.lower()

    def describe(self) -> str:
        """What the fault does, for the log: `0.5 s delay, then 503 service unavailable`."""
        effects = [f"{self.delay:g} s delay"] if self.delay else []
        if self.drop:
            effects.append("dropped connection")
        elif self.status is not None:
            effects.append(f"{self.status} {self.message}")
        return ", then ".join(effects)

    @property
    def headers(self) -> dict[str, str]:
        if self.status in (429, 503):
            return {"Retry-After": str(self.retry_after if self.retry_after is not None else 1)}
        return {}

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        """Read the control API's JSON body: camelCase field names, as the service writes them."""
        if not isinstance(data, dict):
            raise FaultError("expected a JSON object")
        unknown = set(data) - _FIELDS
        if unknown:
            raise FaultError(f"unknown field(s): {', '.join(sorted(unknown))}")
        checks: list[tuple[str, type | tuple[type, ...]]] = [
            ("operation", str),
            ("times", int),
            ("status", int),
            ("delay", (int, float)),
            ("drop", bool),
            ("retryAfter", int),
            ("error", str),
        ]
        for name, kind in checks:
            value = data.get(name)
            wrong_bool = isinstance(value, bool) and kind is not bool
            if value is not None and (wrong_bool or not isinstance(value, kind)):
                raise FaultError(f"{name}: wrong type")
        return cls(
            operation=data.get("operation", ANY_OPERATION),
            times=data.get("times", 1),
            status=data.get("status"),
            delay=float(data.get("delay", 0)),
            drop=data.get("drop", False),
            retry_after=data.get("retryAfter"),
            error=data.get("error"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "times": self.times,
            "status": self.status,
            "delay": self.delay,
            "drop": self.drop,
            "retryAfter": self.retry_after,
            "error": self.error,
        }


@dataclass
class FaultPlan:
    """The faults still to apply, in the order they were added."""

    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self.lock:
            return [fault.to_json() for fault in self.faults]

    def take(self, operation: str | None) -> Fault | None:
        """The fault for this request, if any, with one of its uses spent."""
        with self.lock:
            for index, fault in enumerate(self.faults):
                if fault.operation in (ANY_OPERATION, operation):
                    fault.times -= 1
                    if fault.times == 0:
                        del self.faults[index]
                    return fault
        return None
