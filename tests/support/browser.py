"""The one decision every browser test shares: which Chromium to drive, or why it cannot run.

Playwright drives Debian's Chromium (`/usr/bin/chromium`, else `chromium` on the PATH); it
never downloads a browser of its own. On a developer's machine without it, a browser test
skips with the command that installs it. Under CI (`CI` set to anything but `0`/`false`)
the same absence fails the test: `.ci/run` installs Chromium, so a skip there would hide a
broken setup and a check that silently stopped running.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# Loopback only: every other host name resolves to nothing, so no request can leave the machine.
LAUNCH_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def cannot_run(reason: str) -> None:
    """Fail under CI, skip elsewhere; never returns."""
    if in_ci():
        pytest.fail(f"{reason} (CI runs every browser test: .ci/run installs what they need)")
    pytest.skip(reason)


def chromium() -> str:
    """The Chromium executable to launch, after checking Playwright imports."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        cannot_run(f"playwright does not import ({exc}); it is in requirements.txt")
    path = str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else shutil.which("chromium")
    if path is None:
        cannot_run("chromium is not installed (apt-get install chromium); needed for the browser checks")
    assert path is not None
    return path
