"""The drift recorder, inside `st run`: one JSON line per response to the drift log.

`tools.contract.hooks.install` calls `Recorder.record` from schemathesis's `after_call` hook,
for every response to a request of an operation: the generated test cases' and the follow-up
requests that the run's checks send through `Case.call`. Each line holds the operation, the
status, the drift (tools/contract/drift/walk.py) and the request's origin (the phase of a
generated test case, or the check that sent a follow-up); the drift report and the coverage
gate read it after the run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from tools.contract.config import RunConfig
from tools.contract.drift.walk import response_findings
from tools.paths import SPEC

__all__ = ["Recorder"]


class Recorder:
    """Appends one JSON line per response: its operation, status, origin and drift."""

    def __init__(self, spec: Mapping[str, Any], log: Path, ignored_headers: Iterable[str] = ()) -> None:
        self.spec = spec
        self.log = log
        self.ignored_headers = tuple(ignored_headers)

    @classmethod
    def for_run(cls, config: RunConfig) -> Recorder:
        """The run's recorder: against openapi.yaml itself (also when st checks a tolerant copy)."""
        spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
        return cls(spec, config.drift_log, config.drift_ignore_headers)

    def record(
        self,
        method: str,
        path: str,
        status: int,
        headers: Mapping[str, Any],
        content: bytes,
        origin: str | None = None,
    ) -> None:
        operation = (self.spec["paths"].get(path) or {}).get(method.lower())
        if not isinstance(operation, Mapping):
            return  # a probe with a method the path does not have (the coverage phase's TRACE)
        try:
            body = json.loads(content) if content else None
        except ValueError:
            body = None  # not JSON: the content-type checks report that, drift does not
        findings = response_findings(self.spec, method, path, status, headers, body, self.ignored_headers)
        record: dict[str, Any] = {
            "operation": operation.get("operationId") or f"{method.upper()} {path}",
            "status": status,
            "drift": [finding.to_json() for finding in findings],
        }
        if origin is not None:
            record["origin"] = origin
        self._append(record)

    def record_error(self, method: str, path: str, error: Exception) -> None:
        """Note a response the recorder could not read, so the report can say so."""
        self._append({"operation": f"{method.upper()} {path}", "error": f"{type(error).__name__}: {error}"})

    def _append(self, record: Mapping[str, Any]) -> None:
        with self.log.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
