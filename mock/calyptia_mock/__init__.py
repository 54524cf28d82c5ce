"""A stateful mock of the Calyptia Cloud Projects API, backed by SQLite.

Each public name is imported on first use (PEP 562): a tool that needs one small module of the
package (`make generate` reads calyptia_mock.operation_names) does not start the server stack
(openapi-core, Starlette, uvicorn: about 0.7 s) by importing the package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calyptia_mock.app import create_app, load_spec
    from calyptia_mock.handle import CalyptiaMock
    from calyptia_mock.seed_data import DEMO_TOKEN, load_fixtures, seed_demo_user
    from calyptia_mock.server import MockOptions, mock_process, serving
    from calyptia_mock.store import Store

# Each public name, and the module that defines it.
_MODULES = {
    "DEMO_TOKEN": "seed_data",
    "CalyptiaMock": "handle",
    "MockOptions": "server",
    "Store": "store",
    "create_app": "app",
    "load_fixtures": "seed_data",
    "load_spec": "app",
    "mock_process": "server",
    "seed_demo_user": "seed_data",
    "serving": "server",
}

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
    """A public name, from its module, on first use."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"calyptia_mock.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
