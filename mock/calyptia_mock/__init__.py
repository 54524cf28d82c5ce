"""A stateful mock of the Calyptia Cloud Projects API, backed by SQLite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from calyptia_mock.app import create_app, load_spec
from calyptia_mock.seed_data import DEMO_TOKEN, load_fixtures, seed_demo_user
from calyptia_mock.server import MockOptions, mock_process, serving
from calyptia_mock.store import Store

if TYPE_CHECKING:
    from calyptia_mock.handle import CalyptiaMock

__all__ = [
    "DEMO_TOKEN",
    "CalyptiaMock",
    "MockOptions",
    "Store",
    "create_app",
    "load_fixtures",
    "load_spec",
    "mock_process",
    "seed_demo_user",
    "serving",
]


def __getattr__(name: str) -> Any:
    """`CalyptiaMock`, the fixture's type, imported on first use, so the command does not import httpx for it."""
    if name == "CalyptiaMock":
        from calyptia_mock.handle import CalyptiaMock

        return CalyptiaMock
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
