"""openapi.yaml is valid, complete, and says what the reference page and api-facts.md say."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from tests.support.spec_examples import SPEC_PATH, Example, all_examples, load_spec, operations, resolve, validator_for

# The five Projects operations, as the vendor names them.
VENDOR_OPERATION_IDS = {
    ("/v1/projects", "get"): "projects",
    ("/v1/projects", "post"): "createProject",
    ("/v1/projects/{projectID}", "get"): "project",
    ("/v1/projects/{projectID}", "patch"): "updateProject",
    ("/v1/projects/{projectID}", "delete"): "deleteProject",
}

# Every status each Projects operation can answer: the mock returns exactly these.
DOCUMENTED_STATUSES = {
    "projects": {"200", "400", "401"},
    "createProject": {"201", "400", "401", "413", "415"},
    "project": {"200", "400", "401", "404"},
    "updateProject": {"204", "400", "401", "403", "404", "413", "415"},
    "deleteProject": {"200", "400", "401", "403", "404"},
}

# The reference page's fields: (type, format or None, required).
REFERENCE_FIELDS: dict[str, dict[str, tuple[str, str | None, bool]]] = {
    "Project": {
        "id": ("string", "uuid", True),
        "name": ("string", None, True),
        "membersCount": ("integer", None, True),
        "agentsCount": ("integer", None, True),
        "aggregatorsCount": ("integer", None, True),
        "createdAt": ("string", "date-time", True),
        "membership": ("object", None, False),
    },
    "CreateProject": {"name": ("string", None, True)},
    # The page shows CreatedProject.id without a format; it is a UUID (see the spec's note).
    "CreatedProject": {
        "id": ("string", "uuid", True),
        "token": ("string", "password", True),  # the page gives no format; ours marks the credential secret
        "createdAt": ("string", "date-time", True),
        "membership": ("object", None, True),
    },
    "Deleted": {"deleted": ("boolean", None, True), "deletedAt": ("string", "date-time", True)},
    "Membership": {
        "id": ("string", "uuid", True),
        "userID": ("string", "uuid", True),
        "projectID": ("string", "uuid", True),
        "roles": ("array", None, True),
        "permissions": ("array", None, True),
        "createdAt": ("string", "date-time", True),
        "user": ("object", None, False),
    },
    "User": {
        "id": ("string", "uuid", True),
        "email": ("string", "email", True),
        "name": ("string", None, True),
        "avatarURL": ("string", "uri", True),
        "createdAt": ("string", "date-time", True),
        "updatedAt": ("string", "date-time", True),
    },
}


def _types(schema: dict[str, Any]) -> set[str]:
    schema = resolve(schema)
    declared = schema.get("type")
    if isinstance(declared, list):
        return set(declared)
    if declared:
        return {declared}
    return set().union(*(_types(option) for option in schema.get("oneOf", [])))


def test_spec_is_valid_openapi_3_1() -> None:
    spec, _ = read_from_filename(str(SPEC_PATH))
    validate(spec)
    assert spec["openapi"] == "3.1.0"


EXAMPLES = list(all_examples())


def test_examples_were_found() -> None:
    # One per operation response, request and parameter at least: guards the walk itself.
    assert len(EXAMPLES) >= 25


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.where)
def test_example_validates_against_its_schema(example: Example) -> None:
    errors = [error.message for error in validator_for(example.schema).iter_errors(example.value)]
    assert errors == []


def test_the_example_check_rejects_a_bad_example() -> None:
    project = {"$ref": "#/components/schemas/Project"}
    bad = {"id": "text", "name": "x", "membersCount": 1, "agentsCount": 0, "aggregatorsCount": 0, "createdAt": "now"}
    messages = [error.message for error in validator_for(project).iter_errors(bad)]
    assert any("uuid" in message for message in messages)
    assert any("date-time" in message for message in messages)


OPERATIONS = list(operations())
OPERATION_IDS = [f"{method.upper()} {path}" for path, method, _ in OPERATIONS]


@pytest.mark.operations
@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=OPERATION_IDS)
def test_operation_is_fully_described(path: str, method: str, operation: dict[str, Any]) -> None:
    """Every operation: an ID, a tag (the first names its resource in the client), a summary, a
    description, a user token, and its statuses spelt out (no `default`), one a success."""
    assert operation["operationId"]
    assert operation["tags"]
    assert operation["summary"]
    assert operation["description"].strip()
    assert {"bearerAuth": []} in operation["security"]
    assert "default" not in operation["responses"]
    assert any(status.startswith("2") for status in operation["responses"])


@pytest.mark.parametrize(("path", "method"), list(VENDOR_OPERATION_IDS))
def test_projects_operation_has_the_vendors_id_and_its_statuses(path: str, method: str) -> None:
    operation = load_spec()["paths"][path][method]
    operation_id = VENDOR_OPERATION_IDS[path, method]
    assert operation["operationId"] == operation_id
    assert operation["tags"] == ["projects"]
    assert len(operation["description"]) > 80
    assert set(operation["responses"]) == DOCUMENTED_STATUSES[operation_id]


@pytest.mark.operations
@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=OPERATION_IDS)
def test_every_error_uses_the_error_schema_with_an_example(path: str, method: str, operation: dict[str, Any]) -> None:
    for status, response in operation["responses"].items():
        if not status.startswith("4"):
            continue
        media = resolve(response)["content"]["application/json"]
        assert media["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, status)
        assert "example" in media or media.get("examples"), (method, path, status)


@pytest.mark.operations
def test_of_the_projects_operations_only_get_and_update_accept_the_project_token() -> None:
    accepting = {
        operation["operationId"]
        for path, method, operation in operations()
        if (path, method) in VENDOR_OPERATION_IDS and {"projectToken": []} in operation.get("security", [])
    }
    assert accepting == {"project", "updateProject"}


@pytest.mark.parametrize("schema_name", list(REFERENCE_FIELDS))
def test_reference_page_fields_are_kept(schema_name: str) -> None:
    schema = load_spec()["components"]["schemas"][schema_name]
    for field, (field_type, field_format, required) in REFERENCE_FIELDS[schema_name].items():
        prop = resolve(schema["properties"][field])
        assert field_type in _types(schema["properties"][field]), field
        assert prop.get("format") == field_format, field
        assert (field in schema.get("required", [])) is required, field
        assert schema["properties"][field].get("description") or prop.get("description"), field


def test_nullable_fields_use_the_3_1_form() -> None:
    schemas = load_spec()["components"]["schemas"]
    assert schemas["User"]["properties"]["avatarURL"]["type"] == ["string", "null"]
    assert schemas["Deleted"]["properties"]["deletedAt"]["type"] == ["string", "null"]
    assert schemas["Membership"]["properties"]["roles"]["type"] == ["array", "null"]
    assert _types(schemas["UpdateProject"]["properties"]["name"]) == {"string", "null"}
    assert "nullable" not in SPEC_PATH.read_text(encoding="utf-8")


def test_vendor_mistakes_are_not_repeated() -> None:
    spec = load_spec()
    schemas = spec["components"]["schemas"]
    aggregators = schemas["Project"]["properties"]["aggregatorsCount"]
    assert aggregators.get("minimum") == 0
    assert "maximum" not in aggregators
    assert schemas["CreatedProject"]["properties"]["id"]["format"] == "uuid"
    listing = spec["paths"]["/v1/projects"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} == {"last", "before", "name"}
    assert "Link" in listing["responses"]["200"]["headers"]


def test_limits_are_documented() -> None:
    spec = load_spec()
    name = spec["components"]["schemas"]["ProjectName"]
    assert (name["minLength"], name["maxLength"]) == (1, 64)
    last = next(p for p in spec["paths"]["/v1/projects"]["get"]["parameters"] if p["name"] == "last")
    assert last["schema"] == {"type": "integer", "minimum": 0, "maximum": 100, "default": 20}


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("my-project", True),
        ("a", True),
        ("x" * 64, True),
        ("名前 🚀 مشروع", True),
        ("", False),
        ("x" * 65, False),
        ("   ", False),
        (" leading", False),
        ("trailing ", False),
        ("nul\x00byte", False),
        ("tab\tinside", False),
        ("trailing newline\n", False),
        ("next line\x85", False),
        ("\ufeffbom", False),
        ("no-break space\u00a0", False),
        ("inner\u00a0space", True),
    ],
)
def test_project_name_rule(name: str, valid: bool) -> None:
    assert validator_for({"$ref": "#/components/schemas/ProjectName"}).is_valid(name) is valid


def test_every_field_is_described() -> None:
    missing = []
    for schema_name, schema in load_spec()["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if not (prop.get("description") or resolve(prop).get("description")):
                missing.append(f"{schema_name}.{field}")
    assert missing == []


def test_links_chain_the_projects_operations() -> None:
    """Create links to read, update and delete, read to delete, list to its next page (links to
    other operations may join them)."""
    paths = load_spec()["paths"]
    created = paths["/v1/projects"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in created.values()} >= {"project", "updateProject", "deleteProject"}
    assert all(link["parameters"] == {"projectID": "$response.body#/id"} for link in created.values())
    read = paths["/v1/projects/{projectID}"]["get"]["responses"]["200"]["links"]
    assert "deleteProject" in [link["operationId"] for link in read.values()]
    next_page = paths["/v1/projects"]["get"]["responses"]["200"]["links"]["NextPage"]
    assert next_page["operationId"] == "projects"
    assert next_page["parameters"]["before"].startswith("$response.header.Link#regex:")
