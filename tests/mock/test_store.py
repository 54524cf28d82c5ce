"""The SQLite store on its own: keyset pages, updates, deletes, the default project."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from calyptia_mock.store import ProjectChanges, Store, User


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


@pytest.fixture
def alice(store: Store) -> User:
    return store.add_user(email="alice@example.com", name="Alice", token="alice-token")


def test_first_lookup_creates_the_default_project_once(store: Store, alice: User) -> None:
    assert store.list_projects(alice.id, limit=10).projects == []
    for _ in range(3):
        assert store.user_by_token("alice-token") == alice
    page = store.list_projects(alice.id, limit=10)
    assert [p["name"] for p in page.projects] == ["default"]
    assert page.projects[0]["membership"]["roles"] == ["creator"]


def test_unknown_tokens(store: Store, alice: User) -> None:
    assert store.user_by_token("alice-token ") is None
    assert store.user_by_token("") is None
    assert store.project_id_by_token("alice-token") is None


def test_tokens_are_not_stored_in_clear(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(db)
    user = store.add_user(email="a@example.com", name="A", token="secret-user-token")
    _, project_token, _ = store.create_project(user, "p")
    store.close()
    contents = b"".join(path.read_bytes() for path in tmp_path.iterdir())
    assert b"secret-user-token" not in contents
    assert project_token.encode() not in contents


def test_pages_are_keyset_and_newest_first(store: Store, alice: User) -> None:
    ids = [store.create_project(alice, f"p{i}")[0] for i in range(10)]
    walked: list[str] = []
    before = None
    while True:
        page = store.list_projects(alice.id, limit=3, before=before)
        walked += [p["id"] for p in page.projects]
        if page.next_cursor is None:
            break
        before = store.cursors.decode(page.next_cursor)
    assert walked == list(reversed(ids))
    # The vendor's own check: items 3-5 of the full list come after the first page of 3.
    first = store.list_projects(alice.id, limit=3)
    assert first.next_cursor is not None
    second = store.list_projects(alice.id, limit=3, before=store.cursors.decode(first.next_cursor))
    assert [p["id"] for p in second.projects] == list(reversed(ids))[3:6]


def test_a_deleted_cursor_position_still_pages_on(store: Store, alice: User) -> None:
    ids = [store.create_project(alice, f"p{i}")[0] for i in range(5)]
    first = store.list_projects(alice.id, limit=2)
    assert first.next_cursor is not None
    store.delete_project(ids[3])  # the last project of the first page
    rest = store.list_projects(alice.id, limit=10, before=store.cursors.decode(first.next_cursor))
    assert [p["id"] for p in rest.projects] == [ids[2], ids[1], ids[0]]


def test_list_uses_the_membership_index() -> None:
    store = Store(":memory:")
    plan = " ".join(
        str(row[3])
        for row in store._db.execute(
            "EXPLAIN QUERY PLAN SELECT m.project_seq FROM memberships m WHERE m.user_id = ? AND m.project_seq < ?"
            " ORDER BY m.project_seq DESC LIMIT 10",
            ("u", 5),
        )
    )
    assert "USING COVERING INDEX" in plan or "USING INDEX" in plan
    assert "TEMP B-TREE" not in plan


def test_update_applies_settings_in_order(store: Store, alice: User) -> None:
    project_id, _, _ = store.create_project(alice, "p")
    assert store.update_project(project_id, ProjectChanges(set_settings={"a": 1, "b": 2}))
    changes = ProjectChanges(name="q", v3_enabled=True, set_settings={"c": 3}, unset_settings=["a"])
    assert store.update_project(project_id, changes)
    project = store.project(project_id, alice.id)
    assert project is not None
    assert (project["name"], project["v3Enabled"], project["settings"]) == ("q", True, {"b": 2, "c": 3})
    assert store.update_project(project_id, ProjectChanges(clear_all_settings=True, set_settings={"z": 0}))
    project = store.project(project_id, alice.id)
    assert project is not None
    assert (project["name"], project["settings"]) == ("q", {"z": 0})


def test_delete_removes_memberships_too(store: Store, alice: User) -> None:
    bob = store.add_user(email="bob@example.com", name="Bob", token="bob-token")
    project_id, _, _ = store.create_project(alice, "p")
    store.add_member(project_id, bob, ["admin"], ["read:*", "update:*"])
    assert store.project(project_id, bob.id) is not None
    assert store.project(project_id, bob.id)["membersCount"] == 2  # type: ignore[index]
    assert store.delete_project(project_id) is not None
    assert store.delete_project(project_id) is None
    assert store.membership(bob.id, project_id) is None
    assert store._db.execute("SELECT COUNT(*) FROM memberships WHERE user_id = ?", (bob.id,)).fetchone()[0] == 0


def test_a_failed_write_rolls_back(store: Store, alice: User) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.add_user(email="alice@example.com", name="again", token="t2")
    assert store._db.in_transaction is False
    assert store.user_by_token("t2") is None


def test_file_database_uses_wal_and_survives_reopen(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(db)
    user = store.add_user(email="a@example.com", name="A", token="t")
    project_id, _, _ = store.create_project(user, "kept")
    cursor = store.list_projects(user.id, limit=1)
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    reopened = Store(db)
    project = reopened.project(project_id, user.id)
    assert project is not None
    assert project["name"] == "kept"
    assert cursor.next_cursor is None
    assert reopened.cursors.decode(store.cursors.encode(1)) == 1, "the cursor secret is kept in the database"
    assert reopened.integrity_check() == "ok"


def test_reset_forgets_projects_and_gives_default_again(store: Store, alice: User) -> None:
    store.user_by_token("alice-token")
    store.create_project(alice, "p")
    store.reset()
    assert store.list_projects(alice.id, limit=10).projects == []
    store.user_by_token("alice-token")
    assert [p["name"] for p in store.list_projects(alice.id, limit=10).projects] == ["default"]
