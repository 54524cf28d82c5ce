"""The `operations` marker, registered from the conftest.py of each folder whose tests use it,
until pyproject.toml's `markers` list has the same line (then this module and those imports go).

A test marked `operations` enumerates the spec's operations (tests/support/operations.py), so
`pytest -m operations` runs every test an added operation could break:
tests/tools/test_maintainer_loop.py does, after adding one.
"""

from __future__ import annotations

import pytest

__all__ = ["OPERATIONS", "pytest_configure"]

OPERATIONS = "operations: enumerates the spec's operations, read from the spec (pytest -m operations after adding one)"


def pytest_configure(config: pytest.Config) -> None:
    if not any(line.split(":")[0].strip() == "operations" for line in config.getini("markers")):
        config.addinivalue_line("markers", OPERATIONS)
