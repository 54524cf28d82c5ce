"""Section 3: what our generation pipeline costs over a bare openapi-python-client run.

Ours is `tools.generation.regenerate.generate_into` (overlays applied in-process, then the generator
with our config, templates and ruff post-hooks); the baseline is the generator alone on the
already-written effective spec, with its default settings. Both write into scratch
folders, never into generated/. Runs alternate, after one untimed run of each.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.core import VENV_BIN, Section, Settings, Target, figure, log, paired_ratio, table
from tools.generation.regenerate import EFFECTIVE_SPEC, generate_into
from tools.paths import ROOT

# The generator's default post-hooks call `ruff`: the pinned one, as generate_into arranges.
_ENV = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _bare_argv(output: Path) -> list[str]:
    return [
        str(VENV_BIN / "openapi-python-client"), "generate",
        "--path", str(EFFECTIVE_SPEC),
        "--meta", "pdm",
        "--output-path", str(output),
        "--overwrite",
    ]  # fmt: skip


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("3. Generation")
    spec_argv = [sys.executable, "-m", "tools.generation.regenerate", "spec"]
    section.command(spec_argv)
    subprocess.run(spec_argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=120)

    def ours(index: int) -> None:
        generate_into(scratch / f"generated-ours-{index}")

    def bare(index: int) -> None:
        argv = _bare_argv(scratch / f"generated-bare-{index}")
        subprocess.run(argv, cwd=ROOT, env={**os.environ, **_ENV}, check=True, stdout=subprocess.DEVNULL, timeout=300)

    section.python("tools.generation.regenerate.generate_into(Path('$TMP/generated-ours-N'))", "bench/generation.py")
    section.command(_bare_argv(scratch / "generated-bare-N"), {"PATH": ".venv/bin:$PATH"})
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    runners: dict[str, Callable[[int], None]] = {"ours": ours, "bare": bare}
    for runner in runners.values():
        runner(-1)  # untimed: warms the file cache and the generator's imports on disk
    for repetition in range(settings.generation_repeats):
        for name, runner in runners.items():
            log(f"generation: rep {repetition + 1} {name}")
            started = time.perf_counter()
            runner(repetition)
            times[name].append(time.perf_counter() - started)
    overhead = paired_ratio(times["ours"], times["bare"])
    percent = [100 * (value - 1) for value in overhead.values]
    over = figure(percent)
    section.body += [
        f"Wall time, {settings.generation_repeats} repetitions each (alternating), median (min-max). "
        "Ours includes applying the overlays and writing build/openapi.yaml; the bare run starts "
        "from that file. Both run the generator's ruff post-hooks (ours: our two hooks from "
        "generator_config.yml; bare: the generator's defaults).",
        "",
        *table(
            ["pipeline", "wall time s"],
            [
                ["ours: `generate_into` (overlays + config + templates + hooks)", figure(times["ours"]).show(3)],
                ["bare: `openapi-python-client generate`", figure(times["bare"]).show(3)],
            ],
        ),
        "",
        f"Overhead of ours over bare, paired by repetition: **{over.show(0, '%')}**.",
        "",
    ]
    section.targets.append(Target("generation overhead", "ours ≤ bare + 50%", over.show(0, "%"), over.median <= 50))
    return section
