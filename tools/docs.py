"""Build the HTML API reference of the generated package (`make docs`) with pdoc.

pdoc documents a package's `__all__` and stops there, so the low-level layer (`api.<tag>`
and each operation's module, `client`, `types`) would be missing; every module of the
package is listed to it explicitly instead, found by walking the package.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import sys
from pathlib import Path

import pdoc
import pdoc.render

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
PACKAGE = "calyptia_cloud_client"
OUTPUT = ROOT / "build" / "docs"


def package_modules(package: str = PACKAGE) -> list[str]:
    """The package and every module below it, sorted; leaving out the modules the package's
    `__all__` already names (pdoc adds those itself and warns about a repeat)."""
    root = importlib.import_module(package)
    exported = {f"{package}.{name}" for name in getattr(root, "__all__", ())}
    found = [module.name for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")]
    return [package, *sorted(name for name in found if name not in exported)]


def build(output: Path = OUTPUT) -> Path:
    """Write the reference to `output`, replacing what was there; returns its index page."""
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))
    shutil.rmtree(output, ignore_errors=True)
    pdoc.render.configure(docformat="google", search=True, show_source=True)
    pdoc.pdoc(*package_modules(), output_directory=output)
    return output / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the HTML (default: build/docs)")
    args = parser.parse_args(argv)
    index = build(args.output)
    print(f"API reference: {index.relative_to(ROOT) if index.is_relative_to(ROOT) else index}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
