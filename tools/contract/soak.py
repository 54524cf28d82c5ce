"""`make soak`: a long, bounded run against the mock, outside `make test`.

1. schemathesis in positive and negative mode, SOAK_EXAMPLES examples per operation
   (default 2,000), every check on;
2. SOAK_SECONDS (default 600) of mixed load from SOAK_CLIENTS threads (default 8):
   creates, reads, lists, renames and deletes.
It reports the test cases run, the failures (target 0), the 5xx seen (target 0) and the
server's resident memory at start, after the fuzzing and at the end, then exits non-zero
on any failure. Everything runs on 127.0.0.1 and stops by itself. SOAK_OUT (default
build/soak) holds the report, st's output and the mock's log; the settings are read once
(tools/contract/config.py, `build_soak`).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tools.contract.config import SoakConfig, build_soak
from tools.contract.runner import running_mock
from tools.paths import ROOT, SPEC

USERS = ("alice-token", "bob-token", "carol-token", "dave-token")


def rss_kib(pid: int) -> int:
    """The process's resident set size, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fuzz(url: str, config: SoakConfig, environ: Mapping[str, str]) -> tuple[int, int, int]:
    """Run st in positive and negative mode; returns (exit code, cases, failures)."""
    command = [
        str(Path(sys.executable).parent / "st"), "run", str(SPEC),
        "--url", url, "--max-examples", str(config.examples), "--mode", "all",
        "--phases", "examples,coverage,fuzzing",
        "--report", "junit", "--report-junit-path", str(config.out / "junit.xml"),
    ]  # fmt: skip
    env = {**environ, "CONTRACT_TOKEN": "alice-token"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    (config.out / "schemathesis.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    cases = re.search(r"(\d+) generated", result.stdout)
    failures = re.search(r"(\d+) found (\d+) unique failure", result.stdout)
    return result.returncode, int(cases.group(1)) if cases else 0, int(failures.group(2)) if failures else 0


@dataclass
class LoadResult:
    operations: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, operation: str, status: int) -> None:
        with self.lock:
            self.operations[operation] += 1
            self.statuses[status] += 1


def mixed_load(url: str, seconds: float, clients: int, result: LoadResult) -> None:
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        rng = random.Random(index)
        token = USERS[index % len(USERS)]
        own: list[str] = []
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
            while time.monotonic() < deadline:
                choice = rng.random()
                try:
                    if choice < 0.25 or not own:
                        response = http.post("/v1/projects", json={"name": f"soak-{index}-{rng.randrange(10**6)}"})
                        if response.status_code == 201:
                            own.append(response.json()["id"])
                        result.record("create", response.status_code)
                    elif choice < 0.55:
                        response = http.get(f"/v1/projects/{rng.choice(own)}")
                        result.record("get", response.status_code)
                    elif choice < 0.75:
                        response = http.get("/v1/projects", params={"last": rng.choice([1, 20, 100])})
                        result.record("list", response.status_code)
                    elif choice < 0.9:
                        response = http.patch(
                            f"/v1/projects/{rng.choice(own)}", json={"name": f"renamed-{rng.randrange(10**6)}"}
                        )
                        result.record("rename", response.status_code)
                    else:
                        project_id = own.pop(rng.randrange(len(own)))
                        response = http.delete(f"/v1/projects/{project_id}")
                        result.record("delete", response.status_code)
                except httpx.HTTPError as exc:
                    with result.lock:
                        result.errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> int:
    config = build_soak(os.environ)
    examples, seconds, clients, out = config.examples, config.seconds, config.clients, config.out
    out.mkdir(parents=True, exist_ok=True)
    # Without the per-response spec check: its cost would dominate the load; st checks responses.
    with running_mock(out / "mock.db", out / "mock.log", log_level="warning", validate_responses=False) as (url, pid):
        memory = {"start": rss_kib(pid)}
        started = time.monotonic()
        code, cases, failures = fuzz(url, config, os.environ)
        fuzz_seconds = time.monotonic() - started
        memory["after_fuzzing"] = rss_kib(pid)
        load = LoadResult()
        mixed_load(url, seconds, clients, load)
        memory["end"] = rss_kib(pid)
    server_errors = sum(count for status, count in load.statuses.items() if status >= 500)
    report = {
        "schemathesis": {"examples_per_operation": examples, "cases": cases, "failures": failures, "exit_code": code,
                         "seconds": round(fuzz_seconds, 1)},
        "load": {"seconds": seconds, "clients": clients, "operations": dict(load.operations),
                 "total": sum(load.operations.values()),
                 "statuses": {str(k): v for k, v in sorted(load.statuses.items())},
                 "server_errors": server_errors, "client_errors": len(load.errors)},
        "memory_kib": memory,
    }  # fmt: skip
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    ok = code == 0 and failures == 0 and server_errors == 0 and not load.errors
    print(f"soak: {'passed' if ok else 'FAILED'}; report in {out / 'report.json'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
