"""`make dist`: the sdist and wheel of both shipped packages, built and checked, into dist/.

1. empty dist/, then build `generated/` (calyptia-cloud-client) and `mock/` (calyptia-mock)
   with the pinned uv (`uv build`: an isolated build environment with pdm-backend);
2. check every file with `twine check --strict` (metadata and the README as PyPI renders it);
3. check what a user would trip over that twine does not: each package's version is the
   spec's `info.version`, and each wheel has its LICENSE and `py.typed`.

`make install-check` and `make compat` install these wheels, not the folders.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tools.generation.regenerate import spec_version
from tools.paths import ROOT

DIST = ROOT / "dist"
BIN = Path(sys.executable).parent
# (folder, distribution name, import package)
PACKAGES = (
    (ROOT / "generated", "calyptia-cloud-client", "calyptia_cloud_client"),
    (ROOT / "mock", "calyptia-mock", "calyptia_mock"),
)


class DistError(Exception):
    """A built file that must not ship."""


def build(dist: Path = DIST) -> list[Path]:
    """Build both packages into an emptied `dist`; return the files built."""
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir(parents=True)
    for folder, _, _ in PACKAGES:
        # --no-config: no uv.toml of the user's may change how the package is built.
        command = [str(BIN / "uv"), "build", "--no-config", "--quiet", "--out-dir", str(dist), str(folder)]
        subprocess.run(command, check=True)
    # uv also leaves a .gitignore there: only the distributions count.
    return sorted([*dist.glob("*.whl"), *dist.glob("*.tar.gz")])


def twine_check(files: list[Path]) -> None:
    result = subprocess.run([str(BIN / "twine"), "check", "--strict", *map(str, files)], capture_output=True, text=True)
    if result.returncode != 0:
        raise DistError(f"twine check --strict failed:\n{result.stdout}{result.stderr}")


def wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    """A wheel's METADATA headers, each name to its values (Requires-Dist has several)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8")
    headers: dict[str, list[str]] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(": ")
        headers.setdefault(key, []).append(value)
    return headers


def wheels(dist: Path = DIST) -> list[Path]:
    """The wheels of this checkout's version in `dist`, one per package; DistError if missing."""
    version = spec_version()
    found = []
    for _, _, package in PACKAGES:
        wheel = dist / f"{package}-{version}-py3-none-any.whl"
        if not wheel.is_file():
            raise DistError(f"{wheel.relative_to(ROOT)} is missing: run `make dist`")
        found.append(wheel)
    return found


def check_contents(dist: Path = DIST) -> None:
    """Each wheel: the spec's version, its LICENSE and py.typed (Typing :: Typed means it)."""
    version = spec_version()
    for wheel, (_, name, package) in zip(wheels(dist), PACKAGES, strict=True):
        metadata = wheel_metadata(wheel)
        if metadata["Name"] != [name] or metadata["Version"] != [version]:
            raise DistError(f"{wheel.name}: {metadata['Name']} {metadata['Version']}, expected {name} {version}")
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
        for required in (f"{package}/py.typed", f"{package}-{version}.dist-info/licenses/LICENSE"):
            if required not in names:
                raise DistError(f"{wheel.name} has no {required}")


def main() -> int:
    try:
        files = build()
        twine_check(files)
        check_contents()
    except (DistError, subprocess.CalledProcessError) as exc:
        print(f"dist: {exc}", file=sys.stderr)
        return 1
    for path in files:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    print(f"twine check --strict: {len(files)} files PASSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
