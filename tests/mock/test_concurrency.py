"""Many clients at once against the mock as users run it: the CLI, a file database, loopback.

Why the mock is one process with one SQLite connection, used from the event loop only:
SQLite allows one writer at a time per database file. Several uvicorn workers would be
several processes contending for that one write lock: they would queue on `busy_timeout`
instead of on the event loop, and past it a request would fail with "database is locked",
a 5xx the client did nothing to cause. WAL lets readers run beside the writer, but that
buys little here: each handler's store calls are synchronous and run on the event loop with
no `await` inside a transaction, so each request's reads and writes are one atomic step and
the event loop itself is the write queue. One process is fast enough for a mock (the figures
printed below; the latency is queueing behind that single writer), and it makes the
guarantees these tests check hold by construction: no lost writes, no duplicate IDs or
`seq`, read-your-writes, one `default` project per user however its first requests race.

Run with `pytest -s` to see the figures (operations per second, p50/p99 latency).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.mock import MockProcess, mock_in_process, write_fixture

CLIENTS = 8
TOTAL_OPS = 2000
OPS_PER_CLIENT = TOTAL_OPS // CLIENTS
RUN_LIMIT_S = 25.0  # per client; the whole run normally takes a few seconds
SHARED_ID = "0b6f3c52-1d2e-4c8f-9a10-5f2d7c9e8a41"
SHARED_NAME = "shared by all"
REQUEST_TIMEOUT_S = 10.0


def _email(index: int) -> str:
    return f"user{index}@example.com"


def _token(index: int) -> str:
    return f"user{index}-token"


def _fixture(path: Path) -> Path:
    """8 users; one project created by user 0 that the other 7 read as plain members."""
    users = [{"email": _email(i), "name": f"User {i}", "token": _token(i)} for i in range(CLIENTS)]
    shared = {
        "name": SHARED_NAME,
        "id": SHARED_ID,
        "creator": _email(0),
        "members": [{"user": _email(i), "roles": None, "permissions": ["read:*"]} for i in range(1, CLIENTS)],
    }
    return write_fixture(path, users, [shared])


@dataclass
class Owned:
    """What the client was last told about one of its projects (acknowledged responses only)."""

    id: str
    name: str
    created_at: str
    deleted: bool = False


@dataclass
class Worker:
    """One client: its own projects, a ledger of acknowledged results, and what it measured."""

    index: int
    url: str
    rng: random.Random
    user_id: str | None = None
    projects: dict[str, Owned] = field(default_factory=dict)
    latencies: list[tuple[str, float]] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    creates: int = 0
    names: int = 0

    def _request(self, client: httpx.Client, op: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        started = time.perf_counter()
        response = client.request(method, path, **kwargs)
        self.latencies.append((op, time.perf_counter() - started))
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{method} {path} -> {response.status_code} {response.text[:200]}")
        return response

    def _expect(self, response: httpx.Response, status: int, what: str) -> bool:
        if response.status_code != status:
            self.anomalies.append(f"client {self.index} {what}: {response.status_code} {response.text[:200]}")
            return False
        return True

    def _new_name(self) -> str:
        self.names += 1
        return f"c{self.index}-n{self.names}"

    def live(self) -> list[Owned]:
        return [p for p in self.projects.values() if not p.deleted]

    def create(self, client: httpx.Client) -> None:
        name = self._new_name()
        response = self._request(client, "create", "POST", "/v1/projects", json={"name": name})
        if self._expect(response, 201, "create"):
            body = response.json()
            self.creates += 1
            self.user_id = body["membership"]["userID"]
            if body["id"] in self.projects:
                self.anomalies.append(f"client {self.index}: create returned an ID it already had: {body['id']}")
            self.projects[body["id"]] = Owned(body["id"], name, body["createdAt"])

    def rename(self, client: httpx.Client, project: Owned) -> None:
        name = self._new_name()
        response = self._request(client, "rename", "PATCH", f"/v1/projects/{project.id}", json={"name": name})
        if self._expect(response, 204, f"rename {project.id}"):
            project.name = name

    def delete(self, client: httpx.Client, project: Owned) -> None:
        response = self._request(client, "delete", "DELETE", f"/v1/projects/{project.id}")
        if self._expect(response, 200, f"delete {project.id}") and response.json().get("deleted") is True:
            project.deleted = True

    def get_shared(self, client: httpx.Client) -> None:
        response = self._request(client, "get shared", "GET", f"/v1/projects/{SHARED_ID}")
        if self._expect(response, 200, "get shared") and response.json()["name"] != SHARED_NAME:
            self.anomalies.append(f"client {self.index}: shared project renamed to {response.json()['name']!r}")

    def get_own(self, client: httpx.Client, project: Owned) -> None:
        """Read-your-writes: the project as this client last changed it."""
        response = self._request(client, "get own", "GET", f"/v1/projects/{project.id}")
        if self._expect(response, 200, f"get {project.id}"):
            body = response.json()
            if (body["name"], body["createdAt"]) != (project.name, project.created_at):
                self.anomalies.append(f"client {self.index}: stale read of {project.id}: {body}")

    def list_page(self, client: httpx.Client) -> None:
        """A first page, sometimes filtered by one of this client's names; nothing deleted, nothing stale."""
        live = self.live()
        params: dict[str, str | int] = {"last": 20}
        target = self.rng.choice(live) if live and self.rng.random() < 0.5 else None
        if target is not None:
            params["name"] = target.name
        response = self._request(client, "list", "GET", "/v1/projects", params=params)
        if not self._expect(response, 200, "list"):
            return
        items = response.json()
        if target is not None and [p["id"] for p in items] != [target.id]:
            self.anomalies.append(f"client {self.index}: name filter {target.name!r} gave {items}")
        for item in items:
            known = self.projects.get(item["id"])
            if known is not None and (known.deleted or known.name != item["name"]):
                self.anomalies.append(f"client {self.index}: list shows {item} but the ledger says {known}")

    def run(self, barrier: threading.Barrier) -> Worker:
        """OPS_PER_CLIENT operations, mixed: 30% create, 20% rename, 10% delete, 20% shared reads,
        12% list, 8% own reads; with nothing live to change, a create."""
        with httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {_token(self.index)}"}, timeout=REQUEST_TIMEOUT_S
        ) as client:
            barrier.wait(timeout=30)
            deadline = time.monotonic() + RUN_LIMIT_S
            for _ in range(OPS_PER_CLIENT):
                if time.monotonic() > deadline:
                    break
                roll = self.rng.random()
                live = self.live()
                if roll < 0.30 or (roll < 0.60 and not live) or (roll >= 0.92 and not live):
                    self.create(client)
                elif roll < 0.50:
                    self.rename(client, self.rng.choice(live))
                elif roll < 0.60:
                    self.delete(client, self.rng.choice(live))
                elif roll < 0.80:
                    self.get_shared(client)
                elif roll < 0.92:
                    self.list_page(client)
                else:
                    self.get_own(client, self.rng.choice(live))
        return self


def _percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _all_pages(client: httpx.Client) -> Iterator[dict[str, Any]]:
    """Walk the caller's whole listing by following Link: rel="next" (bounded)."""
    url: str | None = "/v1/projects?last=100"
    for _ in range(1000):
        if url is None:
            return
        response = client.get(url)
        assert response.status_code == 200, response.text
        yield from response.json()
        link = response.headers.get("link")
        url = link.split(">", 1)[0].lstrip("<") if link else None
    raise AssertionError("the listing did not end within 1000 pages")


def _run_clients(mock: MockProcess, seed: int) -> tuple[list[Worker], float]:
    """Start every client at once (a barrier); return them and the wall time of the run."""
    workers = [Worker(i, mock.url, random.Random(seed * 100 + i)) for i in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS + 1)
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [pool.submit(worker.run, barrier) for worker in workers]
        barrier.wait(timeout=30)
        started = time.perf_counter()
        for future in futures:
            future.result(timeout=RUN_LIMIT_S + 30)  # a transport error in a client fails the test here
        elapsed = time.perf_counter() - started
    return workers, elapsed


def _report(workers: list[Worker], elapsed: float) -> dict[str, float]:
    latencies = [seconds for w in workers for _, seconds in w.latencies]
    figures = {
        "operations": float(len(latencies)),
        "seconds": elapsed,
        "ops_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": _percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000,
    }
    statuses: Counter[int] = sum((w.statuses for w in workers), Counter())
    print(
        f"\n[concurrency] {CLIENTS} clients, {len(latencies)} operations in {elapsed:.2f} s: "
        f"{figures['ops_per_s']:.0f} ops/s, p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, "
        f"max {figures['max_ms']:.2f} ms; statuses {dict(sorted(statuses.items()))}"
    )
    by_op: dict[str, list[float]] = {}
    for worker in workers:
        for op, seconds in worker.latencies:
            by_op.setdefault(op, []).append(seconds)
    for op, values in sorted(by_op.items()):
        print(
            f"[concurrency]   {op:<10} n={len(values):<5} p50 {statistics.median(values) * 1000:6.2f} ms"
            f"  p99 {_percentile(values, 99) * 1000:6.2f} ms"
        )
    return figures


@pytest.mark.e2e  # 2,000 operations from 8 clients on the real CLI (about 10 s)
def test_eight_clients_mixed_operations_lose_nothing(tmp_path: Path) -> None:
    """2,000 mixed operations from 8 clients: every acknowledged write survives, in the API and on disk."""
    db = tmp_path / "concurrency.db"
    with mock_in_process(db, _fixture(tmp_path / "users.json"), tmp_path / "mock.log") as mock:
        workers, elapsed = _run_clients(mock, seed=20_241_128)
        figures = _report(workers, elapsed)

        assert [e for w in workers for e in w.server_errors] == [], "no 5xx during the run"
        assert [a for w in workers for a in w.anomalies] == [], "every response as the ledger predicts"
        assert figures["operations"] == TOTAL_OPS, "every client finished its operations in time"
        acknowledged = [p.id for w in workers for p in w.projects.values()]
        assert len(acknowledged) == len(set(acknowledged)), "no ID handed out twice"
        assert all(w.user_id is not None for w in workers)

        # Through the API: each user's full listing is exactly their live projects + default + shared.
        defaults: dict[int, str] = {}
        for worker in workers:
            headers = {"Authorization": f"Bearer {_token(worker.index)}"}
            with httpx.Client(base_url=mock.url, headers=headers, timeout=REQUEST_TIMEOUT_S) as client:
                listed = list(_all_pages(client))
                ids = [p["id"] for p in listed]
                assert len(ids) == len(set(ids)), f"client {worker.index}: a project listed twice"
                extra = [p for p in listed if p["id"] not in worker.projects and p["id"] != SHARED_ID]
                assert [p["name"] for p in extra] == ["default"], f"client {worker.index}: {extra}"
                defaults[worker.index] = extra[0]["id"]
                seen = {p["id"]: (p["name"], p["createdAt"]) for p in listed if p["id"] in worker.projects}
                expected = {p.id: (p.name, p.created_at) for p in worker.live()}
                assert seen == expected, f"client {worker.index}: listing differs from the ledger"
                for project in worker.projects.values():
                    if project.deleted:
                        assert client.get(f"/v1/projects/{project.id}").status_code == 404
        assert "Traceback" not in mock.log(), mock.log()
        assert mock.stop() in (0, -15), mock.log()

    # On disk, after a clean stop: the same state, nothing more, and a sound file.
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = {row[0]: (row[1], row[2]) for row in connection.execute("SELECT id, name, created_at FROM projects")}
        expected_rows = {p.id: (p.name, p.created_at) for w in workers for p in w.live()}
        expected_rows.update(
            {project_id: (rows[project_id][0], rows[project_id][1]) for project_id in defaults.values()}
        )
        expected_rows[SHARED_ID] = (SHARED_NAME, rows[SHARED_ID][1])
        assert rows == expected_rows, "the file holds exactly the acknowledged state"
        members = connection.execute(
            "SELECT p.id, m.user_id, m.roles FROM memberships m JOIN projects p ON p.seq = m.project_seq"
        ).fetchall()
        by_project: dict[str, list[tuple[str, str | None]]] = {}
        for project_id, user_id, roles in members:
            by_project.setdefault(project_id, []).append((user_id, roles))
        for worker in workers:
            for project in worker.live():
                assert by_project[project.id] == [(worker.user_id, '["creator"]')], project
        assert len(by_project[SHARED_ID]) == CLIENTS
        # AUTOINCREMENT counts every insert ever made: shared + 8 defaults + every acknowledged create.
        # Equal means no create was applied twice and none was applied without being acknowledged.
        inserted = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'projects'").fetchone()[0]
        assert inserted == 1 + CLIENTS + sum(w.creates for w in workers)
    finally:
        connection.close()


def test_concurrent_creates_are_serialized_by_the_single_writer(tmp_path: Path) -> None:
    """Why one process with one connection is safe: 8 clients, one brand-new user, creating at once.

    The event loop runs each request's store calls as one uninterrupted step, so the creates
    are applied one after another: every one is kept, IDs are distinct, `seq` is gapless, the
    `createdAt` order is the `seq` order, and the user's first-request `default` project is
    made exactly once although 8 first requests raced for it."""
    creates_per_client = 50
    fixture = write_fixture(tmp_path / "solo.json", [{"email": "solo@example.com", "name": "Solo", "token": "solo"}])
    db = tmp_path / "serial.db"
    results: list[list[tuple[int, dict[str, Any]]]] = []
    with mock_in_process(db, fixture, tmp_path / "mock.log") as mock:
        barrier = threading.Barrier(CLIENTS)

        def burst(index: int) -> list[tuple[int, dict[str, Any]]]:
            headers = {"Authorization": "Bearer solo"}
            with httpx.Client(base_url=mock.url, headers=headers, timeout=REQUEST_TIMEOUT_S) as client:
                barrier.wait(timeout=30)
                out = []
                for n in range(creates_per_client):
                    response = client.post("/v1/projects", json={"name": f"t{index}-{n}"})
                    out.append((response.status_code, response.json()))
                return out

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(burst, range(CLIENTS), timeout=60))
        assert mock.stop() in (0, -15), mock.log()

    flat = [item for per_client in results for item in per_client]
    assert [status for status, _ in flat] == [201] * (CLIENTS * creates_per_client)
    created = {body["id"]: body for _, body in flat}
    assert len(created) == CLIENTS * creates_per_client, "no duplicate IDs"
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute("SELECT seq, id, name, created_at FROM projects ORDER BY seq").fetchall()
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
    seqs = [row[0] for row in rows]
    assert seqs == list(range(1, CLIENTS * creates_per_client + 2)), "gapless, unique seq: nothing lost or repeated"
    assert [row[2] for row in rows].count("default") == 1, "the default project was claimed once"
    assert {row[1]: row[3] for row in rows if row[2] != "default"} == {i: b["createdAt"] for i, b in created.items()}
    stamps = [row[3] for row in rows]
    assert stamps == sorted(stamps), "applied one at a time: createdAt follows seq"
    print(f"\n[concurrency] {len(created)} simultaneous creates by one user: seq 1..{seqs[-1]} gapless, 1 default")
