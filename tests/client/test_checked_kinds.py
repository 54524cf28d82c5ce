"""Every kind of property templates/checked_parse.jinja knows, checked, including the kinds
openapi.yaml does not use today (a number, a date, an integer enum, a union of two types,
nested arrays, a required value of any type, a nullable model). The package is generated from
a copy of openapi.yaml with one more schema, through tools.generation.regenerate (the path of `make
generate`), into a temporary folder, and exercised in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

from tools.generation.regenerate import generate_into
from tools.paths import SPEC

KINDS = {
    "type": "object",
    "description": "One property of each kind.",
    "required": ["ratio", "day", "level", "either", "grid", "anything", "maybeUser", "stamps"],
    "properties": {
        "ratio": {"type": "number", "description": "A number."},
        "day": {"type": "string", "format": "date", "description": "A date."},
        "level": {"type": "integer", "enum": [1, 2, 3], "description": "An integer enum."},
        "either": {"oneOf": [{"type": "string"}, {"type": "integer"}], "description": "Two types."},
        "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}, "description": "Rows."},
        "anything": {"description": "Any value, null included."},
        "maybeUser": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}], "description": "Or null."},
        "stamps": {"type": "array", "items": {"type": "string", "format": "date-time"}, "description": "Times."},
    },
}

VALID: dict[str, Any] = {
    "ratio": 0.5,
    "day": "2026-12-05",
    "level": 2,
    "either": "x",
    "grid": [[1, 2], [3]],
    "anything": None,
    "maybeUser": None,
    "stamps": ["2026-12-05T10:00:00Z"],
}

# (field, value, the path of the error; None: the value parses)
CASES: list[tuple[str, Any, str | None]] = [
    ("ratio", 1, None),  # an integer is a number
    ("ratio", True, "$.ratio"),
    ("ratio", "0.5", "$.ratio"),
    ("day", "2026-13-01", "$.day"),
    ("day", 20261205, "$.day"),
    ("level", 3, None),
    ("level", 4, "$.level"),  # an integer enum is closed
    ("level", True, "$.level"),
    ("level", 2.0, "$.level"),
    ("either", 7, None),
    ("either", 7.5, "$.either"),
    ("either", None, "$.either"),
    ("grid", [[1], [2, "3"]], "$.grid[1][1]"),
    ("grid", [1], "$.grid[0]"),
    ("anything", {"any": ["thing"]}, None),
    ("maybeUser", {"id": "not-a-uuid"}, "$.maybeUser.id"),
    ("maybeUser", 5, "$.maybeUser"),
    ("stamps", ["2026-12-05T10:00:00Z", "yesterday"], "$.stamps[1]"),
]

CALLER = textwrap.dedent(
    """
    import json, sys
    from calyptia_cloud_client.errors import ResponseValueError
    from calyptia_cloud_client.models import Kinds

    valid, cases = json.loads(sys.argv[1])
    outcomes = [repr(Kinds.from_dict(valid).to_dict()["level"])]
    missing = dict(valid)
    del missing["anything"]
    try:
        Kinds.from_dict(missing)
    except ResponseValueError as exc:
        outcomes.append(str(exc))
    for field, value, _ in cases:
        try:
            Kinds.from_dict({**valid, field: value})
            outcomes.append(None)
        except ResponseValueError as exc:
            outcomes.append(exc.path)
    print(json.dumps(outcomes))
    """
)


def test_every_kind_is_checked(tmp_path: Path) -> None:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["Kinds"] = KINDS
    spec_file = tmp_path / "openapi.yaml"
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    package = tmp_path / "generated"
    generate_into(package, spec=spec_file)
    result = subprocess.run(
        [sys.executable, "-c", CALLER, json.dumps([VALID, CASES])],
        env={**os.environ, "PYTHONPATH": str(package)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    level, missing, *outcomes = json.loads(result.stdout)
    assert level == "2"
    assert missing == "Kinds.anything at $.anything: expected any value, missing"
    assert outcomes == [path for _, _, path in CASES]
