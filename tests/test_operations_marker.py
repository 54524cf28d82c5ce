"""Every test that enumerates the spec's operations carries the `operations` marker, so that
`pytest -m operations` (which the maintainer loop runs after adding an operation) runs each test
an added operation could break.

The check reads the tests' source: a test function enumerates operations when its body, its
decorators, or a module-level name those use calls one of the functions that list them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# What lists the repository's operations: always (the generated package's modules, the
# effective spec's operations), or when called on the repository's spec (no argument, or one
# built from load_spec / SPEC / effective_spec); on a spec a test wrote itself, they do not.
ALWAYS = frozenset({"spec_operations", "operation_modules", "client_operation_names"})
ON_THE_SPEC = frozenset({"method_names", "operations", "operation_table"})
THE_SPEC = frozenset({"load_spec", "SPEC", "effective_spec", "spec_operations"})


def _names(node: ast.AST) -> set[str]:
    """Every name and attribute a node refers to."""
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
    return found


def _called(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def _enumerates(node: ast.AST) -> bool:
    """Whether `node` itself calls something that lists the repository's operations."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            name = _called(child)
            arguments = [*child.args, *(keyword.value for keyword in child.keywords)]
            if name in ALWAYS:
                return True
            if name in ON_THE_SPEC and (not arguments or any(_names(arg) & THE_SPEC for arg in arguments)):
                return True
    return False


def _module_level(tree: ast.Module) -> dict[str, ast.AST]:
    """Module-level functions, classes and assignments by name: what a test may use indirectly."""
    defined: dict[str, ast.AST] = {}
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined[statement.name] = statement
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    defined[target.id] = statement
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            defined[statement.target.id] = statement
    return defined


def _reaches(node: ast.AST, defined: dict[str, ast.AST]) -> bool:
    """Whether `node`, or what it uses of its module (transitively), calls an enumerator."""
    seen: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if _enumerates(current):
            return True
        names = _names(current)
        for name in names - seen:
            seen.add(name)
            if name in defined:
                pending.append(defined[name])
    return False


def _marked(function: ast.FunctionDef | ast.AsyncFunctionDef, tree: ast.Module) -> bool:
    module_marks = [s for s in tree.body if isinstance(s, ast.Assign) and "pytestmark" in _names(s)]
    decorators = [*function.decorator_list, *module_marks]
    return any("operations" in _names(decorator) and "mark" in _names(decorator) for decorator in decorators)


def _tests() -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ast.Module]]:
    for path in sorted(TESTS.rglob("test_*.py")):
        if "fixtures" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and statement.name.startswith("test_"):
                yield f"{path.relative_to(TESTS.parent)}::{statement.name}", statement, tree


def test_every_test_that_enumerates_operations_is_marked() -> None:
    unmarked = []
    for where, function, tree in _tests():
        defined = _module_level(tree)
        defined.pop(function.name, None)
        if _reaches(function, defined) and not _marked(function, tree):
            unmarked.append(where)
    assert not unmarked, "enumerate the spec's operations without @pytest.mark.operations:\n" + "\n".join(unmarked)


def test_the_check_sees_an_enumeration_through_a_module_constant() -> None:
    """The check itself: a parametrize list built by a module-level call counts, and a mark clears it."""
    source = (
        "import pytest\n"
        "CASES = [op.name for op in spec_operations()]\n"
        "@pytest.mark.parametrize('case', CASES)\n"
        "def test_a(case): ...\n"
        "@pytest.mark.operations\n"
        "@pytest.mark.parametrize('case', CASES)\n"
        "def test_b(case): ...\n"
        "def test_c(): assert 1\n"
    )
    tree = ast.parse(source)
    functions = [s for s in tree.body if isinstance(s, ast.FunctionDef)]
    defined = _module_level(tree)
    verdicts = {f.name: (_reaches(f, defined), _marked(f, tree)) for f in functions}
    assert verdicts == {"test_a": (True, False), "test_b": (True, True), "test_c": (False, False)}
