"""The repository's well-known paths, defined once for every tool and test.

The tools live one or two folders deep, so each computing its own `ROOT` from `__file__`
breaks when a module moves; importing it from here does not.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"  # the hand-written description: the single source of truth
OVERLAYS = ROOT / "overlays"
BUILD = ROOT / "build"  # every tool's output; not in git
# The users, tokens and projects the mock is seeded with (its --fixtures), shared by the
# contract runs and the install check.
FIXTURES = ROOT / "tests" / "fixtures" / "users.yaml"
