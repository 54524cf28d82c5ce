"""`make upstream-diff`: our spec against a cut-down copy of the vendor's published description."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.loopback import files, loopback_server
from tools.paths import ROOT
from tools.spec_diff import effective_spec
from tools.spec_diff.upstream import (
    Declaration,
    UpstreamError,
    compare_with_upstream,
    format_report,
    held_operations,
    load_declarations,
    load_document,
    names_an_operation_not_held,
    string_keys,
)

FIXTURE = ROOT / "tests" / "fixtures" / "upstream" / "open-api.yml"
OURS = effective_spec(ROOT)
DECLARATIONS = load_declarations()


def _upstream() -> dict[str, Any]:
    return load_document(str(FIXTURE))


def _undeclared(upstream: dict[str, Any]) -> set[tuple[str, str]]:
    report = compare_with_upstream(upstream, OURS, DECLARATIONS)
    return {(group.kind, group.what) for group in report.groups() if group.kind != "declared"}


@pytest.mark.operations  # every operation of ours that the copy holds
def test_the_published_description_differs_only_as_declared() -> None:
    report = compare_with_upstream(_upstream(), OURS, DECLARATIONS)
    groups = report.groups()
    assert [(group.kind, group.what) for group in groups if group.kind != "declared"] == []
    assert report.stale == []
    declared = [group for group in groups if group.kind == "declared"]
    assert all(group.reason for group in declared)
    maximum = next(group for group in declared if group.what == "properties.aggregatorsCount.maximum")
    assert maximum.change.before == 0
    assert "minimum: 0` was meant" in maximum.reason
    assert maximum.places == ("GET /v1/projects response 200", "GET /v1/projects/{projectID} response 200")
    # The open permission list is declared; uniqueItems and membersCount >= 1 follow the vendor.
    permissions = [group for group in declared if ".permissions.items.enum[" in group.what]
    assert [group.change.before for group in permissions] == ["create:*", "read:*", "update:*", "delete:*"]
    assert all("keeps the" in group.reason and "list open" in group.reason for group in permissions)
    assert not any("uniqueItems" in group.what or "membersCount" in group.what for group in groups)
    # Paths we do not describe are left out, whatever they hold.
    assert not any("agent_errors" in group.change.location for group in groups)


def test_integer_response_keys_load_as_published() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert "\n        200:\n" in text, "the fixture keeps one unquoted response code, as published"
    assert string_keys({200: {"a": 1}, "x": [{404: None}]}) == {"200": {"a": 1}, "x": [{"404": None}]}
    unquoted = yaml.safe_load(text.replace("'200':", "200:").replace("'201':", "201:"))
    assert 200 in unquoted["paths"]["/v1/projects"]["get"]["responses"]
    baseline = compare_with_upstream(_upstream(), OURS, DECLARATIONS)
    assert compare_with_upstream(unquoted, OURS, DECLARATIONS) == baseline


@pytest.mark.operations  # every operation of ours that the copy holds
def test_new_upstream_things_are_reported_and_fixed_mistakes_make_declarations_stale() -> None:
    upstream = _upstream()
    schemas = upstream["components"]["schemas"]
    schemas["Project"]["properties"]["fleetsCount"] = {"type": "integer", "minimum": 0}
    schemas["Membership"]["properties"]["roles"]["items"]["enum"].append("viewer")
    upstream["paths"]["/v1/projects/{projectID}"]["put"] = {
        "operationId": "replaceProject",
        "responses": {204: {"description": "No Content"}},
    }
    schemas["Project"]["properties"]["aggregatorsCount"] = {"type": "integer", "minimum": 0}  # the vendor fixed it
    found = _undeclared(upstream)
    assert found == {
        ("upstream-only", "properties.fleetsCount"),
        ("upstream-only", "properties.membership.properties.roles.items.enum[2]"),
        ("upstream-only", "$.paths['/v1/projects/{projectID}'].put"),
    }
    stale = compare_with_upstream(upstream, OURS, DECLARATIONS).stale
    assert [item.at for item in stale] == ["$.paths*.aggregatorsCount.maximum", "$.paths*.aggregatorsCount.minimum"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tools.spec_diff.upstream", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.e2e  # the command in a subprocess, Node's api-smart-diff included; CI runs make upstream-diff STRICT=1 too
@pytest.mark.operations  # every operation of ours that the copy holds
def test_command_line_report_json_and_strict(tmp_path: Path) -> None:
    text = _run("--strict", str(FIXTURE))
    assert text.returncode == 0, text.stdout + text.stderr
    assert "because: The vendor documents no error response at all." in text.stdout
    assert "Summary: 0 upstream-only, 0 ours-only, 0 different, " in text.stdout
    assert ", 0 stale, " in text.stdout
    upstream = _upstream()
    schemas = upstream["components"]["schemas"]
    schemas["Project"]["properties"]["fleetsCount"] = {"type": "integer", "minimum": 0}
    schemas["Project"]["properties"]["membersCount"]["minimum"] = 2
    changed = tmp_path / "open-api.yml"
    changed.write_text(yaml.safe_dump(upstream), encoding="utf-8")
    report = _run(str(changed))
    assert report.returncode == 0, report.stderr
    assert "Upstream has, we lack" in report.stdout
    assert "Summary: 1 upstream-only, 0 ours-only, 1 different, " in report.stdout
    strict = _run("--strict", "--json", str(changed))
    assert strict.returncode == 1
    data = json.loads(strict.stdout)
    assert data["summary"]["upstream-only"] == 1
    assert data["summary"]["different"] == 1
    assert data["summary"]["stale"] == 0
    assert {item["class"] for item in data["differences"]} == {"upstream-only", "different", "declared"}
    assert all(item["reason"] for item in data["differences"] if item["class"] == "declared")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("just text\n", "not an OpenAPI document"),
        ("paths: [unclosed\n", "not YAML or JSON"),
    ],
)
def test_unreadable_upstream_is_a_clear_error(tmp_path: Path, content: str | None, message: str) -> None:
    source = tmp_path / "open-api.yml"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    with pytest.raises(UpstreamError, match=message):
        load_document(str(source))
    result = _run(str(source))
    assert result.returncode == 2
    assert message in result.stderr


def test_a_cut_down_copy_compares_only_the_operations_it_holds() -> None:
    """An operation of ours that the cut-down copy does not hold is left out, not ours-only, and
    a declaration about it is not stale there; against the whole description (no `x-cut-down`)
    the same operation is compared, and the declaration matches it."""
    ours = copy.deepcopy(OURS)
    added = "/v1/projects/{projectID}/left-out-by-the-copy"
    ours["paths"][added] = {"get": {"operationId": "leftOut", "responses": {"200": {"description": "OK"}}}}
    declaration = Declaration(f"$.paths['{added}'].get", "not in the vendor's description", "add")
    declarations = [*DECLARATIONS, declaration]
    report = compare_with_upstream(_upstream(), ours, declarations)
    assert (added, "get") in report.left_out
    assert not any(group.kind != "declared" for group in report.groups())
    assert report.stale == []
    assert "Not compared, as this cut-down copy (x-cut-down) does not hold them: " in format_report(report, "x")
    whole = _upstream()
    del whole["x-cut-down"]
    compared = compare_with_upstream(whole, ours, declarations)
    assert compared.left_out == []
    assert [group.reason for group in compared.groups() if added in group.change.location] == [declaration.reason]
    assert declaration not in compared.stale
    # A declaration naming another path or method of an operation the copy lacks is not stale
    # there either; one about a path the copy holds, or about no path in particular, still is.
    held = held_operations(_upstream())
    assert held is not None
    assert names_an_operation_not_held(Declaration(f"$.paths['{added}']*", "r"), held)
    assert names_an_operation_not_held(Declaration("$.paths['/v1/projects'].put.responses", "r"), held)
    assert not names_an_operation_not_held(Declaration("$.paths['/v1/projects'].get.responses", "r"), held)
    assert not names_an_operation_not_held(Declaration("$.paths['/v1/projects*'].*.parameters", "r"), held)
    assert not names_an_operation_not_held(Declaration("$.paths*.links", "r"), held)


def test_a_declaration_needs_a_reason(tmp_path: Path) -> None:
    declared = tmp_path / "differences.yaml"
    declared.write_text("differences:\n  - at: '$.paths*.links'\n", encoding="utf-8")
    with pytest.raises(UpstreamError, match=r"differences\[0\] needs `at` \(a location glob\) and a `reason`"):
        load_declarations(declared)


def test_upstream_from_a_url(tmp_path: Path) -> None:
    """Served from loopback by the test itself: the vendor publishes the file over HTTPS."""
    with loopback_server(files(FIXTURE.parent)) as server:
        assert load_document(f"{server.url}/open-api.yml") == load_document(str(FIXTURE))
        with pytest.raises(UpstreamError, match=r"cannot fetch .*/missing.yml: .*404"):
            load_document(f"{server.url}/missing.yml")
    assert server.answered == [("/open-api.yml", 200), ("/missing.yml", 404)]
