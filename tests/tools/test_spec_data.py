"""A spec is JSON data, whatever YAML let its author write (tools.spec.as_json_data), and the
generation pipeline reads it so: YAML-only forms are normalized, what has no JSON form fails
with its JSON pointer, not with a generator traceback."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tools.generation import regenerate
from tools.paths import SPEC
from tools.spec import SpecDataError, as_json_data, load


def test_yaml_only_keys_and_scalars_become_their_json_text(tmp_path: Path) -> None:
    source = tmp_path / "spec.yaml"
    source.write_text(
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      responses:\n"
        "        200: {description: ok}\n"  # an integer key, as the vendor writes it
        "        404: {description: gone}\n"
        "      x-since: 2026-12-06\n"  # an unquoted date
        "      x-at: 2026-12-06T12:00:00Z\n"
        "      x-flags: {true: yes, 1.5: x}\n",
        encoding="utf-8",
    )
    spec = load(source)
    operation = spec["paths"]["/a"]["get"]
    assert list(operation["responses"]) == ["200", "404"]
    assert operation["x-since"] == "2026-12-06"
    assert operation["x-at"] == "2026-12-06T12:00:00+00:00"
    assert operation["x-flags"] == {"true": True, "1.5": "x"}


@pytest.mark.parametrize(
    ("document", "pointer", "reason"),
    [
        ({"paths": {"/a": {"get": {"responses": {200: {}, "200": {}}}}}}, "#/paths/~1a/get/responses", "same key"),
        ({"components": {"schemas": {"A": {"maximum": float("nan")}}}}, "#/components/schemas/A/maximum", "not a JSON"),
        ({"info": {("a", "b"): 1}}, "#/info", "JSON keys are strings"),
        ({"info": {"x-blob": b"\x00"}}, "#/info/x-blob", "bytes has no JSON form"),
    ],
)
def test_what_json_cannot_hold_fails_naming_its_pointer(document: object, pointer: str, reason: str) -> None:
    with pytest.raises(SpecDataError) as caught:
        as_json_data(document)
    assert caught.value.pointer == pointer
    assert reason in str(caught.value)


def test_json_data_is_left_as_it_is() -> None:
    document: dict[str, object] = {"a": [1, 2.5, True, None, "t", {"b": []}]}
    assert as_json_data(document) == document
    assert as_json_data({"d": datetime.date(2026, 1, 2)}) == {"d": "2026-01-02"}


def test_make_generate_names_the_pointer_of_a_spec_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "openapi.yaml"
    text = SPEC.read_text(encoding="utf-8")
    broken.write_text(text.replace("  version: ", "  x-bad: .nan\n  version: ", 1), encoding="utf-8")
    write = regenerate.write_effective_spec
    monkeypatch.setattr(regenerate, "write_effective_spec", lambda: write(broken, tmp_path / "effective.yaml"))
    assert regenerate.main(["spec"]) == 1
    assert "spec: #/info/x-bad: nan is not a JSON number" in capsys.readouterr().err
    assert not (tmp_path / "effective.yaml").exists()
