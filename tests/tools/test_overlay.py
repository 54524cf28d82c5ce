"""The OpenAPI Overlay 1.0.0 applier in tools/generation/overlay.py does what its docstring promises.

Every test compares whole resulting documents, so that an action touching more (or less)
than it should is caught, not only one that raises.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.generation.overlay import OverlayError, apply_overlay, apply_overlay_files, load_overlay, main
from tools.paths import ROOT
from tools.spec import METHODS

SOURCE = "fixture.yaml"


def overlay(*actions: dict[str, Any]) -> dict[str, Any]:
    """A valid overlay document holding `actions`."""
    return {"overlay": "1.0.0", "info": {"title": "test overlay", "version": "1.0.0"}, "actions": list(actions)}


def apply(spec: Any, *actions: dict[str, Any]) -> Any:
    return apply_overlay(spec, overlay(*actions), SOURCE)


def write_yaml(path: Path, document: Any) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


# --- update ------------------------------------------------------------------------------


def test_update_merges_objects_recursively() -> None:
    spec = {
        "info": {
            "title": "old",
            "version": "1",
            "contact": {"name": "kept", "email": "old@example.com"},
        }
    }

    result = apply(
        spec,
        {
            "target": "$.info",
            "update": {
                "title": "new",
                "contact": {"email": "new@example.com", "url": "https://example.com"},
                "x-added": {"nested": True},
            },
        },
    )

    assert result == {
        "info": {
            "title": "new",
            "version": "1",
            "contact": {"name": "kept", "email": "new@example.com", "url": "https://example.com"},
            "x-added": {"nested": True},
        }
    }


def test_update_replaces_a_non_object_value_inside_a_merge() -> None:
    spec = {"a": {"scalar": 1, "object": {"k": "v"}, "array": [1]}}

    result = apply(spec, {"target": "$.a", "update": {"scalar": {"now": "object"}, "object": "now a string"}})

    assert result == {"a": {"scalar": {"now": "object"}, "object": "now a string", "array": [1]}}


def test_update_appends_to_an_array_target() -> None:
    spec = {"tags": [{"name": "projects"}]}

    result = apply(spec, {"target": "$.tags", "update": {"name": "extra", "description": "appended"}})

    assert result == {"tags": [{"name": "projects"}, {"name": "extra", "description": "appended"}]}


def test_update_extends_an_array_found_inside_an_object_merge() -> None:
    spec = {"op": {"tags": ["a", "b"], "parameters": [{"name": "p"}]}}

    result = apply(spec, {"target": "$.op", "update": {"tags": ["c"], "parameters": [{"name": "q"}, {"name": "r"}]}})

    assert result == {"op": {"tags": ["a", "b", "c"], "parameters": [{"name": "p"}, {"name": "q"}, {"name": "r"}]}}


def test_update_applies_to_every_selected_node_with_its_own_copy() -> None:
    spec = {"paths": {"/a": {"get": {}}, "/b": {"get": {"summary": "b"}}}}

    result = apply(spec, {"target": "$.paths.*.get", "update": {"x-flags": {"list": [1]}}})

    assert result == {
        "paths": {
            "/a": {"get": {"x-flags": {"list": [1]}}},
            "/b": {"get": {"summary": "b", "x-flags": {"list": [1]}}},
        }
    }
    # The same update object must not be shared between the nodes (nor with the overlay).
    assert result["paths"]["/a"]["get"]["x-flags"] is not result["paths"]["/b"]["get"]["x-flags"]


def test_update_of_the_root_merges_into_the_document() -> None:
    result = apply({"openapi": "3.1.0"}, {"target": "$", "update": {"x-root": 1}})

    assert result == {"openapi": "3.1.0", "x-root": 1}


def test_updating_a_scalar_target_names_the_action() -> None:
    spec = {"info": {"title": "t"}}

    with pytest.raises(OverlayError) as excinfo:
        apply(spec, {"target": "$.info", "update": {}}, {"target": "$.info.title", "description": "bad", "update": "x"})

    message = str(excinfo.value)
    assert message.startswith(f"{SOURCE}: action 1 (bad): ")
    assert "$['info']['title'] is a str" in message


def test_updating_an_object_with_a_non_object_names_the_action() -> None:
    with pytest.raises(OverlayError) as excinfo:
        apply({"info": {"title": "t"}}, {"target": "$.info", "update": ["not", "an", "object"]})

    assert str(excinfo.value).startswith(f"{SOURCE}: action 0: ")
    assert "'update' must be an object" in str(excinfo.value)


# --- remove ------------------------------------------------------------------------------


def test_remove_deletes_an_object_key() -> None:
    spec = {"components": {"schemas": {"A": {"type": "string", "default": "x"}, "B": {"type": "integer"}}}}

    result = apply(spec, {"target": "$.components.schemas.A.default", "remove": True})

    assert result == {"components": {"schemas": {"A": {"type": "string"}, "B": {"type": "integer"}}}}


def test_remove_deletes_an_array_item() -> None:
    spec = {"tags": ["a", "b", "c"]}

    result = apply(spec, {"target": "$.tags[1]", "remove": True})

    assert result == {"tags": ["a", "c"]}


def test_remove_deletes_several_items_of_one_array_without_shifting() -> None:
    spec = {"items": [{"id": 0, "drop": True}, {"id": 1}, {"id": 2, "drop": True}, {"id": 3, "drop": True}, {"id": 4}]}

    result = apply(spec, {"target": "$.items[?@.drop==true]", "remove": True})

    assert result == {"items": [{"id": 1}, {"id": 4}]}


def test_remove_deletes_items_of_several_arrays_and_nested_nodes() -> None:
    spec = {
        "a": [{"x": 1, "k": [1, 2]}, {"x": 2}, {"x": 1}],
        "b": [{"x": 1}, {"y": 1}],
    }

    result = apply(spec, {"target": "$..[?@.x==1]", "remove": True})

    assert result == {"a": [{"x": 2}], "b": [{"y": 1}]}


def test_remove_of_a_node_and_its_descendants_together() -> None:
    spec = {"keep": 1, "drop": {"inner": [1, 2, 3]}}

    result = apply(spec, {"target": "$..*", "remove": True})

    assert result == {}


def test_remove_true_ignores_an_update_beside_it() -> None:
    spec = {"a": {"b": 1}, "c": 2}

    result = apply(spec, {"target": "$.a", "remove": True, "update": {"b": 9}})

    assert result == {"c": 2}


def test_remove_false_does_not_delete_and_the_update_still_applies() -> None:
    spec = {"a": {"b": 1}, "c": [1]}

    result = apply(
        spec,
        {"target": "$.a", "remove": False, "update": {"b": 2, "d": 3}},
        {"target": "$.c", "remove": False, "update": 2},
    )

    assert result == {"a": {"b": 2, "d": 3}, "c": [1, 2]}


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("$.a[0,0]", {"a": ["w", "x", "y", "z"]}, id="same-index-twice"),
        pytest.param("$.a[0:2,1]", {"a": ["x", "y", "z"]}, id="slice-overlapping-index"),
    ],
)
def test_remove_of_a_node_selected_twice_removes_it_once(target: str, expected: dict[str, Any]) -> None:
    result = apply({"a": ["v", "w", "x", "y", "z"]}, {"target": target, "remove": True})

    assert result == expected


def test_removing_the_root_names_the_file_and_action() -> None:
    with pytest.raises(OverlayError, match=r"^fixture\.yaml: action 0 \(drop everything\): "):
        apply({"a": 1}, {"target": "$", "description": "drop everything", "remove": True})


def test_removing_the_root_is_an_overlay_error() -> None:
    with pytest.raises(OverlayError, match="root"):
        apply({"a": 1}, {"target": "$", "remove": True})


# --- targets -----------------------------------------------------------------------------


def test_filter_target_updates_only_the_matching_parameter() -> None:
    spec = {
        "paths": {
            "/v1/projects": {
                "get": {
                    "parameters": [
                        {"name": "before", "in": "query"},
                        {"name": "last", "in": "query", "schema": {"type": "integer", "default": 20}},
                    ]
                }
            },
            "/v1/other": {"get": {"parameters": [{"name": "first", "in": "query"}]}},
        }
    }

    result = apply(
        spec,
        {"target": "$.paths.*.get.parameters[?@.name=='last']", "update": {"description": "page size"}},
    )

    assert result == {
        "paths": {
            "/v1/projects": {
                "get": {
                    "parameters": [
                        {"name": "before", "in": "query"},
                        {
                            "name": "last",
                            "in": "query",
                            "schema": {"type": "integer", "default": 20},
                            "description": "page size",
                        },
                    ]
                }
            },
            "/v1/other": {"get": {"parameters": [{"name": "first", "in": "query"}]}},
        }
    }


@pytest.mark.parametrize(
    "action",
    [
        {"target": "$.paths['/missing'].get", "update": {"operationId": "x"}},
        {"target": "$.paths.*.get.parameters[?@.name=='nope']", "update": {"description": "x"}},
        {"target": "$.paths.*.get.parameters[?@.name=='nope']", "remove": True},
        {"target": "$.nothing.here", "remove": True},
    ],
    ids=["update-missing-path", "update-filter-no-match", "remove-filter-no-match", "remove-missing-key"],
)
def test_a_target_that_selects_nothing_is_a_no_op(action: dict[str, Any]) -> None:
    spec = {"paths": {"/a": {"get": {"parameters": [{"name": "p"}]}}}}

    assert apply(spec, action) == spec


def test_actions_apply_in_order_each_seeing_the_previous_result() -> None:
    spec = {"paths": {"/a": {"get": {"operationId": "old"}}, "/b": {"get": {"operationId": "other"}}}}

    result = apply(
        spec,
        {"target": "$.paths['/a'].get", "update": {"operationId": "renamed"}},
        {"target": "$.paths.*[?@.operationId=='renamed']", "update": {"summary": "found by the new ID"}},
        # The old value is gone by now: this selects nothing.
        {"target": "$.paths.*[?@.operationId=='old']", "update": {"summary": "must not appear"}},
    )

    assert result == {
        "paths": {
            "/a": {"get": {"operationId": "renamed", "summary": "found by the new ID"}},
            "/b": {"get": {"operationId": "other"}},
        }
    }


def test_an_update_after_a_remove_does_not_resurrect_the_node() -> None:
    spec = {"a": {"b": {"c": 1}}}

    result = apply(spec, {"target": "$.a.b", "remove": True}, {"target": "$.a.b", "update": {"c": 2}})

    assert result == {"a": {}}


def test_apply_overlay_does_not_mutate_its_inputs() -> None:
    spec = {"info": {"title": "t", "tags": ["a"]}, "list": [1, 2, 3]}
    document = overlay(
        {"target": "$.info", "update": {"title": "u", "tags": ["b"]}},
        {"target": "$.list[0]", "remove": True},
        {"target": "$.list", "update": {"appended": ["x"]}},
    )
    spec_before = copy.deepcopy(spec)
    overlay_before = copy.deepcopy(document)

    result = apply_overlay(spec, document, SOURCE)

    assert result == {"info": {"title": "u", "tags": ["a", "b"]}, "list": [2, 3, {"appended": ["x"]}]}
    assert spec == spec_before
    assert document == overlay_before
    # Applying the same overlay again gives the same result: nothing leaked between runs.
    assert apply_overlay(spec, document, SOURCE) == result


# --- invalid overlays --------------------------------------------------------------------

VALID_INFO = {"title": "t", "version": "1"}
VALID_ACTION = {"target": "$.info", "update": {}}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(["not", "a", "mapping"], "fixture.yaml: an overlay must be a mapping", id="not-a-mapping"),
        pytest.param(
            {"info": VALID_INFO, "actions": [VALID_ACTION]}, "fixture.yaml: 'overlay' must be one of", id="no-version"
        ),
        pytest.param(
            {"overlay": "2.0.0", "info": VALID_INFO, "actions": [VALID_ACTION]},
            "fixture.yaml: 'overlay' must be one of ('1.0.0',), got '2.0.0'",
            id="wrong-version",
        ),
        pytest.param(
            {"overlay": "1.0.0", "actions": [VALID_ACTION]},
            "fixture.yaml: 'info' must have a string 'title' and 'version'",
            id="no-info",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": {"title": "t"}, "actions": [VALID_ACTION]},
            "fixture.yaml: 'info' must have a string 'title' and 'version'",
            id="info-without-version",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": VALID_INFO, "actions": []},
            "fixture.yaml: 'actions' must be a non-empty list",
            id="empty-actions",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": VALID_INFO},
            "fixture.yaml: 'actions' must be a non-empty list",
            id="no-actions",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": VALID_INFO, "actions": [VALID_ACTION, "not a mapping"]},
            "fixture.yaml: action 1: an action must be a mapping",
            id="action-not-a-mapping",
        ),
        pytest.param(
            {
                "overlay": "1.0.0",
                "info": VALID_INFO,
                "actions": [VALID_ACTION, {"description": "no aim", "update": {}}],
            },
            "fixture.yaml: action 1 (no aim): 'target' must be a non-empty JSONPath string",
            id="no-target",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": VALID_INFO, "actions": [{"target": "", "update": {}}]},
            "fixture.yaml: action 0: 'target' must be a non-empty JSONPath string",
            id="empty-target",
        ),
        pytest.param(
            {
                "overlay": "1.0.0",
                "info": VALID_INFO,
                "actions": [{"target": "$.info", "description": "stringly", "remove": "yes"}],
            },
            "fixture.yaml: action 0 (stringly): 'remove' must be a boolean",
            id="remove-not-boolean",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": VALID_INFO, "actions": [VALID_ACTION, VALID_ACTION, {"target": "$.info"}]},
            "fixture.yaml: action 2: an action needs 'update' or 'remove: true'",
            id="neither-update-nor-remove",
        ),
        pytest.param(
            {"overlay": "1.0.0", "info": VALID_INFO, "actions": [{"target": "$.info", "remove": False}]},
            "fixture.yaml: action 0: an action needs 'update' or 'remove: true'",
            id="remove-false-without-update",
        ),
    ],
)
def test_an_invalid_overlay_names_the_file_and_action(document: Any, expected: str) -> None:
    spec = {"info": {"title": "t"}}
    spec_before = copy.deepcopy(spec)

    with pytest.raises(OverlayError) as excinfo:
        apply_overlay(spec, document, SOURCE)

    assert str(excinfo.value).startswith(expected)
    assert spec == spec_before


@pytest.mark.parametrize("target", ["$.paths[", "paths.x", "$[?@.a ==]", "$.a[1:2:3:4]"])
def test_an_unparsable_target_names_the_file_and_action(target: str) -> None:
    with pytest.raises(OverlayError) as excinfo:
        apply({"paths": {}}, VALID_ACTION, {"target": target, "description": "broken target", "update": {}})

    assert str(excinfo.value).startswith(f"{SOURCE}: action 1 (broken target): cannot parse target {target!r}")


# --- files -------------------------------------------------------------------------------


def test_load_overlay_reads_a_valid_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "ok.yaml", overlay(VALID_ACTION))

    assert load_overlay(path) == overlay(VALID_ACTION)


def test_load_overlay_rejects_invalid_yaml_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("overlay: 1.0.0\nactions: [\n  - target: {unclosed\n", encoding="utf-8")

    with pytest.raises(OverlayError) as excinfo:
        load_overlay(path)

    assert str(excinfo.value).startswith(f"{path}: cannot read the overlay: ")


def test_load_overlay_rejects_a_missing_file_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"

    with pytest.raises(OverlayError) as excinfo:
        load_overlay(path)

    assert str(excinfo.value).startswith(f"{path}: cannot read the overlay: ")


def test_load_overlay_checks_the_document_shape_naming_the_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "shape.yaml", {"overlay": "1.0.0", "info": VALID_INFO, "actions": [{"target": "$"}]})

    with pytest.raises(OverlayError) as excinfo:
        load_overlay(path)

    assert str(excinfo.value) == f"{path}: action 0: an action needs 'update' or 'remove: true'"


def test_load_overlay_rejects_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")

    with pytest.raises(OverlayError) as excinfo:
        load_overlay(path)

    assert str(excinfo.value) == f"{path}: an overlay must be a mapping, got NoneType"


def test_load_overlay_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("overlay: 1.0.0\ninfo: {title: caf\u00e9}\n".encode("latin-1"))

    with pytest.raises(OverlayError) as excinfo:
        load_overlay(path)

    assert str(excinfo.value).startswith(f"{path}: ")


def test_apply_overlay_files_applies_overlays_in_the_order_given(tmp_path: Path) -> None:
    spec = write_yaml(tmp_path / "spec.yaml", {"info": {"title": "a"}})
    first = write_yaml(tmp_path / "first.yaml", overlay({"target": "$.info", "update": {"title": "b"}}))
    second = write_yaml(tmp_path / "second.yaml", overlay({"target": "$[?@.title=='b']", "update": {"seen": True}}))

    assert apply_overlay_files(spec, [first, second]) == {"info": {"title": "b", "seen": True}}
    assert apply_overlay_files(spec, [second, first]) == {"info": {"title": "b"}}


def test_apply_overlay_files_names_the_failing_file(tmp_path: Path) -> None:
    spec = write_yaml(tmp_path / "spec.yaml", {"info": {"title": "a"}})
    good = write_yaml(tmp_path / "good.yaml", overlay(VALID_ACTION))
    bad = write_yaml(tmp_path / "bad.yaml", overlay({"target": "$.info.title", "description": "scalar", "update": 1}))

    with pytest.raises(OverlayError) as excinfo:
        apply_overlay_files(spec, [good, bad])

    assert str(excinfo.value).startswith(f"{bad}: action 0 (scalar): ")


# --- main --------------------------------------------------------------------------------


def test_main_writes_the_effective_spec_applying_overlays_sorted_by_name(tmp_path: Path) -> None:
    spec = write_yaml(
        tmp_path / "openapi.yaml",
        {"openapi": "3.1.0", "paths": {"/a": {"get": {"operationId": "vendorName"}}}},
    )
    folder = tmp_path / "overlays"
    folder.mkdir()
    # Written in the wrong order on purpose: only the file name may decide the order.
    write_yaml(
        folder / "20-uses-new-name.yaml",
        overlay({"target": "$.paths.*[?@.operationId=='python_name']", "update": {"summary": "after rename"}}),
    )
    write_yaml(
        folder / "10-rename.yaml",
        overlay({"target": "$.paths['/a'].get", "update": {"operationId": "python_name"}}),
    )
    (folder / "notes.txt").write_text("not an overlay, not applied", encoding="utf-8")
    output = tmp_path / "build" / "nested" / "openapi.yaml"

    assert main([str(spec), str(folder), "-o", str(output)]) == 0

    assert yaml.safe_load(output.read_text(encoding="utf-8")) == {
        "openapi": "3.1.0",
        "paths": {"/a": {"get": {"operationId": "python_name", "summary": "after rename"}}},
    }
    # Key order is kept, so diffs of the effective spec stay readable.
    assert output.read_text(encoding="utf-8").index("openapi:") < output.read_text(encoding="utf-8").index("paths:")


def test_main_reports_a_broken_overlay_on_stderr_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_yaml(tmp_path / "openapi.yaml", {"info": {"title": "t"}})
    folder = tmp_path / "overlays"
    folder.mkdir()
    write_yaml(folder / "10-fine.yaml", overlay(VALID_ACTION))
    broken = write_yaml(
        folder / "20-broken.yaml",
        {"overlay": "1.0.0", "info": VALID_INFO, "actions": [{"description": "aimless", "update": {}}]},
    )
    output = tmp_path / "out.yaml"

    assert main([str(spec), str(folder), "-o", str(output)]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"overlay: {broken}: action 0 (aimless): 'target' must be a non-empty JSONPath string\n"
    assert not output.exists()


# --- the repository's own overlays -------------------------------------------------------


def _links(node: Any) -> list[dict[str, Any]]:
    """Every Link object under a `links` key of a response, anywhere in the document."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "links" and isinstance(value, dict):
                found.extend(link for link in value.values() if isinstance(link, dict))
            else:
                found.extend(_links(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_links(item))
    return found


def _effective() -> Any:
    """openapi.yaml with the repository's overlays applied."""
    overlay_paths = sorted((ROOT / "overlays").glob("*.yaml"))
    assert overlay_paths, "the repository has no overlays"
    return apply_overlay_files(ROOT / "openapi.yaml", overlay_paths)


def _operation_ids(effective: Any) -> dict[tuple[str, str], str]:
    """(path, method) -> operationId."""
    return {
        (path, method): operation["operationId"]
        for path, item in effective["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


# What overlays/10-python-operation-ids.yaml makes of the vendor's IDs of the five Projects operations.
PROJECTS_PYTHON_IDS = {
    ("/v1/projects", "get"): "list_projects",
    ("/v1/projects", "post"): "create_project",
    ("/v1/projects/{projectID}", "get"): "get_project",
    ("/v1/projects/{projectID}", "patch"): "update_project",
    ("/v1/projects/{projectID}", "delete"): "delete_project",
}


def test_the_repository_overlays_give_the_projects_operations_verb_first_names() -> None:
    operation_ids = _operation_ids(_effective())
    assert {key: operation_ids.get(key) for key in PROJECTS_PYTHON_IDS} == PROJECTS_PYTHON_IDS


@pytest.mark.operations
def test_the_repository_overlays_keep_operation_ids_unique_and_links_consistent() -> None:
    """Whatever the overlays rename, every operation keeps an ID of its own, and every link
    names an operation of the effective spec (a rename must take the links with it)."""
    effective = _effective()
    operation_ids = _operation_ids(effective)
    assert len(set(operation_ids.values())) == len(operation_ids), operation_ids
    links = _links(effective)
    assert links, "openapi.yaml has links; none were found in the effective spec"
    dangling = [link["operationId"] for link in links if link.get("operationId") not in operation_ids.values()]
    assert dangling == []
