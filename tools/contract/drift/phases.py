"""Drift around a run, in `tools.contract`: the spec st checks against before, the report after."""

from __future__ import annotations

from pathlib import Path

import yaml

from tools.contract.config import RunConfig
from tools.contract.drift.report import write_report
from tools.contract.drift.walk import tolerant_spec
from tools.paths import SPEC

__all__ = ["finish", "prepare"]


def prepare(config: RunConfig) -> Path:
    """Start a fresh drift log; return the spec file `st run` should check against.

    For a live run, unless strict_drift (CONTRACT_STRICT_DRIFT=1), that spec is
    `tolerant_spec(openapi.yaml)`: a new enum value is reported, not failed. Against the mock it
    stays openapi.yaml, whose enums the mock must keep. The recorder always compares with
    openapi.yaml itself."""
    config.out.mkdir(parents=True, exist_ok=True)
    config.drift_log.unlink(missing_ok=True)
    if config.strict_drift or not config.live:
        return SPEC
    tolerant = config.out / "openapi.drift-tolerant.yaml"
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    tolerant.write_text(yaml.safe_dump(tolerant_spec(spec), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return tolerant


def finish(config: RunConfig, status: int) -> int:
    """Write drift.json, print the summary, and fail a passing run only when strict."""
    report = write_report(config.drift_log, config.out)
    print(report.summary(), flush=True)
    print(f"contract: drift report in {config.out / 'drift.json'}", flush=True)
    if report.entries and config.strict_drift:
        print("contract: CONTRACT_STRICT_DRIFT=1: drift fails the run", flush=True)
        return status or 1
    return status
