"""The promises about writes: read-your-writes after create and update, the creator's
membership, the project token's scope, the order of settings changes, deletion.

They act on the responses to the run's own writes, and write only to projects the run
created.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tools.contract.promises.follow_up import (
    LIST,
    ONE,
    PromiseRun,
    Reply,
    created_at,
    first_time,
    page_limits,
    read_created,
    remember_created,
    send,
    succeeded,
    walk,
    within,
)
from tools.contract.promises.registry import broken, pointer, promise

CREATOR_PERMISSIONS = frozenset({"create:*", "read:*", "update:*", "delete:*"})
LISTED_CREATES_PER_RUN = 10  # creates also looked up in the list; every one is read by ID
TOKEN_CHECKS_PER_RUN = 3  # each costs up to five requests; a few prove the scope


@promise(
    "create-reads-back",
    "createProject",
    "The new project can be read at once, by `project` and in `projects`, "
    "with the name and `v3Enabled` it was created with.",
    pointer(LIST, "post"),
)
def created_project_reads_back(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """After a 201 the project reads back, by ID and through the name filter, as it was sent."""
    noted = remember_created(run, case, response)
    if noted is None:
        return None
    project_id, created = noted
    sent = case.body if isinstance(case.body, dict) else {}
    read = read_created(run, case, response, project_id)
    if read.status != 200:
        raise broken("created_project_reads_back", f"reading project {project_id} answered {read.status}")
    project = read.body
    for field in ("name", "v3Enabled"):
        if sent.get(field) is not None and project.get(field) != sent[field]:
            raise broken(
                "created_project_reads_back",
                f"created with {field}={sent[field]!r}, read back {field}={project.get(field)!r}",
            )
    if created_at(project) != created_at(created):
        raise broken("created_project_reads_back", "createdAt differs between the create and the read")
    if not within(run, "created_project_reads_back: listed", LISTED_CREATES_PER_RUN):
        return True
    _, maximum = page_limits(case)
    listed = send(run, case, "GET", LIST, query={"name": project["name"], "last": maximum})
    if listed.status != 200 or project_id not in {str(item["id"]) for item in listed.body}:
        raise broken("created_project_reads_back", f"project {project_id} is missing from the list of its name")
    return True


@promise(
    "creator-membership",
    "createProject",
    "The caller becomes the project's creator: "
    "the response carries the creator's membership (role `creator`, every permission)",
    pointer(LIST, "post"),
)
def creator_membership_after_create(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """The creator's membership comes with the 201, and the new project has exactly one
    member (`membersCount` counts the creator), whose membership reads back the same."""
    noted = remember_created(run, case, response)
    if noted is None:
        return None
    project_id, created = noted
    membership = created["membership"]
    if "creator" not in (membership.get("roles") or []):
        raise broken("creator_membership_after_create", f"the creator's roles are {membership.get('roles')!r}")
    missing = CREATOR_PERMISSIONS - set(membership.get("permissions") or [])
    if missing:
        raise broken("creator_membership_after_create", f"the creator lacks {sorted(missing)}")
    if membership.get("projectID") != project_id:
        raise broken("creator_membership_after_create", "the membership names another project")
    read = read_created(run, case, response, project_id)
    if read.status != 200:
        raise broken("creator_membership_after_create", f"reading project {project_id} answered {read.status}")
    if read.body.get("membersCount") != 1:
        raise broken(
            "creator_membership_after_create", f"a new project has membersCount={read.body.get('membersCount')}"
        )
    mine = read.body.get("membership") or {}
    if mine.get("id") != membership.get("id") or "creator" not in (mine.get("roles") or []):
        raise broken("creator_membership_after_create", "the project reads back without the creator's membership")
    return True


@promise(
    "project-token-scope",
    "createProject",
    "the new project's token, which works as `X-Project-Token` for getting and updating this project only.",
    pointer(LIST, "post"),
    writes=True,
)
def project_token_is_scoped(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """The token from a 201 reads (without `membership`) and updates its own project, and
    neither reads nor updates another project the run created. The update is `{}`, which
    changes nothing."""
    noted = remember_created(run, case, response)
    if noted is None or not within(run, "project_token_is_scoped", TOKEN_CHECKS_PER_RUN):
        return None
    project_id, created = noted
    token = str(created["token"])
    own = send(run, case, "GET", ONE, project_id=project_id, project_token=token)
    if own.status != 200 or own.body.get("id") != project_id:
        raise broken("project_token_is_scoped", f"the token could not read its own project ({own.status})")
    if "membership" in own.body:
        raise broken("project_token_is_scoped", "a read with the project token carries a membership")
    updated = send(run, case, "PATCH", ONE, project_id=project_id, body={}, project_token=token)
    if updated.status != 204:
        raise broken("project_token_is_scoped", f"the token could not update its own project ({updated.status})")
    other = next((known for known in run.created if known != project_id), None)
    if other is None:
        return True
    for method, body in (("GET", None), ("PATCH", {})):
        reply = send(run, case, method, ONE, project_id=other, body=body, project_token=token)
        if reply.status < 400:
            raise broken("project_token_is_scoped", f"the token of {project_id} was accepted by {method} of {other}")
    return True


# --- update and delete -----------------------------------------------------------------------


def _expected_settings(sent: dict[str, Any]) -> tuple[dict[str, Any], set[str], bool]:
    """What an update promises about settings: keys with values, keys absent, and whether
    those are all the keys (after `clearAllSettings`)."""
    present = {key: value for key, value in (sent.get("setSettings") or {}).items()}
    absent = set(sent.get("unsetSettings") or [])
    for key in absent:
        present.pop(key, None)
    return present, absent, bool(sent.get("clearAllSettings"))


def _compare_update(check: str, sent: dict[str, Any], project: dict[str, Any]) -> None:
    for field in ("name", "v3Enabled"):
        if sent.get(field) is not None and project.get(field) != sent[field]:
            raise broken(check, f"updated {field} to {sent[field]!r}, read back {project.get(field)!r}")
    present, absent, exact = _expected_settings(sent)
    settings = project.get("settings") or {}
    wrong = sorted(key for key, value in present.items() if key not in settings or settings[key] != value)
    wrong += sorted(key for key in absent if key in settings)
    if exact:
        wrong += sorted(key for key in settings if key not in present)
    if wrong:
        raise broken(check, f"after the update the settings {wrong[:3]} are not as sent")


@promise(
    "update-reads-back",
    "updateProject",
    "After a 204, the project reads back with every field that was sent.",
    pointer(ONE, "patch"),
)
def update_reads_back(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """After a 204 the project reads back with the name, `v3Enabled` and settings sent."""
    if not succeeded(case, response, "PATCH", ONE, 204) or not isinstance(case.body, dict):
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    read = send(run, case, "GET", ONE, project_id=project_id)
    if read.status != 200:
        raise broken("update_reads_back", f"reading project {project_id} after its update answered {read.status}")
    _compare_update("update_reads_back", case.body, read.body)
    if project_id in run.created and case.body.get("name") is not None:
        run.created[project_id].name = str(case.body["name"])
    return True


SETTINGS_SEQUENCE: tuple[tuple[dict[str, Any], dict[str, Any]], ...] = (
    # (update sent, every setting afterwards)
    ({"clearAllSettings": True, "setSettings": {"a": 1, "b": {"x": 1}}}, {"a": 1, "b": {"x": 1}}),
    ({"setSettings": {"c": 2}, "unsetSettings": ["a"]}, {"b": {"x": 1}, "c": 2}),
    ({"setSettings": {"d": 4}, "unsetSettings": ["d"]}, {"b": {"x": 1}, "c": 2}),
    ({"clearAllSettings": True, "setSettings": {"e": 5}}, {"e": 5}),
)


@promise(
    "settings-order",
    "updateProject",
    "Settings change in a fixed order: "
    "`clearAllSettings` first, then `setSettings` (merged key by key), then `unsetSettings`.",
    pointer(ONE, "patch"),
    writes=True,
)
def settings_change_in_order(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """Once per run, writes allowed, on a project the run created: a fixed series of
    settings updates, each read back in full."""
    if not succeeded(case, response, "PATCH", ONE, 204):
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    if project_id not in run.created or not first_time(run, "settings_change_in_order"):
        return None
    for sent, expected in SETTINGS_SEQUENCE:
        settings = update_and_read(run, "settings_change_in_order", case, project_id, sent).get("settings") or {}
        if settings != expected:
            raise broken("settings_change_in_order", f"after {sent} the settings are {settings}, not {expected}")
    return True


def update_and_read(run: PromiseRun, check: str, case: Any, project_id: str, sent: dict[str, Any]) -> dict[str, Any]:
    """Send one update of our own and return the project as read back after it."""
    updated = send(run, case, "PATCH", ONE, project_id=project_id, body=sent)
    read = send(run, case, "GET", ONE, project_id=project_id)
    if updated.status != 204 or read.status != 200 or not isinstance(read.body, dict):
        raise broken(check, f"the update {sent} answered {updated.status}, the read after it {read.status}")
    return read.body


UNCHANGING_UPDATES: tuple[dict[str, Any], ...] = ({}, {"name": None, "v3Enabled": None}, {"unsetSettings": []})


@promise(
    "absent-fields-unchanged",
    "updateProject",
    "Every field is optional; a field that is absent or null is left as it is, so `{}` changes nothing.",
    pointer(ONE, "patch"),
    writes=True,
)
def absent_fields_are_left_alone(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """Once per run, writes allowed, on a project the run created: updates that send nothing,
    or only nulls, leave the name, `v3Enabled` and the settings as they were."""
    if not succeeded(case, response, "PATCH", ONE, 204):
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    if project_id not in run.created or not first_time(run, "absent_fields_are_left_alone"):
        return None
    before = update_and_read(run, "absent_fields_are_left_alone", case, project_id, {"setSettings": {"kept": True}})
    for sent in UNCHANGING_UPDATES:
        after = update_and_read(run, "absent_fields_are_left_alone", case, project_id, sent)
        changed = [field for field in ("name", "v3Enabled", "settings") if after.get(field) != before.get(field)]
        if changed:
            raise broken("absent_fields_are_left_alone", f"the update {sent} changed {changed}")
    return True


@promise(
    "delete-gone",
    "deleteProject",
    "Afterwards the project is gone: reading it answers 404, and it is no longer listed.",
    pointer(ONE, "delete"),
)
def deleted_project_is_gone(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """After a successful delete, reading the project answers 404 and no list shows it."""
    if not succeeded(case, response, "DELETE", ONE, 200) or response.json().get("deleted") is not True:
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    read = send(run, case, "GET", ONE, project_id=project_id)
    if read.status == 200:
        return None  # not deleted at all: schemathesis's use_after_free reports that
    if read.status != 404:
        raise broken("deleted_project_is_gone", f"reading the deleted project {project_id} answered {read.status}")
    known = run.created.pop(project_id, None)
    if known is not None:
        _, maximum = page_limits(case)
        pages: Iterator[Reply] = iter([send(run, case, "GET", LIST, query={"name": known.name, "last": maximum})])
    else:
        pages = walk(run, case, page_limits(case)[1])
    if any(str(item["id"]) == project_id for reply in pages for item in reply.body or []):
        raise broken("deleted_project_is_gone", f"the deleted project {project_id} is still listed")
    return True
