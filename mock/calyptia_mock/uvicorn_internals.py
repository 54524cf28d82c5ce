"""Checking the installed uvicorn for the internals the mock's HTTP protocol uses.

uvicorn's protocol classes are not its public API, and mock/pyproject.toml allows any uvicorn
from 0.25 on: a release may rename a method or an attribute http_protocol.py uses. Checked
when a server starts (server_stack.py), such a change costs the mock its JSON answers to
malformed HTTP (it serves with uvicorn's own protocol, and logs why), not every request.

Methods are looked up on the class; instance attributes are read from the assignments in
`__init__` (of the class and its bases), so nothing is constructed to check them.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import textwrap
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Internals", "missing"]


@dataclass(frozen=True)
class Internals:
    """What the mock uses of one uvicorn class, found by module and name: methods (on the
    class), attributes (set by `__init__`, or on the class) and constructor keywords."""

    module: str
    name: str
    methods: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        """What the installed uvicorn lacks, each named (`HttpToolsProtocol._should_upgrade()`)."""
        try:
            cls = getattr(importlib.import_module(self.module), self.name)
        except (ImportError, AttributeError):
            return [f"{self.module}.{self.name}"]
        gone = [f"{self.name}.{method}()" for method in self.methods if not callable(getattr(cls, method, None))]
        if self.attributes:
            assigned = assigned_in_init(cls)
            if assigned is None:
                return [*gone, f"{self.name}.__init__ (its source, to find its attributes)"]
            gone += [
                f"{self.name}.{name}" for name in self.attributes if name not in assigned and not hasattr(cls, name)
            ]
        gone += [f"{self.name}({name}=...)" for name in self.parameters if not _accepts(cls, name)]
        return gone


def missing(uses: Iterable[Internals]) -> list[str]:
    """Everything of `uses` the installed uvicorn lacks."""
    return [name for internals in uses for name in internals.missing()]


def _accepts(cls: type, keyword: str) -> bool:
    try:
        parameters = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return False
    kinds = {parameter.kind for parameter in parameters.values()}
    return keyword in parameters or inspect.Parameter.VAR_KEYWORD in kinds


def assigned_in_init(cls: type) -> frozenset[str] | None:
    """The attributes `self.x = ...` in the `__init__` of `cls` and of its bases; None when a
    source cannot be read (then nothing can be promised)."""
    names: set[str] = set()
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if not inspect.isfunction(init):
            continue  # object's, or one written in C: it sets no attribute of the protocol's
        assigned = _assigned(init)
        if assigned is None:
            return None
        names |= assigned
    return frozenset(names)


_PARSING = threading.Lock()


@functools.cache
def _assigned(function: Callable[..., Any]) -> frozenset[str] | None:
    """Cached by function, so a test that replaces an `__init__` is checked anew."""
    try:
        # One parse at a time: CPython 3.11's parser raises "AST constructor recursion depth
        # mismatch" when two threads parse at once (two mocks starting together in tests).
        with _PARSING:
            tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return None
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef) or not definition.args.args:
        return None
    this = definition.args.args[0].arg  # `self`, whatever it is called
    names: set[str] = set()
    for node in ast.walk(definition):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                names |= _attributes_of(target, this)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            names |= _attributes_of(node.target, this)
    return frozenset(names)


def _attributes_of(target: ast.expr, this: str) -> set[str]:
    """The `this.x` an assignment target sets: `this.x = ...`, `this.a, this.b = ...`."""
    if isinstance(target, ast.Tuple | ast.List):
        return {name for element in target.elts for name in _attributes_of(element, this)}
    if isinstance(target, ast.Starred):
        return _attributes_of(target.value, this)
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == this:
        return {target.attr}
    return set()
