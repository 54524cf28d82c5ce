"""Section 6: what the `calyptia_mock` pytest fixture costs each test.

One server for the session (as the plugin runs it), then, per simulated test, exactly what
the fixture does (`MockSession.fresh`: a reset over the control API), alone and with a typical
setup on top: one extra user, a project created through the API, a membership and a fault.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from calyptia_mock.pytest_plugin import mock_session

from bench.core import Section, Settings, Target, figure, log, table

TESTS_PER_REPETITION = 200
TARGET_MS = 5.0


def run(settings: Settings, scratch: Path) -> Section:
    section = Section("6. Per-test cost of the calyptia_mock fixture")
    section.python("mock_session(); per test: session.fresh() [+ setup]", "bench/fixture.py")
    reset_only: list[float] = []
    with_setup: list[float] = []
    with mock_session() as session, httpx.Client(base_url=session.server.url) as api:
        headers = {"Authorization": f"Bearer {session.server.token}"}
        for repetition in range(settings.repeats):
            log(f"fixture: rep {repetition + 1}")
            for _ in range(TESTS_PER_REPETITION):
                started = time.perf_counter()
                session.fresh()
                reset_only.append((time.perf_counter() - started) * 1000)
            for index in range(TESTS_PER_REPETITION):
                started = time.perf_counter()
                mock = session.fresh()
                user = mock.add_user(f"bench-{index}@example.com")
                project = api.post("/v1/projects", json={"name": "bench"}, headers=headers).json()
                mock.add_member(project["id"], user, role="admin")
                mock.inject_fault("projects", status=503)
                with_setup.append((time.perf_counter() - started) * 1000)
    reset_figure, setup_figure = figure(reset_only), figure(with_setup)
    section.body += [
        f"{settings.repeats} x {TESTS_PER_REPETITION} simulated tests against one in-process server; "
        "milliseconds per test, median (min-max).",
        "",
        *table(
            ["per test", "ms"],
            [
                ["fixture only: reset + handle", reset_figure.show(2)],
                ["fixture + add_user + create project + add_member + inject_fault", setup_figure.show(2)],
            ],
        ),
        "",
    ]
    goal = f"median <= {TARGET_MS:g} ms"
    met = reset_figure.median <= TARGET_MS
    section.targets.append(Target("fixture reset per test", goal, reset_figure.show(2, " ms"), met))
    return section
