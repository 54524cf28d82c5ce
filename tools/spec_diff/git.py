"""The effective spec (openapi.yaml with overlays/ applied) of the work tree or of a commit,
and which commit to compare with by default: the latest release tag."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tools.generation.overlay import apply_overlay_files
from tools.paths import ROOT
from tools.spec_diff.changes import MissingBaseError, Spec, SpecDiffError
from tools.spec_diff.version import parse_version

__all__ = [
    "FALLBACK_BASE",
    "default_base",
    "effective_spec",
    "effective_spec_at",
    "latest_release_tag",
    "release_version",
]

SPEC_FILE = "openapi.yaml"
OVERLAYS_DIR = "overlays"
FALLBACK_BASE = "HEAD~1"


def effective_spec(root: Path) -> Spec:
    """openapi.yaml with overlays/*.yaml applied in file-name order, as tools.generation.regenerate does."""
    spec = apply_overlay_files(root / SPEC_FILE, sorted((root / OVERLAYS_DIR).glob("*.yaml")))
    if not isinstance(spec, dict):
        raise SpecDiffError(f"{root / SPEC_FILE}: not an OpenAPI document")
    return spec


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)


def effective_spec_at(ref: str, repo: Path = ROOT) -> Spec:
    """The effective spec of a commit: its openapi.yaml and overlays/, read with git show."""
    if ref.startswith("-"):
        raise SpecDiffError(f"BASE must be a git ref, got {ref!r}")
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise MissingBaseError(f"BASE {ref!r} is not a commit of {repo} (a first commit? a shallow clone?)")
    sha = commit.stdout.decode().strip()
    listing = _git(repo, "ls-tree", "-z", "--name-only", sha, "--", SPEC_FILE, f"{OVERLAYS_DIR}/")
    if listing.returncode != 0:
        raise SpecDiffError(f"git ls-tree {ref}: {listing.stderr.decode().strip()}")
    names = [name for name in listing.stdout.decode().split("\0") if name]
    if SPEC_FILE not in names:
        raise MissingBaseError(f"BASE {ref!r} has no {SPEC_FILE}")
    with tempfile.TemporaryDirectory(prefix="spec-diff-") as scratch:
        tree = Path(scratch)
        (tree / OVERLAYS_DIR).mkdir()
        for name in names:
            shown = _git(repo, "show", f"{sha}:{name}")
            if shown.returncode != 0:
                raise SpecDiffError(f"git show {ref}:{name}: {shown.stderr.decode().strip()}")
            (tree / name).write_bytes(shown.stdout)
        return effective_spec(tree)


def latest_release_tag(repo: Path = ROOT) -> str | None:
    """The highest `v<MAJOR.MINOR.PATCH>` tag that HEAD contains, or None.

    Comparing with the release, not only with the previous commit, is what stops a change of
    several commits from slipping an unversioned spec edit through an earlier commit."""
    listed = _git(repo, "tag", "--merged", "HEAD", "--list", "v*")
    if listed.returncode != 0:  # no HEAD yet, or not a repository: there is no release either
        return None
    releases = []
    for tag in listed.stdout.decode().split():
        version = release_version(tag)
        if version is not None:
            releases.append((version, tag))
    return max(releases)[1] if releases else None


def release_version(ref: str) -> tuple[int, int, int] | None:
    """The version a release tag `v<MAJOR.MINOR.PATCH>` names; None for any other ref."""
    return parse_version(ref[1:]) if ref.startswith("v") else None


def default_base(repo: Path = ROOT) -> str:
    """The latest release tag when there is one, else the previous commit."""
    return latest_release_tag(repo) or FALLBACK_BASE
