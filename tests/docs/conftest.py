"""The documentation site, built once per session for every test that reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.paths import ROOT


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    output: str  # what `mkdocs build --strict` printed


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """`make docs`'s build (the same mkdocs.yml, --strict) into a scratch folder, run as make
    runs it: the `mkdocs` command, not `python -m mkdocs`, which would put the checkout on
    sys.path and hide a hook that imports from it."""
    site = tmp_path_factory.mktemp("docs-site") / "site"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return BuiltSite(site, output)
