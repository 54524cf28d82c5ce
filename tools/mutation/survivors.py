"""The known survivors: what the last full run found the contract suite does not kill yet.

A full run (and a rescore) rewrites tools/mutation/survivors.yaml, as `make bench` rewrites
BENCHMARKS.md: the list is the contract suite's to-do list, reviewed in the diff. CI's
seeded sample is judged against it: a sampled mutant that survives and is not listed is a
regression (the suite got weaker, or new code came without a check that covers it) and
fails the run; a listed one is reported and tolerated until the suite kills it. The 90%
target itself is the full run's: a sample of a few dozen mutants is too small to judge it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from tools.mutation.score import Result

__all__ = ["SURVIVORS_FILE", "load", "write"]

SURVIVORS_FILE = Path(__file__).with_name("survivors.yaml")

_HEADER = """\
# The mutants that survived the last full run of `make mutation-score`: the contract suite
# does not kill them yet. Written by the full run (and by --rescore); do not add to it by
# hand. CI's seeded sample fails on a surviving mutant that is not listed here, and
# tolerates those that are until the contract suite kills them. Named as in equivalent.yaml
# (module, operator, the mutated line's text, nth); `change` is the mutated line.
"""


def load(path: Path = SURVIVORS_FILE) -> set[tuple[str, str, str, int]]:
    """The listed survivors' keys (module, operator, line text, nth); none if there is no file."""
    if not path.exists():
        return set()
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        (entry["module"], entry["operator"], entry["line"], int(entry.get("nth", 0)))
        for entry in document.get("survivors") or []
    }


def write(survivors: Iterable[Result], summary: str, path: Path = SURVIVORS_FILE) -> None:
    entries = []
    for result in sorted(survivors, key=lambda result: result.mutant.position):
        mutant = result.mutant
        entry: dict[str, object] = {"module": mutant.module, "operator": mutant.operator, "line": mutant.text}
        if mutant.nth:
            entry["nth"] = mutant.nth
        entry["change"] = result.change
        entries.append(entry)
    body = yaml.safe_dump({"survivors": entries}, sort_keys=False, allow_unicode=True, width=200)
    path.write_text(f"{_HEADER}# {summary}\n\n{body}", encoding="utf-8")
