"""The spec the mock serves and enforces: the copy of openapi.yaml packaged with it."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

__all__ = ["load_spec"]


@cache
def load_spec(path: Path | None = None) -> dict[str, Any]:
    """Parse the spec once per process: the copy of openapi.yaml packaged with the mock
    (tools/generation/regenerate.py writes it; `make check` fails when it drifts), or `path`."""
    text = path.read_text(encoding="utf-8") if path else (files("calyptia_mock") / "openapi.yaml").read_text("utf-8")
    spec: dict[str, Any] = yaml.safe_load(text)
    return spec
