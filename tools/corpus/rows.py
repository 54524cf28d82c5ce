"""One spec's record: what the bare generator and our pipeline made of it.

A row is what build/corpus/corpus.json holds per spec and all the report reads, so the report
can be rebuilt from the JSON (`python -m tools.corpus --rows build/corpus/corpus.json`) and
tested on hand-made rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Bare:
    """The pinned generator with its defaults (`generate --meta pdm`, its ruff post-hooks)."""

    exit: int
    seconds: float
    skipped: int = 0  # endpoints and schemas it left out or cut short (generator_output.skipped)
    messages: list[str] = field(default_factory=list)  # the first few problems it printed
    root: str | None = None  # its root problem as a cause (causes.generator)

    @property
    def clean(self) -> bool:
        return self.exit == 0 and self.skipped == 0


@dataclass
class Ours:
    """`make generate`'s pipeline (tools.generation.regenerate.generate_into) on the spec."""

    exit: int
    seconds: float
    traceback: bool = False
    error: str | None = None  # the last line of stderr when it failed
    endpoints: int = 0  # endpoint modules written (each operation's module counted once)


@dataclass
class Row:
    """One spec: where it is, how big, and how far each side got."""

    path: str  # relative to the directory's api/
    bytes: int
    openapi: str
    operations: int
    bare: Bare
    ours: Ours
    imports: bool | None = None  # None: not run (ours failed)
    mypy_errors: int | None = None  # None: not run (ours failed, or the package does not import)
    complete: bool = False
    cause: str | None = None  # why it is not complete, names stripped (causes)

    @property
    def broken_behind_exit_0(self) -> bool:
        """Ours exited 0 but what it wrote does not import or fails `mypy --strict`."""
        return self.ours.exit == 0 and (self.imports is False or bool(self.mypy_errors))

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        values = dict(data)
        values["bare"] = Bare(**values["bare"])
        values["ours"] = Ours(**values["ours"])
        return cls(**values)
