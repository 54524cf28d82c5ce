"""Every mutant of the mock's behaviour modules, named stably, sampled and applied to a copy.

The mutations are Cosmic Ray's: every operator of its `core` provider that takes no
arguments (what `cosmic-ray init` uses with an empty configuration), each occurrence in
each module, numbered as Cosmic Ray numbers them, so `mutate_code(source, operator,
occurrence)` makes exactly the enumerated mutation. Cosmic Ray's occurrence shifts when an
earlier line changes, so a mutant is *named* by what does not: its module, its operator,
the text of the mutated line and which of the same operator's mutations of lines with that
text it is (`nth`, usually 0).
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cosmic_ray.plugins  # type: ignore[import-untyped]
import parso
from cosmic_ray.ast import ast_nodes, get_ast  # type: ignore[import-untyped]
from cosmic_ray.mutating import mutate_code  # type: ignore[import-untyped]

from tools.paths import ROOT

__all__ = [
    "BEHAVIOUR_MODULES",
    "MOCK_PACKAGE",
    "Mutant",
    "MutationError",
    "apply",
    "changed_text",
    "compiles",
    "diff",
    "enumerate_mutants",
    "module_mutants",
    "mutated_package",
    "operators",
    "sample",
]

# The folder holding calyptia_mock/ (what `python -m tools.contract --mock-package` takes).
MOCK_PACKAGE = ROOT / "mock"
# The mock's behaviour code: the handlers, their registry, the store, auth and the cursors.
# The rest of the package is the server stack, validation against the spec, the control API.
BEHAVIOUR_MODULES = (
    "calyptia_mock/projects.py",
    "calyptia_mock/handlers.py",
    "calyptia_mock/store.py",
    "calyptia_mock/auth.py",
    "calyptia_mock/cursor.py",
)
_FUTURE_ANNOTATIONS = "from __future__ import annotations"


class MutationError(RuntimeError):
    """A mutant could not be applied as enumerated: the source changed under the run."""


@dataclass(frozen=True, slots=True)
class Mutant:
    """One mutation: `operator` at its `occurrence` in `module` (both as Cosmic Ray counts them)."""

    module: str  # relative to the package folder: "calyptia_mock/store.py"
    operator: str  # Cosmic Ray's name: "core/ReplaceComparisonOperator_Is_IsNot"
    occurrence: int
    line: int  # 1-based, where the mutated node starts
    column: int
    text: str  # that line, stripped
    nth: int  # among this module's mutants with this operator and this line text
    definition: str | None  # the enclosing function or class, if any
    annotation: bool  # inside a type annotation of a module that never evaluates them

    @property
    def key(self) -> tuple[str, str, str, int]:
        """What names the mutant across unrelated edits (the occurrence and line number do not)."""
        return self.module, self.operator, self.text, self.nth

    @property
    def position(self) -> tuple[str, int, int, str, int]:
        """Where it is, for sorting: module, line, column, then operator."""
        return self.module, self.line, self.column, self.operator, self.occurrence

    @property
    def where(self) -> str:
        return f"{self.module}:{self.line}"

    @property
    def label(self) -> str:
        """`file:line operator`, `#nth` when another mutant shares the line text and operator."""
        return f"{self.where} {self.operator}" + (f" #{self.nth}" if self.nth else "")

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Mutant:
        return cls(
            entry["module"],
            entry["operator"],
            entry["occurrence"],
            entry["line"],
            entry["column"],
            entry["text"],
            entry["nth"],
            entry["definition"],
            entry["annotation"],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "line": self.line,
            "column": self.column,
            "operator": self.operator,
            "occurrence": self.occurrence,
            "text": self.text,
            "nth": self.nth,
            "definition": self.definition,
            "annotation": self.annotation,
        }


@cache
def operators() -> tuple[tuple[str, Any], ...]:
    """(name, instance) of every operator `cosmic-ray init` uses by default, in its order."""
    chosen = []
    for name in cosmic_ray.plugins.operator_names():
        operator_class = cosmic_ray.plugins.get_operator(name)
        if not operator_class.arguments():  # the others need configured arguments
            chosen.append((name, operator_class()))
    return tuple(chosen)


def enumerate_mutants(
    modules: Iterable[str] = BEHAVIOUR_MODULES, package: Path = MOCK_PACKAGE
) -> tuple[list[Mutant], dict[str, str]]:
    """Every mutant of `modules` (paths relative to `package`), and each module's source as read."""
    mutants: list[Mutant] = []
    sources: dict[str, str] = {}
    for module in modules:
        source = (package / module).read_text(encoding="utf-8")
        sources[module] = source
        mutants += module_mutants(module, source)
    return mutants, sources


def module_mutants(module: str, source: str) -> list[Mutant]:
    """The mutants of one module's source, in Cosmic Ray's order (operator, then position)."""
    lines = source.splitlines()
    evaluates_annotations = _FUTURE_ANNOTATIONS not in source
    tree = get_ast(source)
    nodes = list(ast_nodes(tree))
    seen: Counter[tuple[str, str]] = Counter()
    found = []
    for name, operator in operators():
        positions = ((node, start) for node in nodes for start, _ in operator.mutation_positions(node))
        for occurrence, (node, (line, column)) in enumerate(positions):
            text = lines[line - 1].strip()
            nth = seen[name, text]
            seen[name, text] += 1
            found.append(
                Mutant(
                    module=module,
                    operator=name,
                    occurrence=occurrence,
                    line=line,
                    column=column,
                    text=text,
                    nth=nth,
                    definition=_definition(node),
                    annotation=not evaluates_annotations and _in_annotation(node),
                )
            )
    return found


def _definition(node: parso.tree.NodeOrLeaf) -> str | None:
    parent = node.parent
    while parent is not None:
        if parent.type in ("funcdef", "classdef"):
            name = parent.children[1]
            return name.value if isinstance(name, parso.tree.Leaf) else None
        parent = parent.parent
    return None


def _in_annotation(node: parso.tree.NodeOrLeaf) -> bool:
    """Is `node` inside a parameter's, a return or a variable's annotation?"""
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "tfpdef" and child is parent.children[-1] and len(parent.children) == 3:
            return True  # name ':' annotation
        if parent.type == "annassign" and child is parent.children[1]:
            return True  # ':' annotation ['=' value]
        if parent.type == "funcdef":
            index = parent.children.index(child)
            previous = parent.children[index - 1] if index else None
            return isinstance(previous, parso.tree.Leaf) and previous.value == "->"
        if parent.type in ("classdef", "file_input", "lambdef"):
            return False
        child, parent = parent, parent.parent
    return False


def apply(mutant: Mutant, source: str) -> str:
    """`source` with `mutant` applied; raises MutationError if Cosmic Ray makes no such change."""
    operator = dict(operators())[mutant.operator]
    try:
        mutated: str | None = mutate_code(source, operator, mutant.occurrence)
    except Exception as exc:  # Cosmic Ray's own bugs, e.g. ExceptionReplacer on `except (binascii.Error, ...)`
        raise MutationError(f"{mutant.label}: Cosmic Ray cannot apply it: {type(exc).__name__}: {exc}") from exc
    if mutated is None or mutated == source:
        raise MutationError(f"{mutant.label}: no mutation at occurrence {mutant.occurrence}")
    changed = _changed_lines(source, mutated)
    if mutant.line not in changed:
        raise MutationError(f"{mutant.label}: the mutation changed lines {sorted(changed)}, not {mutant.line}")
    return mutated


def compiles(mutated: str, module: str) -> bool:
    """Is the mutated module valid Python? Cosmic Ray's binary operators also rewrite a bare `*`
    of a parameter list or the `**` of a dict display, which makes a syntax error: such a
    mutant tests nothing (every mock would fail to start) and is not counted."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # `x is "literal"`: valid, and a mutant like any other
        try:
            compile(mutated, module, "exec", dont_inherit=True)
        except SyntaxError:
            return False
    return True


def _changed_lines(before: str, after: str) -> set[int]:
    """The 1-based lines of `before` that `after` replaces or deletes (RemoveDecorator also
    takes the blank lines above the decorator)."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    return {
        number
        for tag, start, end, _, _ in matcher.get_opcodes()
        if tag in ("replace", "delete")
        for number in range(start + 1, end + 1)
    }


def diff(module: str, source: str, mutated: str) -> str:
    """The unified diff of one mutation, paths as in the package folder."""
    return "".join(
        difflib.unified_diff(
            source.splitlines(keepends=True), mutated.splitlines(keepends=True), f"a/{module}", f"b/{module}", n=1
        )
    )


def changed_text(source: str, mutated: str) -> str:
    """The mutated line(s), stripped: what a one-line report shows after the original."""
    added = [
        line[1:].strip()
        for line in difflib.unified_diff(source.splitlines(), mutated.splitlines(), lineterm="", n=0)
        if line.startswith("+") and not line.startswith("+++")
    ]
    return " / ".join(added) if added else "(line removed)"


def mutated_package(mutant: Mutant, mutated: str, package: Path, into: Path) -> Path:
    """Copy `package`'s calyptia_mock/ into `into` with `mutant`'s module replaced by `mutated`;
    return `into` (a folder for `--mock-package`).

    The bytecode caches are copied too (each is checked against its source's size and mtime,
    which the copy keeps), except the mutated module's, which is removed: the child compiles
    the mutant and reuses the rest."""
    target = into / mutant.module
    top = Path(mutant.module).parts[0]
    shutil.copytree(package / top, into / top)
    target.write_text(mutated, encoding="utf-8")
    for cached in (target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"):
        cached.unlink()
    return into


def sample(
    mutants: Sequence[Mutant], size: int, seed: int, accept: Callable[[Mutant], bool] = lambda mutant: True
) -> list[Mutant]:
    """A fixed choice of `size` mutants that `accept` takes, for a seed: the mutants ranked by a
    hash of the seed and their stable names, the first `size` accepted. Neither the
    enumeration order nor an unrelated edit's line numbers move it, and a mutant added or
    removed (an edit, a newly reviewed equivalent) changes it by at most that one mutant."""
    ranked = sorted(mutants, key=lambda mutant: _rank(seed, mutant))
    chosen: list[Mutant] = []
    for mutant in ranked:
        if len(chosen) == size:
            break
        if accept(mutant):
            chosen.append(mutant)
    return sorted(chosen, key=lambda mutant: mutant.position)


def _rank(seed: int, mutant: Mutant) -> bytes:
    return hashlib.sha256(repr((seed, *mutant.key)).encode("utf-8")).digest()
