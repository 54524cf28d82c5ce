"""Drift: what live responses carry that openapi.yaml does not describe.

A contract run checks that responses *conform* to the spec, but no schema here forbids extra
properties, so a response with a new field conforms and says nothing. Drift looks at every
response of a run the other way round. One module per job:

- `walk`: the schema walk: the findings of one response (property, enum, type, header,
  status), and `tolerant_spec`, the spec without response enums that a live run checks;
- `recorder`: inside `st run`, one JSON line per response to build/contract/drift.log
  (called from the `after_call` hook that `tools.contract.hooks.install` registers);
- `report`: that log folded into build/contract/drift.json and a summary;
- `phases`: around the run: `prepare` (the spec st checks, a fresh log) and `finish` (the
  report; a failure only with CONTRACT_STRICT_DRIFT=1).

Importing any of them registers nothing and reads no environment.
"""

from __future__ import annotations

from tools.contract.drift.phases import finish, prepare
from tools.contract.drift.recorder import Recorder
from tools.contract.drift.report import Entry, Report, fold, read_log, read_records, write_report
from tools.contract.drift.walk import KINDS, TRANSPORT_HEADERS, Finding, response_findings, tolerant_spec, walk

__all__ = [
    "KINDS",
    "TRANSPORT_HEADERS",
    "Entry",
    "Finding",
    "Recorder",
    "Report",
    "finish",
    "fold",
    "prepare",
    "read_log",
    "read_records",
    "response_findings",
    "tolerant_spec",
    "walk",
    "write_report",
]
