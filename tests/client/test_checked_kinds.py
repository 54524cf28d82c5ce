"""Every property kind openapi-python-client models, checked by templates/checked_parse.jinja.

openapi.yaml uses few kinds; a spec-first client must parse any. The package is generated once
per test module from a copy of openapi.yaml with one schema per kind added (KINDS below),
through tools.generation.regenerate.generate_into (the path of `make generate`), into a temporary
folder; a second copy, marked OpenAPI 3.0.3, adds `nullable: true` fields. Each package must
pass `mypy --strict`, and is exercised in a subprocess (it shares the import name of the
installed client): every model's valid example round-trips (from_dict, then to_dict gives the
input back), and a value of the wrong type at each of its fields raises ResponseValueError
naming the model, the field, the JSON path, what was expected and what came.

Normalizations a round trip makes (documented in templates/README.md): a `format: binary`
field becomes a `File` (to_dict gives the generator's multipart tuple; the test compares the
payload); a date-time comes back in `isoformat()` spelling and a UUID in lower case (the
examples are written that way).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.generation import regenerate
from tools.generation.regenerate import OptionClashError, UncheckedKindError, generate_into
from tools.paths import ROOT, SPEC

LEAF: dict[str, Any] = {"$ref": "#/components/schemas/Leaf"}

KINDS: dict[str, Any] = {
    "Leaf": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
    "Color": {"type": "string", "enum": ["red", "green"]},
    "Level": {"type": "integer", "enum": [1, 2, 3]},
    "Scalars": {
        "type": "object",
        "required": ["text", "count", "ratio", "on"],
        "properties": {
            "text": {"type": "string"},
            "count": {"type": "integer"},
            "ratio": {"type": "number"},
            "on": {"type": "boolean"},
            "nothing": {"type": "null"},
        },
    },
    "Unions": {
        "type": "object",
        "required": ["oneOf", "anyOf", "typeList", "maybeText", "maybeLeaf", "either"],
        "properties": {
            "oneOf": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "anyOf": {"anyOf": [LEAF, {"type": "array", "items": {"type": "integer"}}]},
            "typeList": {"type": ["string", "integer", "null"]},
            "maybeText": {"type": ["string", "null"]},
            "maybeLeaf": {"oneOf": [LEAF, {"type": "null"}]},
            "either": {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "uuid"}]},
        },
    },
    "Enums": {
        "type": "object",
        "required": ["color", "level", "inline", "maybe", "kind", "version", "flag"],
        "properties": {
            "color": {"$ref": "#/components/schemas/Color"},
            "level": {"$ref": "#/components/schemas/Level"},
            "inline": {"type": "string", "enum": ["a", "b"]},
            "maybe": {"enum": ["x", "y", None]},
            "kind": {"const": "enums"},
            "version": {"const": 2},
            "flag": {"const": True},
        },
    },
    "Formats": {
        "type": "object",
        "required": ["day", "stamp", "id", "blob"],
        "properties": {
            "day": {"type": "string", "format": "date"},
            "stamp": {"type": "string", "format": "date-time"},
            "id": {"type": "string", "format": "uuid"},
            "blob": {"type": "string", "format": "binary"},
        },
    },
    "Lists": {
        "type": "object",
        "required": ["days", "stamps", "ids", "colors", "levels", "leaves", "grid", "mixed", "holes", "blobs", "anys"],
        "properties": {
            "days": {"type": "array", "items": {"type": "string", "format": "date"}},
            "stamps": {"type": "array", "items": {"type": "string", "format": "date-time"}},
            "ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
            "colors": {"type": "array", "items": {"$ref": "#/components/schemas/Color"}},
            "levels": {"type": "array", "items": {"$ref": "#/components/schemas/Level"}},
            "leaves": {"type": "array", "items": LEAF},
            "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
            "mixed": {"type": "array", "items": {"oneOf": [{"type": "string"}, LEAF]}},
            "holes": {"type": "array", "items": {"type": ["integer", "null"]}},
            "blobs": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "anys": {"type": "array", "items": {}},
        },
    },
    "IntMap": {"type": "object", "additionalProperties": {"type": "integer"}},
    "LeafMap": {"type": "object", "additionalProperties": LEAF},
    "DayMap": {"type": "object", "additionalProperties": {"type": "string", "format": "date"}},
    "IdListMap": {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    },
    "LevelMap": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Level"}},
    "FreeMap": {"type": "object", "additionalProperties": True},
    "Labelled": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}},
        "additionalProperties": {"type": "string"},
    },
    "Maps": {
        "type": "object",
        "required": ["ints", "leaves", "free"],
        "properties": {
            "ints": {"$ref": "#/components/schemas/IntMap"},
            "leaves": {"$ref": "#/components/schemas/LeafMap"},
            "free": {"$ref": "#/components/schemas/FreeMap"},
            "inline": {"type": "object", "additionalProperties": {"type": "boolean"}},
        },
    },
    "Extended": {
        "allOf": [LEAF, {"type": "object", "required": ["extra"], "properties": {"extra": {"type": "integer"}}}],
    },
    "Node": {
        "type": "object",
        "required": ["value", "children"],
        "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "parent": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]},
        },
    },
    "Outer": {
        "type": "object",
        "required": ["inner"],
        "properties": {
            "inner": {
                "type": "object",
                "required": ["deep"],
                "properties": {"deep": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}},
            }
        },
    },
    "Free": {
        "type": "object",
        "required": ["anything", "object"],
        "properties": {"anything": {}, "object": {"type": "object"}, "listed": {"type": "array", "items": {}}},
    },
}

# The 3.0 variant: `nullable: true` (the 3.0 spelling of a type list with null).
KINDS_30: dict[str, Any] = {
    "Leaf": KINDS["Leaf"],
    "Nullables": {
        "type": "object",
        "required": ["text", "count", "day", "leaf", "items"],
        "properties": {
            "text": {"type": "string", "nullable": True},
            "count": {"type": "integer", "nullable": True},
            "day": {"type": "string", "format": "date", "nullable": True},
            "leaf": {"allOf": [LEAF], "nullable": True},
            "items": {"type": "array", "items": {"type": "integer", "nullable": True}, "nullable": True},
        },
    },
}

UUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"

# One valid example per model (every field present), written as to_dict gives it back.
VALID: dict[str, dict[str, Any]] = {
    "Leaf": {"name": "l"},
    "Scalars": {"text": "t", "count": 3, "ratio": 0.5, "on": True, "nothing": None},
    "Unions": {"oneOf": 7, "anyOf": [1, 2], "typeList": None, "maybeText": "m", "maybeLeaf": None, "either": UUID},
    "Enums": {
        "color": "red",
        "level": 2,
        "inline": "b",
        "maybe": None,
        "kind": "enums",
        "version": 2,
        "flag": True,
    },
    "Formats": {"day": "2026-12-05", "stamp": "2026-12-05T10:00:00+00:00", "id": UUID, "blob": "bytes"},
    "Lists": {
        "days": ["2026-12-05"],
        "stamps": ["2026-12-05T10:00:00+00:00"],
        "ids": [UUID],
        "colors": ["green", "blue"],  # a string enum is open: "blue" is kept
        "levels": [1, 3],
        "leaves": [{"name": "a"}, {"name": "b"}],
        "grid": [[1, 2], [], [3]],
        "mixed": ["s", {"name": "m"}],
        "holes": [1, None],
        "blobs": ["one", "two"],
        "anys": [None, {"any": ["thing"]}, 1.5],
    },
    "IntMap": {"a": 1, "b": 2},
    "LeafMap": {"a": {"name": "x"}},
    "DayMap": {"d": "2026-12-05"},
    "IdListMap": {"k": [UUID]},
    "LevelMap": {"k": 3},
    "FreeMap": {"k": [None, {"x": 1}]},
    "Labelled": {"name": "n", "team": "core"},
    "Maps": {"ints": {"a": 1}, "leaves": {"b": {"name": "y"}}, "free": {"c": None}, "inline": {"d": True}},
    "Extended": {"name": "e", "extra": 1},
    "Node": {"value": 1, "children": [{"value": 2, "children": [], "parent": None}], "parent": None},
    "Outer": {"inner": {"deep": {"n": 1}}},
    "Free": {"anything": {"deep": [1, "x", None]}, "object": {"k": "v"}, "listed": [1, [2]]},
}

VALID_30: dict[str, dict[str, Any]] = {
    "Nullables": {"text": None, "count": None, "day": None, "leaf": None, "items": None},
}

# (model, a change to its valid example, path, field, expected, got): one per field at least.
WRONG: list[tuple[str, dict[str, Any], str, str, str, str]] = [
    ("Scalars", {"text": 1}, "$.text", "text", "string", "integer 1"),
    ("Scalars", {"count": 1.0}, "$.count", "count", "integer", "number 1.0"),
    ("Scalars", {"count": True}, "$.count", "count", "integer", "boolean True"),
    ("Scalars", {"ratio": "0.5"}, "$.ratio", "ratio", "number", "string '0.5'"),
    ("Scalars", {"on": 1}, "$.on", "on", "boolean", "integer 1"),
    ("Scalars", {"nothing": 0}, "$.nothing", "nothing", "null", "integer 0"),
    ("Unions", {"oneOf": 1.5}, "$.oneOf", "oneOf", "string or integer", "number 1.5"),
    ("Unions", {"anyOf": [1, "2"]}, "$.anyOf", "anyOf", "object or array of integer", "array of 2 item(s)"),
    ("Unions", {"typeList": []}, "$.typeList", "typeList", "string or integer or null", "array of 0 item(s)"),
    ("Unions", {"maybeText": 5}, "$.maybeText", "maybeText", "string or null", "integer 5"),
    ("Unions", {"maybeLeaf": {"name": 5}}, "$.maybeLeaf.name", "name", "string", "integer 5"),
    ("Unions", {"maybeLeaf": "x"}, "$.maybeLeaf", "maybeLeaf", "object or null", "string 'x'"),
    ("Unions", {"either": "neither"}, "$.either", "either", "string (date) or string (UUID)", "string 'neither'"),
    ("Enums", {"color": 1}, "$.color", "color", "string", "integer 1"),
    ("Enums", {"level": 4}, "$.level", "level", "one of 1, 2, 3", "integer 4"),
    ("Enums", {"level": "2"}, "$.level", "level", "integer", "string '2'"),
    ("Enums", {"inline": None}, "$.inline", "inline", "string", "null None"),
    ("Enums", {"maybe": 1}, "$.maybe", "maybe", "null or string", "integer 1"),
    ("Enums", {"kind": "other"}, "$.kind", "kind", '"enums"', "string 'other'"),
    ("Enums", {"version": 2.0}, "$.version", "version", "2", "number 2.0"),
    ("Enums", {"version": 3}, "$.version", "version", "2", "integer 3"),
    ("Enums", {"flag": 1}, "$.flag", "flag", "true", "integer 1"),
    ("Formats", {"day": "2026-13-01"}, "$.day", "day", "string (date)", "string '2026-13-01'"),
    ("Formats", {"stamp": "yesterday"}, "$.stamp", "stamp", "string (date-time)", "string 'yesterday'"),
    ("Formats", {"id": "not-a-uuid"}, "$.id", "id", "string (UUID)", "string 'not-a-uuid'"),
    ("Formats", {"blob": 5}, "$.blob", "blob", "string or bytes (file)", "integer 5"),
    ("Lists", {"days": ["2026-12-05", 5]}, "$.days[1]", "days", "string (date)", "integer 5"),
    ("Lists", {"stamps": "2026-12-05T10:00:00+00:00"}, "$.stamps", "stamps", "array", "string '2026-12-05T1..."),
    ("Lists", {"ids": [UUID, "x"]}, "$.ids[1]", "ids", "string (UUID)", "string 'x'"),
    ("Lists", {"colors": [None]}, "$.colors[0]", "colors", "string", "null None"),
    ("Lists", {"levels": [1, 9]}, "$.levels[1]", "levels", "one of 1, 2, 3", "integer 9"),
    ("Lists", {"leaves": [{"name": "a"}, {}]}, "$.leaves[1].name", "name", "string", "missing"),
    ("Lists", {"grid": [[1], [2, "3"]]}, "$.grid[1][1]", "grid", "integer", "string '3'"),
    ("Lists", {"mixed": ["s", 5]}, "$.mixed[1]", "mixed", "string or object", "integer 5"),
    ("Lists", {"holes": [None, 1.5]}, "$.holes[1]", "holes", "integer or null", "number 1.5"),
    ("Lists", {"blobs": [None]}, "$.blobs[0]", "blobs", "string or bytes (file)", "null None"),
    ("Lists", {"anys": {}}, "$.anys", "anys", "array", "object of 0 key(s)"),
    ("IntMap", {"b": "2"}, "$.b", "b", "integer", "string '2'"),
    ("LeafMap", {"a": {"name": None}}, "$.a.name", "name", "string", "null None"),
    ("LeafMap", {"a": []}, "$.a", "a", "object", "array of 0 item(s)"),
    ("DayMap", {"d": "2026-02-30"}, "$.d", "d", "string (date)", "string '2026-02-30'"),
    ("IdListMap", {"k": [UUID, 1]}, "$.k[1]", "k", "string (UUID)", "integer 1"),
    ("LevelMap", {"k": 0}, "$.k", "k", "one of 1, 2, 3", "integer 0"),
    ("Labelled", {"name": 1}, "$.name", "name", "string", "integer 1"),
    ("Labelled", {"team": 1}, "$.team", "team", "string", "integer 1"),
    ("Maps", {"ints": {"a": 1.5}}, "$.ints.a", "a", "integer", "number 1.5"),
    ("Maps", {"leaves": {"b": {}}}, "$.leaves.b.name", "name", "string", "missing"),
    ("Maps", {"free": []}, "$.free", "free", "object", "array of 0 item(s)"),
    ("Maps", {"inline": {"d": "yes"}}, "$.inline.d", "d", "boolean", "string 'yes'"),
    ("Extended", {"name": 1}, "$.name", "name", "string", "integer 1"),
    ("Extended", {"extra": "1"}, "$.extra", "extra", "integer", "string '1'"),
    ("Node", {"value": None}, "$.value", "value", "integer", "null None"),
    (
        "Node",
        {"children": [{"value": 2, "children": [{"value": "3", "children": []}]}]},
        "$.children[0].children[0].value",
        "value",
        "integer",
        "string '3'",
    ),
    ("Node", {"parent": {"value": 1, "children": 5}}, "$.parent.children", "children", "array", "integer 5"),
    ("Outer", {"inner": {"deep": {"n": False}}}, "$.inner.deep.n", "n", "integer", "boolean False"),
    ("Outer", {"inner": {"deep": 1}}, "$.inner.deep", "deep", "object", "integer 1"),
    ("Free", {"object": "x"}, "$.object", "object", "object", "string 'x'"),
    ("Free", {"listed": {}}, "$.listed", "listed", "array", "object of 0 key(s)"),
]

WRONG_30: list[tuple[str, dict[str, Any], str, str, str, str]] = [
    ("Nullables", {"text": 1}, "$.text", "text", "string or null", "integer 1"),
    ("Nullables", {"count": "1"}, "$.count", "count", "integer or null", "string '1'"),
    ("Nullables", {"day": "x"}, "$.day", "day", "string (date)", "string 'x'"),
    ("Nullables", {"leaf": {"name": []}}, "$.leaf.name", "name", "string", "array of 0 item(s)"),
    ("Nullables", {"items": [None, "1"]}, "$.items[1]", "items", "integer or null", "string '1'"),
]

# A free-form value is accepted as it is, whatever its JSON type.
ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("Free", {"anything": None}),
    ("Free", {"anything": [1, {"a": None}]}),
    ("FreeMap", {"k": "v", "n": 1}),
    ("Lists", {"anys": [[], {}, "s", False]}),
    ("Unions", {"typeList": 5, "maybeLeaf": {"name": "x"}, "anyOf": {"name": "y"}, "either": "2026-12-05"}),
    ("Enums", {"maybe": "brand-new"}),  # open, like every string enum
]

RUNNER = textwrap.dedent(
    """
    import json, sys
    from calyptia_cloud_client import models
    from calyptia_cloud_client.errors import ResponseValueError
    from calyptia_cloud_client.types import File

    def plain(value):
        # to_dict's output as JSON would carry it: a File (the multipart tuple) by its payload
        if isinstance(value, tuple) and len(value) == 3 and hasattr(value[1], "getvalue"):
            return value[1].getvalue().decode()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    valid, wrong, accepted = json.loads(sys.argv[1])
    out = {"round_trips": {}, "wrong": [], "accepted": []}
    for name, example in valid.items():
        out["round_trips"][name] = plain(getattr(models, name).from_dict(example).to_dict())
    for name, change, *_ in wrong:
        try:
            getattr(models, name).from_dict({**valid[name], **change})
            out["wrong"].append(None)
        except ResponseValueError as exc:
            out["wrong"].append([exc.model, exc.field, exc.path, exc.expected, exc.value, str(exc)])
    for name, change in accepted:
        out["accepted"].append(plain(getattr(models, name).from_dict({**valid[name], **change}).to_dict()))
    if "Formats" in valid:
        blob = models.Formats.from_dict({**valid["Formats"], "blob": b"\\x00\\xff"}).blob
        out["bytes"] = [isinstance(blob, File), list(blob.payload.getvalue())]
    print(json.dumps(out))
    """
)


def _spec_with(schemas: dict[str, Any], version: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["components"]["schemas"].update(copy.deepcopy(schemas))
    if version:
        spec["openapi"] = version
    return spec


def _generate(folder: Path, spec: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec_file = folder / "openapi.yaml"
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    package = folder / "generated"
    generate_into(package, spec=spec_file)
    return package


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two packages, generated once for the module: "3.1" (KINDS) and "3.0" (KINDS_30)."""
    root = tmp_path_factory.mktemp("kinds")
    return {
        "3.1": _generate(root / "v31", _spec_with(KINDS)),
        "3.0": _generate(root / "v30", _spec_with(KINDS_30, version="3.0.3")),
    }


def _run(package: Path, valid: dict[str, Any], wrong: list[Any], accepted: list[Any]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps([valid, wrong, accepted])],
        env={**os.environ, "PYTHONPATH": str(package)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome: dict[str, Any] = json.loads(result.stdout)
    return outcome


def _assert_wrong(outcomes: list[Any], cases: list[tuple[str, dict[str, Any], str, str, str, str]]) -> None:
    for outcome, (name, change, path, field, expected, got) in zip(outcomes, cases, strict=True):
        assert outcome is not None, f"{name} accepted {change}"
        model, actual_field, actual_path, actual_expected, value, message = outcome
        assert (actual_path, actual_field, actual_expected) == (path, field, expected), (name, change)
        if path.count(".") == 1:  # raised by the model itself (nested ones: the next test)
            assert model == name, (name, change)
        assert value.startswith(got.removesuffix("...")) if got != "missing" else value == "(missing)"
        assert message.endswith(f"at {path}: expected {expected}, {'missing' if got == 'missing' else 'got ' + value}")


def test_every_kind_round_trips_and_refuses_wrong_types(packages: dict[str, Path]) -> None:
    out = _run(packages["3.1"], VALID, WRONG, ACCEPTED)
    assert out["round_trips"] == {name: VALID[name] for name in VALID}
    _assert_wrong(out["wrong"], WRONG)
    assert out["accepted"] == [{**VALID[name], **change} for name, change in ACCEPTED]
    assert out["bytes"] == [True, [0, 255]]  # an octet-stream body, or a model built in Python
    assert {name for name, *_ in WRONG} >= set(VALID) - {"Leaf", "FreeMap"}  # FreeMap takes anything


def test_wrong_types_name_model_and_field(packages: dict[str, Path]) -> None:
    """The innermost model and field, exactly, for a few nested cases."""
    cases = [
        ("Node", {"parent": {"value": "x", "children": []}}),
        ("LeafMap", {"a": {"name": 1}}),
        ("IntMap", {"b": None}),
        ("Outer", {"inner": {"deep": {"n": "1"}}}),
        ("Scalars", {"text": None}),
    ]
    out = _run(packages["3.1"], VALID, [(name, change) for name, change in cases], [])
    assert [row[:3] for row in out["wrong"]] == [
        ["Node", "value", "$.parent.value"],
        ["Leaf", "name", "$.a.name"],
        ["IntMap", "b", "$.b"],
        ["OuterInnerDeep", "n", "$.inner.deep.n"],
        ["Scalars", "text", "$.text"],
    ]


def test_nullable_in_openapi_30(packages: dict[str, Path]) -> None:
    out = _run(
        packages["3.0"], VALID_30, WRONG_30, [("Nullables", {"text": "t", "leaf": {"name": "n"}, "items": [1, None]})]
    )
    assert out["round_trips"] == VALID_30
    _assert_wrong(out["wrong"], WRONG_30)
    assert out["accepted"] == [{**VALID_30["Nullables"], "text": "t", "leaf": {"name": "n"}, "items": [1, None]}]


@pytest.mark.e2e  # mypy --strict on the generated kinds packages (about 10 s)
def test_generated_packages_pass_mypy_strict(packages: dict[str, Path]) -> None:
    for version, package in packages.items():
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir",
                os.devnull,
                "calyptia_cloud_client",
            ],
            cwd=package,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{version}:\n{result.stdout}{result.stderr}"


@pytest.mark.e2e  # a whole generator run
def test_a_kind_the_templates_cannot_check_fails_generation_with_its_pointer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates that do not know a kind (here: checked_parse.jinja without its number check, as
    with a later generator's new kind) make generation fail naming the schema, not a Jinja error."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    checked = templates / "checked_parse.jinja"
    text = checked.read_text(encoding="utf-8")
    checked.write_text(text.replace('base == "FloatProperty"', 'base == "NoSuchProperty"'), encoding="utf-8")
    monkeypatch.setattr(regenerate, "TEMPLATES", templates)
    spec = _spec_with({"Leaf": KINDS["Leaf"], "Scalars": KINDS["Scalars"]})
    with pytest.raises(UncheckedKindError) as caught:
        _generate(tmp_path / "out", spec)
    assert str(caught.value) == (
        "#/components/schemas/Scalars/properties/ratio: templates/checked_parse.jinja has no check "
        "for this property kind (FloatProperty); its value would go unchecked"
    )


@pytest.mark.e2e  # a whole generator run
def test_a_parameter_named_as_a_per_call_option_is_renamed_or_refused(tmp_path: Path) -> None:
    """Every method takes extra_headers, extra_query and timeout: a parameter of one of those names
    is `param_<name>` on the resource's method. The low-level functions take request_options: a
    parameter of that name fails generation saying so, not with a SyntaxError."""
    spec = _spec_with({})
    parameters = spec["paths"]["/v1/projects"]["get"]["parameters"]
    parameters.append({"name": "timeout", "in": "query", "required": False, "schema": {"type": "string"}})
    package = _generate(tmp_path / "out", spec)
    resource = (package / "calyptia_cloud_client" / "api" / "projects" / "__init__.py").read_text()
    assert "param_timeout: str | Unset = UNSET," in resource
    assert "timeout=param_timeout," in resource
    assert "(The parameter `timeout`: a per-call option has that name.)" in resource
    parameters.append({"name": "request_options", "in": "query", "required": False, "schema": {"type": "string"}})
    with pytest.raises(OptionClashError) as caught:
        _generate(tmp_path / "again", spec)
    assert str(caught.value).startswith("the operation list_projects has a parameter named request_options")
