"""SQLite storage for users, projects and memberships.

One connection per store, used from the event loop only: the mock runs one process with
one thread touching the database, so every statement sees a consistent state and every
write is one transaction (`with self._db:`). WAL journaling and `synchronous=NORMAL`
keep an acknowledged write on disk through a crash of the process (not of the machine).

Listing is keyset pagination on `memberships(user_id, project_seq)`: a page is one index
range scan from the cursor, so it costs the same at 100,000 projects as at 100.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from calyptia_mock.cursor import CursorCodec

__all__ = [
    "ALL_PERMISSIONS",
    "DEFAULT_PROJECT_NAME",
    "Membership",
    "Page",
    "ProjectChanges",
    "Store",
    "User",
    "hash_token",
    "now",
]

ALL_PERMISSIONS = ("create:*", "read:*", "update:*", "delete:*")
DEFAULT_PROJECT_NAME = "default"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    avatar_url TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    has_default_project INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS projects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    agents_count INTEGER NOT NULL DEFAULT 0,
    aggregators_count INTEGER NOT NULL DEFAULT 0,
    v3_enabled INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    token_hash BLOB NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS memberships (
    id TEXT PRIMARY KEY,
    project_seq INTEGER NOT NULL REFERENCES projects (seq) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    roles TEXT,
    permissions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, project_seq)
);
CREATE INDEX IF NOT EXISTS memberships_by_project ON memberships (project_seq);
"""

# The API's JSON for a project is built by SQLite itself (json_object), in C: a page of 100
# projects costs one query and no Python dict per row. Key names and order are the spec's;
# text is copied as is (non-ASCII stays UTF-8), NULL becomes null, stored JSON (settings,
# roles, permissions) is embedded verbatim, and timestamps are the stored RFC 3339 text.
# tests/mock/test_store.py checks the result against the same project built in Python.
_USER_JSON = """json_object(
    'id', u.id, 'email', u.email, 'name', u.name, 'avatarURL', u.avatar_url,
    'createdAt', u.created_at, 'updatedAt', u.updated_at)"""
_MEMBERSHIP_JSON = f"""json_object(
    'id', m.id, 'userID', u.id, 'projectID', p.id, 'roles', json(m.roles), 'permissions', json(m.permissions),
    'createdAt', m.created_at, 'user', {_USER_JSON})"""


def _project_json(*, with_membership: bool) -> str:
    """The SQL expression for a project's JSON (`p`), with the caller's membership (`m`, `u`) or without."""
    membership = f", 'membership', {_MEMBERSHIP_JSON}" if with_membership else ""
    return f"""json_object(
    'id', p.id, 'name', p.name,
    'membersCount', (SELECT COUNT(*) FROM memberships c WHERE c.project_seq = p.seq),
    'agentsCount', p.agents_count, 'aggregatorsCount', p.aggregators_count, 'createdAt', p.created_at,
    'v3Enabled', json(CASE WHEN p.v3_enabled THEN 'true' ELSE 'false' END), 'settings', json(p.settings){membership})"""


_MEMBERSHIP_COLUMNS = """
    m.id AS m_id, m.roles AS m_roles, m.permissions AS m_permissions, m.created_at AS m_created_at,
    u.id AS u_id, u.email AS u_email, u.name AS u_name, u.avatar_url AS u_avatar_url,
    u.created_at AS u_created_at, u.updated_at AS u_updated_at
"""
_FROM_MEMBERSHIPS = " FROM memberships m JOIN projects p ON p.seq = m.project_seq JOIN users u ON u.id = m.user_id"
_SELECT_PROJECT = f"SELECT {_project_json(with_membership=False)} FROM projects p WHERE p.id = ?"
_SELECT_MEMBER_PROJECT = (
    f"SELECT {_project_json(with_membership=True)}{_FROM_MEMBERSHIPS} WHERE p.id = ? AND m.user_id = ?"
)
_SELECT_PAGE = f"SELECT m.project_seq, {_project_json(with_membership=True)}{_FROM_MEMBERSHIPS}"


def now() -> str:
    """The current time as RFC 3339 UTC with microseconds; sorts as it reads."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def hash_token(token: str) -> bytes:
    """Tokens are stored and looked up by hash, never in clear."""
    return hashlib.sha256(token.encode("utf-8")).digest()


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    name: str
    avatar_url: str | None
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "avatarURL": self.avatar_url,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class Membership:
    id: str
    project_id: str
    user: User
    roles: list[str] | None
    permissions: list[str]
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "userID": self.user.id,
            "projectID": self.project_id,
            "roles": self.roles,
            "permissions": self.permissions,
            "createdAt": self.created_at,
            "user": self.user.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: `json` is the response body, a JSON array of projects."""

    json: str
    next_cursor: str | None

    @property
    def projects(self) -> list[dict[str, Any]]:
        projects: list[dict[str, Any]] = json.loads(self.json)
        return projects


@dataclass(frozen=True, slots=True)
class ProjectChanges:
    """An update's fields; None means leave as it is."""

    name: str | None = None
    v3_enabled: bool | None = None
    set_settings: dict[str, Any] | None = None
    unset_settings: Sequence[str] = ()
    clear_all_settings: bool = False


class Store:
    """The mock's database. Build one per app; close it on shutdown."""

    def __init__(self, path: str | Path = ":memory:", *, seed: int | None = None) -> None:
        """`seed` makes IDs, tokens and the cursor secret reproducible, for tests that must
        send identical requests on every run; without it they come from `secrets`."""
        self.path = str(path)
        self._random = random.Random(seed) if seed is not None else None
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 5000")
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(_SCHEMA)
        self.cursors = CursorCodec(self._secret())
        # Bearer token (its hash) -> its user, once that user's `default` project is committed:
        # every request authenticates, and users and tokens change only through this class
        # (add_user, clear, reset), each of which forgets them all before and after its
        # transaction (_changing_users). A lookup that overlapped such a change is not kept:
        # the generation it started in has passed (requests and a test's reset may run on
        # different threads).
        self._users_by_token: dict[bytes, User] = {}
        self._users_generation = 0
        self._users_lock = threading.Lock()

    def _random_bytes(self, size: int) -> bytes:
        return self._random.randbytes(size) if self._random is not None else secrets.token_bytes(size)

    def _new_id(self) -> str:
        return str(uuid.UUID(bytes=self._random_bytes(16), version=4))

    def _new_token(self) -> str:
        return base64.urlsafe_b64encode(self._random_bytes(32)).rstrip(b"=").decode("ascii")

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> _Transaction:
        """`with store._transaction():` wraps writes in BEGIN IMMEDIATE ... COMMIT/ROLLBACK."""
        return _Transaction(self._db)

    def atomic(self) -> _Transaction:
        """Group several store calls into one transaction: all of them happen, or none."""
        return self._transaction()

    def _secret(self) -> bytes:
        with self._transaction():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'cursor_secret'").fetchone()
            if row is not None:
                return bytes(row["value"])
            secret = self._random_bytes(32)
            self._db.execute("INSERT INTO meta (key, value) VALUES ('cursor_secret', ?)", (secret,))
            return secret

    # -- users ---------------------------------------------------------------------------

    def add_user(
        self, *, email: str, name: str, token: str, avatar_url: str | None = None, user_id: str | None = None
    ) -> User:
        stamp = now()
        user = User(user_id or self._new_id(), email, name, avatar_url, stamp, stamp)
        with self._changing_users():
            self._db.execute(
                "INSERT INTO users (id, email, name, avatar_url, created_at, updated_at, token_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user.id, email, name, avatar_url, stamp, stamp, hash_token(token)),
            )
        return user

    def user_by_token(self, token: str) -> User | None:
        """The user a bearer token belongs to; their first request creates `default`."""
        digest = hash_token(token)
        known = self._users_by_token.get(digest)
        if known is not None:
            return known
        generation = self._users_generation
        row = self._db.execute("SELECT * FROM users WHERE token_hash = ?", (digest,)).fetchone()
        if row is None or not hmac.compare_digest(bytes(row["token_hash"]), digest):
            return None
        user = User(row["id"], row["email"], row["name"], row["avatar_url"], row["created_at"], row["updated_at"])
        if not row["has_default_project"]:
            with self._transaction():
                claimed = self._db.execute(
                    "UPDATE users SET has_default_project = 1 WHERE id = ? AND has_default_project = 0", (user.id,)
                ).rowcount
                if claimed:
                    self._insert_project(user, DEFAULT_PROJECT_NAME, v3_enabled=False)
        with self._users_lock:
            # Committed (no rollback can undo `default`), and no change to users since the read.
            if not self._db.in_transaction and generation == self._users_generation:
                self._users_by_token[digest] = user
        return user

    @contextmanager
    def _changing_users(self) -> Iterator[None]:
        """A transaction that changes users or tokens, with every remembered token forgotten
        before it starts and again once it has committed or rolled back."""
        self._forget_users()
        try:
            with self._transaction():
                yield
        finally:
            self._forget_users()

    def _forget_users(self) -> None:
        with self._users_lock:
            self._users_generation += 1
            self._users_by_token.clear()

    def user_by_email(self, email: str) -> User | None:
        row = self._db.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()
        if row is None:
            return None
        return User(row["id"], row["email"], row["name"], row["avatar_url"], row["created_at"], row["updated_at"])

    # -- projects ------------------------------------------------------------------------

    def project_id_by_token(self, token: str) -> str | None:
        """The project a project token belongs to."""
        digest = hash_token(token)
        row = self._db.execute("SELECT id, token_hash FROM projects WHERE token_hash = ?", (digest,)).fetchone()
        if row is None or not hmac.compare_digest(bytes(row["token_hash"]), digest):
            return None
        return str(row["id"])

    def create_project(self, user: User, name: str, *, v3_enabled: bool = False) -> tuple[str, str, Membership]:
        """Create a project with `user` as creator; returns (id, project token, membership)."""
        with self._transaction():
            return self._insert_project(user, name, v3_enabled=v3_enabled)

    def _insert_project(
        self, user: User, name: str, *, v3_enabled: bool, token: str | None = None, project_id: str | None = None
    ) -> tuple[str, str, Membership]:
        project_id = project_id or self._new_id()
        token = token or self._new_token()
        stamp = now()
        seq = self._db.execute(
            "INSERT INTO projects (id, name, created_at, v3_enabled, token_hash) VALUES (?, ?, ?, ?, ?)",
            (project_id, name, stamp, int(v3_enabled), hash_token(token)),
        ).lastrowid
        membership = self._insert_membership(seq, project_id, user, ["creator"], list(ALL_PERMISSIONS), stamp)
        return project_id, token, membership

    def _insert_membership(
        self, seq: int | None, project_id: str, user: User, roles: list[str] | None, permissions: list[str], stamp: str
    ) -> Membership:
        membership = Membership(self._new_id(), project_id, user, roles, permissions, stamp)
        self._db.execute(
            "INSERT INTO memberships (id, project_seq, user_id, roles, permissions, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (membership.id, seq, user.id, _dump(roles), json.dumps(permissions), stamp),
        )
        return membership

    def add_member(
        self, project_id: str, user: User, roles: list[str] | None, permissions: Iterable[str]
    ) -> Membership:
        with self._transaction():
            seq = self._seq(project_id)
            if seq is None:
                raise KeyError(project_id)
            return self._insert_membership(seq, project_id, user, roles, list(permissions), now())

    def add_project(
        self, creator: User, name: str, *, token: str | None = None, project_id: str | None = None
    ) -> tuple[str, str, Membership]:
        """Fixture loading: a project with a chosen ID and token."""
        with self._transaction():
            return self._insert_project(creator, name, v3_enabled=False, token=token, project_id=project_id)

    def _seq(self, project_id: str) -> int | None:
        row = self._db.execute("SELECT seq FROM projects WHERE id = ?", (project_id,)).fetchone()
        return None if row is None else int(row["seq"])

    def membership(self, user_id: str, project_id: str) -> Membership | None:
        row = self._db.execute(
            f"SELECT p.id AS p_id, {_MEMBERSHIP_COLUMNS}{_FROM_MEMBERSHIPS} WHERE p.id = ? AND m.user_id = ?",
            (project_id, user_id),
        ).fetchone()
        return None if row is None else _membership(row, row["p_id"])

    def project_json(self, project_id: str, user_id: str | None) -> str | None:
        """The project's JSON as `user_id` sees it (with their membership), or as its token sees it."""
        if user_id is None:
            row = self._db.execute(_SELECT_PROJECT, (project_id,)).fetchone()
        else:
            row = self._db.execute(_SELECT_MEMBER_PROJECT, (project_id, user_id)).fetchone()
        return None if row is None else str(row[0])

    def project(self, project_id: str, user_id: str | None) -> dict[str, Any] | None:
        """`project_json`, parsed."""
        text = self.project_json(project_id, user_id)
        return None if text is None else dict(json.loads(text))

    def list_projects(self, user_id: str, *, limit: int, before: int | None = None, name: str | None = None) -> Page:
        """One page of the user's projects, newest first, starting after `before` (a seq)."""
        clauses = ["m.user_id = ?"]
        params: list[Any] = [user_id]
        if before is not None:
            clauses.append("m.project_seq < ?")
            params.append(before)
        if name is not None:
            clauses.append("p.name = ?")
            params.append(name)
        rows = self._db.execute(
            f"{_SELECT_PAGE} WHERE {' AND '.join(clauses)} ORDER BY m.project_seq DESC LIMIT ?",
            (*params, limit + 1),
        ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = self.cursors.encode(int(rows[-1][0])) if more else None
        return Page("[" + ",".join(row[1] for row in rows) + "]", next_cursor)

    def update_project(self, project_id: str, changes: ProjectChanges) -> bool:
        """Apply an update in one transaction; False when the project is gone."""
        with self._transaction():
            row = self._db.execute("SELECT settings FROM projects WHERE id = ?", (project_id,)).fetchone()
            if row is None:
                return False
            settings: dict[str, Any] = {} if changes.clear_all_settings else json.loads(row["settings"])
            settings.update(changes.set_settings or {})
            for key in changes.unset_settings:
                settings.pop(key, None)
            self._db.execute(
                "UPDATE projects SET name = COALESCE(?, name), v3_enabled = COALESCE(?, v3_enabled), settings = ?"
                " WHERE id = ?",
                (
                    changes.name,
                    None if changes.v3_enabled is None else int(changes.v3_enabled),
                    json.dumps(settings, ensure_ascii=False),
                    project_id,
                ),
            )
            return True

    def delete_project(self, project_id: str) -> str | None:
        """Delete a project and its memberships; returns when, or None if it was gone."""
        with self._transaction():
            deleted = self._db.execute("DELETE FROM projects WHERE id = ?", (project_id,)).rowcount
        return now() if deleted else None

    def reset(self) -> None:
        """Forget every project and membership; users stay and get `default` again."""
        with self._changing_users():
            self._db.execute("DELETE FROM memberships")
            self._db.execute("DELETE FROM projects")
            self._db.execute("UPDATE users SET has_default_project = 0")

    def clear(self) -> None:
        """Forget everything, users included: the starting point of a reset to the seeded state."""
        with self._changing_users():
            self._db.execute("DELETE FROM memberships")
            self._db.execute("DELETE FROM projects")
            self._db.execute("DELETE FROM users")

    def integrity_check(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])


class _Transaction:
    """BEGIN IMMEDIATE on entry, COMMIT on success, ROLLBACK on error; nests as a no-op."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._outer = False

    def __enter__(self) -> sqlite3.Connection:
        self._outer = not self._db.in_transaction
        if self._outer:
            self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if not self._outer:
            return
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _dump(roles: list[str] | None) -> str | None:
    return None if roles is None else json.dumps(roles)


def _membership(row: sqlite3.Row, project_id: str) -> Membership:
    user = User(
        row["u_id"], row["u_email"], row["u_name"], row["u_avatar_url"], row["u_created_at"], row["u_updated_at"]
    )
    roles = None if row["m_roles"] is None else json.loads(row["m_roles"])
    return Membership(row["m_id"], project_id, user, roles, json.loads(row["m_permissions"]), row["m_created_at"])
