"""What a caller can observe of the account, and how each write changes it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tools.contract.model.predict import parse_datetime

__all__ = ["ABSENT", "Account", "Project", "Rank"]

# A project's place in the listing: newest first is descending createdAt; among equal times,
# the order the service showed (projects learned from a listing) or the order of creation.
Rank = tuple[datetime, int]

ABSENT: Any = object()  # a setting the run removed while the rest of the settings were unknown
CREATED_TIEBREAK = 1_000_000_000
FIELDS = ("id", "name", "membersCount", "agentsCount", "aggregatorsCount", "createdAt", "v3Enabled", "settings")
EMPTY_WHEN_ABSENT = {"v3Enabled": False, "settings": {}}  # optional fields a service may leave out


@dataclass
class Project:
    """One project as the caller sees it. `known` holds the fields whose value the model knows;
    a field not in it is learned from the next answer that shows it."""

    id: str
    rank: Rank
    known: dict[str, Any]
    # user token -> that user's membership, as they read it; a user not in it is no member
    memberships: dict[str, dict[str, Any]] = field(default_factory=dict)
    token: str | None = None  # its project token, when the run created it
    created: bool = False  # by this run
    written: bool = False  # changed or deleted by this run
    deleted: bool = False
    gone: bool = False  # vanished without the run deleting it (a live account)
    settings_partial: dict[str, Any] = field(default_factory=dict)  # while `settings` is unknown

    @property
    def ours(self) -> bool:
        """Whether only the run can explain a change to it."""
        return self.created or self.written

    @property
    def visible(self) -> bool:
        return not self.deleted and not self.gone

    def visible_to(self, user: str) -> bool:
        return self.visible and user in self.memberships

    def expected_settings(self) -> dict[str, Any] | None:
        settings = self.known.get("settings")
        return dict(settings) if isinstance(settings, dict) else None

    def update(self, body: dict[str, Any]) -> None:
        """Apply an update the service accepted: `clearAllSettings`, then `setSettings`
        merged key by key, then `unsetSettings`; absent or null fields stay as they were."""
        self.written = True
        for name in ("name", "v3Enabled"):
            if body.get(name) is not None:
                self.known[name] = body[name]
        settings = self.expected_settings()
        if body.get("clearAllSettings") is True:
            settings, self.settings_partial = {}, {}
        changes: dict[str, Any] = dict(body.get("setSettings") or {})
        for key in body.get("unsetSettings") or []:
            changes[key] = ABSENT
        if settings is None:
            self.settings_partial.update(changes)
            return
        for key, value in changes.items():
            if value is ABSENT:
                settings.pop(key, None)
            else:
                settings[key] = value
        self.known["settings"] = settings


@dataclass
class Account:
    """The projects of the run's users, the users, and the cursors the service issued."""

    strict: bool  # True: nobody but the run changes the account (the mock the runner started)
    page_default: int
    page_maximum: int
    projects: dict[str, Project] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # user token -> the user, once seen
    cursors: dict[str, Rank] = field(default_factory=dict)
    created_count: int = 0

    def visible(self, user: str, name: str | None = None) -> list[Project]:
        """A user's listing: every project they are a member of, newest first."""
        projects = [
            p for p in self.projects.values() if p.visible_to(user) and (name is None or p.known.get("name") == name)
        ]
        return sorted(projects, key=lambda project: project.rank, reverse=True)

    def by_token(self, token: str) -> Project | None:
        return next((project for project in self.projects.values() if project.token == token), None)

    def tokens(self) -> Iterator[str]:
        return (project.token for project in self.projects.values() if project.token is not None)

    def learn_listed(self, user: str, item: dict[str, Any], tiebreak: int) -> Project | None:
        """A project first seen in a user's listing, before the run changed anything (a
        project another user listed already gains this user's membership)."""
        created_at = parse_datetime(item.get("createdAt"))
        project_id = item.get("id")
        if created_at is None or not isinstance(project_id, str):
            return None
        project = self.projects.get(project_id)
        if project is None:
            known = {name: item[name] for name in FIELDS if name in item}
            project = self.projects[project_id] = Project(project_id, (created_at, tiebreak), known)
        membership = item.get("membership")
        self.learn_membership(project, user, membership if isinstance(membership, dict) else {})
        return project

    def learn_membership(self, project: Project, user: str, membership: dict[str, Any]) -> None:
        project.memberships[user] = membership
        if user not in self.users and isinstance(membership.get("user"), dict):
            self.users[user] = membership["user"]

    def add_created(self, project_id: str, created_at: datetime, known: dict[str, Any], token: str) -> Project:
        self.created_count += 1
        project = Project(project_id, (created_at, CREATED_TIEBREAK + self.created_count), known, token=token)
        project.created = project.written = True
        self.projects[project_id] = project
        return project

    def other_users(self, user: str) -> list[str]:
        return [token for token in self.users if token != user]

    def newest_created_at(self) -> datetime | None:
        times = [project.rank[0] for project in self.projects.values() if project.created]
        return max(times) if times else None
