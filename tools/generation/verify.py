"""After generation: the package compiles and imports, or the refusal names what broke it.

The generator and our templates can write code that is not Python (two arguments of one name)
or does not import, and the generator still exits 0. `make generate` must never leave such a
package behind a green exit, so every module is compiled, then the whole package imported in a
fresh interpreter (the package's name is also generated/'s, which this process may hold). A
failure is traced to the module and line it happened at, and from there to the operation or
schema that module was generated from.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["GeneratedCodeError", "verify_package"]

# Imports every module of the package, so that one no other module imports is checked too.
_IMPORT_ALL = (
    "import importlib, pkgutil, sys\n"
    "package = importlib.import_module(sys.argv[1])\n"
    "for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
    "    importlib.import_module(module.name)\n"
)
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(?P<name>\w+)\s*\(")


class GeneratedCodeError(Exception):
    """The generated package does not compile or import; the message names where and why."""


def verify_package(package: Path, describe: Callable[[Path, str | None], str]) -> None:
    """Compile every module, then import them all; raise GeneratedCodeError naming the first failure.

    `describe(module, function)` says what a module (and the function at the failing line, if
    any) was generated from: `the operation listPets (GET /pets)`, say."""
    for module in sorted(package.rglob("*.py")):
        source = module.read_text(encoding="utf-8")
        try:
            compile(source, str(module), "exec", dont_inherit=True)
        except SyntaxError as exc:
            function = _enclosing_function(source, exc.lineno)
            error = f"SyntaxError: {exc.msg}"
            raise GeneratedCodeError(_message(package, module, exc.lineno, function, describe, error)) from None
    env = {**os.environ, "PYTHONPATH": str(package.parent), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, package.name],
        cwd=package.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode == 0:
        return
    lines = done.stderr.strip().splitlines()
    error = lines[-1] if lines else f"exit {done.returncode}"
    frames = [(Path(m["file"]), int(m["line"])) for m in _FRAME.finditer(done.stderr)]
    inside = [(file, line) for file, line in frames if file.is_relative_to(package)]
    if not inside:
        raise GeneratedCodeError(f"the package {package.name} does not import: {error}")
    module, line = inside[-1]
    function = _enclosing_function(module.read_text(encoding="utf-8"), line)
    raise GeneratedCodeError(_message(package, module, line, function, describe, error))


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
