"""The one naming rule of the client's methods and the mock's fault names
(calyptia_mock.operation_names), on specs it was not written for."""

from __future__ import annotations

from typing import Any

import pytest
from calyptia_mock.operation_names import MethodNameError, client_operation_names, method_names, resource_name
from openapi_python_client.strings import PythonIdentifier


def spec_of(*operations: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    """A spec holding (path, method, operation) triples; each operation gets a 200 response."""
    paths: dict[str, Any] = {}
    for path, method, operation in operations:
        paths.setdefault(path, {})[method] = {"responses": {"200": {"description": "ok"}}, **operation}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}


def names(spec: dict[str, Any]) -> dict[str, str]:
    return {f"{entry.http_method.upper()} {entry.path}": entry.dotted for entry in method_names(spec)}


def test_a_crud_resource_is_named_by_its_http_shape_whatever_its_operation_ids() -> None:
    spec = spec_of(
        ("/v1/widgets", "get", {"operationId": "widgets", "tags": ["widgets"]}),
        ("/v1/widgets", "post", {"operationId": "makeWidget", "tags": ["widgets"]}),
        ("/v1/widgets/{id}", "get", {"operationId": "widget", "tags": ["widgets"]}),
        ("/v1/widgets/{id}", "put", {"operationId": "replaceWidget", "tags": ["widgets"]}),
        ("/v1/widgets/{id}", "delete", {"operationId": "removeWidget", "tags": ["widgets"]}),
        ("/v1/widgets/{id}/spin", "post", {"operationId": "spinWidget", "tags": ["widgets"]}),
    )
    assert names(spec) == {
        "GET /v1/widgets": "widgets.list",
        "POST /v1/widgets": "widgets.create",
        "GET /v1/widgets/{id}": "widgets.get",
        "PUT /v1/widgets/{id}": "widgets.update",
        "DELETE /v1/widgets/{id}": "widgets.delete",
        "POST /v1/widgets/{id}/spin": "widgets.spin",
    }


def test_a_nested_collection_is_still_a_collection() -> None:
    spec = spec_of(
        ("/v1/projects/{projectID}/agents", "get", {"operationId": "projectAgents", "tags": ["agent"]}),
        ("/v1/projects/{projectID}/agents", "post", {"operationId": "registerAgent", "tags": ["agent"]}),
    )
    assert names(spec) == {
        "GET /v1/projects/{projectID}/agents": "agent.list",
        "POST /v1/projects/{projectID}/agents": "agent.create",
    }


def test_two_operations_of_one_shape_take_their_operation_id_names_instead() -> None:
    spec = spec_of(
        ("/v1/search", "get", {"operationId": "searchV1", "tags": ["search"]}),
        ("/v2/search", "get", {"operationId": "search", "tags": ["search"]}),
        ("/v1/things", "get", {"operationId": "things", "tags": ["thing"]}),
    )
    assert names(spec) == {
        "GET /v1/search": "search.v1",
        "GET /v2/search": "search.search",  # nothing is left without the tag's words: the whole ID
        "GET /v1/things": "thing.list",  # another resource: unaffected
    }


def test_an_operation_id_name_gives_way_to_a_shape_name_as_the_whole_operation_id() -> None:
    spec = spec_of(
        ("/v1/projects/{projectID}/agents", "delete", {"operationId": "deleteAgents", "tags": ["agent"]}),
        ("/v1/agents/{agentID}", "delete", {"operationId": "deleteAgent", "tags": ["agent"]}),
    )
    assert names(spec) == {
        "DELETE /v1/projects/{projectID}/agents": "agent.delete_agents",
        "DELETE /v1/agents/{agentID}": "agent.delete",
    }


def test_an_overlay_set_name_wins() -> None:
    spec = spec_of(
        ("/v1/widgets", "get", {"operationId": "widgets", "tags": ["widgets"], "x-python-method": "all"}),
    )
    assert names(spec) == {"GET /v1/widgets": "widgets.all"}


def test_names_that_still_collide_fail_naming_both_operations_and_the_overlay() -> None:
    spec = spec_of(
        ("/v1/a", "get", {"operationId": "listThings", "tags": ["things"]}),
        ("/v2/a", "get", {"operationId": "list_things", "tags": ["things"]}),
    )
    with pytest.raises(MethodNameError) as caught:
        method_names(spec)
    message = str(caught.value)
    assert "listThings (GET /v1/a)" in message
    assert "list_things (GET /v2/a)" in message
    assert "`things.list_things`" in message  # each fell back as far as its whole operationId
    assert "x-python-method" in message
    assert "overlays/" in message


def test_an_overlay_set_name_that_is_not_python_fails() -> None:
    spec = spec_of(("/v1/a", "get", {"operationId": "a", "tags": ["a"], "x-python-method": "not a name"}))
    with pytest.raises(MethodNameError, match="not a Python name"):
        method_names(spec)


def test_a_name_that_would_shadow_with_raw_response_fails() -> None:
    spec = spec_of(("/v1/a/{id}/raw", "post", {"operationId": "withRawResponse", "tags": ["a"]}))
    with pytest.raises(MethodNameError, match="with_raw_response"):
        method_names(spec)


@pytest.mark.parametrize(
    ("operation_id", "tag", "method"),
    [
        ("import", "data", "import_"),  # a keyword
        ("2faEnroll", "auth", "op_2fa_enroll"),  # a leading digit
        ("enroll user now", "auth", "enroll_user_now"),  # spaces
        ("createAWSContractFromToken", "aws_marketplace", "create_contract_from_token"),  # acronyms
    ],
)
def test_operation_ids_that_are_not_python_become_python(operation_id: str, tag: str, method: str) -> None:
    spec = spec_of((f"/v1/{tag}/{{id}}/act", "post", {"operationId": operation_id, "tags": [tag]}))
    assert [entry.method for entry in method_names(spec)] == [method]


def test_untagged_operations_live_on_the_default_resource() -> None:
    spec = spec_of(("/health", "get", {"operationId": "health"}), ("/things", "post", {}))
    # Neither path is the resource `default`: each is named from its operationId (or method and path).
    assert names(spec) == {"GET /health": "default.health", "POST /things": "default.post_things"}


@pytest.mark.parametrize(
    ("tag", "resource"),
    [
        ("projects", "projects"),
        ("Processing Rules", "processing_rules"),
        ("class", "class_"),
        ("2fa", "tag2fa"),
        ("true", "true_"),
        ("list", "list_"),
        ("id", "id"),
    ],
)
def test_tags_become_the_resources_the_generator_makes(tag: str, resource: str) -> None:
    assert resource_name(tag) == resource
    assert resource_name(tag) == PythonIdentifier(tag, prefix="tag")  # the generator's own spelling


@pytest.mark.operations
def test_fault_names_are_keyed_by_the_client_name() -> None:
    spec = spec_of(
        ("/v1/widgets", "get", {"operationId": "widgets", "tags": ["widgets"]}),
        ("/v1/untitled", "get", {"tags": ["widgets"], "summary": "no operationId: no fault name"}),
    )
    assert client_operation_names(spec) == {"widgets.list": "widgets"}
