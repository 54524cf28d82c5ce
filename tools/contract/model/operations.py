"""The prediction for each operation of the Projects API, from the spec's descriptions.

Each model gets the request, the caller its credentials name, and the account, and returns
the outcomes of the semantic rules (403, 404, the success with its body and effect); the
credential and validation errors come from request_rules. `valid` says whether the request
broke no rule there: if it did, only the semantic errors may come instead of that error
(the spec does not order the checks), never the success.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tools.contract.model.account import ABSENT, EMPTY_WHEN_ABSENT, Account, Project
from tools.contract.model.exchange import Exchange
from tools.contract.model.predict import (
    Outcome,
    compare_value,
    error_outcome,
    is_datetime,
    is_uuid,
    parse_datetime,
    text,
)
from tools.contract.model.request_rules import Caller, Route, parse_body

__all__ = ["MODELS", "NOT_EXTERNAL", "Request", "next_cursor", "project_paths", "view_found"]

NOT_FOUND = "project not found"
NOT_EXTERNAL = "[the service's own]"  # in a difference's place: no change by others explains it
DENIED = "permission denied"
CREATOR_PERMISSIONS = frozenset({"create:*", "read:*", "update:*", "delete:*"})
UPDATE_PERMISSION = "update:*"
_LINK = re.compile(r'^<([^>]*)>; rel="next"$')

Found = list[tuple[str, str, str]]


@dataclass(frozen=True)
class Request:
    exchange: Exchange
    route: Route
    caller: Caller
    account: Account
    valid: bool  # no credential or validation error applies

    def query(self) -> dict[str, str]:
        return dict(self.exchange.query)

    @property
    def head(self) -> bool:
        return self.exchange.method == "HEAD"

    def project_id(self) -> str:
        return str(self.route.path_values.get("projectID", "")).lower()

    def body(self) -> dict[str, Any]:
        parsed = parse_body(self.exchange)
        return parsed if isinstance(parsed, dict) else {}


Model = Callable[[Request], list[Outcome]]


# -- a project as the caller reads it -------------------------------------------------------


def view_found(account: Account, project: Project, received: Any, where: str, *, user: str | None) -> Found:
    """How `received` differs from what the model knows of the project; unknown fields are
    not compared (they are learned by `learn_view`)."""
    if not isinstance(received, dict):
        return [(where, "a project object", text(received))]
    found: Found = []
    for name, value in project.known.items():
        if name in received:
            found += compare_value(f"{where}.{name}", value, received[name])
        elif EMPTY_WHEN_ABSENT.get(name, ABSENT) != value:
            found.append((f"{where}.{name}", text(value), "nothing (absent)"))
    settings = received.get("settings") or {}
    for key, value in project.settings_partial.items():
        if value is ABSENT and isinstance(settings, dict) and key in settings:
            found.append((f"{where}.settings.{key}", "nothing (the run removed it)", text(settings[key])))
        elif value is not ABSENT and (not isinstance(settings, dict) or key not in settings or settings[key] != value):
            got = settings.get(key, "nothing (absent)") if isinstance(settings, dict) else settings
            found.append(
                (
                    f"{where}.settings.{key}",
                    text(value),
                    got if isinstance(got, str) and got.startswith("nothing") else text(got),
                )
            )
    membership = received.get("membership")
    if user is None:
        if "membership" in received:
            found.append((f"{where}.membership", "nothing (read with a project token)", text(membership)))
        return found
    known = project.memberships.get(user)
    if known:
        found += compare_value(f"{where}.membership", known, membership)
    elif not isinstance(membership, dict):
        found.append((f"{where}.membership", "the caller's membership", text(membership)))
    else:
        if membership.get("projectID") != project.id:
            found.append((f"{where}.membership.projectID", text(project.id), text(membership.get("projectID"))))
        person = account.users.get(user)
        if person is not None:
            found += compare_value(f"{where}.membership.user", person, membership.get("user"))
            found += compare_value(f"{where}.membership.userID", person.get("id"), membership.get("userID"))
    return found


def learn_view(account: Account, project: Project, received: Any, *, user: str | None) -> None:
    """Take what the answer shows of the project (the model's own values where they differ:
    the difference has been reported)."""
    if not isinstance(received, dict):
        return
    adopt = not account.strict and not project.ours  # others may have changed it: their word
    for name in ("name", "membersCount", "agentsCount", "aggregatorsCount", "createdAt", "v3Enabled", "settings"):
        if (adopt or name not in project.known) and name in received:
            project.known[name] = received[name]
    if "settings" in project.known and project.settings_partial:
        project.settings_partial = {}
    elif project.settings_partial and isinstance(received.get("settings"), dict):
        project.known["settings"] = dict(received["settings"])
        project.settings_partial = {}
    membership = received.get("membership")
    if user is not None and not project.memberships.get(user) and isinstance(membership, dict):
        account.learn_membership(project, user, membership)


def _no_content(exchange: Exchange) -> Found:
    return [("body", "no content", f"{len(exchange.response_body)} bytes")] if exchange.response_body else []


# -- projects: the listing ------------------------------------------------------------------


def list_projects(request: Request) -> list[Outcome]:
    account = request.account
    if request.caller.kind != "user" or not request.valid:
        return []
    query = request.query()
    size = int(query.get("last") or 0) or account.page_default
    name = query.get("name")
    before = query.get("before")
    if before is not None and before not in account.cursors:
        return [error_outcome(400, "projects: a cursor the service did not issue", "decode cursor")]
    position = account.cursors.get(before) if before is not None else None
    user = request.caller.user
    listing = [p for p in account.visible(user, name) if position is None or p.rank < position]
    page, more = listing[:size], len(listing) > size
    rule = f"projects: a page{' of one name' if name is not None else ''}{' after a cursor' if before else ''}"

    def check(exchange: Exchange) -> Found:
        found = _link_found(request, exchange, more)
        if request.head:
            return found + _no_content(exchange)
        received = exchange.response_json()
        if not isinstance(received, list):
            return [*found, ("body", "a JSON array of projects", text(received))]
        found += _order_found(page, received, size)
        for index, (project, item) in enumerate(zip(page, received, strict=False)):
            if isinstance(item, dict) and item.get("id") == project.id:
                found += view_found(account, project, item, f"body[{index}] ({project.id})", user=user)
        return found

    def apply(exchange: Exchange) -> None:
        received = exchange.response_json()
        if isinstance(received, list):
            items = {
                item["id"]: item for item in received if isinstance(item, dict) and isinstance(item.get("id"), str)
            }
            for project in page:
                if project.id in items:
                    learn_view(account, project, items[project.id], user=user)
            if not account.strict:
                _reconcile(account, user, page, items)
        cursor = next_cursor(exchange)
        if cursor is not None and page:
            account.cursors.setdefault(cursor, page[-1].rank)

    return [Outcome(200, rule, check=check, apply=apply)]


def _reconcile(account: Account, user: str, page: list[Project], items: dict[str, Any]) -> None:
    """In an account others may change: learn the projects they made, and forget those of
    theirs that are gone from a page that should have shown them."""
    for project_id, item in items.items():
        if project_id not in account.projects:
            account.learn_listed(user, item, 0)
    if items:
        for project in page:
            if project.id not in items and not project.ours:
                project.gone = True


def _order_found(page: list[Project], received: list[Any], size: int) -> Found:
    """The page must hold exactly the predicted projects, newest first; projects created at
    the same instant may come in either order. A page over its size, a project twice or the
    same projects in another order are the service's doing whoever else uses the account
    (`NOT_EXTERNAL` in the place): nobody's change reorders what exists."""
    ids = [item.get("id") if isinstance(item, dict) else None for item in received]
    predicted = [project.id for project in page]
    if ids == predicted:
        return []
    if len(ids) > size:
        return [(f"body: the page's size {NOT_EXTERNAL}", f"at most {size} projects", f"{len(ids)}")]
    times = [project.rank[0] for project in page]
    received_times = {project.id: project.rank[0] for project in page}
    if sorted(map(str, ids)) == sorted(predicted) and [received_times.get(str(i)) for i in ids] == times:
        return []
    differing = sorted(set(map(str, ids)) ^ set(predicted))
    if not differing:  # the same projects, in another order or some twice
        repeated = sorted({str(i) for i in ids if ids.count(i) > 1})
        first = next((index for index, (a, b) in enumerate(zip(predicted, ids, strict=False)) if a != b), 0)
        where = f"body: the page's order {NOT_EXTERNAL} (first difference: {predicted[first]} and {ids[first]})"
        if repeated:
            where = f"body: the page's projects {NOT_EXTERNAL} (listed twice: {', '.join(repeated[:5])})"
        return [(where, f"{len(predicted)}, newest first: {text(predicted)}", f"{len(ids)}: {text(ids)}")]
    where = f"body: the page's projects (differing: {', '.join(differing[:5])})"
    return [(where, f"{len(predicted)}, newest first: {text(predicted)}", f"{len(ids)}: {text(ids)}")]


def next_cursor(exchange: Exchange) -> str | None:
    """The `before` cursor of the answer's `Link rel="next"`, if it has one."""
    match = _LINK.match(exchange.response_headers.get("link", ""))
    if match is None:
        return None
    return dict(parse_qsl(urlsplit(match.group(1)).query)).get("before")


def _link_found(request: Request, exchange: Exchange, more: bool) -> Found:
    link = exchange.response_headers.get("link")
    if not more:
        return [] if link is None else [("header link", "no Link header (the last page)", text(link))]
    if link is None:
        return [("header link", 'a Link rel="next" header (more projects remain)', "nothing (absent)")]
    match = _LINK.match(link)
    if match is None:
        return [("header link", '<URL>; rel="next"', text(link))]
    url = urlsplit(match.group(1))
    kept = {k: v for k, v in request.query().items() if k in ("last", "name")}
    pairs = dict(parse_qsl(url.query, keep_blank_values=True))
    found: Found = []
    if url.path != request.exchange.path:
        found.append(("header link: path", text(request.exchange.path), text(url.path)))
    if {k: v for k, v in pairs.items() if k != "before"} != kept or not pairs.get("before"):
        found.append(
            ("header link: query", f"the request's last and name {text(kept)} and a before cursor", text(pairs))
        )
    return found


# -- one project ----------------------------------------------------------------------------


def _target(request: Request) -> Project | None:
    """The project of the path, if the caller can see it: a member, or its own token."""
    project = request.account.projects.get(request.project_id())
    if project is None or not project.visible:
        return None
    caller = request.caller
    return project if caller.kind == "project" or caller.user in project.memberships else None


def _case_alternative(request: Request, rule: str) -> list[Outcome]:
    """An ID written in capitals is the spec's pattern too; whether it finds the project is open."""
    raw = str(request.route.path_values.get("projectID", ""))
    return [error_outcome(404, f"{rule} (the ID in capitals)", NOT_FOUND)] if raw != raw.lower() else []


def _unknown(request: Request, rule: str) -> list[Outcome]:
    """A project the model does not know: not found, unless others may have made it."""
    outcomes = [error_outcome(404, rule, NOT_FOUND)]
    if not request.account.strict and request.valid and request.exchange.method == "GET":
        outcomes.append(
            Outcome(
                200,
                f"{rule}, unless someone else created it",
                check=lambda _: [("project", "not found", "a project the run never saw (changed outside the run?)")],
            )
        )
    return outcomes


def get_project(request: Request) -> list[Outcome]:
    project = _target(request)
    caller = request.caller
    if caller.kind == "project":
        if caller.project_id != request.project_id():
            return [
                error_outcome(status, "project: a project token reads its own project only")
                for status in (401, 403, 404)
            ]
        assert project is not None
        return [
            _read(request, project, user=None, rule="project: with its own project token"),
            *_case_alternative(request, "project"),
        ]
    if project is None:
        return _unknown(request, "project: not a project of the caller")
    return [
        _read(request, project, user=caller.user, rule="project: the caller is a member"),
        *_case_alternative(request, "project"),
    ]


def _read(request: Request, project: Project, *, user: str | None, rule: str) -> Outcome:
    account = request.account

    def check(exchange: Exchange) -> Found:
        if request.head:
            return _no_content(exchange)
        return view_found(account, project, exchange.response_json(), f"body ({project.id})", user=user)

    def apply(exchange: Exchange) -> None:
        learn_view(account, project, exchange.response_json(), user=user)

    return Outcome(200, rule, check=check, apply=apply, headers={"link": None})


def update_project(request: Request) -> list[Outcome]:
    project = _target(request)
    caller = request.caller
    if caller.kind == "project":
        if caller.project_id != request.project_id():
            return [
                error_outcome(status, "updateProject: a project token updates its own project only")
                for status in (401, 403, 404)
            ]
        assert project is not None
        return _updated(request, project, "updateProject: with its own project token")
    if project is None:
        return _unknown(request, "updateProject: not a project of the caller")
    membership = project.memberships.get(caller.user)
    permissions = (membership or {}).get("permissions")
    if not membership:
        return [
            *_updated(request, project, "updateProject: a member"),
            error_outcome(403, "updateProject: a member without update:*", DENIED),
        ]
    if UPDATE_PERMISSION not in (permissions or []):
        return [error_outcome(403, "updateProject: the caller lacks update:*", DENIED)]
    return _updated(request, project, "updateProject: the caller has update:*")


def _updated(request: Request, project: Project, rule: str) -> list[Outcome]:
    alternatives = _case_alternative(request, rule)
    if not request.valid:
        return alternatives
    body = request.body()

    def apply(exchange: Exchange) -> None:
        project.update(body)

    return [Outcome(204, rule, check=_no_content, apply=apply), *alternatives]


def delete_project(request: Request) -> list[Outcome]:
    project = _target(request)
    if project is None:
        return _unknown(request, "deleteProject: not a project of the caller")
    membership = project.memberships.get(request.caller.user)
    roles = (membership or {}).get("roles")
    alternatives = _case_alternative(request, "deleteProject")
    if membership and "creator" not in (roles or []):
        return [error_outcome(403, "deleteProject: only the creator deletes", DENIED), *alternatives]
    outcomes = alternatives
    if not membership:
        outcomes.append(error_outcome(403, "deleteProject: a member who may not be the creator", DENIED))
    if not request.valid:
        return outcomes

    def check(exchange: Exchange) -> Found:
        body = exchange.response_json()
        if not isinstance(body, dict):
            return [("body", "the Deleted object", text(body))]
        found = compare_value("body.deleted", True, body.get("deleted"))
        deleted_at = parse_datetime(body.get("deletedAt"))
        if deleted_at is None:
            found.append(("body.deletedAt", "the time of the deletion", text(body.get("deletedAt"))))
        elif deleted_at < project.rank[0]:
            found.append(
                (
                    "body.deletedAt",
                    f"no earlier than createdAt {project.rank[0].isoformat()}",
                    text(body.get("deletedAt")),
                )
            )
        return found

    def apply(exchange: Exchange) -> None:
        project.deleted = project.written = True

    return [Outcome(200, "deleteProject: the caller is its creator", check=check, apply=apply), *outcomes]


# -- createProject --------------------------------------------------------------------------


def create_project(request: Request) -> list[Outcome]:
    account = request.account
    if request.caller.kind != "user" or not request.valid:
        return []
    body = request.body()

    def check(exchange: Exchange) -> Found:
        created = exchange.response_json()
        if not isinstance(created, dict):
            return [("body", "the CreatedProject object", text(created))]
        found: Found = []
        project_id = created.get("id")
        if not is_uuid(project_id):
            found.append(("body.id", "a new lower-case UUID", text(project_id)))
        elif project_id in account.projects:
            found.append(("body.id", "a new ID", f"{text(project_id)}, the ID of an existing project"))
        token = created.get("token")
        if not isinstance(token, str) or not token:
            found.append(("body.token", "the new project's token", text(token)))
        elif token in set(account.tokens()):
            found.append(("body.token", "a new token", "the token of another project"))
        created_at = parse_datetime(created.get("createdAt"))
        newest = account.newest_created_at()
        if created_at is None:
            found.append(("body.createdAt", "the time of creation", text(created.get("createdAt"))))
        elif newest is not None and created_at < newest:
            found.append(
                (
                    "body.createdAt",
                    f"no earlier than the project created before it ({newest.isoformat()})",
                    text(created.get("createdAt")),
                )
            )
        found += _membership_found(account, request.caller.user, created.get("membership"), project_id)
        return found

    def apply(exchange: Exchange) -> None:
        created = exchange.response_json()
        if not isinstance(created, dict) or not isinstance(created.get("id"), str):
            return
        created_at = parse_datetime(created.get("createdAt")) or account.newest_created_at() or _EPOCH
        known: dict[str, Any] = {
            "id": created["id"],
            "name": body.get("name"),
            "membersCount": 1,
            "agentsCount": 0,
            "aggregatorsCount": 0,
            "createdAt": created.get("createdAt"),
        }
        if isinstance(body.get("v3Enabled"), bool):
            known["v3Enabled"] = body["v3Enabled"]
        project = account.add_created(created["id"], created_at, known, str(created.get("token")))
        membership = created.get("membership")
        account.learn_membership(project, request.caller.user, membership if isinstance(membership, dict) else {})

    return [Outcome(201, "createProject: the caller becomes its creator", check=check, apply=apply)]


def _membership_found(account: Account, user: str, membership: Any, project_id: Any) -> Found:
    if not isinstance(membership, dict):
        return [("body.membership", "the creator's membership", text(membership))]
    found = compare_value("body.membership.projectID", project_id, membership.get("projectID"))
    found += compare_value("body.membership.roles", ["creator"], membership.get("roles"))
    permissions = membership.get("permissions")
    missing = sorted(CREATOR_PERMISSIONS - set(permissions if isinstance(permissions, list) else []))
    if missing:
        found.append(
            (
                "body.membership.permissions",
                f"every permission ({', '.join(sorted(CREATOR_PERMISSIONS))})",
                text(permissions),
            )
        )
    if not is_uuid(membership.get("id")):
        found.append(("body.membership.id", "a UUID", text(membership.get("id"))))
    if not is_datetime(membership.get("createdAt")):
        found.append(("body.membership.createdAt", "a time", text(membership.get("createdAt"))))
    person = account.users.get(user)
    if person is not None:
        found += compare_value("body.membership.user", person, membership.get("user"))
        found += compare_value("body.membership.userID", person.get("id"), membership.get("userID"))
    return found


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def project_paths(spec: Mapping[str, Any]) -> tuple[str, str]:
    """The listing's path (operation `projects`) and one project's (`project`), its
    parameter written `{id}`: where the model learns the account and sends its own requests."""
    collection = one = None
    for template, item in (spec.get("paths") or {}).items():
        ids = {str((item.get(method) or {}).get("operationId")) for method in ("get", "post")}
        if "projects" in ids:
            collection = str(template)
        elif "project" in ids:
            one = str(template)
    if collection is None or one is None:
        raise LookupError("the spec has no `projects` and `project` operations: the model cannot learn the account")
    return collection, one.replace(one[one.index("{") : one.index("}") + 1], "{id}")


# operationId -> its model. An operation of the spec missing here is reported by name as not
# modelled (checked by the schema checks only), never passed as modelled.
MODELS: dict[str, Model] = {
    "projects": list_projects,
    "createProject": create_project,
    "project": get_project,
    "updateProject": update_project,
    "deleteProject": delete_project,
}
