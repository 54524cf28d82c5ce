"""Section 2: does a page cost the same at 100,000 projects as at 1,000? And a full walk.

One mock per database size, all running together; single-connection wrk runs measure the
latency of one page with nothing queued in front of it. The first page is the newest 100
projects; the last page is the oldest 100, reached with a real cursor, which is where an
OFFSET-style listing would be slowest. The walk goes through the generated client's
`iterate`, page by page over loopback, exactly as a user's script would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from calyptia_cloud_client import AuthenticatedClient
from calyptia_cloud_client.api.projects import list_projects

from bench import servers
from bench.core import Section, Settings, Target, figure, log, paired_ratio, table
from bench.seed import Seeded, seed
from bench.wrk import run_wrk

FIRST, LAST = "first page", "last page"


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("2. Scaling of the list")
    databases: list[Seeded] = []
    for size in settings.scale_sizes:
        log(f"scaling: seeding {size:,} projects")
        databases.append(seed(scratch / f"scale-{size}.db", size))
    section.python("seed(path, n): seed_demo_user, then Store.create_project n - 1 times", "bench/seed.py")
    p50: dict[tuple[int, str], list[float]] = {}
    rps: dict[tuple[int, str], list[float]] = {}
    walks: list[float] = []
    largest = databases[-1]
    with ExitStack() as stack:
        launches = []
        for database in databases:
            launch = servers.mock(database.path)
            stack.enter_context(servers.running(launch, scratch, section))
            launches.append(launch)
        paths: dict[str, Callable[[Seeded], str]] = {
            FIRST: lambda _: "/v1/projects?last=100",
            LAST: lambda database: f"/v1/projects?last=100&before={database.last_page_cursor}",
        }
        if settings.warmup > 0:
            for launch, database in zip(launches, databases, strict=True):
                for path_of in paths.values():
                    run_wrk(
                        launch.url + path_of(database), connections=1, duration=settings.warmup, headers=servers.AUTH
                    )
        for repetition in range(settings.repeats):
            for page, path_of in paths.items():
                for launch, database in zip(launches, databases, strict=True):
                    log(f"scaling: rep {repetition + 1} {database.projects:,} projects, {page}")
                    result = run_wrk(
                        launch.url + path_of(database),
                        connections=1,
                        duration=settings.scale_duration,
                        headers=servers.AUTH,
                        section=section,
                    )
                    if result.non2xx or result.socket_errors:
                        raise RuntimeError(f"{page} at {database.projects}: {result}")
                    p50.setdefault((database.projects, page), []).append(result.p50_ms)
                    rps.setdefault((database.projects, page), []).append(result.requests_per_s)
        for repetition in range(settings.repeats):
            log(f"scaling: rep {repetition + 1} walking {largest.projects:,} projects with iterate()")
            walks.append(_walk(launches[-1].url, largest.projects))
    section.python(
        "list_projects.iterate(client=AuthenticatedClient(base_url=URL, token='demo-token'), last=100)",
        "bench/scaling.py",
    )
    _write(section, settings, databases, p50, rps, walks)
    return section


def _walk(url: str, expected: int) -> float:
    """Seconds to read every project through the generated client's iterator."""
    with AuthenticatedClient(base_url=url, token=servers.DEMO_TOKEN) as client:
        started = time.perf_counter()
        count = sum(1 for _ in list_projects.iterate(client=client, last=100))
        seconds = time.perf_counter() - started
    if count != expected:
        raise RuntimeError(f"iterate() yielded {count} projects, expected {expected}")
    return seconds


def _write(
    section: Section,
    settings: Settings,
    databases: list[Seeded],
    p50: dict[tuple[int, str], list[float]],
    rps: dict[tuple[int, str], list[float]],
    walks: list[float],
) -> None:
    rows = [
        [
            f"{database.projects:,}",
            f"{database.seconds:.1f} s ({database.projects / database.seconds:,.0f}/s)",
            figure(p50[database.projects, FIRST]).show(2),
            figure(p50[database.projects, LAST]).show(2),
            figure(rps[database.projects, FIRST]).show(0),
        ]
        for database in databases
    ]
    section.body += [
        f"Separate database files, seeded through `Store.create_project` (one transaction each). "
        f"Latency of one `GET /v1/projects?last=100` page: `wrk -t1 -c1 -d{settings.scale_duration}s`, "
        f"p50, {settings.repeats} repetitions. Cells are median (min-max).",
        "",
        *table(
            ["projects", "seeding", "first page p50 ms", "last page p50 ms", "first page requests/s (1 conn)"], rows
        ),
        "",
    ]
    smallest, largest = databases[0].projects, databases[-1].projects
    ratio_first = paired_ratio(p50[largest, FIRST], p50[smallest, FIRST])
    ratio_last = paired_ratio(p50[largest, LAST], p50[smallest, LAST])
    section.body += [
        f"p50 ratio {largest:,} / {smallest:,} projects: first page {ratio_first.show(2, 'x')}, "
        f"last page {ratio_last.show(2, 'x')}.",
        "",
    ]
    rates = figure([largest / seconds for seconds in walks])
    section.body += [
        f"Walking all {largest:,} projects with `list_projects.iterate(client=..., last=100)` "
        f"({largest // 100:,} pages over loopback): {figure(walks).show(1, ' s')}, "
        f"i.e. **{rates.show(0)} projects/s**.",
        "",
    ]
    section.targets.append(
        Target(
            "list scaling",
            f"page p50 at {largest:,} / at {smallest:,} projects ≤ 1.5",
            f"first page {ratio_first.show(2, 'x')}; last page {ratio_last.show(2, 'x')}",
            ratio_first.median <= 1.5 and ratio_last.median <= 1.5,
            ""
            if ratio_first.median <= 1.5 and ratio_last.median <= 1.5
            else "a page's cost grows with the table: the listing query is not a pure index range scan",
        )
    )
