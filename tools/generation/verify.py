"""After generation: the package compiles and imports, or the refusal names what broke it.

The generator and our templates can write code that is not Python (two arguments of one name)
or does not import, and the generator still exits 0. `make generate` must never leave such a
package behind a green exit, so every module is imported (under a
private name: the package's own is also generated/'s, which this process may hold). A
failure is traced to the module and line it happened at, and from there to the operation or
schema that module was generated from.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

__all__ = ["GeneratedCodeError", "verify_package"]

_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(?P<name>\w+)\s*\(")


class GeneratedCodeError(Exception):
    """The generated package does not compile or import; the message names where and why."""


def verify_package(package: Path, describe: Callable[[Path, str | None], str]) -> None:
    """Import every module; raise GeneratedCodeError naming the first that does not compile or import.

    `describe(module, function)` says what a module (and the function at the failing line, if
    any) was generated from: `the operation listPets (GET /pets)`, say. Importing compiles each
    module once (a separate compile pass took a second of the vendor's 570 modules again)."""
    try:
        _import_all(package)
    except SyntaxError as exc:  # the module and line are the error's own, not a frame's
        module, line = Path(exc.filename or package / "__init__.py"), exc.lineno
        function = _enclosing_function(module.read_text(encoding="utf-8"), line)
        error = f"SyntaxError: {exc.msg}"
        raise GeneratedCodeError(_message(package, module, line, function, describe, error)) from None
    except Exception as exc:
        frames = [(Path(f.filename), f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
        inside = [(file, line) for file, line in frames if file.is_relative_to(package)]
        error = f"{type(exc).__name__}: {exc}"
        if not inside:
            raise GeneratedCodeError(f"the package {package.name} does not import: {error}") from None
        module, frame_line = inside[-1]
        function = _enclosing_function(module.read_text(encoding="utf-8"), frame_line)
        raise GeneratedCodeError(_message(package, module, frame_line, function, describe, error)) from None


def _import_all(package: Path) -> None:
    """Import every module of `package` in this process, under a private name of its own.

    Not by its own name: that is generated/'s, which this process may hold already. The package
    imports itself by relative imports, so any name serves; its modules are dropped again after."""
    alias = f"_verify_{package.name}_{id(package):x}"
    spec = importlib.util.spec_from_file_location(
        alias, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"no package at {package}")
    root = importlib.util.module_from_spec(spec)
    sys.modules[alias] = root
    try:
        spec.loader.exec_module(root)
        for found in pkgutil.walk_packages(root.__path__, f"{alias}."):
            importlib.import_module(found.name)
    finally:
        for name in [name for name in sys.modules if name == alias or name.startswith(f"{alias}.")]:
            del sys.modules[name]


def _message(
    package: Path,
    module: Path,
    line: int | None,
    function: str | None,
    describe: Callable[[Path, str | None], str],
    error: str,
) -> str:
    where = f"{module.relative_to(package.parent)}:{line or '?'}"
    return (
        f"{describe(module, function)}: the generated code does not import ({where}: {error})."
        " This is a defect of templates/ or tools/generation/; until it is mended, an overlay can change"
        " or remove what it comes from, or generator_config.yml's left_out can list it with the reason"
    )


def _enclosing_function(source: str, line: int | None) -> str | None:
    """The name of the innermost `def` at or above `line` (1-based), if any."""
    if not line:
        return None
    for text in reversed(source.splitlines()[:line]):
        found = _DEF.match(text)
        if found:
            return found["name"]
    return None
