"""README.md's Layout block names every folder in git, down to two levels (the generated
package's own folders aside), and only those: the map stays true as the tree changes."""

from __future__ import annotations

import re
import subprocess

import pytest

from tools.paths import ROOT

NOT_MAPPED = ("generated/",)  # the generator decides what is inside


def layout_folders() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Layout\n.*?```\n(.*?)```", readme, re.DOTALL)
    assert block is not None, "README.md has no Layout block"
    return [line.split()[0] for line in block.group(1).splitlines() if line.strip()]


def tracked_folders() -> set[str]:
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    folders = set()
    for name in listed.stdout.splitlines():
        parts = name.split("/")[:-1]
        for depth in (1, 2):
            folder = "/".join(parts[:depth]) + "/"
            if len(parts) >= depth and not (depth == 2 and folder.startswith(NOT_MAPPED)):
                folders.add(folder)
    return folders


def test_layout_names_each_folder_once_with_what_it_is_for() -> None:
    folders = layout_folders()
    assert len(folders) == len(set(folders))
    assert folders == sorted(folders), "keep the block in alphabetical order"
    assert set(folders) == tracked_folders()
