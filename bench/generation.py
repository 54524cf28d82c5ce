"""Section 3: what our generation pipeline costs over a bare openapi-python-client run.

Ours is `tools.generation.regenerate.generate_into` (overlays applied in-process, then the generator
with our config, templates and ruff post-hooks); the baseline is the generator alone on the
already-written effective spec. Two specs: openapi.yaml (the baseline with the generator's default
settings, as first measured), and the vendor's full published description
(tests/fixtures/specs/calyptia-vendor.yml, issue 27's "big spec"), where the baseline takes our
generator_config.yml but no custom templates. The bare generator cannot read the vendor's file as
published (14 response codes are YAML integers, which it rejects), so it reads the effective spec
our first, untimed run wrote: the same document, as JSON data, with the overlays applied. All
runs write into scratch folders, never into generated/. Runs alternate, after one untimed run of
each.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.core import VENV_BIN, Figure, Section, Settings, Target, figure, log, paired_ratio, table
from tools.generation.regenerate import (
    CONFIG,
    EFFECTIVE_SPEC,
    generate_into,
    prepare_generation,
)
from tools.paths import ROOT

# The generator's default post-hooks call `ruff`: the pinned one, as generate_into arranges.
_ENV = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
VENDOR_SPEC = ROOT / "tests" / "fixtures" / "specs" / "calyptia-vendor.yml"
TARGET = 1.5  # ours ≤ 1.5x bare on the vendor's description (issue 27)


def _bare_argv(output: Path, spec: Path = EFFECTIVE_SPEC, config: Path | None = None) -> list[str]:
    argv = [
        str(VENV_BIN / "openapi-python-client"), "generate",
        "--path", str(spec),
        "--meta", "pdm",
        "--output-path", str(output),
        "--overwrite",
    ]  # fmt: skip
    return argv + (["--config", str(config)] if config else [])


def _bare(argv: list[str]) -> None:
    subprocess.run(argv, cwd=ROOT, env={**os.environ, **_ENV}, check=True, stdout=subprocess.DEVNULL, timeout=600)


def _alternate(label: str, runners: dict[str, Callable[[int], None]], repeats: int) -> dict[str, list[float]]:
    """Wall times of each runner, alternating, after one untimed run of each (file cache, imports)."""
    for runner in runners.values():
        runner(-1)
    times: dict[str, list[float]] = {name: [] for name in runners}
    for repetition in range(repeats):
        for name, runner in runners.items():
            log(f"generation ({label}): rep {repetition + 1} {name}")
            started = time.perf_counter()
            runner(repetition)
            times[name].append(time.perf_counter() - started)
    return times


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("3. Generation")
    spec_argv = [sys.executable, "-m", "tools.generation.regenerate", "spec"]
    section.command(spec_argv)
    subprocess.run(spec_argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=120)

    section.python("tools.generation.regenerate.generate_into(Path('$TMP/generated-ours-N'))", "bench/generation.py")
    section.command(_bare_argv(scratch / "generated-bare-N"), {"PATH": ".venv/bin:$PATH"})
    times = _alternate(
        "openapi.yaml",
        {
            "ours": lambda index: generate_into(scratch / f"generated-ours-{index}"),
            "bare": lambda index: _bare(_bare_argv(scratch / f"generated-bare-{index}")),
        },
        settings.generation_repeats,
    )
    over = figure([100 * (value - 1) for value in paired_ratio(times["ours"], times["bare"]).values])

    # The vendor's description: the bare run reads the effective spec of ours' untimed run (-1).
    vendor_input = (scratch / "vendor-ours--1").with_suffix(".yaml")
    section.python(
        "tools.generation.regenerate.generate_into(Path('$TMP/vendor-ours-N'), "
        "spec=Path('tests/fixtures/specs/calyptia-vendor.yml'))",
        "bench/generation.py",
    )
    section.command(_bare_argv(scratch / "vendor-bare-N", vendor_input, CONFIG), {"PATH": ".venv/bin:$PATH"})
    vendor = _alternate(
        "vendor",
        {
            "ours": lambda index: generate_into(scratch / f"vendor-ours-{index}", spec=VENDOR_SPEC),
            "bare": lambda index: _bare(_bare_argv(scratch / f"vendor-bare-{index}", vendor_input, CONFIG)),
        },
        settings.generation_repeats,
    )
    ratio = paired_ratio(vendor["ours"], vendor["bare"])
    prep = figure([_preparation(VENDOR_SPEC, scratch / f"vendor-prep-{index}") for index in range(3)])
    gap = figure([a - b for a, b in zip(vendor["ours"], vendor["bare"], strict=True)])
    section.body += _tables(settings, times, over, vendor, ratio)
    section.body += [
        f"Where ours' extra time on the vendor's spec goes: {gap.show(2)} s in all, of which "
        f"{prep.show(2)} s (3 runs) is Python work in the bench process before the generator starts "
        "(`prepare_generation`: the overlays applied and the effective spec written, the generator's "
        "input written as JSON, its settings and `spec_templates`), the rest the generator rendering our "
        "templates, the scan for unchecked kinds and copying the runtime modules.",
        "",
    ]
    section.targets.append(Target("generation overhead", "ours ≤ bare + 50%", over.show(0, "%"), over.median <= 50))
    section.targets.append(
        Target(
            "generation on a big spec",
            f"ours ≤ {TARGET}x bare on the vendor's full description (tests/fixtures/specs/calyptia-vendor.yml)",
            ratio.show(2, "x"),
            ratio.median <= TARGET,
            ""
            if ratio.median <= TARGET
            else f"ours' own work before the generator starts, {prep.show(2)} s of a "
            f"{gap.show(2)} s gap (prepare_generation); the rest is the generator rendering our templates",
        )
    )
    return section


def _preparation(spec: Path, folder: Path) -> float:
    """Wall time of generate_into's steps before the generator runs: its own prepare_generation."""
    started = time.perf_counter()
    prepare_generation(folder, spec, None)
    return time.perf_counter() - started


def _tables(
    settings: Settings,
    times: dict[str, list[float]],
    over: Figure,
    vendor: dict[str, list[float]],
    ratio: Figure,
) -> list[str]:
    return [
        f"Wall time, {settings.generation_repeats} repetitions each (alternating), median (min-max). "
        "Ours includes applying the overlays and writing the effective spec; the bare run starts "
        "from that file. Both run the generator's ruff post-hooks (ours: our two hooks from "
        "generator_config.yml; bare: the generator's defaults for openapi.yaml, our config for the vendor's spec).",
        "",
        *table(
            ["spec", "pipeline", "wall time s"],
            [
                [
                    "openapi.yaml",
                    "ours: `generate_into` (overlays + config + templates + hooks)",
                    figure(times["ours"]).show(3),
                ],
                ["openapi.yaml", "bare: `openapi-python-client generate`", figure(times["bare"]).show(3)],
                [
                    "vendor (183 operations)",
                    "ours: `generate_into(spec=calyptia-vendor.yml)`",
                    figure(vendor["ours"]).show(2),
                ],
                [
                    "vendor (183 operations)",
                    "bare: `openapi-python-client generate --config generator_config.yml`",
                    figure(vendor["bare"]).show(2),
                ],
            ],
        ),
        "",
        f"openapi.yaml: overhead of ours over bare, paired by repetition: **{over.show(0, '%')}**.",
        f"The vendor's full description: ours / bare, paired by repetition: **{ratio.show(2, 'x')}** "
        f"(target ≤ {TARGET}x).",
        "",
    ]
