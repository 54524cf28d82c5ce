"""SIGKILL the mock in the middle of a write storm, restart it on the same file, lose nothing.

The store promises (store.py) that an acknowledged write survives a crash of the process:
each create is one transaction committed in WAL mode before the 201 is sent, and with
`synchronous=NORMAL` the commit is in the WAL file (the OS page cache at worst), which a
killed process cannot take back. On reopen SQLite replays the WAL. A machine crash or power
loss is outside that promise (NORMAL may lose the last commits then) and outside this test.

Three rounds on one database file, each killed at a different depth of the storm, so the
later rounds also recover a file that had already been recovered once. Run with `pytest -s`
to see the figures.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.http import loopback
from tests.support.mock import mock_in_process, start_mock_process, write_fixture

USERS = 4
WRITERS = 6
KILL_POINTS = (50, 200, 500)  # acknowledged creates in the round before the SIGKILL
ROUND_LIMIT_S = 15.0  # to reach a kill point; a round normally takes well under a second
MAX_CREATES_PER_WRITER = 5000  # bound on each writer's loop; the kill ends it far earlier
REQUEST_TIMEOUT_S = 5.0


def _token(index: int) -> str:
    return f"writer{index}-token"


@dataclass(frozen=True)
class Ack:
    """A create the client saw a 201 for: what the server promised to keep."""

    id: str
    name: str
    created_at: str
    membership_id: str
    user_id: str
    user_index: int


@dataclass
class Storm:
    """WRITERS threads creating projects back to back until told to stop or the server dies."""

    url: str
    round_no: int
    acked: list[Ack] = field(default_factory=list)
    in_doubt: list[tuple[int, str]] = field(default_factory=list)  # (user, name): sent, no answer
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acked_count(self) -> int:
        with self.lock:
            return len(self.acked)

    def writer(self, index: int) -> None:
        user = index % USERS
        headers = {"Authorization": f"Bearer {_token(user)}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=REQUEST_TIMEOUT_S) as client:
            for n in range(MAX_CREATES_PER_WRITER):
                if self.stop.is_set():
                    return
                name = f"r{self.round_no}-w{index}-{n}"
                try:
                    response = client.post("/v1/projects", json={"name": name})
                except httpx.TransportError:
                    with self.lock:
                        self.in_doubt.append((user, name))
                    return  # the server is gone
                if response.status_code != 201:
                    with self.lock:
                        self.failures.append(f"{name}: {response.status_code} {response.text[:200]}")
                    continue
                body = response.json()
                membership = body["membership"]
                ack = Ack(body["id"], name, body["createdAt"], membership["id"], membership["userID"], user)
                with self.lock:
                    self.acked.append(ack)


def _verify_through_api(url: str, acked: list[Ack]) -> list[str]:
    """Every acknowledged create, read back by its creator: same name, createdAt and membership."""
    problems = []
    clients = [
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {_token(i)}"}, timeout=REQUEST_TIMEOUT_S)
        for i in range(USERS)
    ]
    try:
        for ack in acked:
            response = clients[ack.user_index].get(f"/v1/projects/{ack.id}")
            if response.status_code != 200:
                problems.append(f"{ack.name} {ack.id}: {response.status_code}")
                continue
            body = response.json()
            membership = body["membership"]
            got = (body["name"], body["createdAt"], membership["id"], membership["userID"], membership["roles"])
            want = (ack.name, ack.created_at, ack.membership_id, ack.user_id, ["creator"])
            if got != want:
                problems.append(f"{ack.id}: got {got}, acknowledged {want}")
    finally:
        for client in clients:
            client.close()
    return problems


def _in_doubt_present(url: str, in_doubt: list[tuple[int, str]]) -> int:
    """How many creates that were in flight at the kill made it (either answer is correct)."""
    found = 0
    for user, name in in_doubt:
        response = loopback().get(
            f"{url}/v1/projects",
            params={"name": name},
            headers={"Authorization": f"Bearer {_token(user)}"},
            timeout=REQUEST_TIMEOUT_S,
        )
        assert response.status_code == 200, response.text
        found += len(response.json())
    return found


@pytest.mark.e2e  # the real CLI under a storm of writes, SIGKILLed and restarted (about 15 s)
def test_sigkill_mid_storm_loses_no_acknowledged_create(tmp_path: Path) -> None:
    """Kill after 50, 200 and 500 acknowledged creates; after each restart all of them are there."""
    db = tmp_path / "crash.db"
    log = tmp_path / "mock.log"
    users = [{"email": f"writer{i}@example.com", "name": f"Writer {i}", "token": _token(i)} for i in range(USERS)]
    fixture = write_fixture(tmp_path / "writers.json", users)
    all_acked: list[Ack] = []
    figures: list[str] = []
    started = time.monotonic()

    for round_no, kill_point in enumerate(KILL_POINTS, start=1):
        with mock_in_process(db, fixture, log) as mock:
            storm = Storm(mock.url, round_no)
            with ThreadPoolExecutor(max_workers=WRITERS) as pool:
                futures = [pool.submit(storm.writer, i) for i in range(WRITERS)]
                try:
                    deadline = time.monotonic() + ROUND_LIMIT_S
                    while storm.acked_count() < kill_point and time.monotonic() < deadline:
                        if any(f.done() for f in futures):
                            break  # a writer died early: its exception is raised below
                        time.sleep(0.001)
                    at_kill = storm.acked_count()
                    mock.kill()  # SIGKILL, mid-storm: writers are still sending
                finally:
                    storm.stop.set()
                for future in futures:
                    future.result(timeout=REQUEST_TIMEOUT_S * 3)
            assert at_kill >= kill_point, f"round {round_no}: only {at_kill} creates in {ROUND_LIMIT_S} s"
            assert storm.failures == [], storm.failures
            wal = db.with_name(db.name + "-wal")
            wal_bytes = wal.stat().st_size if wal.exists() else 0
            assert wal_bytes > 0, "no clean close happened, so the restart has a WAL to recover"
        all_acked += storm.acked

        with mock_in_process(db, fixture, log) as mock:
            problems = _verify_through_api(mock.url, all_acked)
            in_doubt_found = _in_doubt_present(mock.url, storm.in_doubt)
            mock.stop()
        figures.append(
            f"round {round_no}: kill at >= {kill_point}, {len(storm.acked)} acknowledged "
            f"({at_kill} when the kill was sent), WAL {wal_bytes} bytes at kill, "
            f"{len(storm.in_doubt)} in flight ({in_doubt_found} of them kept); after restart "
            f"{len(all_acked) - len(problems)}/{len(all_acked)} acknowledged so far found, lost {len(problems)}"
        )
        assert problems == [], f"round {round_no}: acknowledged creates lost or changed: {problems[:10]}"

    # The server serves again after the last crash, then stops cleanly.
    with mock_in_process(db, fixture, log) as mock:
        headers = {"Authorization": f"Bearer {_token(0)}"}
        created = loopback().post(f"{mock.url}/v1/projects", json={"name": "after"}, headers=headers, timeout=5)
        assert created.status_code == 201, created.text
        fetched = loopback().get(f"{mock.url}/v1/projects/{created.json()['id']}", headers=headers, timeout=5)
        assert fetched.status_code == 200
        assert fetched.json()["name"] == "after"
        assert mock.stop() in (0, -15), mock.log()
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")

    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {
            row[0]: (row[1], row[2], row[3], row[4], row[5])
            for row in connection.execute(
                "SELECT p.id, p.name, p.created_at, m.id, m.user_id, m.roles FROM projects p"
                " JOIN memberships m ON m.project_seq = p.seq"
            )
        }
        # No torn create: a project row always comes with its creator's membership.
        orphans = connection.execute(
            "SELECT COUNT(*) FROM projects p WHERE NOT EXISTS"
            " (SELECT 1 FROM memberships m WHERE m.project_seq = p.seq AND m.roles = '[\"creator\"]')"
        ).fetchone()[0]
    finally:
        connection.close()
    missing = [
        ack
        for ack in all_acked
        if stored.get(ack.id) != (ack.name, ack.created_at, ack.membership_id, ack.user_id, '["creator"]')
    ]
    print("\n[crash] " + "\n[crash] ".join(figures))
    print(
        f"[crash] on disk after the final clean stop: {len(all_acked)} acknowledged, "
        f"{len(all_acked) - len(missing)} found, lost {len(missing)}; {time.monotonic() - started:.1f} s"
    )
    assert missing == [], missing[:10]
    assert orphans == 0


def test_interrupted_fixture_seeding_is_completed_on_restart(tmp_path: Path) -> None:
    """A start that fails half-way through the fixture must not leave the file half-seeded for good.

    The deterministic way to stop a start between the users and the projects is a fixture error
    in `projects`; a SIGKILL landing in the same window leaves the same file behind."""
    db = tmp_path / "seed.db"
    users = [{"email": "owner@example.com", "name": "Owner", "token": "owner-token"}]
    shared = {"name": "shared", "id": "7a1d0c8e-2b3f-4e5a-9c6d-0e1f2a3b4c5d", "creator": "owner@example.com"}
    typo = write_fixture(tmp_path / "typo.json", users, [{**shared, "creator": "owner@example.con"}])
    with pytest.raises(RuntimeError, match="unknown creator"):
        start_mock_process(db, typo, tmp_path / "first.log")  # exits 2, after committing the users

    fixed = write_fixture(tmp_path / "fixed.json", users, [shared])
    with mock_in_process(db, fixed, tmp_path / "second.log") as mock:
        response = loopback().get(
            f"{mock.url}/v1/projects/{shared['id']}", headers={"Authorization": "Bearer owner-token"}, timeout=5
        )
        mock.stop()
    assert response.status_code == 200, f"the fixture's project was never seeded: {response.text}"
