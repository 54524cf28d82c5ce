"""`make release VERSION=x.y.z`: cut a release of both packages, locally, in one command.

Refuses, changing nothing, when:
- VERSION is not MAJOR.MINOR.PATCH, or the tag vVERSION exists already;
- the work tree is not clean (git status shows anything);
- CHANGELOG.md has no `## VERSION` section;
- the version rule fails: the effective spec with `info.version: VERSION` against the last
  release (tools.spec_diff.find_base: the latest release tag, else the last `Release X.Y.Z`
  commit, else where info.version last changed with its CHANGELOG entry; a change needs a
  greater version, a breaking one a new MAJOR; with no release in the history, it is a first
  release, at info.version or above);
- `make check` fails (generated/ or the mock's generated files are not what the spec gives).

Then it sets `info.version` in openapi.yaml, regenerates (`make generate`: the client's version
is `info.version`, and the mock's version follows the spec it serves), dates the CHANGELOG
section when it says "(unreleased)", builds and checks dist/ (`make dist`), commits what
changed as "Release VERSION", and creates the annotated tag vVERSION. It pushes nothing and
uploads nothing: it prints the commands for that.
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
from pathlib import Path

from tools.paths import ROOT
from tools.spec_diff import FALLBACK_BASE, check_version, compare, effective_spec, effective_spec_at, find_base
from tools.spec_diff.changes import SpecDiffError
from tools.spec_diff.version import parse_version, version_of

INFO_VERSION = re.compile(r"^(info:\n(?:[ \t].*\n|\n)*?  version: ).*$", re.MULTILINE)


class ReleaseError(Exception):
    """Why the release was refused; nothing has been changed."""


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def step(repo: Path, module: str, *args: str) -> None:
    """Run a tool as its make target does (same module, same Python), failing the release if it fails."""
    result = subprocess.run([sys.executable, "-m", module, *args], cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        raise ReleaseError(f"python -m {module} {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def changelog_heading(changelog: str, version: str) -> re.Match[str]:
    """The `## VERSION` heading line of CHANGELOG.md."""
    heading = re.search(rf"^## {re.escape(version)}(?: .*)?$", changelog, re.MULTILINE)
    if heading is None:
        raise ReleaseError(f"CHANGELOG.md has no `## {version}` section: write the entry first")
    return heading


def dated(changelog: str, version: str, today: datetime.date) -> str:
    """CHANGELOG.md with `## VERSION (unreleased)` turned into `## VERSION (YYYY-MM-DD)`."""
    return changelog.replace(f"## {version} (unreleased)", f"## {version} ({today.isoformat()})", 1)


def with_info_version(spec_text: str, version: str) -> str:
    """openapi.yaml's text with `info.version` set, formatting and comments kept."""
    updated, count = INFO_VERSION.subn(lambda m: m[1] + version, spec_text, count=1)
    if count != 1:
        raise ReleaseError("openapi.yaml: no `version:` line under `info:`")
    return updated


def check_the_version_rule(repo: Path, version: str) -> str:
    """The version rule against the last release, with info.version as the release sets it."""
    try:
        base = find_base(repo)
    except SpecDiffError as exc:
        raise ReleaseError(f"version rule: {exc}") from exc
    if base.ref == FALLBACK_BASE:
        # A first release: nothing to compare with but the spec's own version, which it must not lower.
        current = version_of(effective_spec(repo))
        if (parse_version(current) or (0, 0, 0)) > (parse_version(version) or (0, 0, 0)):
            raise ReleaseError(f"no earlier release, and {version} is lower than info.version {current}")
        return "no earlier release: a first release"
    try:
        before = effective_spec_at(base.ref, repo)
        after = effective_spec(repo)
        after["info"]["version"] = version
        verdict = check_version(before, after, compare(before, after))
    except SpecDiffError as exc:
        raise ReleaseError(f"version rule: {exc}") from exc
    if not verdict.ok:
        raise ReleaseError(f"version rule against {base}: {verdict.message}")
    return f"version rule against {base}: {verdict.message}"


def release(version: str, repo: Path = ROOT, today: datetime.date | None = None) -> str:
    """Cut the release; returns the tag. ReleaseError, with nothing changed, when it must not."""
    if parse_version(version) is None:
        raise ReleaseError(f"VERSION {version!r} is not MAJOR.MINOR.PATCH")
    tag = f"v{version}"
    if git(repo, "tag", "--list", tag).strip():
        raise ReleaseError(f"the tag {tag} exists already")
    dirty = git(repo, "status", "--porcelain").strip()
    if dirty:
        raise ReleaseError(f"the work tree is not clean; commit or stash first:\n{dirty}")
    changelog_path = repo / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8")
    changelog_heading(changelog, version)
    print(f"release: {check_the_version_rule(repo, version)}")
    step(repo, "tools.generation.regenerate", "check")
    print("release: make check passed")

    spec_path = repo / "openapi.yaml"
    try:
        spec_path.write_text(with_info_version(spec_path.read_text(encoding="utf-8"), version), encoding="utf-8")
        changelog_path.write_text(dated(changelog, version, today or datetime.date.today()), encoding="utf-8")
        step(repo, "tools.generation.regenerate", "generate")
        step(repo, "tools.packaging.dist")
    except ReleaseError:
        # The tree was clean a moment ago: put it back as it was, so a refusal changes nothing.
        git(repo, "reset", "--quiet", "--hard", "HEAD")
        git(repo, "clean", "--quiet", "-d", "--force", "--", "generated", "mock")
        raise
    print(f"release: set {version} in openapi.yaml, generated/ and mock/; dist/ built and passed twine check")

    if git(repo, "status", "--porcelain").strip():
        git(repo, "add", "--all")
        git(repo, "commit", "--quiet", "-m", f"Release {version}")
        print(f"release: committed the version changes as `Release {version}`")
    git(repo, "tag", "--annotate", tag, "-m", f"calyptia-cloud-client and calyptia-mock {version}")
    return tag


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", metavar="VERSION", help="the release, MAJOR.MINOR.PATCH")
    args = parser.parse_args(argv)
    try:
        tag = release(args.version)
    except ReleaseError as exc:
        print(f"release refused: {exc}", file=sys.stderr)
        return 1
    print(f"release: tagged {tag} (annotated, local). To publish:")
    print(f"  git push origin HEAD {tag}")
    print("  .venv/bin/twine upload dist/*")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
