"""`make generate` writes only what changed: an unchanged file keeps its bytes and its
timestamp, so the next `make` finds nothing new (the venv's stamp depends on
mock/pyproject.toml, which every regeneration used to rewrite)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tools.generation.regenerate import MOCK_PYPROJECT, mock_files, sync_tree, write_if_changed
from tools.paths import ROOT

OLD = 1_000_000_000  # a timestamp long past: a rewrite would move it


def _aged(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (OLD, OLD))
    return path


def test_an_unchanged_file_keeps_its_timestamp(tmp_path: Path) -> None:
    kept = _aged(tmp_path / "same.py", b"x = 1\n")
    assert write_if_changed(kept, b"x = 1\n") is False
    assert kept.stat().st_mtime == OLD
    assert write_if_changed(kept, b"x = 2\n") is True
    assert kept.read_bytes() == b"x = 2\n"
    assert kept.stat().st_mtime > OLD


def test_sync_tree_writes_the_changed_adds_the_new_and_removes_the_gone(tmp_path: Path) -> None:
    source, destination = tmp_path / "fresh", tmp_path / "generated"
    for name, content in {"pkg/same.py": b"same", "pkg/changed.py": b"new", "pkg/sub/added.py": b"added"}.items():
        _aged(source / name, content)
    same = _aged(destination / "pkg/same.py", b"same")
    _aged(destination / "pkg/changed.py", b"old")
    _aged(destination / "pkg/gone/removed.py", b"removed")
    _aged(destination / "pkg/__pycache__/same.cpython-311.pyc", b"cache")

    changed = sync_tree(source, destination)

    assert sorted(path.relative_to(destination).as_posix() for path in changed) == [
        "pkg/changed.py",
        "pkg/gone/removed.py",
        "pkg/sub/added.py",
    ]
    assert same.stat().st_mtime == OLD
    assert (destination / "pkg/changed.py").read_bytes() == b"new"
    assert not (destination / "pkg/gone").exists()
    assert (destination / "pkg/__pycache__/same.cpython-311.pyc").exists(), "caches are not generated files"


def test_the_mock_files_of_this_checkout_are_current() -> None:
    """What generate would write into mock/ is what is there: nothing to rewrite (make check
    covers generated/ itself)."""
    for _, path, content in mock_files():
        assert path.read_bytes() == content, path


@pytest.mark.e2e  # make generate in this checkout, then make's own verdict on the venv
def test_a_second_make_after_a_regeneration_does_no_venv_work() -> None:
    stamp = ".venv/.installed-from-requirements"
    if not (ROOT / stamp).exists():
        pytest.skip("no venv stamp: make has not bootstrapped this checkout")
    before = MOCK_PYPROJECT.stat().st_mtime
    subprocess.run(["make", "generate"], cwd=ROOT, check=True, capture_output=True)
    assert MOCK_PYPROJECT.stat().st_mtime == before
    # `make -q` exits 0 when the target is up to date: no venv would be rebuilt.
    assert subprocess.run(["make", "-q", stamp], cwd=ROOT, check=False).returncode == 0
