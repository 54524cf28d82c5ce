"""Run wrk with bench/report.lua and read back its one `wrk-report` line.

wrk runs with one thread and a fixed duration and stops by itself; the subprocess also has
a hard timeout, so a stuck server cannot hang the benchmark.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from bench.core import Section
from tools.paths import ROOT

WRK = shutil.which("wrk") or "/usr/bin/wrk"
SCRIPT = ROOT / "bench" / "report.lua"
_REPORT = re.compile(r"^wrk-report (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class WrkResult:
    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int  # connect + read + write + timeout


def wrk_argv(url: str, *, connections: int, duration: int, headers: Mapping[str, str]) -> list[str]:
    # --timeout 10s: a slow answer counts in the latency instead of vanishing as an error.
    argv = [WRK, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(SCRIPT)]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    return [*argv, url]


def run_wrk(
    url: str, *, connections: int, duration: int, headers: Mapping[str, str], section: Section | None = None
) -> WrkResult:
    """One bounded wrk run against `url`."""
    argv = wrk_argv(url, connections=connections, duration=duration, headers=headers)
    if section is not None:
        section.command(argv)
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=False)
    match = _REPORT.search(completed.stdout)
    if completed.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stdout}{completed.stderr}")
    fields = dict(pair.split("=", 1) for pair in match.group(1).split())
    return WrkResult(
        requests=int(fields["requests"]),
        requests_per_s=float(fields["rps"]),
        p50_ms=float(fields["p50_us"]) / 1000,
        p99_ms=float(fields["p99_us"]) / 1000,
        non2xx=int(fields["non2xx"]),
        socket_errors=sum(int(fields[name]) for name in ("connect", "read", "write", "timeout")),
    )


def wrk_version() -> str:
    """wrk has no --version; its usage text starts with the version line."""
    completed = subprocess.run([WRK, "--version"], capture_output=True, text=True, timeout=10, check=False)
    first = (completed.stdout or completed.stderr).splitlines()
    return first[0].split(" Copyright")[0].strip() if first else "unknown"
