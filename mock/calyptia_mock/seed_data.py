"""Seed data: load users, projects and memberships from a YAML or JSON fixture file.

    users:
      - {email: alice@example.com, name: Alice, token: alice-token}
      - {email: bob@example.com, name: Bob, token: bob-token, avatarURL: null}
    projects:
      - name: shared
        creator: alice@example.com
        id: 3f1c...          # optional: a fixed UUID
        token: shared-token  # optional: a fixed project token
        members:
          - {user: bob@example.com, roles: [admin]}
          - {user: carol@example.com, roles: null, permissions: ["read:*"]}

Without a fixture the mock has one demo user, whose token is DEMO_TOKEN.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from openapi_core.validation.schemas.validators import SchemaValidator

from calyptia_mock.compiled_spec import schema_validator
from calyptia_mock.packaged_spec import load_spec
from calyptia_mock.store import ALL_PERMISSIONS, Membership, Store

__all__ = [
    "DEMO_EMAIL",
    "DEMO_TOKEN",
    "FixtureError",
    "InvalidMemberError",
    "add_member",
    "load_fixture_projects",
    "load_fixtures",
    "seed_demo_user",
]

DEMO_TOKEN = "demo-token"
DEMO_EMAIL = "demo@example.com"


class FixtureError(ValueError):
    """The fixture file is malformed; the message says where."""


class InvalidMemberError(FixtureError):
    """A member's roles or permissions break the spec's Membership schema; every response
    showing that membership would, too."""


def seed_demo_user(store: Store) -> None:
    if store.user_by_email(DEMO_EMAIL) is None:
        store.add_user(email=DEMO_EMAIL, name="Demo User", token=DEMO_TOKEN)


def _read(path: Path) -> dict[str, Any]:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FixtureError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("users"), list):
        raise FixtureError(f"{path}: expected a mapping with a 'users' list")
    return data


def load_fixtures(store: Store, path: Path) -> int:
    """Add the file's users (skipping those already stored) and projects; returns users added.

    One transaction: a start that dies half-way, or a fixture error in `projects`, leaves
    nothing behind, so the next start seeds everything again."""
    data = _read(path)
    with store.atomic():
        return _load(store, path, data)


def _load(store: Store, path: Path, data: dict[str, Any]) -> int:
    added = 0
    for index, entry in enumerate(data["users"]):
        try:
            if store.user_by_email(entry["email"]) is None:
                store.add_user(
                    email=entry["email"],
                    name=entry.get("name", entry["email"]),
                    token=entry["token"],
                    avatar_url=entry.get("avatarURL"),
                    user_id=entry.get("id"),
                )
                added += 1
        except (KeyError, TypeError) as exc:
            raise FixtureError(f"{path}: users[{index}] needs 'email' and 'token' ({exc})") from exc
    if added:  # projects are only seeded together with their users, so a restart does not duplicate them
        load_fixture_projects(store, path)
    return added


def load_fixture_projects(store: Store, path: Path) -> None:
    """Add the file's projects; after `Store.reset()` this restores the fixture's starting state."""
    for index, entry in enumerate(_read(path).get("projects") or []):
        _add_project(store, path, index, entry)


def _add_project(store: Store, path: Path, index: int, entry: dict[str, Any]) -> None:
    where = f"{path}: projects[{index}]"
    creator = store.user_by_email(entry.get("creator", ""))
    if creator is None:
        raise FixtureError(f"{where}: unknown creator {entry.get('creator')!r}")
    project_id, _, _ = store.add_project(creator, entry["name"], token=entry.get("token"), project_id=entry.get("id"))
    for member in entry.get("members") or []:
        add_member(store, project_id, member, where)


def add_member(store: Store, project_id: str, member: dict[str, Any], where: str = "member") -> Membership:
    """Add `{user: email, roles: [...], permissions: [...]}` to a project; permissions default
    to all four for an admin and to `read:*` otherwise. Shared by fixture files and `/_mock`."""
    user = store.user_by_email(member.get("user", ""))
    if user is None:
        raise FixtureError(f"{where}: unknown member {member.get('user')!r}")
    roles = member.get("roles")
    default_permissions = ALL_PERMISSIONS if isinstance(roles, list) and "admin" in roles else ("read:*",)
    permissions = member.get("permissions", list(default_permissions))
    _check_membership_field(where, "roles", roles)
    _check_membership_field(where, "permissions", permissions)
    try:
        return store.add_member(project_id, user, roles, permissions)
    except KeyError:
        raise FixtureError(f"{where}: unknown project {project_id!r}") from None


@cache
def _membership_field_validator(name: str) -> SchemaValidator:
    return schema_validator(load_spec(), "components", "schemas", "Membership", "properties", name)


def _check_membership_field(where: str, name: str, value: Any) -> None:
    """Hold a member's `roles` or `permissions` to openapi.yaml's Membership schema (the role
    enum, each value at most once), so that no fixture makes the mock answer outside its spec."""
    try:
        _membership_field_validator(name).validate(value)
    except InvalidSchemaValue as exc:
        problems = "; ".join(str(getattr(error, "message", error)) for error in exc.schema_errors) or str(exc)
        raise InvalidMemberError(f"{where}: {name} {problems}") from None
