"""Section 4: the generated client's own cost, in-process, with no network.

An httpx.MockTransport answers every request with the same bytes, so what is timed is the
client: building the request, the RetryTransport wrapper the generated client puts around
any transport, and parsing into attrs models. The yardsticks are a raw httpx.Client on the
same transport plus json.loads, and pydantic v2 on equivalent models.
"""

from __future__ import annotations

import cProfile
import gc
import json
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from calyptia_cloud_client import AuthenticatedClient
from calyptia_cloud_client.api.projects import get_project
from calyptia_cloud_client.models.project import Project

from bench.core import Figure, Section, Settings, Target, figure, log, paired_ratio, profile_times, table
from bench.pydantic_models import PROJECTS
from bench.sample import page_bytes, project

PAGE_SIZE = 1000


def per_call(function: Callable[[], object], calls: int, *, collect: bool = True) -> float:
    """Microseconds per call, over `calls` back-to-back calls.

    With `collect=False` the garbage collector is off while timing: what remains is the
    parse work itself. With it on, a run also pays for collections, whose cost depends on
    everything else alive in the process (here, a benchmark's worth of modules), and which
    land at random: that is what an application sees, but it is noisier.
    """
    gc.collect()
    if not collect:
        gc.disable()
    try:
        started = time.perf_counter()
        for _ in range(calls):
            function()
        return (time.perf_counter() - started) / calls * 1e6
    finally:
        gc.enable()


SYNC = "get_project.sync (generated client), 1 project"
RAW = "httpx.Client.get + json.loads (raw), 1 project"
LOADS = "json.loads alone, page"
GENERATED = "json.loads + Project.from_dict (generated), page"
PYDANTIC = "pydantic TypeAdapter.validate_json, page"
PYDANTIC_PYTHON = "pydantic validate_python(json.loads), page"
GC_OFF = ", GC off"


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("4. Client overhead, in-process")
    one = json.dumps(project(1), separators=(",", ":")).encode()
    project_id = uuid.UUID(project(1)["id"])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=one, headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(handler)
    generated = AuthenticatedClient(base_url="http://bench", token="t", httpx_args={"transport": transport})
    raw = httpx.Client(base_url="http://bench", transport=transport, headers={"Authorization": "Bearer t"})
    path = f"/v1/projects/{project_id}"
    data = page_bytes(PAGE_SIZE)
    page_calls = max(settings.client_calls // 100, 3)
    # name -> (function, calls per repetition, garbage collector on)
    candidates: dict[str, tuple[Callable[[], object], int, bool]] = {
        SYNC: (lambda: get_project.sync(project_id, client=generated), settings.client_calls, True),
        RAW: (lambda: json.loads(raw.get(path).content), settings.client_calls, True),
        LOADS: (lambda: json.loads(data), page_calls, True),
        GENERATED: (lambda: [Project.from_dict(item) for item in json.loads(data)], page_calls, True),
        PYDANTIC: (lambda: PROJECTS.validate_json(data), page_calls, True),
        PYDANTIC_PYTHON: (lambda: PROJECTS.validate_python(json.loads(data)), page_calls, True),
        LOADS + GC_OFF: (lambda: json.loads(data), page_calls, False),
        GENERATED + GC_OFF: (lambda: [Project.from_dict(item) for item in json.loads(data)], page_calls, False),
        PYDANTIC + GC_OFF: (lambda: PROJECTS.validate_json(data), page_calls, False),
    }
    micros: dict[str, list[float]] = {name: [] for name in candidates}
    with generated, raw:
        _check(get_project.sync(project_id, client=generated), data)
        for function, _, _ in candidates.values():
            per_call(function, 3)  # untimed: imports, caches
        for repetition in range(settings.repeats):
            log(f"client: rep {repetition + 1}")
            for name, (function, calls, collect) in candidates.items():
                micros[name].append(per_call(function, calls, collect=collect))
    here = "bench/client.py"
    client_code = "AuthenticatedClient(base_url='http://bench', token='t', httpx_args={'transport': transport})"
    section.python(f"get_project.sync(project_id, client={client_code})", here)
    section.python("json.loads(raw.get(path).content), raw = httpx.Client(transport=transport)", here)
    section.python("[Project.from_dict(d) for d in json.loads(page)]; PROJECTS.validate_json(page)", here)
    section.body += [
        f"One project ({len(one):,} bytes) through an `httpx.MockTransport`, {settings.client_calls:,} calls per "
        f"repetition; a page of {PAGE_SIZE:,} projects ({len(data):,} bytes) parsed {page_calls} times per "
        f"repetition, with the garbage collector on (as in an application) and off (the parse work alone); "
        f"{settings.repeats} repetitions, median (min-max).",
        "",
        *table(["what", "µs per call"], [[name, figure(values).show(1)] for name, values in micros.items()]),
        "",
    ]

    def ratio(numerator: str, denominator: str) -> Figure:
        return paired_ratio(micros[numerator], micros[denominator])

    vs_pydantic, vs_pydantic_off = ratio(GENERATED, PYDANTIC), ratio(GENERATED + GC_OFF, PYDANTIC + GC_OFF)
    section.body += [
        *table(
            ["ratio (paired by repetition)", "median (min-max)"],
            [
                ["generated `get_project.sync` / raw httpx + json.loads", ratio(SYNC, RAW).show(2, "x")],
                ["generated models (loads + from_dict) / json.loads alone", ratio(GENERATED, LOADS).show(2, "x")],
                ["generated models / pydantic validate_json, GC on", vs_pydantic.show(2, "x")],
                ["generated models / pydantic validate_json, GC off", vs_pydantic_off.show(2, "x")],
                ["pydantic validate_python(json.loads) / validate_json", ratio(PYDANTIC_PYTHON, PYDANTIC).show(2, "x")],
            ],
        ),
        "",
    ]
    # Profiled on every run, over 3x or not: the ratio sits near the line and moves with machine noise.
    section.body += _profile(lambda: [Project.from_dict(item) for item in json.loads(data)], page_calls)
    anatomy, pieces = _anatomy(data, settings.client_calls * 10, settings.repeats)
    section.body += anatomy
    whole, uuids = (value.median for _, value in pieces[:2])
    met_on, met_off = vs_pydantic.median <= 1.3, vs_pydantic_off.median <= 2
    section.targets.append(
        Target(
            "generated models vs pydantic",
            "parse a 1,000-project page: ≤ 1.3x pydantic's time with the GC on, ≤ 2x with it off",
            f"{vs_pydantic.show(2, 'x')} with the GC on; {vs_pydantic_off.show(2, 'x')} with it off (parse work alone)",
            met_on and met_off,
            ""
            if met_on and met_off
            else f"pure-Python work per project in the generated from_dict ({whole:.1f} µs, of which {uuids:.1f} µs "
            "are the 5 uuid.UUID() parses) where pydantic-core works in Rust; the from_dict methods no longer "
            "import anything per call",
        )
    )
    overhead = ratio(SYNC, RAW)
    section.targets.append(
        Target(
            "client call overhead",
            "generated `get_project.sync` ≤ 1.3x raw httpx + json.loads (in-process transport)",
            overhead.show(2, "x"),
            overhead.median <= 1.3,
            ""
            if overhead.median <= 1.3
            else f"what the generated call adds to the raw one: the retry transport around httpx's, the request "
            f"built from the endpoint's kwargs, and Project.from_dict ({whole:.1f} µs) instead of json.loads alone",
        )
    )
    return section


def _anatomy(data: bytes, calls: int, repeats: int) -> tuple[list[str], list[tuple[str, Figure]]]:
    """The pieces of one project's from_dict, timed directly (no profiler): µs per project."""
    sample = json.loads(data)[0]
    project_id, created = sample["id"], sample["createdAt"]
    pieces: list[tuple[str, int, Callable[[], object]]] = [
        ("whole `Project.from_dict` (membership and user included)", 1, lambda: Project.from_dict(sample)),
        ("of which: 5 x `uuid.UUID(str)`", 5, lambda: uuid.UUID(project_id)),
        ("of which: 4 x `datetime.fromisoformat`", 4, lambda: datetime.fromisoformat(created)),
    ]
    micros: dict[str, list[float]] = {name: [] for name, _, _ in pieces}
    for _ in range(repeats):
        for name, times, function in pieces:
            micros[name].append(times * per_call(function, calls))
    rows = [(name, figure(values)) for name, values in micros.items()]
    lines = [
        f"The pieces of one project's parse, timed directly (no profiler, {calls:,} calls, {repeats} repetitions), "
        "µs per project, median (min-max). One project at a time stays in the CPU cache and leaves no garbage, "
        "so these run below a project's share of a whole page above:",
        "",
        *table(["piece", "µs per project"], [[name, value.show(2)] for name, value in rows]),
        "",
    ]
    return lines, rows


def _check(parsed: object, data: bytes) -> None:
    """The parsers must agree on the data, or the comparison means nothing."""
    if not isinstance(parsed, Project):
        raise RuntimeError(f"get_project.sync returned {parsed!r}")
    ours = [Project.from_dict(item) for item in json.loads(data)]
    theirs = PROJECTS.validate_json(data)
    if len(ours) != PAGE_SIZE or [p.id for p in ours] != [p.id for p in theirs]:
        raise RuntimeError("the generated and pydantic models disagree on the page")
    if [p.created_at for p in ours] != [p.created_at for p in theirs]:
        raise RuntimeError("the generated and pydantic models parse createdAt differently")


# (test on file name and function name, group): the first that matches names a function's group.
GROUPS: tuple[tuple[Callable[[str, str], bool], str], ...] = (
    (lambda file, name: file.endswith("uuid.py"), "uuid.UUID() (pure Python, 5 per project)"),
    (lambda file, name: "fromisoformat" in name, "datetime.fromisoformat (C, 4 per project)"),
    (lambda file, name: "decoder.py" in file or "scanner" in name or "raw_decode" in name, "json.loads"),
    (lambda file, name: "importlib" in file or "__import__" in name, "imports"),
    (lambda file, name: file.endswith("enum.py") or "membership_role" in file, "MembershipRole enum"),
    (lambda file, name: "attrs generated" in file, "attrs __init__"),
    (lambda file, name: "calyptia_cloud_client" in file, "from_dict bodies (dict copy, pop, isinstance)"),
    (lambda file, name: name.startswith("<method") or name.startswith("<built-in"), "builtins (pop, replace, ...)"),
)


def _group(filename: str, function: str) -> str:
    return next((group for test, group in GROUPS if test(filename, function)), "other")


def _profile(parse: Callable[[], Any], pages: int) -> list[str]:
    """cProfile of the generated parse: which kinds of work hold the time (own time per function)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(pages):
        parse()
    profiler.disable()
    times = profile_times(profiler)
    total = sum(own for _, own, _ in times.values()) or 1.0
    groups: dict[str, float] = {}
    for (filename, _, function), (_, own, _) in times.items():
        group = _group(filename, function)
        groups[group] = groups.get(group, 0.0) + own
    top = sorted(times.items(), key=lambda item: item[1][1], reverse=True)[:10]
    return [
        f"Where the generated parse spends its time (cProfile, {pages} pages of {PAGE_SIZE:,}; cProfile inflates "
        "Python calls, so the shares matter, not the seconds; work done by opcodes, such as an import "
        "statement, counts as its function's own time). By kind of work:",
        "",
        *table(
            ["kind of work", "share of own time"],
            [[group, f"{own / total:.0%}"] for group, own in sorted(groups.items(), key=lambda item: -item[1])],
        ),
        "",
        "Top functions by own time:",
        "",
        *table(
            ["function", "calls", "own time s", "share"],
            [
                [f"`{name}` ({Path(filename).name}:{line})", f"{count:,}", f"{own:.3f}", f"{own / total:.0%}"]
                for (filename, line, name), (count, own, _) in top
            ],
        ),
        "",
    ]
