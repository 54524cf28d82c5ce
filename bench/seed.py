"""Fill a mock database through the Store API, as the mock itself would write it.

Seeding goes through `Store.create_project`, one transaction per project, so the database
is exactly what that many POSTs would leave. The file is only read with sqlite3 afterwards
(read-only), to find a project's `seq` for a deep-page cursor.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from calyptia_mock.seed_data import DEMO_TOKEN, seed_demo_user
from calyptia_mock.store import Store

PAGE = 100


@dataclass(frozen=True)
class Seeded:
    path: Path
    projects: int  # the demo user's projects, `default` included
    seconds: float  # time spent in create_project
    sample_id: str  # a project from the middle of the listing, for GET /v1/projects/{id}
    last_page_cursor: str  # `before` that lists the oldest PAGE projects: the walk's last page


def seed(path: Path, projects: int) -> Seeded:
    """A fresh database at `path` whose demo user has exactly `projects` projects."""
    if projects <= PAGE:
        raise ValueError(f"seed at least {PAGE + 1} projects, so there is a last page to reach")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(path)
    try:
        seed_demo_user(store)
        user = store.user_by_token(DEMO_TOKEN)  # its first use creates `default`: one project
        assert user is not None
        ids: list[str] = []
        started = time.perf_counter()
        for index in range(projects - 1):
            ids.append(store.create_project(user, f"bench-{index:06d}")[0])
        seconds = time.perf_counter() - started
        # Listing is newest first by seq; `before` = the seq of the (PAGE + 1)-th oldest project
        # (`default` is the oldest) leaves exactly the PAGE oldest ones.
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = reader.execute("SELECT seq FROM projects WHERE id = ?", (ids[PAGE - 1],)).fetchone()
        finally:
            reader.close()
        cursor = store.cursors.encode(int(row[0]))
    finally:
        store.close()
    return Seeded(path, projects, seconds, ids[len(ids) // 2], cursor)
