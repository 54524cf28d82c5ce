"""The store remembers which user a bearer token belongs to (every request authenticates), and
that memory never lets a token through that the database no longer holds: after a reset,
a clear, or a lookup that overlapped either, the next request reads the database again."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from calyptia_cloud_client import CalyptiaCloud, errors
from calyptia_mock.pytest_plugin import CalyptiaMock
from calyptia_mock.seed_data import DEMO_TOKEN, seed_demo_user
from calyptia_mock.store import Store, User

GUEST_TOKEN = "guest-token-for-the-cache-test"


@pytest.fixture
def store() -> Store:
    store = Store(":memory:", seed=7)
    seed_demo_user(store)
    return store


def test_a_known_token_is_remembered_and_a_cleared_one_is_refused(store: Store) -> None:
    store.add_user(email="guest@example.com", name="Guest", token=GUEST_TOKEN)
    first = store.user_by_token(GUEST_TOKEN)
    assert first is not None
    assert store.user_by_token(GUEST_TOKEN) is first  # remembered: the same object, no query
    store.clear()
    assert store.user_by_token(GUEST_TOKEN) is None
    assert store.user_by_token(DEMO_TOKEN) is None


def test_a_reset_gives_a_remembered_user_its_default_project_again(store: Store) -> None:
    user = store.user_by_token(DEMO_TOKEN)
    assert user is not None
    assert [p["name"] for p in store.list_projects(user.id, limit=10).projects] == ["default"]
    store.reset()
    assert store.list_projects(user.id, limit=10).projects == []
    again = store.user_by_token(DEMO_TOKEN)  # the first request after a reset creates `default`
    assert again == user
    assert [p["name"] for p in store.list_projects(user.id, limit=10).projects] == ["default"]


class ClearingConnection:
    """The store's connection, which runs `clear` on another "thread" right after the users
    query of a token lookup has read its row: the interleaving a reset from a test thread can
    have with a request on the server's thread."""

    def __init__(self, db: sqlite3.Connection, store: Store) -> None:
        self.db = db
        self.store = store
        self.armed = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)

    def execute(self, sql: str, *args: Any) -> Any:
        cursor = self.db.execute(sql, *args)
        if self.armed and sql.startswith("SELECT * FROM users WHERE token_hash"):
            self.armed = False
            row = cursor.fetchone()
            self.store.clear()  # the user is gone before the lookup decides to remember it
            return _Rows(row)
        return cursor


class _Rows:
    def __init__(self, row: Any) -> None:
        self.row = row

    def fetchone(self) -> Any:
        return self.row


def test_a_lookup_that_overlapped_a_clear_is_not_remembered(store: Store) -> None:
    assert store.user_by_token(DEMO_TOKEN) is not None  # claims `default`: later lookups only read
    store._forget_users()  # the next lookup reads the database
    real = store._db
    store._db = ClearingConnection(real, store)  # type: ignore[assignment]
    try:
        overlapped: User | None = store.user_by_token(DEMO_TOKEN)
    finally:
        store._db = real
    assert overlapped is not None  # it read the row before the clear: that answer stands
    assert store.user_by_token(DEMO_TOKEN) is None  # but it was not remembered past the clear


def test_through_the_api_a_reset_revokes_a_token_the_mock_had_remembered(calyptia_mock: CalyptiaMock) -> None:
    calyptia_mock.add_user("guest@example.com", token=GUEST_TOKEN)
    guest = calyptia_mock.client(token=GUEST_TOKEN)
    assert [p.name for p in guest.projects.list()] == ["default"]
    assert [p.name for p in guest.projects.list()] == ["default"]  # served from the remembered token
    calyptia_mock.reset()  # the seeded state: the demo user only
    with pytest.raises(errors.AuthenticationError):
        guest.projects.get(calyptia_mock.client().projects.create(name="p").id)
    with pytest.raises(errors.AuthenticationError):
        list(guest.projects.list())
    assert [p.name for p in calyptia_mock.client().projects.list()] == ["p", "default"]


def test_through_the_api_a_deleted_projects_token_is_refused(calyptia_mock: CalyptiaMock) -> None:
    owner = calyptia_mock.client()
    created = owner.projects.create(name="short-lived")
    by_token = CalyptiaCloud(token="", project_token=created.token, base_url=calyptia_mock.base_url)
    assert by_token.projects.get(created.id).name == "short-lived"
    owner.projects.delete(created.id)
    with pytest.raises(errors.AuthenticationError):
        by_token.projects.get(created.id)


def test_the_old_seed_data_module_name_still_imports_with_a_warning() -> None:
    """calyptia_mock.fixtures was renamed seed_data (it loads seed data, not pytest fixtures)."""
    import importlib
    import sys

    import calyptia_mock.seed_data as seed_data

    sys.modules.pop("calyptia_mock.fixtures", None)
    with pytest.warns(DeprecationWarning, match="calyptia_mock.seed_data"):
        old = importlib.import_module("calyptia_mock.fixtures")
    assert old.load_fixtures is seed_data.load_fixtures
    assert set(old.__all__) == set(seed_data.__all__)
