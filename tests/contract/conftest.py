# The `operations` marker, until pyproject.toml registers it (see tests/support/markers.py).
from tests.support.markers import pytest_configure

__all__ = ["pytest_configure"]
