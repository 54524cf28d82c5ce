"""The normalization pass (tools/generation/normalize.py): each rewrite on a document the generator
cannot read, checked by the document it gives and the change it reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tools.generation.left_out import LeftOutError, leave_out
from tools.generation.normalize import normalize
from tools.spec import SpecDataError, SpecReadError, load


def spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    return document


def ok(content: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"200": {"description": "ok", **({"content": content} if content else {})}}


def test_tags_become_the_resource_names_the_mock_uses() -> None:
    document = spec({"/a": {"get": {"tags": ["OAuth2PermissionGrant"], "responses": ok()}}})
    document["tags"] = [{"name": "OAuth2PermissionGrant"}]
    result = normalize(document)
    assert result.document["paths"]["/a"]["get"]["tags"] == ["o_auth2_permission_grant"]
    assert result.document["tags"] == [{"name": "o_auth2_permission_grant"}]
    assert result.changes == ["the tag 'OAuth2PermissionGrant' is the resource `o_auth2_permission_grant`"]


def test_a_reference_into_paths_is_a_copy_of_its_target_percent_decoded() -> None:
    parameter = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    document = spec(
        {
            "/a/{id}": {"get": {"parameters": [parameter], "responses": ok()}},
            "/b/{id}": {"get": {"parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}], "responses": ok()}},
        }
    )
    result = normalize(document)
    assert result.document["paths"]["/b/{id}"]["get"]["parameters"] == [parameter]
    assert result.changes == [
        "#/paths/~1b~1{id}/get/parameters/0: the $ref #/paths/~1a~1%7Bid%7D/get/parameters/0"
        " is replaced by a copy of its target"
    ]


def test_a_reference_to_a_component_is_kept() -> None:
    document = spec(
        {"/a": {"get": {"responses": ok({"application/json": {"schema": {"$ref": "#/components/schemas/A"}}})}}},
        {"A": {"type": "object", "properties": {"x": {"type": "string"}}}},
    )
    result = normalize(json.loads(json.dumps(document)))
    document["paths"]["/a"]["get"]["x-python-method"] = "get_a"  # the method name, settled
    assert result.document == document
    assert result.changes == []


def test_all_of_one_reference_and_documentation_takes_that_schema() -> None:
    nullable = {"allOf": [{"$ref": "#/components/schemas/Base"}], "nullable": True}
    schemas = {
        "Names": {"type": "array", "items": {"type": "string"}},
        "Colour": {"type": "string", "enum": ["red", "blue"]},
        "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Holder": {
            "type": "object",
            "properties": {
                "names": {"allOf": [{"$ref": "#/components/schemas/Names"}, {"description": "The names."}]},
                "colour": {"allOf": [{"$ref": "#/components/schemas/Colour"}, {"description": "A colour."}]},
                "base": {
                    "allOf": [{"$ref": "#/components/schemas/Base"}, {"description": "An object: no second class."}]
                },
                "nullable": nullable,
            },
        },
    }
    result = normalize(spec({}, schemas))
    properties = result.document["components"]["schemas"]["Holder"]["properties"]
    assert properties["names"] == {"type": "array", "items": {"type": "string"}, "description": "The names."}
    assert properties["colour"] == {"$ref": "#/components/schemas/Colour", "description": "A colour."}
    assert properties["base"] == {"$ref": "#/components/schemas/Base", "description": "An object: no second class."}
    assert properties["nullable"] == nullable  # a reference cannot carry nullable in 3.0: the allOf stays
    assert len(result.changes) == 3


def test_all_of_with_a_constraint_beside_the_reference_is_left_alone() -> None:
    member = {"allOf": [{"$ref": "#/components/schemas/S"}, {"maxLength": 3}]}
    result = normalize(spec({}, {"S": {"type": "string"}, "H": {"type": "object", "properties": {"s": member}}}))
    assert result.document["components"]["schemas"]["H"]["properties"]["s"] == member


def test_inline_models_of_an_extended_base_become_components_with_free_names() -> None:
    schemas = {
        "Base": {
            "type": "object",
            "properties": {"tags": {"type": "object", "additionalProperties": {"type": "string"}}},
            "additionalProperties": {"type": "object", "properties": {"v": {"type": "string"}}},
        },
        "BaseTags": {"type": "string"},
        "Child": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object"}]},
    }
    result = normalize(spec({}, schemas))
    components = result.document["components"]["schemas"]
    assert components["Base"]["properties"]["tags"] == {"$ref": "#/components/schemas/BaseTags2"}
    assert components["BaseTags2"] == {"type": "object", "additionalProperties": {"type": "string"}}
    assert components["Base"]["additionalProperties"] == {"$ref": "#/components/schemas/BaseAdditionalProperty"}
    assert components["BaseTags"] == {"type": "string"}


def test_json_is_kept_where_it_is_offered_beside_other_media_types() -> None:
    content = {
        "application/xml": {"schema": {"type": "object"}},
        "application/json": {"schema": {"type": "object"}},
    }
    document = spec({"/a": {"post": {"requestBody": {"content": dict(content)}, "responses": ok(dict(content))}}})
    result = normalize(document)
    operation = result.document["paths"]["/a"]["post"]
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    assert list(operation["responses"]["200"]["content"]) == ["application/json"]
    assert result.content_type_overrides == {}


@pytest.mark.parametrize("media_type", ["application/pdf", "application/xml", "*/*", "image/*"])
def test_a_response_only_in_a_type_the_generator_cannot_read_is_bytes(media_type: str) -> None:
    content = {media_type: {"schema": {"type": "object", "description": "A document."}, "example": "x"}}
    result = normalize(spec({"/a": {"get": {"responses": ok(content)}}}))
    media = result.document["paths"]["/a"]["get"]["responses"]["200"]["content"]
    assert media == {media_type: {"schema": {"type": "string", "format": "binary", "description": "A document."}}}
    assert result.content_type_overrides == {media_type: "application/octet-stream"}


def test_a_text_response_stays_text_and_a_text_body_becomes_bytes_everywhere() -> None:
    def text() -> dict[str, Any]:
        return {"text/plain": {"schema": {"type": "string"}}}

    alone = normalize(spec({"/a": {"get": {"responses": ok(text())}}}))
    assert alone.document["paths"]["/a"]["get"]["responses"]["200"]["content"] == text()
    assert alone.content_type_overrides == {}
    paths = {
        "/a": {"get": {"responses": ok(text())}},
        "/b": {"post": {"requestBody": {"content": text()}, "responses": ok()}},
    }
    result = normalize(spec(paths))
    binary = {"text/plain": {"schema": {"type": "string", "format": "binary"}}}
    assert result.document["paths"]["/b"]["post"]["requestBody"]["content"] == binary
    assert result.document["paths"]["/a"]["get"]["responses"]["200"]["content"] == binary  # one reading per type
    assert result.content_type_overrides == {"text/plain": "application/octet-stream"}


def test_a_path_parameter_is_never_null() -> None:
    nullable = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "nullable": True}}
    listed = {"name": "v", "in": "path", "required": True, "schema": {"type": ["string", "null"]}}
    query = {"name": "q", "in": "query", "schema": {"type": "string", "nullable": True}}
    document = spec({"/a/{id}/{v}": {"get": {"parameters": [nullable, listed, query], "responses": ok()}}})
    parameters = normalize(document).document["paths"]["/a/{id}/{v}"]["get"]["parameters"]
    assert [p["schema"] for p in parameters] == [
        {"type": "string"},
        {"type": "string"},
        {"type": "string", "nullable": True},
    ]


def test_a_string_enum_of_other_values_lists_their_json_text() -> None:
    parameter = {"name": "f", "in": "query", "schema": {"type": "string", "enum": [True, 1, "x", None]}}
    document = spec({"/a": {"get": {"parameters": [parameter], "responses": ok()}}})
    schema = normalize(document).document["paths"]["/a"]["get"]["parameters"][0]["schema"]
    assert schema["enum"] == ["true", "1", "x"]


def test_left_out_drops_the_listed_operation_and_keeps_its_reason() -> None:
    document = spec(
        {"/a": {"get": {"responses": ok()}, "post": {"responses": ok()}}, "/b": {"get": {"responses": ok()}}}
    )
    result = leave_out(
        document, [{"operation": "post /a", "reason": " A PDF stream. "}, {"operation": "GET /b", "reason": "r"}]
    )
    assert list(result.document["paths"]) == ["/a"]
    assert list(result.document["paths"]["/a"]) == ["get"]
    assert result.entries == [
        {"operation": "POST /a", "reason": "A PDF stream."},
        {"operation": "GET /b", "reason": "r"},
    ]
    assert "post" in document["paths"]["/a"]  # the effective spec itself is not changed


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"operation": "GET /nowhere", "reason": "r"}], "is no operation of the spec"),
        ([{"operation": "GET /a", "reason": " "}], "the reason must say why"),
        ([{"operation": "GET /a"}], "exactly `operation`"),
        ("GET /a", "must be a list"),
    ],
)
def test_a_left_out_entry_that_names_nothing_or_gives_no_reason_is_refused(entries: object, message: str) -> None:
    with pytest.raises(LeftOutError, match=message):
        leave_out(spec({"/a": {"get": {"responses": ok()}}}), entries)


def test_a_json_file_is_read_as_json_surrogate_pairs_and_all(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text('{"openapi": "3.0.3", "info": {"title": "\\ud83d\\udc4d", "version": "1"}, "paths": {}}')
    assert load(path)["info"]["title"] == "\N{THUMBS UP SIGN}"


def test_a_lone_surrogate_or_broken_json_is_named_not_a_traceback(tmp_path: Path) -> None:
    lone = tmp_path / "lone.json"
    lone.write_text('{"openapi": "3.0.3", "info": {"title": "\\ud83d", "version": "1"}, "paths": {}}')
    with pytest.raises(SpecDataError, match="#/info/title: a string holds an unpaired surrogate"):
        load(lone)
    broken = tmp_path / "broken.json"
    broken.write_text('{"openapi": ')
    with pytest.raises(SpecReadError, match=r"broken\.json: not valid JSON"):
        load(broken)


def test_a_yaml_flow_mapping_is_still_yaml(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}\n")
    assert load(path)["openapi"] == "3.0.3"


def test_an_enum_lists_each_value_once_and_drops_a_default_it_does_not_list() -> None:
    schema = {"type": "string", "enum": ["AC", "HI", "AC"], "default": "created_date"}
    result = normalize(spec({}, {"Code": schema}))
    assert result.document["components"]["schemas"]["Code"] == {"type": "string", "enum": ["AC", "HI"]}
    assert result.changes == [
        "#/components/schemas/Code: a value the enum lists twice is listed once",
        "#/components/schemas/Code: the default 'created_date' is none of the values",
    ]


def test_a_path_parameter_has_no_default() -> None:
    parameter = {"name": "source", "in": "path", "required": True, "schema": {"type": "string", "default": "catalog"}}
    document = spec({"/{source}/x": {"get": {"parameters": [parameter], "responses": ok()}}})
    result = normalize(document)
    assert result.document["paths"]["/{source}/x"]["get"]["parameters"][0]["schema"] == {"type": "string"}


def test_a_binary_text_response_is_bytes_not_text() -> None:
    binary = {"text/plain": {"schema": {"type": "string", "format": "binary"}}}
    result = normalize(spec({"/a": {"get": {"responses": ok(binary)}}}))
    assert result.content_type_overrides == {"text/plain": "application/octet-stream"}


def test_operation_ids_that_name_one_module_are_told_apart_and_keep_their_method_names() -> None:
    document = spec(
        {
            "/pets": {"get": {"operationId": "getPet", "tags": ["pets"], "responses": ok()}},
            "/pets/mine": {"get": {"operationId": "get_pet", "tags": ["pets"], "responses": ok()}},
        }
    )
    result = normalize(document)
    operations = [result.document["paths"][path]["get"] for path in ("/pets", "/pets/mine")]
    assert [o["operationId"] for o in operations] == ["getPet", "get_pet_2"]
    assert [o["x-python-method"] for o in operations] == ["list", "get"]
    assert result.changes == [
        "#/paths/~1pets~1mine/get/operationId: get_pet is get_pet_2: another operation's module is get_pet.py"
    ]


def test_an_operation_the_generator_wrote_no_module_for_is_refused(tmp_path: Path) -> None:
    from tools.generation.regenerate import MissingOperationError, refuse_missing

    (tmp_path / "api" / "pets").mkdir(parents=True)
    (tmp_path / "api" / "pets" / "get_pet.py").write_text("")
    document = spec(
        {
            "/pets": {"get": {"operationId": "getPet", "tags": ["pets"], "responses": ok()}},
            "/pets/{id}": {"delete": {"operationId": "deletePet", "tags": ["pets"], "responses": ok()}},
        }
    )
    with pytest.raises(MissingOperationError, match=r"no module for deletePet \(DELETE /pets/\{id\}\): an overlay"):
        refuse_missing(tmp_path, document, "field_")


def test_a_model_has_no_default() -> None:
    schemas = {
        "Meta": {"type": "object", "properties": {"page": {"type": "integer", "default": 1}}},
        "Meta2": {"allOf": [{"$ref": "#/components/schemas/Meta"}], "default": {"page": 1}},
    }
    result = normalize(spec({}, schemas))
    assert result.document["components"]["schemas"]["Meta2"] == {"allOf": [{"$ref": "#/components/schemas/Meta"}]}
    assert result.document["components"]["schemas"]["Meta"]["properties"]["page"]["default"] == 1


def test_an_all_of_member_that_is_a_nullable_model_is_a_copy_and_its_inline_models_components() -> None:
    schemas = {
        "ClusterInfo": {
            "type": "object",
            "nullable": True,
            "properties": {"spec": {"type": "object", "properties": {"name": {"type": "string"}}}},
        },
        "Swarm": {"allOf": [{"$ref": "#/components/schemas/ClusterInfo"}, {"type": "object"}]},
    }
    result = normalize(spec({}, schemas))
    components = result.document["components"]["schemas"]
    assert components["ClusterInfo"]["properties"]["spec"] == {"$ref": "#/components/schemas/ClusterInfoSpec"}
    assert components["Swarm"]["allOf"][0] == {
        "type": "object",
        "properties": {"spec": {"$ref": "#/components/schemas/ClusterInfoSpec"}},
    }


def test_an_enum_of_objects_is_its_type_alone() -> None:
    result = normalize(
        spec({}, {"Ports": {"type": "object", "additionalProperties": {"type": "object", "enum": [{}]}}})
    )
    assert result.document["components"]["schemas"]["Ports"]["additionalProperties"] == {"type": "object"}


def test_a_title_two_schemas_share_names_neither() -> None:
    schemas = {
        "ApplePayDetails": {"title": "Apple Pay", "type": "object", "properties": {"a": {"type": "string"}}},
        "ApplePayDonations": {"title": "Apple Pay", "type": "object", "properties": {"b": {"type": "string"}}},
        "Card": {"title": "Card", "type": "object"},
    }
    components = normalize(spec({}, schemas)).document["components"]["schemas"]
    assert "title" not in components["ApplePayDetails"]
    assert "title" not in components["ApplePayDonations"]
    assert components["Card"]["title"] == "Card"


def test_a_path_item_copied_from_another_is_named_as_itself() -> None:
    document = spec(
        {
            "/ip-address": {"get": {"tags": ["support"], "responses": ok()}},
            "/support/ip-address": {"$ref": "#/paths/~1ip-address"},
        }
    )
    result = normalize(document)
    names = [
        result.document["paths"][path]["get"]["x-python-method"] for path in ("/ip-address", "/support/ip-address")
    ]
    assert names == ["get_ip_address", "get_support_ip_address"]


def test_enum_members_the_generator_would_name_alike_get_names_of_their_own() -> None:
    result = normalize(spec({}, {"Order": {"type": "string", "enum": ["asc", "ASC", "a-b", "a_b", "1"]}}))
    schema = result.document["components"]["schemas"]["Order"]
    assert schema["x-enum-varnames"] == ["ASC", "ASC_2", "A_B", "A_B_2", "VALUE_4"]


def test_a_model_named_as_what_the_generated_code_imports_is_titled_apart() -> None:
    schemas = {"File": {"type": "object", "properties": {"id": {"type": "string"}}}, "FileModel": {"type": "object"}}
    result = normalize(spec({}, schemas))
    assert result.document["components"]["schemas"]["File"]["title"] == "FileModel2"
