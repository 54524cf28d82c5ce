"""`make release` (tools/packaging/release.py), against a throwaway git clone of this repository in tmp:
the refusals change nothing; a release sets the version everywhere, builds dist/ and tags.
The clone is of HEAD: the release's steps (tools.generation.regenerate, tools.packaging.dist) run as committed."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.generation.regenerate import spec_version
from tools.packaging.dist import wheel_metadata
from tools.packaging.release import ReleaseError, dated, release, with_info_version
from tools.paths import ROOT

TODAY = datetime.date(2026, 12, 5)
# A release above the spec's current version (the tests tag the clone's HEAD as v1.1.0).
_MAJOR, _MINOR, _PATCH = spec_version().split(".")
NEXT = f"{_MAJOR}.{_MINOR}.{int(_PATCH) + 1}"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pristine_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's HEAD, cloned into tmp, with node_modules linked in (ignored by git): built
    once per module (a clone and its set-up are about 0.6 s), each test gets a copy of its own."""
    repo = tmp_path_factory.mktemp("release") / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-local", str(ROOT), str(repo)], check=True)
    git(repo, "config", "user.name", "release test")
    git(repo, "config", "user.email", "release@example.com")
    for tag in git(repo, "tag", "--list").split():
        git(repo, "tag", "--delete", tag)
    (repo / "node_modules").symlink_to(ROOT / "node_modules")
    with (repo / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("node_modules\n")
    return repo


@pytest.fixture
def clone(pristine_clone: Path, tmp_path: Path) -> Path:
    """A copy of `pristine_clone` of this test's own: what a test does to it no other test sees."""
    repo = tmp_path / "repo"
    shutil.copytree(pristine_clone, repo, symlinks=True)
    return repo


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message)


def add_changelog_entry(repo: Path, version: str) -> None:
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    first = text.index("\n## ") + 1
    entry = f"## {version} (unreleased)\n\n- A release test.\n\n"
    changelog.write_text(text[:first] + entry + text[first:], encoding="utf-8")


def state(repo: Path) -> tuple[str, str, list[str]]:
    """HEAD, the work tree's status and the tags: what a refusal must leave as it was."""
    return git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain"), git(repo, "tag").split()


def assert_refused(repo: Path, version: str, reason: str) -> None:
    """`release(version)` raises ReleaseError matching `reason`, and leaves `state` as it was."""
    before = state(repo)
    with pytest.raises(ReleaseError, match=reason):
        release(version, repo, TODAY)
    assert state(repo) == before


def test_with_info_version_changes_only_the_info_version() -> None:
    spec = 'openapi: 3.1.0\ninfo:\n  title: T\n  # a comment\n  version: 1.0.0\n  x-other: {version: "9"}\n'
    assert with_info_version(spec, "1.2.3") == spec.replace("version: 1.0.0", "version: 1.2.3")
    with pytest.raises(ReleaseError, match="no `version:` line"):
        with_info_version("openapi: 3.1.0\ninfo:\n  title: T\n", "1.2.3")


def test_dated_turns_unreleased_into_the_day() -> None:
    changelog = "# Changelog\n\n## 1.2.0 (unreleased)\n\n## 1.1.0 (unreleased)\n"
    assert dated(changelog, "1.2.0", TODAY) == "# Changelog\n\n## 1.2.0 (2026-12-05)\n\n## 1.1.0 (unreleased)\n"


@pytest.mark.parametrize("version", ["1.2", "v1.2.0", "1.2.0-rc1", ""])
def test_refuses_a_version_that_is_not_major_minor_patch(clone: Path, version: str) -> None:
    assert_refused(clone, version, r"is not MAJOR\.MINOR\.PATCH")


def test_refuses_a_version_below_the_last_release_commit(clone: Path) -> None:
    """The clone has no tags: the base is the `Release 1.1.0` commit in its history."""
    add_changelog_entry(clone, "0.9.0")
    commit_all(clone, "changelog for 0.9.0")
    assert_refused(
        clone, "0.9.0", r"version rule against [0-9a-f]+ 'Release 1\.1\.0' \(no release tag; the last Release commit\)"
    )


def test_refuses_a_dirty_tree(clone: Path) -> None:
    (clone / "notes.txt").write_text("work in progress\n", encoding="utf-8")
    assert_refused(clone, "1.1.0", r"not clean(.|\n)*notes\.txt")


def test_refuses_without_a_changelog_entry(clone: Path) -> None:
    assert_refused(clone, "9.0.0", r"CHANGELOG\.md has no `## 9\.0\.0` section")


def test_refuses_an_existing_tag(clone: Path) -> None:
    git(clone, "tag", "--annotate", "v1.1.0", "-m", "released")
    assert_refused(clone, "1.1.0", r"v1\.1\.0 exists already")


def test_refuses_a_breaking_change_without_a_new_major(clone: Path) -> None:
    git(clone, "tag", "--annotate", "v1.1.0", "-m", "released")
    spec = clone / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    # A response property that changes type breaks every client that reads it.
    deleted = "        deleted:\n          type: boolean\n"
    spec.write_text(text.replace(deleted, deleted.replace("boolean", "string"), 1), encoding="utf-8")
    assert spec.read_text(encoding="utf-8") != text
    add_changelog_entry(clone, "1.2.0")
    commit_all(clone, "a breaking change")
    assert_refused(clone, "1.2.0", r"version rule against v1\.1\.0")


@pytest.mark.e2e  # make check in a clone: a whole regeneration (about 6 s)
def test_refuses_when_make_check_fails(clone: Path) -> None:
    git(clone, "tag", "--annotate", "v1.1.0", "-m", "released")
    readme = clone / "generated" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    add_changelog_entry(clone, NEXT)
    commit_all(clone, "an edit of generated/ by hand")
    assert_refused(clone, NEXT, r"tools\.generation\.regenerate check failed(.|\n)*Edited by hand")


@pytest.mark.e2e  # make release in a clone: regenerate, build and check dist (about 20 s)
def test_a_release_sets_the_version_everywhere_builds_dist_and_tags(clone: Path) -> None:
    git(clone, "tag", "--annotate", "v1.1.0", "-m", "released")
    add_changelog_entry(clone, NEXT)
    commit_all(clone, f"changelog for {NEXT}")
    released_from = git(clone, "rev-parse", "HEAD").strip()

    assert release(NEXT, clone, TODAY) == f"v{NEXT}"

    assert git(clone, "status", "--porcelain") == ""
    assert git(clone, "cat-file", "-t", f"v{NEXT}").strip() == "tag"  # annotated, not lightweight
    assert git(clone, "rev-parse", f"v{NEXT}^{{commit}}") == git(clone, "rev-parse", "HEAD")
    assert git(clone, "rev-parse", "HEAD~1").strip() == released_from
    assert git(clone, "log", "-1", "--format=%s").strip() == f"Release {NEXT}"
    assert f"  version: {NEXT}\n" in (clone / "openapi.yaml").read_text(encoding="utf-8")
    assert f"  version: {NEXT}\n" in (clone / "mock" / "calyptia_mock" / "openapi.yaml").read_text(encoding="utf-8")
    for pyproject in (clone / "generated" / "pyproject.toml", clone / "mock" / "pyproject.toml"):
        assert f'\nversion = "{NEXT}"\n' in pyproject.read_text(encoding="utf-8"), pyproject
    assert f"## {NEXT} (2026-12-05)\n" in (clone / "CHANGELOG.md").read_text(encoding="utf-8")
    built = sorted(path.name for path in (clone / "dist").iterdir() if path.suffix in {".whl", ".gz"})
    assert built == [
        f"calyptia_cloud_client-{NEXT}-py3-none-any.whl",
        f"calyptia_cloud_client-{NEXT}.tar.gz",
        f"calyptia_mock-{NEXT}-py3-none-any.whl",
        f"calyptia_mock-{NEXT}.tar.gz",
    ]
    assert wheel_metadata(clone / "dist" / f"calyptia_mock-{NEXT}-py3-none-any.whl")["Version"] == [NEXT]

    # The version rule now compares with the new tag, and a second run refuses.
    check = [sys.executable, "-m", "tools.spec_diff", "--check-version"]
    result = subprocess.run(check, cwd=clone, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    with pytest.raises(ReleaseError, match=rf"v{re.escape(NEXT)} exists already"):
        release(NEXT, clone, TODAY)
