"""Deprecated name of `calyptia_mock.seed_data`, kept so that imports of it keep working.

The module loads seed data (a fixture *file* of users and projects); its old name read as
pytest fixtures, which live in `calyptia_mock.pytest_plugin`. Importing it warns; it goes
in the next major release.
"""

from __future__ import annotations

import warnings

from calyptia_mock.seed_data import *  # noqa: F403 (the whole public surface, as before)
from calyptia_mock.seed_data import __all__ as __all__

warnings.warn(
    "calyptia_mock.fixtures is now calyptia_mock.seed_data (it loads seed data, not pytest fixtures);"
    " the old name goes in 2.0",
    DeprecationWarning,
    stacklevel=2,
)
