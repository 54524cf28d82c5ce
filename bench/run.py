"""`make bench`: run every benchmark on loopback and rewrite BENCHMARKS.md.

    PYTHONPATH=generated:mock .venv/bin/python -m bench.run

Sections (bench/<module>.py):
  1 throughput  our mock vs Prism vs bare Starlette under wrk
  2 scaling     one list page at 1k / 10k / 100k projects; a full walk with iterate()
  3 generation  tools.generation.regenerate.generate_into vs a bare openapi-python-client run
  4 client      the generated client and models in-process vs raw httpx / pydantic
  5 contract    schemathesis test cases per second, in-process and over HTTP
  6 fixture     per-test cost of the calyptia_mock pytest fixture (reset, and reset + setup)
  7 make_timing `make` (generate, lint, contract) on a warm checkout, step by step

Environment: BENCH_DURATION (s per wrk run, 5), BENCH_REPEATS (3), BENCH_WARMUP (s, 1),
BENCH_SCALE_DURATION (s, 3), BENCH_SCALE_SIZES (1000,10000,100000), BENCH_PROJECTS (10000),
BENCH_GENERATION_REPEATS (5), BENCH_CLIENT_CALLS (3000), BENCH_CONTRACT_EXAMPLES (100),
BENCH_MAKE_REPEATS (1),
BENCH_SECTIONS (e.g. "1,4"; default all), BENCH_OUTPUT (BENCHMARKS.md).
A section that fails is reported as failed in the file and makes the exit status 1.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import client, contract, fixture, generation, make_timing, scaling, throughput
from bench.core import Section, Settings, log
from bench.report import machine, render

SECTIONS: dict[str, Callable[[Settings, Path], Section]] = {
    "1": throughput.run,
    "2": scaling.run,
    "3": generation.run,
    "4": client.run,
    "5": contract.run,
    "6": fixture.run,
    "7": make_timing.run,
}


def main() -> int:
    settings = Settings.from_env()
    chosen = [key.strip() for key in os.environ.get("BENCH_SECTIONS", ",".join(SECTIONS)).split(",") if key.strip()]
    host = machine()
    load_start = os.getloadavg()
    started = time.perf_counter()
    sections: list[Section] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for key in chosen:
            section_started = time.perf_counter()
            try:
                section = SECTIONS[key](settings, Path(scratch))
            except Exception as exc:  # one broken section must not lose the others' figures
                failed = True
                traceback.print_exc()
                section = Section(
                    f"{key}. FAILED", body=[f"**This section failed:** `{type(exc).__name__}: {exc}`", ""]
                )
            section.body.append(f"_Section time: {time.perf_counter() - section_started:.0f} s._")
            section.body.append("")
            sections.append(section)
            log(f"section {key} done in {time.perf_counter() - section_started:.0f} s")
    seconds = time.perf_counter() - started
    settings.output.write_text(
        render(settings, host, sections, seconds, (load_start, os.getloadavg())), encoding="utf-8"
    )
    log(f"wrote {settings.output} after {seconds / 60:.1f} min")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
