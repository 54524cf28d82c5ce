"""A stateful mock of the Calyptia Cloud Projects API, backed by SQLite."""

from __future__ import annotations

from calyptia_mock.app import create_app, load_spec
from calyptia_mock.fixtures import DEMO_TOKEN, load_fixtures, seed_demo_user
from calyptia_mock.server import MockOptions, mock_process, serving
from calyptia_mock.store import Store

__all__ = [
    "DEMO_TOKEN",
    "MockOptions",
    "Store",
    "create_app",
    "load_fixtures",
    "load_spec",
    "mock_process",
    "seed_demo_user",
    "serving",
]
