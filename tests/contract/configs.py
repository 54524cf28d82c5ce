"""Run configurations for the tests: `build` as `python -m tools.contract` calls it, from an
environment the test gives (never the test process's own)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from tools.contract.config import RunConfig, build


def mock_config(out: Path, **changes: Any) -> RunConfig:
    """A run against the mock, its reports in `out`, with `changes` on top."""
    return dataclasses.replace(build([], {"CONTRACT_OUT": str(out)}), **changes)


def live_config(out: Path, url: str = "https://cloud.example.com", **changes: Any) -> RunConfig:
    """A live read-only run (token `secret`), its reports in `out`, with `changes` on top."""
    environ = {"CALYPTIA_CLOUD_URL": url, "CALYPTIA_CLOUD_TOKEN": "secret", "CONTRACT_OUT": str(out)}
    return dataclasses.replace(build([], environ), **changes)
