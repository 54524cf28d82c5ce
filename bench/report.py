"""Render BENCHMARKS.md: the machine, the targets, then each section's commands and tables."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.core import Section, Settings, table
from bench.wrk import wrk_version
from tools.paths import ROOT


@dataclass(frozen=True)
class Machine:
    cores: int
    cpu: str
    python: str
    wrk: str
    prism: str
    node: str
    system: str


def cpu_model() -> str:
    """The first `model name` of /proc/cpuinfo (Linux); the platform's guess elsewhere."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> Machine:
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=10, check=False)
        node_version = node.stdout.strip() or "unknown"
    except OSError:
        node_version = "not installed"
    lock = json.loads((ROOT / "bench" / "package.json").read_text(encoding="utf-8"))
    return Machine(
        cores=os.cpu_count() or 0,
        cpu=cpu_model(),
        python=platform.python_version(),
        wrk=wrk_version(),
        prism=lock["devDependencies"]["@stoplight/prism-cli"],
        node=node_version,
        system=f"{platform.system()} {platform.release()}",
    )


def render(
    settings: Settings,
    host: Machine,
    sections: list[Section],
    seconds: float,
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> str:
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); rerun it rather than editing this file. Everything runs on "
        "loopback (127.0.0.1), every load is bounded in time, and every figure is the **median of "
        f"{settings.repeats} or more repetitions, with (min-max)** (section 7: BENCH_MAKE_REPEATS runs of `make`). "
        "Ratios are computed repetition by repetition "
        "between runs made back to back in the same invocation.",
        "",
        f"Run finished {started}, total {seconds / 60:.1f} min. Settings: BENCH_DURATION={settings.duration}, "
        f"BENCH_REPEATS={settings.repeats}, BENCH_WARMUP={settings.warmup}, "
        f"BENCH_SCALE_DURATION={settings.scale_duration}, "
        f"BENCH_SCALE_SIZES={','.join(str(size) for size in settings.scale_sizes)}, "
        f"BENCH_PROJECTS={settings.throughput_projects}, BENCH_GENERATION_REPEATS={settings.generation_repeats}, "
        f"BENCH_CLIENT_CALLS={settings.client_calls}, BENCH_CONTRACT_EXAMPLES={settings.contract_examples}, "
        f"BENCH_MAKE_REPEATS={settings.make_repeats}.",
        "",
        "## Machine",
        "",
        *table(
            ["", ""],
            [
                ["cores (os.cpu_count)", str(host.cores)],
                ["CPU (/proc/cpuinfo)", host.cpu],
                ["system", host.system],
                ["Python", host.python],
                ["wrk", host.wrk],
                ["Node / Prism", f"{host.node} / @stoplight/prism-cli {host.prism}"],
                ["load average at start / end", f"{_load(load[0])} / {_load(load[1])}"],
            ],
            left=True,
        ),
        "",
        "Load generator and servers share these cores: wrk (one thread) takes most of one core, so a server "
        "gets about one core, which is also all a single uvicorn or Node process can use.",
        "",
        *(
            [
                f"**The machine was not idle** (1-minute load average {load[0][0]:.2f} at the start, "
                f"{load[1][0]:.2f} at the end, on {host.cores} cores): other work shared the CPU, so absolute "
                "figures are low and spreads wide; the paired ratios suffer least.",
                "",
            ]
            if max(load[0][0], load[1][0]) > 0.5
            else []
        ),
        "## Targets",
        "",
        *table(
            ["target", "goal", "measured", "met", "what bounds it"],
            [
                [target.name, target.goal, target.measured, "✅ yes" if target.met else "❌ no", target.bound or "—"]
                for section in sections
                for target in section.targets
            ],
        ),
        "",
    ]
    for section in sections:
        lines += [f"## {section.title}", "", *section.body]
        if section.commands:
            lines += ["Commands:", "", "```sh", *section.commands, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def _load(values: tuple[float, ...]) -> str:
    return " ".join(f"{value:.2f}" for value in values)
