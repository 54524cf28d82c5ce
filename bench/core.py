"""What every section shares: settings from the environment, repeated figures, report pieces.

A figure is always kept as its repetitions, so the report can give the median with the
minimum and maximum, and a ratio is computed repetition by repetition (paired within one
run) rather than from numbers measured at different times.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import shlex
import statistics
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.paths import ROOT

VENV_BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass(frozen=True)
class Settings:
    """Knobs, all from BENCH_* environment variables, so `make bench` needs no arguments."""

    duration: int  # seconds per wrk throughput run
    repeats: int  # repetitions of every figure
    warmup: int  # seconds of untimed wrk load before a server's timed runs
    scale_duration: int  # seconds per single-connection wrk run of the scaling section
    scale_sizes: tuple[int, ...]  # project counts of the scaling section
    throughput_projects: int  # projects in the mock's database for the throughput section
    generation_repeats: int  # generation is short (about a second) and noisy: more repetitions
    client_calls: int  # calls per repetition of the in-process client figures
    contract_examples: int  # --max-examples / CONTRACT_EXAMPLES
    make_repeats: int  # `make all` runs of section 7 (minutes each)
    output: Path

    @classmethod
    def from_env(cls) -> Settings:
        sizes = os.environ.get("BENCH_SCALE_SIZES", "1000,10000,100000")
        repeats = max(_env_int("BENCH_REPEATS", 3), 1)
        return cls(
            duration=max(_env_int("BENCH_DURATION", 5), 1),
            repeats=repeats,
            warmup=_env_int("BENCH_WARMUP", 1),
            scale_duration=max(_env_int("BENCH_SCALE_DURATION", 3), 1),
            scale_sizes=tuple(int(size) for size in sizes.split(",") if size.strip()),
            throughput_projects=_env_int("BENCH_PROJECTS", 10_000),
            generation_repeats=max(_env_int("BENCH_GENERATION_REPEATS", 5), repeats),
            client_calls=_env_int("BENCH_CLIENT_CALLS", 3000),
            contract_examples=_env_int("BENCH_CONTRACT_EXAMPLES", 100),
            make_repeats=max(_env_int("BENCH_MAKE_REPEATS", 1), 1),
            output=ROOT / os.environ.get("BENCH_OUTPUT", "BENCHMARKS.md"),
        )


@dataclass(frozen=True)
class Figure:
    """One measured quantity, every repetition kept."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def show(self, digits: int = 0, unit: str = "") -> str:
        """`median (min-max)`, the form every table of the report uses."""
        return f"{self.median:,.{digits}f}{unit} ({self.low:,.{digits}f}-{self.high:,.{digits}f})"


def figure(values: Sequence[float]) -> Figure:
    return Figure(tuple(values))


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> Figure:
    """Repetition i over repetition i: both were measured back to back in the same run."""
    return Figure(tuple(a / b for a, b in zip(numerators, denominators, strict=True)))


@dataclass(frozen=True)
class Target:
    """A goal from the brief, whether this run met it, and what bounds the gap."""

    name: str
    goal: str
    measured: str
    met: bool
    bound: str = ""


@dataclass
class Section:
    """One numbered part of BENCHMARKS.md: its commands, its tables and its targets."""

    title: str
    commands: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    def python(self, code: str, where: str) -> None:
        """Record a step that runs in the bench process, as a comment naming the module."""
        line = f"# in-process ({where}): {code}"
        if line not in self.commands:
            self.commands.append(line)

    def command(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        """Record a command as run, once, with the random port and scratch folder as names."""
        shown = show_command(argv, env)
        if shown not in self.commands:
            self.commands.append(shown)


SCRATCH = Path(tempfile.gettempdir())


def show_command(argv: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """A copyable command line: repository paths relative, ports and scratch paths named."""
    prefix = " ".join(f"{name}={shlex.quote(value)}" for name, value in (env or {}).items())
    text = f"{prefix} {shlex.join(argv)}".strip()
    text = text.replace(f"{ROOT}/", "").replace(str(ROOT), ".")
    text = re.sub(re.escape(str(SCRATCH)) + r"/bench-[^/ ]+", "$TMP", text)
    text = re.sub(r"\$TMP/rep-\d+/", "$TMP/rep-N/", text)
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:$PORT", text)
    return re.sub(r"(--port|-p) \d+", r"\1 $PORT", text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: bool = False) -> list[str]:
    """A Markdown table; a column whose first cell looks like a number is right-aligned unless `left`."""
    first = rows[0] if rows else ["" for _ in header]
    align = ["---:" if not left and re.match(r"^[+\-\d,.%]", cell) else "---" for cell in first]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def profile_times(profiler: cProfile.Profile) -> dict[tuple[str, int, str], tuple[int, float, float]]:
    """(file, line, function) -> (calls, own s, inclusive s) from a profile; pstats keeps it untyped."""
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = vars(pstats.Stats(profiler))["stats"]
    return {key: (calls, own, inclusive) for key, (_, calls, own, inclusive, _) in raw.items()}


def log(message: str) -> None:
    """Progress on stderr: a run takes minutes."""
    print(f"bench: {message}", file=sys.stderr, flush=True)
