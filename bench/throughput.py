"""Section 1: requests/s and latency of our mock, Prism and bare Starlette under the same wrk load.

The servers (ours, Prism quiet and as is, bare Starlette) run side by side for the whole
section and the timed runs are interleaved (repetition, endpoint, connections, then
server), so slow drift of the machine hits all of them alike and each ratio compares runs
made seconds apart. A last pair of runs under cProfile says where the mock's time goes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import httpx
from calyptia_mock.server_stack import server_stack

from bench import servers
from bench.core import Figure, Section, Settings, Target, log, paired_ratio, table
from bench.core import figure as make_figure
from bench.profile_server import APP, ENCODING, PARTS, STORE
from bench.seed import seed
from bench.wrk import WrkResult, run_wrk

CONNECTIONS = (16, 64)
GET_ONE = "GET /v1/projects/{id}"
LIST = "GET /v1/projects?last=100"
OURS, PRISM, PRISM_LOGGING, BARE = "ours", "Prism -v warn", "Prism (default logging)", "bare Starlette"
SERVERS = (OURS, PRISM, PRISM_LOGGING, BARE)
REST = "rest of the app (Starlette routing, middleware, handler glue)"
OUTSIDE = "server outside the app (uvicorn, HTTP parser, event loop, sockets)"
BUSY = "busy"
# Where GET by id went before issue 14 (BENCHMARKS.md of 2026-11-28: uvicorn on h11 and asyncio,
# openapi-core's caster per call, rows turned into dicts in Python, json.dumps): ours µs (profiled).
BEFORE_GET_ONE = {
    "request validation (openapi-core)": 206.0,
    "authentication (token hash + user row)": 54.0,
    STORE: 65.0,  # then: SQLite, and the rows turned into dicts in Python
    ENCODING: 25.0,  # then: json.dumps in JSONResponse.render
    REST: 320.0,
    OUTSIDE: 187.0,
    BUSY: 857.0,
}


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("1. Mock throughput and latency (wrk, 1 thread)")
    log(f"throughput: seeding {settings.throughput_projects:,} projects")
    seeded = seed(scratch / "throughput.db", settings.throughput_projects)
    section.python("seed(path, n): seed_demo_user, then Store.create_project n - 1 times", "bench/seed.py")
    paths = {GET_ONE: f"/v1/projects/{seeded.sample_id}", LIST: "/v1/projects?last=100"}
    launches = [servers.mock(seeded.path), servers.prism(quiet=True), servers.prism(quiet=False), servers.bare()]
    results: dict[tuple[str, str, int], list[WrkResult]] = defaultdict(list)
    with ExitStack() as stack:
        for launch in launches:
            log(f"throughput: starting {launch.name}")
            stack.enter_context(servers.running(launch, scratch, section))
        bodies = _preflight(launches, paths)
        if settings.warmup > 0:
            log("throughput: warm-up")
            for launch in launches:
                for path in paths.values():
                    run_wrk(launch.url + path, connections=16, duration=settings.warmup, headers=servers.AUTH)
        for repetition in range(settings.repeats):
            for endpoint, path in paths.items():
                for connections in CONNECTIONS:
                    for launch in launches:
                        log(f"throughput: rep {repetition + 1} {launch.name} {endpoint} -c{connections}")
                        results[launch.name, endpoint, connections].append(
                            run_wrk(
                                launch.url + path,
                                connections=connections,
                                duration=settings.duration,
                                headers=servers.AUTH,
                                section=section,
                            )
                        )
    _write(section, settings, seeded.projects, bodies, results)
    extra = _profile(section, settings, scratch, seeded.path, GET_ONE, paths[GET_ONE])
    _profile(section, settings, scratch, seeded.path, LIST, paths[LIST])
    _targets(section, results, extra)
    return section


def _targets(
    section: Section, results: dict[tuple[str, str, int], list[WrkResult]], extra: list[tuple[str, float]]
) -> None:
    """The issue's four targets for the mock, each with what bounds it when missed."""
    rps = {name: [run.requests_per_s for run in results[name, GET_ONE, 16]] for name in SERVERS}
    vs_quiet, vs_bare = paired_ratio(rps[OURS], rps[PRISM]), paired_ratio(rps[OURS], rps[BARE])
    ceiling = paired_ratio(rps[BARE], rps[PRISM])
    costs = ", ".join(f"{part} +{micros:,.0f} µs" for part, micros in extra[:3])
    own_work = f"the mock's own work per request beyond bare Starlette (profiled, largest first): {costs}"
    section.targets.append(
        Target(
            "mock vs Prism",
            f"ours ≥ 2x Prism -v warn requests/s ({GET_ONE}, 16 connections)",
            f"{vs_quiet.show(2, 'x')} (bare Starlette: {ceiling.show(2, 'x')})",
            vs_quiet.median >= 2,
            # Met or not, the column says where the remaining microseconds go (issue 30).
            own_work if vs_quiet.median >= 2 else f"{own_work}; 2x needs ours at {2 / ceiling.median:.0%} of bare",
        )
    )
    section.targets.append(
        Target(
            "mock vs bare Starlette",
            f"ours ≥ 50% of bare Starlette requests/s, same server stack ({server_stack()}; {GET_ONE}, 16 connections)",
            _percent(vs_bare),
            vs_bare.median >= 0.50,
            own_work,
        )
    )
    lists = {name: [run.requests_per_s for run in results[name, LIST, 16]] for name in SERVERS}
    list_share = paired_ratio(lists[OURS], lists[BARE])
    section.targets.append(
        Target(
            "list vs bare Starlette",
            f"ours ≥ 60% of bare Starlette requests/s serving the same 100 projects ({LIST}, 16 connections)",
            _percent(list_share),
            list_share.median >= 0.60,
            "" if list_share.median >= 0.60 else "building the page (see the list profile above)",
        )
    )
    # The tail is judged against bare Starlette's in the same runs (issue 30): on this stack even
    # the bare app's p99 is many times its p50 (one core shared with wrk, 64 bodies of 67 KB).
    tails = {name: _tail(results[name, LIST, 64]) for name in (OURS, BARE)}
    tail_met = tails[OURS].median <= tails[BARE].median
    section.targets.append(
        Target(
            "list tail latency",
            f"ours: p99 / p50 no worse than bare Starlette's in the same runs ({LIST}, 64 connections)",
            f"{tails[OURS].show(1, 'x')} (bare Starlette, same runs: {tails[BARE].show(1, 'x')})",
            tail_met,
            "" if tail_met else "the mock's own work per page (see the list profile above): bare's tail is shorter",
        )
    )


def _percent(share: Figure) -> str:
    return f"{share.median:.0%} ({share.low:.0%}-{share.high:.0%})"


def _tail(runs: list[WrkResult]) -> Figure:
    """p99 / p50 of each run."""
    return paired_ratio([run.p99_ms for run in runs], [run.p50_ms for run in runs])


def _profile(
    section: Section, settings: Settings, scratch: Path, db: Path, endpoint: str, path: str
) -> list[tuple[str, float]]:
    """The same load on our mock and on the bare app, each under cProfile: per-request costs.

    Returns the parts where the mock spends more than the bare app, largest difference first."""
    per_request: dict[str, dict[str, float]] = {}
    for app in ("mock", "bare"):
        out = scratch / f"profile-{app}.json"
        launch = servers.profiled(app, out, db if app == "mock" else None)
        log(f"throughput: profiling {app} {endpoint}")
        with servers.running(launch, scratch, section):
            result = run_wrk(
                launch.url + path, connections=16, duration=settings.duration, headers=servers.AUTH, section=section
            )
        seconds: dict[str, float] = json.loads(out.read_text(encoding="utf-8"))
        per_request[app] = {part: value / result.requests * 1e6 for part, value in seconds.items()}
    parts = list(dict.fromkeys(part for _, _, part in PARTS if part != APP))
    for values in per_request.values():
        values[REST] = values.get(APP, 0.0) - sum(values.get(part, 0.0) for part in parts)
        values[OUTSIDE] = values[BUSY] - values.get(APP, 0.0)
    ours, bare = per_request["mock"], per_request["bare"]
    before = BEFORE_GET_ONE if endpoint == GET_ONE else {}
    rows = []
    for part in [*parts, REST, OUTSIDE, BUSY]:
        label = "**total busy time**" if part == BUSY else part
        row = [label, f"{ours.get(part, 0.0):,.0f}", f"{bare.get(part, 0.0):,.0f}"]
        row += [f"{ours.get(part, 0.0) - bare.get(part, 0.0):+,.0f}", f"{ours.get(part, 0.0) / ours[BUSY]:.0%}"]
        if before:
            row += [f"{before.get(part, 0.0) / before[BUSY]:.0%}" if part in before else "-"]
        rows.append(row)
    header = ["part of a request", "ours µs (profiled)", "bare µs (profiled)", "difference", "ours: share now"]
    if before:
        header.append("ours: share before (h11, asyncio; 2026-11-28)")
    section.body += [
        f"Where the time goes on `{endpoint}` (16 connections, {settings.duration} s): our mock and the bare app "
        f"each served in-process by uvicorn (httptools, asyncio) under cProfile (bench/profile_server.py), CPU time "
        "per request from inclusive times. cProfile inflates Python-heavy code several-fold, so read the shares, "
        "not the absolute µs."
        + (
            " The last column is the same profile before the speed work (request validation through "
            "openapi-core's caster per call, rows turned into dicts in Python, json.dumps, h11 and asyncio)."
            if before
            else ""
        ),
        "",
        *table(header, rows),
        "",
    ]
    differences = [(part, ours.get(part, 0.0) - bare.get(part, 0.0)) for part in [*parts, REST, OUTSIDE]]
    return sorted(((part, micros) for part, micros in differences if micros > 0), key=lambda item: -item[1])


def _preflight(launches: list[servers.Launch], paths: dict[str, str]) -> dict[tuple[str, str], tuple[int, int, str]]:
    """One request per server and endpoint: status, body size and how many projects it holds."""
    bodies: dict[tuple[str, str], tuple[int, int, str]] = {}
    for launch in launches:
        for endpoint, path in paths.items():
            response = httpx.get(launch.url + path, headers=servers.AUTH, timeout=10)
            data = response.json()
            count = str(len(data)) if isinstance(data, list) else "1"
            bodies[launch.name, endpoint] = (response.status_code, len(response.content), count)
    return bodies


def _write(
    section: Section,
    settings: Settings,
    projects: int,
    bodies: dict[tuple[str, str], tuple[int, int, str]],
    results: dict[tuple[str, str, int], list[WrkResult]],
) -> None:
    section.body += [
        f"Our mock serves a file database seeded with {projects:,} projects for the demo user; "
        f"`{GET_ONE}` reads one from the middle. Each run: `wrk -t1 -cN -d{settings.duration}s` "
        f"with bench/report.lua; {settings.repeats} repetitions, interleaved across the servers, after "
        f"{settings.warmup} s of untimed warm-up per server and endpoint. Cells are median (min-max).",
        "",
        "What each server answered (one request before the load):",
        "",
        *table(
            ["server", "endpoint", "status", "body bytes", "projects in body"],
            [
                [name, endpoint, str(status), f"{size:,}", count]
                for (name, endpoint), (status, size, count) in bodies.items()
            ],
        ),
        "",
    ]
    rows = []
    flagged = []
    for (name, endpoint, connections), runs in results.items():
        non2xx = sum(run.non2xx for run in runs)
        errors = sum(run.socket_errors for run in runs)
        if non2xx or errors:
            flagged.append(f"{name} {endpoint} -c{connections}: {non2xx} non-2xx, {errors} socket errors")
        rows.append(
            [
                endpoint,
                str(connections),
                name,
                make_figure([run.requests_per_s for run in runs]).show(0),
                make_figure([run.p50_ms for run in runs]).show(2),
                make_figure([run.p99_ms for run in runs]).show(2),
                f"**{non2xx} ⚠**" if non2xx else "0",
                f"**{errors} ⚠**" if errors else "0",
            ]
        )
    section.body += table(
        ["endpoint", "conns", "server", "requests/s", "p50 ms", "p99 ms", "non-2xx", "socket errors"], rows
    )
    section.body += [""]
    if flagged:
        section.body += ["**Flagged:** " + "; ".join(flagged) + ".", ""]

    ratio_rows = []
    for endpoint in (GET_ONE, LIST):
        for connections in CONNECTIONS:
            rps = {name: [run.requests_per_s for run in results[name, endpoint, connections]] for name in SERVERS}
            bare_share = paired_ratio(rps[OURS], rps[BARE])
            ratio_rows.append(
                [
                    endpoint,
                    str(connections),
                    paired_ratio(rps[OURS], rps[PRISM_LOGGING]).show(2, "x"),
                    paired_ratio(rps[OURS], rps[PRISM]).show(2, "x"),
                    f"{bare_share.median:.0%} ({bare_share.low:.0%}-{bare_share.high:.0%})",
                    paired_ratio(rps[BARE], rps[PRISM_LOGGING]).show(2, "x"),
                    paired_ratio(rps[BARE], rps[PRISM]).show(2, "x"),
                ]
            )
    section.body += [
        "Ratios of requests/s, computed repetition by repetition (runs seconds apart), median (min-max):",
        "",
        *table(
            [
                "endpoint",
                "conns",
                "ours / Prism as is",
                "ours / Prism -v warn",
                "ours / bare",
                "bare / Prism as is",
                "bare / Prism -v warn",
            ],
            ratio_rows,
        ),
        "",
    ]
    prism_list, ours_list = bodies[PRISM, LIST], bodies[OURS, LIST]
    if prism_list[2] != ours_list[2]:
        section.body += [
            f"Prism's list is not like for like: static mode answers with the spec's example, {prism_list[2]} "
            f"project in {prism_list[1]:,} bytes, where ours and bare Starlette send {ours_list[2]} projects in "
            f"{ours_list[1]:,} bytes. Its list figures measure Prism's overhead per request, not a page of 100.",
            "",
        ]
