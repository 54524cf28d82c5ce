"""The effective spec (openapi.yaml with overlays/ applied) of the work tree or of a commit,
and which commit to compare with by default: the last release.

The last release is found in the repository's own history, so that the rule holds where tags
never arrive (a clone without tags, a shallow checkout on hosted CI): the latest release tag
when HEAD's history has one; else the `Release X.Y.Z` commit that `make release` makes; else
the commit where `info.version` last changed with a CHANGELOG.md entry for the new version.
A shallow clone is deepened (`git fetch --unshallow --tags`) when what it shows holds none of
them; when it cannot be, the search fails, saying what could not be seen."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.generation.overlay import apply_overlay_files
from tools.paths import ROOT
from tools.spec_diff.changes import MissingBaseError, Spec, SpecDiffError
from tools.spec_diff.version import parse_version

__all__ = [
    "FALLBACK_BASE",
    "RELEASE_COMMIT",
    "Base",
    "ShallowHistoryError",
    "default_base",
    "effective_spec",
    "effective_spec_at",
    "find_base",
    "latest_release_tag",
    "release_version",
]

SPEC_FILE = "openapi.yaml"
OVERLAYS_DIR = "overlays"
CHANGELOG_FILE = "CHANGELOG.md"
FALLBACK_BASE = "HEAD~1"
# The subject of the commit `make release` makes (tools/packaging/release.py).
RELEASE_COMMIT = re.compile(r"^Release (0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
INFO_VERSION_LINE = "^  version:"  # what `git log -G` looks for: info.version, two spaces in
FETCH_TIMEOUT = 300


class ShallowHistoryError(SpecDiffError):
    """A shallow clone hides the last release, and could not be deepened."""


@dataclass(frozen=True)
class Base:
    """What to compare with (`ref`, for git), how to show it, and why it was chosen."""

    ref: str
    label: str
    why: str

    def __str__(self) -> str:
        return f"{self.label} ({self.why})"


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
    """The ref of the last release (see `find_base`)."""
    return find_base(repo).ref


def find_base(repo: Path = ROOT) -> Base:
    """The last release in HEAD's history, deepening a shallow clone when it hides it.

    With no release at all in a complete history (a repository before its first release) the
    base is the previous commit, and the reason says so."""
    base = _last_release(repo)
    if base is None and _is_shallow(repo):
        cut_at = _boundary(repo)
        # No remote makes this a no-op that succeeds: what counts is whether the clone is whole now.
        fetched = _git_text(repo, "fetch", "--quiet", "--unshallow", "--tags", timeout=FETCH_TIMEOUT)
        if _is_shallow(repo):
            raise ShallowHistoryError(
                f"a shallow clone: HEAD's history is cut at {cut_at}, and the commits up to it hold no release "
                "tag, no `Release X.Y.Z` commit and no info.version change with its CHANGELOG.md entry; "
                f"`git fetch --unshallow --tags` could not fetch the rest ({fetched.stderr.strip() or 'no remote?'}). "
                "Fetch the full history (actions/checkout: fetch-depth: 0), or name BASE"
            )
        base = _last_release(repo)
    if base is None:
        return Base(
            FALLBACK_BASE,
            FALLBACK_BASE,
            "no release in HEAD's history: no release tag, no `Release X.Y.Z` commit, no info.version change "
            "with its CHANGELOG.md entry; the previous commit",
        )
    return base


def _last_release(repo: Path) -> Base | None:
    """The tag, else the Release commit, else the version change; None when a shallow clone
    may hide a release older than what it shows."""
    tag = latest_release_tag(repo)
    if tag is not None:
        return Base(tag, tag, "the latest release tag in HEAD's history")
    listed = _git_text(repo, "log", "--format=%H%x00%s", "-E", "--grep=^Release [0-9]", "HEAD")
    for line in listed.stdout.splitlines() if listed.returncode == 0 else []:
        sha, _, subject = line.partition("\0")
        if RELEASE_COMMIT.match(subject):
            return _commit_base(repo, sha, "no release tag; the last Release commit")
    shallow = _shallow_commits(repo)
    if shallow:
        return None  # a Release commit may lie beyond the cut: deepen before settling for less
    return _last_version_change(repo)


def _last_version_change(repo: Path) -> Base | None:
    """The newest commit whose info.version differs from its parent's and whose CHANGELOG.md
    has a `## VERSION` section for it (a root commit's spec counts as a change)."""
    listed = _git_text(repo, "log", "--format=%H", "-G", INFO_VERSION_LINE, "HEAD", "--", SPEC_FILE)
    for sha in listed.stdout.split() if listed.returncode == 0 else []:
        version = _info_version_at(repo, sha)
        if version is None or version == _info_version_at(repo, f"{sha}^"):
            continue
        changelog = _git_text(repo, "show", f"{sha}:{CHANGELOG_FILE}")
        if changelog.returncode == 0 and re.search(rf"^## {re.escape(version)}(?: .*)?$", changelog.stdout, re.M):
            return _commit_base(
                repo,
                sha,
                f"no release tag or Release commit; info.version became {version} here, with its CHANGELOG.md entry",
            )
    return None


def _info_version_at(repo: Path, ref: str) -> str | None:
    shown = _git_text(repo, "show", f"{ref}:{SPEC_FILE}")
    if shown.returncode != 0:
        return None
    try:
        spec = yaml.safe_load(shown.stdout)
    except yaml.YAMLError:
        return None
    version = spec.get("info", {}).get("version") if isinstance(spec, dict) else None
    return str(version) if version is not None else None


def _commit_base(repo: Path, sha: str, why: str) -> Base:
    short = _git_text(repo, "rev-parse", "--short", sha).stdout.strip() or sha
    subject = _git_text(repo, "log", "-1", "--format=%s", sha).stdout.strip()
    return Base(short, f"{short} {subject!r}", why)


def _is_shallow(repo: Path) -> bool:
    return _git_text(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"


def _shallow_commits(repo: Path) -> list[str]:
    """The commits whose parents a shallow clone does not have; empty for a full history."""
    if not _is_shallow(repo):
        return []
    path = _git_text(repo, "rev-parse", "--git-path", "shallow").stdout.strip()
    shallow = Path(path) if Path(path).is_absolute() else repo / path
    return shallow.read_text(encoding="utf-8").split() if shallow.is_file() else []


def _boundary(repo: Path) -> str:
    cut = _shallow_commits(repo)
    return ", ".join(_commit_base(repo, sha, "").label for sha in cut) if cut else "an unknown commit"


def _git_text(repo: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False, timeout=timeout)
