from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mock_server import running_mock

# The `calyptia_mock` fixture, as users get it from the installed package's pytest11 entry point.
pytest_plugins = ["calyptia_mock.pytest_plugin"]


@pytest.fixture
def mock_url(tmp_path: Path) -> Iterator[str]:
    """A fresh mock, file-backed, with the users in tests/fixtures/users.yaml."""
    with running_mock(tmp_path / "mock.db") as url:
        yield url
