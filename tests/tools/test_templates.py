"""templates/ holds what the spec decides, as Jinja; templates/runtime/ what it does not, as
plain Python that type-checks on its own and lands in the package byte for byte."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from tools.generation.regenerate import GENERATED, RUNTIME, TEMPLATES, copy_runtime, package_name

JINJA = re.compile(r"\{[{%#]")
TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.jinja"))
RUNTIME_MODULES = sorted(module for module in RUNTIME.glob("*.py") if module.name != "__init__.py")
# What a runtime module may import besides the standard library and its sibling modules.
THIRD_PARTY = {"httpx", "attrs"}


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_every_template_uses_jinja(template: Path) -> None:
    """A template without Jinja is runtime code in disguise: it belongs in templates/runtime/."""
    assert JINJA.search(template.read_text(encoding="utf-8")), f"{template} has no Jinja: move it to templates/runtime/"


@pytest.mark.parametrize("module", RUNTIME_MODULES, ids=lambda path: path.name)
def test_a_runtime_module_imports_no_generated_code(module: Path) -> None:
    siblings = {path.stem for path in RUNTIME.glob("*.py")}
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            assert node.level == 1, f"{module.name}: `from {'.' * node.level}{node.module or ''}` leaves the package"
            names = [node.module] if node.module else [alias.name for alias in node.names]
            assert set(names) <= siblings, f"{module.name} imports {names}, not a runtime module"
        elif isinstance(node, ast.ImportFrom | ast.Import):
            tops = [node.module] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
            for top in (name.split(".")[0] for name in tops if name):
                assert top in sys.stdlib_module_names or top in THIRD_PARTY or top == "__future__", (module.name, top)


def test_the_runtime_modules_are_in_the_package_byte_for_byte() -> None:
    package = GENERATED / package_name()
    for module in RUNTIME_MODULES:
        assert (package / module.name).read_bytes() == module.read_bytes(), module.name


def test_copy_runtime_copies_every_module_but_the_folders_own_init(tmp_path: Path) -> None:
    (tmp_path / "errors.py").write_text("# the generator's own\n", encoding="utf-8")
    copied = copy_runtime(tmp_path)
    assert sorted(path.name for path in copied) == [module.name for module in RUNTIME_MODULES]
    assert not (tmp_path / "__init__.py").exists()
    assert (tmp_path / "errors.py").read_bytes() == (RUNTIME / "errors.py").read_bytes()
