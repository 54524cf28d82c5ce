"""The reviewed list of equivalent mutants (tools/mutation/equivalent.yaml), and matching it.

An equivalent mutant changes the code but nothing any caller of the mock can observe, so no
test can kill it and it is left out of the score. Each one is named as a Mutant names itself
(module, operator, the mutated line's text, `nth`) with the reason it cannot be observed;
a whole class of them is a rule, which the file turns on by giving its reason. An entry or
a rule that matches no mutant any more is stale: the code moved on and the entry needs
reviewing again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.mutation.mutants import Mutant

__all__ = ["EQUIVALENT_FILE", "RULES", "Classified", "Entry", "EquivalentFileError", "Reviewed", "classify", "load"]

EQUIVALENT_FILE = Path(__file__).with_name("equivalent.yaml")

# The rules a reviewed file may turn on: name -> which mutants it covers.
RULES: Mapping[str, Callable[[Mutant], bool]] = {
    # Mutants.annotation is only set in a module with `from __future__ import annotations`.
    "annotations": lambda mutant: mutant.annotation,
}


class EquivalentFileError(ValueError):
    """The reviewed file is malformed; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One reviewed equivalent mutant."""

    module: str
    operator: str
    line: str  # the mutated line's text, stripped
    reason: str
    nth: int = 0

    @property
    def key(self) -> tuple[str, str, str, int]:
        return self.module, self.operator, self.line, self.nth

    def describe(self) -> str:
        return f"{self.module} {self.operator} `{self.line}`" + (f" #{self.nth}" if self.nth else "")


@dataclass(frozen=True, slots=True)
class Reviewed:
    rules: Mapping[str, str] = field(default_factory=dict)  # rule name -> why its mutants are equivalent
    entries: tuple[Entry, ...] = ()


@dataclass(slots=True)
class Classified:
    """The mutants split into those to run and the equivalent ones (each with its reason)."""

    to_run: list[Mutant]
    equivalent: list[tuple[Mutant, str]]
    stale: list[str]  # entries and rules that match no mutant


_ENTRY_FIELDS = {"module", "operator", "line", "reason", "nth"}


def load(path: Path = EQUIVALENT_FILE) -> Reviewed:
    """Parse the reviewed file; EquivalentFileError on anything it cannot vouch for."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise EquivalentFileError(f"{path}: not YAML: {exc}") from exc
    return parse(document, str(path))


def parse(document: Any, source: str = "equivalent.yaml") -> Reviewed:
    if not isinstance(document, dict) or set(document) - {"rules", "mutants"}:
        raise EquivalentFileError(f"{source}: expected a mapping with `rules` and `mutants` only")
    rules = document.get("rules") or {}
    if not isinstance(rules, dict):
        raise EquivalentFileError(f"{source}: `rules` is a mapping of rule name to reason")
    for name, reason in rules.items():
        if name not in RULES:
            raise EquivalentFileError(f"{source}: unknown rule {name!r}; known: {', '.join(sorted(RULES))}")
        if not isinstance(reason, str) or not reason.strip():
            raise EquivalentFileError(f"{source}: rule {name!r} needs its reason")
    entries = [_entry(raw, index, source) for index, raw in enumerate(document.get("mutants") or [])]
    seen: set[tuple[str, str, str, int]] = set()
    for entry in entries:
        if entry.key in seen:
            raise EquivalentFileError(f"{source}: listed twice: {entry.describe()}")
        seen.add(entry.key)
    return Reviewed(dict(rules), tuple(entries))


def _entry(raw: Any, index: int, source: str) -> Entry:
    where = f"{source}: mutants[{index}]"
    if not isinstance(raw, dict) or set(raw) - _ENTRY_FIELDS:
        raise EquivalentFileError(f"{where}: expected the fields {', '.join(sorted(_ENTRY_FIELDS))}")
    missing = {"module", "operator", "line", "reason"} - set(raw)
    if missing:
        raise EquivalentFileError(f"{where}: missing {', '.join(sorted(missing))}")
    if not all(isinstance(raw[name], str) and raw[name].strip() for name in ("module", "operator", "line", "reason")):
        raise EquivalentFileError(f"{where}: module, operator, line and reason are non-empty text")
    nth = raw.get("nth", 0)
    if not isinstance(nth, int) or isinstance(nth, bool) or nth < 0:
        raise EquivalentFileError(f"{where}: nth is a whole number")
    return Entry(raw["module"], raw["operator"], raw["line"].strip(), raw["reason"].strip(), nth)


def classify(mutants: Iterable[Mutant], reviewed: Reviewed) -> Classified:
    """Split `mutants`: a listed entry wins over a rule; unmatched entries and rules are stale."""
    by_key = {entry.key: entry for entry in reviewed.entries}
    used_entries: set[tuple[str, str, str, int]] = set()
    used_rules: set[str] = set()
    result = Classified([], [], [])
    for mutant in mutants:
        entry = by_key.get(mutant.key)
        if entry is not None:
            used_entries.add(entry.key)
            result.equivalent.append((mutant, entry.reason))
            continue
        rule = next((name for name in reviewed.rules if RULES[name](mutant)), None)
        if rule is not None:
            used_rules.add(rule)
            result.equivalent.append((mutant, f"rule {rule}: {reviewed.rules[rule]}"))
            continue
        result.to_run.append(mutant)
    result.stale = [f"rule {name}" for name in reviewed.rules if name not in used_rules]
    result.stale += [entry.describe() for entry in reviewed.entries if entry.key not in used_entries]
    return result
