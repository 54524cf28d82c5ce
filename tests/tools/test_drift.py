"""generated/ is exactly what the pinned generator writes from openapi.yaml, and the mock's
packaged spec is openapi.yaml byte for byte."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openapi_python_client
import pytest

from tools.generation import regenerate
from tools.generation.regenerate import GENERATED, PACKAGED_SPEC, file_diff, generate_into, tree_diff
from tools.paths import SPEC


@pytest.mark.e2e  # a whole regeneration, as make check does (CI runs it too)
def test_committed_package_matches_a_fresh_regeneration(tmp_path: Path) -> None:
    fresh = tmp_path / "generated"
    generate_into(fresh)
    assert "".join(tree_diff(GENERATED, fresh)) == ""


@pytest.mark.e2e  # two whole regenerations
def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    generate_into(first)
    generate_into(second)
    assert tree_diff(first, second) == []
    assert not list(first.rglob(".ruff_cache")), "the ruff hooks must not leave a cache behind"


@pytest.mark.e2e  # a whole regeneration of an edited spec
def test_removing_a_required_field_is_drift(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    text = SPEC.read_text(encoding="utf-8")
    marker = "      required: [id, token, createdAt, membership]\n"
    assert marker in text
    spec.write_text(text.replace(marker, "      required: [id, createdAt, membership]\n"), encoding="utf-8")
    mutated = tmp_path / "generated"
    generate_into(mutated, spec=spec)
    diff = "".join(tree_diff(GENERATED, mutated))
    assert "calyptia_cloud_client/models/created_project.py" in diff
    assert "-    token: str" in diff


def test_diff_names_added_and_removed_files(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(GENERATED, copy)
    (copy / "calyptia_cloud_client" / "types.py").unlink()
    (copy / "stale.py").write_text("x = 1\n", encoding="utf-8")
    diff = "".join(tree_diff(GENERATED, copy))
    assert "--- generated/calyptia_cloud_client/types.py\n+++ /dev/null" in diff
    assert "--- /dev/null\n+++ regenerated/stale.py" in diff


def test_caches_beside_the_code_are_not_drift(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(GENERATED, copy)
    for cache in ("__pycache__", ".mypy_cache"):
        (copy / "calyptia_cloud_client" / cache).mkdir(exist_ok=True)
        (copy / "calyptia_cloud_client" / cache / "x.pyc").write_bytes(b"\0")
    assert tree_diff(GENERATED, copy) == []


def test_overridden_templates_match_the_pinned_generator() -> None:
    """Each override began as a copy of the generator's template: an upgrade must be reviewed.
    A line is `digest  template [override]`: the override is the template's own name, or the
    plain module of templates/runtime/ that replaces the template's output."""
    upstream = Path(openapi_python_client.__file__).parent / "templates"
    recorded = Path(__file__).resolve().parents[2] / "templates" / "UPSTREAM.sha256"
    for line in recorded.read_text(encoding="utf-8").splitlines():
        digest, name, *override = line.split()
        assert hashlib.sha256((upstream / name).read_bytes()).hexdigest() == digest, name
        assert (recorded.parent / (override[0] if override else name)).exists(), name


def test_the_mock_packages_openapi_yaml_byte_for_byte() -> None:
    assert file_diff(PACKAGED_SPEC, SPEC, "packaged", "openapi.yaml") == []


def test_check_fails_when_the_packaged_spec_drifts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "openapi.yaml"
    stale.write_text(SPEC.read_text(encoding="utf-8").replace("version: 1.", "version: 0.", 1), encoding="utf-8")
    monkeypatch.setattr(regenerate, "PACKAGED_SPEC", stale)
    # The client package itself is current: only the packaged spec differs.
    monkeypatch.setattr(regenerate, "generate_into", lambda output: shutil.copytree(GENERATED, output))
    assert regenerate.main(["check"]) == 1
    captured = capsys.readouterr()
    assert "--- mock/calyptia_mock/openapi.yaml\n+++ regenerated/mock/calyptia_mock/openapi.yaml" in captured.out
    assert "-  version: 0." in captured.out
    assert "run `make generate`" in captured.err
