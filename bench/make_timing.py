"""Section 6: `make` (regenerate, lint, contract) on a warm checkout, step by step.

make runs every recipe line through bench/timed_shell.sh, which logs each line's wall time,
so the breakdown is of exactly what `make` runs, in its order, and a line that runs twice
(repeated work, such as the effective spec built once for generate and again for lint)
shows up as such. "Warm": the venv and node_modules are installed first, untimed, if their
stamps are stale; generated/ is rewritten by the run with what it already holds.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from pathlib import Path

from bench.core import Section, Settings, Target, figure, log, table
from tools.paths import ROOT

SHELL = ROOT / "bench" / "timed_shell.sh"
STAMPS = [".venv/.installed-from-requirements", "node_modules/.installed-from-lock"]
MAKE_TIMEOUT_S = 1800


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("7. `make` on a warm checkout")
    subprocess.run(["make", *STAMPS], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=MAKE_TIMEOUT_S)
    walls: list[float] = []
    steps: dict[str, list[float]] = {}
    counts: Counter[str] = Counter()
    for repetition in range(settings.make_repeats):
        timing_log = scratch / f"make-timing-{repetition}.log"
        argv = ["make", "all", f"SHELL={SHELL}", f"MAKE_TIMING_LOG={timing_log}"]
        section.command(argv)
        log(f"make: rep {repetition + 1}")
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=MAKE_TIMEOUT_S)
        walls.append(time.perf_counter() - started)
        run_counts: Counter[str] = Counter()
        for line in timing_log.read_text(encoding="utf-8").splitlines():
            start, end, _, command = line.split(" ", 3)
            if command.startswith("#"):
                continue  # a comment line in a recipe
            steps.setdefault(command, []).append(float(end) - float(start))
            run_counts[command] += 1
        counts = run_counts
    total = figure(walls)
    rows = [
        [f"`{_short(command)}`", figure(seconds).show(1), f"{figure(seconds).median / total.median:.0%}"]
        for command, seconds in steps.items()
    ]
    repeated = [command for command, count in counts.items() if count > 1]
    section.body += [
        f"`make` (= generate, lint, contract) with everything installed, {settings.make_repeats} run(s) "
        f"(each takes minutes, most of it schemathesis), wall time in seconds, median (min-max): "
        f"**{total.show(1)} s** in total. Each row is one recipe line as make ran it (bench/timed_shell.sh); "
        "the steps run one after another, so the rest of the total is make itself.",
        "",
        *table(["step (recipe line)", "wall s", "share of total"], rows),
        "",
        "Repeated work: "
        + (", ".join(f"`{_short(command)}` ran {counts[command]} times" for command in repeated) or "none")
        + ". The effective spec (build/openapi.yaml) is a file target: `make generate` writes it, so lint "
        "finds it current instead of building it a second time.",
        "",
    ]
    section.targets.append(
        Target(
            "make on a warm checkout",
            "wall time reported with its breakdown by step; no step repeats work another already did",
            f"{total.show(1)} s; {len(rows)} steps; repeated: {len(repeated)}",
            not repeated,
            "" if not repeated else "see section 7",
        )
    )
    return section


def _short(command: str, width: int = 110) -> str:
    return command if len(command) <= width else command[: width - 1] + "…"
