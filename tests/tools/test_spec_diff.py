"""tools/spec_diff classifies spec changes the way a user of the client feels them, holds
info.version to them, and works on git history. Every change is made to a copy of the spec
in a temporary folder; all the classified pairs go through one Node process, since each
start of api-smart-diff costs about 0.2 s."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.generation.regenerate import write_effective_spec
from tools.paths import ROOT
from tools.spec_diff import (
    Change,
    Report,
    changelog_section,
    check_version,
    classify,
    default_base,
    effective_spec,
    latest_release_tag,
    main,
)

LIST = "/v1/projects"
ONE = "/v1/projects/{projectID}"
Spec = dict[str, Any]
Edit = Callable[[Path], None]


def copy_tree(destination: Path) -> Path:
    """openapi.yaml and overlays/ of this checkout, copied: the tests change only the copy.

    The copy's `info.version` is 1.0.0 whatever the checkout's, so that the version-rule
    cases below read the same after any release."""
    destination.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^  version: .*$", "  version: 1.0.0", text, count=1, flags=re.MULTILINE)
    (destination / "openapi.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "overlays", destination / "overlays", dirs_exist_ok=True)
    return destination


# The edits read and write the copy with libyaml (PyYAML's C loader and dumper, where it was built
# with it): the same document as the pure-Python ones, about ten times faster on openapi.yaml.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def edit_spec(change: Callable[[Spec], None]) -> Edit:
    """An edit of the copy's openapi.yaml, made on the parsed document."""

    def edit(tree: Path) -> None:
        spec = yaml.load((tree / "openapi.yaml").read_text(encoding="utf-8"), Loader=LOADER)
        change(spec)
        (tree / "openapi.yaml").write_text(yaml.dump(spec, Dumper=DUMPER, sort_keys=False), encoding="utf-8")

    return edit


def project(spec: Spec) -> Spec:
    schema: Spec = spec["components"]["schemas"]["Project"]
    return schema


def list_parameters(spec: Spec) -> list[Spec]:
    parameters: list[Spec] = spec["paths"][LIST]["get"]["parameters"]
    return parameters


def drop_members_count(spec: Spec) -> None:
    del project(spec)["properties"]["membersCount"]
    project(spec)["required"].remove("membersCount")


def require_last(spec: Spec) -> None:
    next(parameter for parameter in list_parameters(spec) if parameter["name"] == "last")["required"] = True


def add_query_parameter(required: bool) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        parameter = {"name": "org", "in": "query", "required": required, "schema": {"type": "string"}}
        list_parameters(spec).append(parameter)

    return change


def add_color(spec: Spec) -> None:
    project(spec)["properties"]["color"] = {"type": "string", "description": "The project's colour."}


def members_count_as_string(spec: Spec) -> None:
    project(spec)["properties"]["membersCount"]["type"] = "string"


def reword_list_description(spec: Spec) -> None:
    spec["paths"][LIST]["get"]["description"] = "Lists the caller's projects."


def rename_list_projects(tree: Path) -> None:
    """In the overlay that names the Python function: list_projects becomes list_all_projects."""
    overlay = tree / "overlays" / "10-python-operation-ids.yaml"
    text = overlay.read_text(encoding="utf-8")
    assert "operationId: list_projects}" in text
    overlay.write_text(text.replace("operationId: list_projects}", "operationId: list_all_projects}"), encoding="utf-8")


EDITS: dict[str, Edit] = {
    "removed response field": edit_spec(drop_members_count),
    "parameter made required": edit_spec(require_last),
    "required query parameter added": edit_spec(add_query_parameter(required=True)),
    "optional query parameter added": edit_spec(add_query_parameter(required=False)),
    "optional response field added": edit_spec(add_color),
    "response field type changed": edit_spec(members_count_as_string),
    "description reworded": edit_spec(reword_list_description),
    "function renamed by an overlay": rename_list_projects,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    return effective_spec(copy_tree(tmp_path_factory.mktemp("base")))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, base: Spec) -> dict[str, tuple[Spec, Report]]:
    """Each edit's effective spec and its report against the unedited copy, classified in one batch."""
    afters = {}
    for name, edit in EDITS.items():
        tree = copy_tree(tmp_path_factory.mktemp("edited"))
        edit(tree)
        afters[name] = effective_spec(tree)
    results = classify([(base, after) for after in afters.values()])
    return {name: (afters[name], report) for name, report in zip(afters, results, strict=True)}


def changes_at(report: Report, *suffix: str | int) -> list[Change]:
    return [change for change in report.changes if change.path[-len(suffix) :] == suffix]


# --- classification -------------------------------------------------------------------------


def test_removed_response_field_is_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    _, report = reports["removed response field"]
    removed = changes_at(report, "properties", "membersCount")
    assert {change.operation for change in removed} == {f"GET {LIST}", f"GET {ONE}"}
    assert {(change.type, change.action) for change in removed} == {("breaking", "remove")}
    unrequired = [change for change in report.changes if change.path[-2] == "required"]
    assert unrequired
    assert {change.type for change in unrequired} == {"breaking"}
    assert any("required status of `membersCount`" in change.description for change in unrequired)
    # api-smart-diff also lists the change under components/, classified as if Project were a
    # request body (non-breaking there); those entries are left out, and counted.
    assert not [change for change in report.changes if change.path[0] == "components"]
    assert report.hidden_component_entries == 2


def test_parameter_made_required_is_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    _, report = reports["parameter made required"]
    assert len(report.changes) == 1
    (change,) = report.changes
    assert (change.type, change.action) == ("breaking", "add")
    assert change.path == ("paths", LIST, "get", "parameters", 0, "required")
    assert change.location == "$.paths['/v1/projects'].get.parameters[0].required"
    assert "`last`" in change.description


def test_required_query_parameter_added_is_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    _, report = reports["required query parameter added"]
    assert [(change.type, change.action, change.path[-2:]) for change in report.changes] == [
        ("breaking", "add", ("parameters", 3))
    ]
    assert report.changes[0].summary == "GET /v1/projects: [Added] required query parameter `org`"


def test_optional_query_parameter_added_is_non_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    _, report = reports["optional query parameter added"]
    assert [(change.type, change.action) for change in report.changes] == [("non-breaking", "add")]


def test_optional_response_field_added_is_non_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    _, report = reports["optional response field added"]
    added = changes_at(report, "properties", "color")
    assert {change.operation for change in added} == {f"GET {LIST}", f"GET {ONE}"}
    assert len(added) == len(report.changes)
    assert {(change.type, change.action) for change in report.changes} == {("non-breaking", "add")}
    assert not report.breaking


def test_response_field_type_change_is_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    """api-smart-diff calls this non-breaking in a response (it flips its request rule)."""
    _, report = reports["response field type changed"]
    changed = changes_at(report, "membersCount", "type")
    assert {change.operation for change in changed} == {f"GET {LIST}", f"GET {ONE}"}
    assert {change.type for change in report.changes} == {"breaking"}
    assert all(change.note and (change.before, change.after) == ("integer", "string") for change in changed)


def test_function_renamed_by_an_overlay_is_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    """The overlays are applied: the rename exists only in the effective spec."""
    _, report = reports["function renamed by an overlay"]
    renamed = changes_at(report, "get", "operationId")
    assert [(change.type, change.path[1], change.before, change.after) for change in renamed] == [
        ("breaking", LIST, "list_projects", "list_all_projects")
    ]
    assert "operationId names the generated module and function" in renamed[0].description


def test_reworded_description_is_an_annotation(reports: dict[str, tuple[Spec, Report]]) -> None:
    _, report = reports["description reworded"]
    assert [(change.type, change.path[-1]) for change in report.changes] == [("annotation", "description")]


def test_spec_diff_builds_the_effective_spec_as_regenerate_does(tmp_path: Path) -> None:
    written = write_effective_spec(ROOT / "openapi.yaml", tmp_path / "effective.yaml")
    assert effective_spec(ROOT) == yaml.safe_load(written.read_text(encoding="utf-8"))


# --- the version rule -----------------------------------------------------------------------


def versioned(spec: Spec, version: str) -> Spec:
    bumped = copy.deepcopy(spec)
    bumped["info"]["version"] = version
    return bumped


def test_unchanged_spec_passes(base: Spec) -> None:
    assert check_version(base, copy.deepcopy(base), Report([])).ok


def test_a_bump_alone_passes_and_a_lowered_version_fails(base: Spec) -> None:
    assert check_version(base, versioned(base, "1.0.1"), Report([])).ok
    lowered = check_version(versioned(base, "1.2.0"), versioned(base, "1.1.9"), Report([]))
    assert not lowered.ok
    assert "went down" in lowered.message


@pytest.mark.parametrize(
    ("edit", "version", "ok", "message"),
    [
        ("optional response field added", "1.1.0", True, "no breaking changes"),
        ("optional response field added", "1.0.1", True, "no breaking changes"),
        ("optional response field added", "1.0.0", False, "use 1.0.1 or 1.1.0"),
        ("description reworded", "1.0.0", False, "not above 1.0.0"),
        ("removed response field", "1.1.0", False, "need a MAJOR bump: info.version 1.0.0 -> 1.1.0; use 2.0.0"),
        ("removed response field", "1.0.0", False, "use 2.0.0"),
        ("removed response field", "2.0.0", True, "1.0.0 -> 2.0.0, breaking changes"),
        ("parameter made required", "1.9.9", False, "MAJOR"),
        ("parameter made required", "2.0.0", True, "breaking"),
        ("optional response field added", "1.1", False, "not MAJOR.MINOR.PATCH"),
    ],
)
def test_version_rule(
    base: Spec, reports: dict[str, tuple[Spec, Report]], edit: str, version: str, ok: bool, message: str
) -> None:
    after, report = reports[edit]
    result = check_version(base, versioned(after, version), report)
    assert result.ok is ok, result.message
    assert message in result.message


def test_changelog_section_lists_breaking_and_non_breaking(reports: dict[str, tuple[Spec, Report]]) -> None:
    _, removed = reports["removed response field"]
    after, added = reports["optional response field added"]
    section = changelog_section(versioned(after, "2.0.0"), Report(removed.changes + added.changes), "v1")
    breaking, non_breaking = section.split("### Non-breaking changes\n\n")
    assert breaking.startswith("## 2.0.0\n\n### Breaking changes\n\n- GET /v1/projects: [Removed] ")
    assert "- GET /v1/projects/{projectID}: [Removed] property `membersCount` in Response 200" in breaking
    assert non_breaking.splitlines() == [
        "- GET /v1/projects: [Added] property `color` to `[]` in Response 200 content (application/json)",
        "- GET /v1/projects/{projectID}: [Added] property `color` in Response 200 content (application/json)",
    ]


# --- git history and the command line ----------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    settings = ("user.name=Spec Diff Test", "user.email=spec-diff@example.com", "commit.gpgsign=false")
    identity = [part for setting in settings for part in ("-c", setting)]
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(repo), *identity, *args], check=True, capture_output=True, env=env)


def git_out(repo: Path, *args: str) -> str:
    """What a read-only git command prints."""
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


# The command over a git history: git repositories built per test and api-smart-diff (Node)
# run per comparison, about 2 s a test: whole-tool runs, in make e2e. The classification itself
# is tested above, in one batch.
E2E = pytest.mark.e2e


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository of three commits: a README only; the spec; the spec with an optional
    response field added and info.version 1.1.0. Its work tree is the last commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet")
    (repo / "README.md").write_text("spec history\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "--quiet", "-m", "README")
    copy_tree(repo)
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "spec 1.0.0")

    def add_color_in_1_1_0(spec: Spec) -> None:
        add_color(spec)
        spec["info"]["version"] = "1.1.0"

    edit_spec(add_color_in_1_1_0)(repo)
    git(repo, "commit", "--quiet", "-am", "spec 1.1.0: Project.color")
    return repo


def run(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--repo", str(repo), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@E2E
def test_commit_with_a_non_breaking_change_and_a_minor_bump(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(repo, capsys, "HEAD~1")
    assert status == 0
    assert "non-breaking  GET /v1/projects: [Added] property `color`" in out
    assert "Since HEAD~1: 0 breaking, 2 non-breaking, 0 deprecated, 1 annotation, 0 unclassified." in out

    status, out, _ = run(repo, capsys, "--json", "HEAD~1")
    data = json.loads(out)
    assert status == 0
    assert data["summary"] == {"breaking": 0, "non-breaking": 2, "deprecated": 0, "annotation": 1, "unclassified": 0}
    assert {change["location"] for change in data["changes"]} >= {
        "$.paths['/v1/projects'].get.responses['200'].content['application/json'].schema.items.properties.color"
    }

    assert run(repo, capsys, "--check-version", "HEAD~1")[:2] == (
        0,
        "spec_diff: version rule ok since HEAD~1: info.version 1.0.0 -> 1.1.0, no breaking changes\n",
    )
    status, out, _ = run(repo, capsys, "--changelog", "HEAD~1")
    assert status == 0
    assert out.startswith("## 1.1.0\n\n### Non-breaking changes\n\n")


@E2E
def test_work_tree_against_head(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo, capsys, "HEAD")[:2] == (0, "No changes in the effective spec since HEAD.\n")
    assert run(repo, capsys, "--check-version", "HEAD")[0] == 0

    edit_spec(drop_members_count)(repo)  # uncommitted, and no version bump
    status, out, _ = run(repo, capsys, "HEAD")
    assert status == 1
    assert "breaking      GET /v1/projects: [Removed] property `membersCount`" in out
    status, _, err = run(repo, capsys, "--check-version", "HEAD")
    assert status == 1
    assert "version rule broken since HEAD" in err
    assert "info.version is 1.1.0, not above 1.1.0: use 2.0.0" in err

    edit_spec(lambda spec: spec["info"].update(version="2.0.0"))(repo)
    assert run(repo, capsys, "--check-version", "HEAD")[0] == 0
    assert run(repo, capsys, "HEAD")[0] == 1  # still breaking: the plain diff says so whatever the version


def test_missing_base_is_an_error_or_a_skip(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(repo, capsys, "HEAD~3")
    assert status == 2
    assert "is not a commit" in err
    status, out, _ = run(repo, capsys, "--skip-missing-base", "--check-version", "HEAD~3")
    assert status == 0
    assert out.startswith("spec_diff: skipped: BASE 'HEAD~3' is not a commit")
    # The first commit has no spec yet: nothing to compare with either.
    assert run(repo, capsys, "HEAD~2")[0] == 2
    assert run(repo, capsys, "--skip-missing-base", "HEAD~2")[1].startswith("spec_diff: skipped: BASE 'HEAD~2' has no")


def test_usage_errors_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["HEAD", "HEAD~1"], ["--no-such-flag", "HEAD"], ["--check-version", "--changelog", "HEAD"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
    status, _, err = run(repo, capsys, "--", "--output=x")  # never passed to git as an option
    assert status == 2
    assert "BASE must be a git ref" in err
    (repo / "openapi.yaml").write_text("openapi: [3.1.0\n", encoding="utf-8")
    status, _, err = run(repo, capsys, "HEAD")
    assert status == 2
    assert err.startswith("spec_diff: ")
    assert "openapi.yaml: not valid YAML: while parsing a flow sequence" in err


# --- release tags -------------------------------------------------------------------------------


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A repository with a release and two commits after it: the spec as released and tagged
    v1.0.0; an optional response field added without a version bump; a README edit."""
    repo = tmp_path / "released"
    repo.mkdir()
    git(repo, "init", "--quiet")
    copy_tree(repo)
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "spec 1.0.0")
    git(repo, "tag", "-a", "v1.0.0", "-m", "release 1.0.0")
    edit_spec(add_color)(repo)
    git(repo, "commit", "--quiet", "-am", "Project.color, and no version bump")
    (repo / "README.md").write_text("spec history\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "--quiet", "-m", "README")
    return repo


@E2E
def test_the_version_rule_compares_with_the_latest_release(released: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """HEAD~1 (the README commit) sees no spec change; the release tag sees the unversioned one."""
    assert latest_release_tag(released) == default_base(released) == "v1.0.0"
    assert run(released, capsys, "--check-version", "HEAD~1")[:2] == (
        0,
        "spec_diff: version rule ok since HEAD~1: the effective spec is unchanged (info.version 1.0.0)\n",
    )
    status, _, err = run(released, capsys, "--check-version")
    assert status == 1
    assert err.splitlines() == [
        "spec_diff: base: v1.0.0 (the latest release tag in HEAD's history)",
        "spec_diff: version rule broken since v1.0.0: the effective spec changed (0 breaking, 2 other change(s)) "
        "but info.version is 1.0.0, not above 1.0.0: use 1.0.1 or 1.1.0",
    ]
    edit_spec(lambda spec: spec["info"].update(version="1.1.0"))(released)
    status, out, err = run(released, capsys, "--check-version")
    assert (status, out) == (
        0,
        "spec_diff: version rule ok since v1.0.0: info.version 1.0.0 -> 1.1.0, no breaking changes\n",
    )
    status, out, _ = run(released, capsys, "--changelog")  # the draft entry of the next release
    assert status == 0
    assert out.startswith("## 1.1.0\n\n### Non-breaking changes\n\n- GET /v1/projects: [Added] property `color`")


@E2E
def test_the_release_is_the_highest_version_tag_in_heads_history(
    released: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for tag in ("v1.9.0", "v1.10.0", "v2", "vendor-1.0.0", "1.0.0", "v01.0.0"):
        git(released, "tag", tag, "HEAD~1")
    git(released, "checkout", "--quiet", "-b", "elsewhere", "HEAD~2")
    git(released, "commit", "--quiet", "--allow-empty", "-m", "not in the main history")
    git(released, "tag", "v9.0.0")
    git(released, "checkout", "--quiet", "-")
    assert latest_release_tag(released) == "v1.10.0"  # by number, not by name; v9.0.0 is not in HEAD
    status, _, err = run(released, capsys, "--check-version")
    assert status == 0  # v1.10.0 tags the commit with the color change: only the README came since
    assert "spec_diff: warning: release tag v1.10.0 has info.version '1.0.0'" in err


@E2E
def test_without_any_release_the_base_is_the_previous_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No tag, no Release commit, and no version change with a CHANGELOG.md entry: nothing was released."""
    assert latest_release_tag(repo) is None
    status, out, err = run(repo, capsys, "--check-version")
    assert (status, err) == (
        0,
        "spec_diff: base: HEAD~1 (no release in HEAD's history: no release tag, no `Release X.Y.Z` commit, "
        "no info.version change with its CHANGELOG.md entry; the previous commit)\n",
    )
    assert out == "spec_diff: version rule ok since HEAD~1: info.version 1.0.0 -> 1.1.0, no breaking changes\n"
    assert latest_release_tag(repo.parent) is None  # not a repository at all


# --- the last release without tags -------------------------------------------------------------


def changelog_entry(tree: Path, version: str) -> None:
    """A `## VERSION` section at the top of the copy's CHANGELOG.md (made if missing)."""
    changelog = tree / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog\n"
    changelog.write_text(text + f"\n## {version}\n\n- A test entry.\n", encoding="utf-8")


@pytest.fixture(params=["Release 1.0.0", "spec 1.0.0"], ids=["release-commit", "version-change"])
def tagless(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A repository without tags: the spec at 1.0.0 with its CHANGELOG.md entry (committed as
    `make release` does, or as a plain commit); an optional response field added without a
    version bump; then two README commits, so the change is two commits before the tip."""
    repo = tmp_path / "tagless"
    repo.mkdir()
    git(repo, "init", "--quiet")
    copy_tree(repo)
    changelog_entry(repo, "1.0.0")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", request.param)
    edit_spec(add_color)(repo)
    git(repo, "commit", "--quiet", "-am", "Project.color, and no version bump")
    for text in ("spec history\n", "spec history, again\n"):
        (repo / "README.md").write_text(text, encoding="utf-8")
        git(repo, "add", "README.md")
        git(repo, "commit", "--quiet", "-m", "README")
    return repo


@E2E
def test_without_tags_the_base_is_the_last_release_in_the_history(
    tagless: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As `make version-check` runs it: the unversioned change two commits back fails the rule;
    the bump with its CHANGELOG.md entry passes, in the work tree and once committed."""
    release = "Release 1.0.0" if git_out(tagless, "log", "--format=%s").endswith("Release 1.0.0\n") else "spec 1.0.0"
    why = (
        "no release tag; the last Release commit"
        if release.startswith("Release")
        else "no release tag or Release commit; info.version became 1.0.0 here, with its CHANGELOG.md entry"
    )
    first = git_out(tagless, "rev-list", "--max-parents=0", "--abbrev-commit", "HEAD").strip()
    status, _, err = run(tagless, capsys, "--check-version", "--skip-missing-base")
    assert status == 1, err
    assert err.splitlines()[0] == f"spec_diff: base: {first} {release!r} ({why})"
    assert f"version rule broken since {first}: the effective spec changed" in err

    edit_spec(lambda spec: spec["info"].update(version="1.1.0"))(tagless)
    changelog_entry(tagless, "1.1.0")
    status, out, err = run(tagless, capsys, "--check-version", "--skip-missing-base")
    assert (status, out) == (
        0,
        f"spec_diff: version rule ok since {first}: info.version 1.0.0 -> 1.1.0, no breaking changes\n",
    )
    git(tagless, "commit", "--quiet", "-am", "1.1.0: Project.color")
    assert run(tagless, capsys, "--check-version", "--skip-missing-base")[0] == 0


@E2E
def test_a_shallow_clone_is_deepened_to_find_the_last_release(
    tagless: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{tagless}", str(shallow))
    assert git_out(shallow, "rev-parse", "--is-shallow-repository").strip() == "true"
    status, _, err = run(shallow, capsys, "--check-version", "--skip-missing-base")
    assert status == 1, err
    assert git_out(shallow, "rev-parse", "--is-shallow-repository").strip() == "false"

    cut_off = tmp_path / "cut-off"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{tagless}", str(cut_off))
    git(cut_off, "remote", "remove", "origin")
    status, _, err = run(cut_off, capsys, "--check-version", "--skip-missing-base")
    assert status == 2
    assert err.startswith("spec_diff: no base: a shallow clone: HEAD's history is cut at ")
    assert "Fetch the full history (actions/checkout: fetch-depth: 0), or name BASE" in err


@E2E
def test_runs_as_a_module(repo: Path) -> None:
    command = [sys.executable, "-m", "tools.spec_diff", "--repo", str(repo), "HEAD~1"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "2 non-breaking" in result.stdout
