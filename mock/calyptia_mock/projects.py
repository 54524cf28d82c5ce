"""The five Projects operations, with the live service's rules.

Each handler: authenticate, validate against the spec, apply the permission rules, then
one store call. Who may do what:
- list and create: any user (bearer token);
- get: any member, or the project's own token;
- update: a member with `update:*`, or the project's own token;
- delete: the creator only.
A project the caller cannot see is "project not found", whether or not it exists.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from calyptia_mock.auth import Caller, authenticate
from calyptia_mock.body import read_json_body
from calyptia_mock.cursor import CursorError
from calyptia_mock.errors import (
    DECODE_CURSOR,
    INVALID_PROJECT_ID,
    INVALID_PROJECT_NAME,
    PERMISSION_DENIED,
    PROJECT_NOT_FOUND,
    ApiError,
)
from calyptia_mock.operations import Operation, operation_of
from calyptia_mock.state import mock_state, validated_request
from calyptia_mock.store import ProjectChanges, Store
from calyptia_mock.validation import ErrorWording, ValidatedRequest

__all__ = ["HANDLERS", "create_project", "delete_project", "get_project", "list_projects", "update_project"]

UPDATE_PERMISSION = "update:*"
# How the service words a request that breaks the spec, for project operations: any bad path
# parameter is the project ID; any unusable cursor `decode cursor`; a bad name its own error.
WORDING = ErrorWording(
    path=INVALID_PROJECT_ID,
    query={"before": DECODE_CURSOR},
    body_fields={
        "name": (
            INVALID_PROJECT_NAME,
            "a name is 1 to 64 characters, without control characters or surrounding whitespace",
        )
    },
)


def _store(request: Request) -> Store:
    return mock_state(request).store


def _validate(request: Request, body: tuple[bytes, Any] | None = None) -> ValidatedRequest:
    return validated_request(request, body, WORDING)


@functools.cache
def _default_page_size(operation: Operation) -> int:
    """The page size when `last` is absent or 0: the spec's `default` of `last` says it."""
    return int(operation.parameter_default("query", "last"))


def _project_id(validated: ValidatedRequest) -> str:
    return _canonical_uuid(str(validated.path["projectID"]))


@functools.lru_cache(maxsize=4096)
def _canonical_uuid(text: str) -> str:
    """Lowercase 8-4-4-4-12, whatever case the client used (uuid.UUID is pure Python: remembered)."""
    return str(uuid.UUID(text))


async def list_projects(request: Request) -> Response:
    caller = authenticate(request, _store(request), accept_project_token=False)
    assert caller.user is not None
    query = _validate(request).query
    page_size = query.get("last") or _default_page_size(operation_of(request))
    before = None
    if "before" in query:
        try:
            before = _store(request).cursors.decode(query["before"])
        except CursorError:
            raise ApiError(400, DECODE_CURSOR) from None
    page = _store(request).list_projects(caller.user.id, limit=page_size, before=before, name=query.get("name"))
    headers = {}
    if page.next_cursor is not None:
        kept = [(name, request.query_params[name]) for name in ("last", "name") if name in request.query_params]
        next_url = f"{request.url.path}?{urlencode([*kept, ('before', page.next_cursor)])}"
        headers["Link"] = f'<{next_url}>; rel="next"'
    return _json_text(page.json, headers=headers)


async def create_project(request: Request) -> Response:
    caller = authenticate(request, _store(request), accept_project_token=False)
    assert caller.user is not None
    raw, body = await read_json_body(request)
    _validate(request, (raw, body))
    project_id, token, membership = _store(request).create_project(
        caller.user, body["name"], v3_enabled=bool(body.get("v3Enabled", False))
    )
    created = {"id": project_id, "token": token, "createdAt": membership.created_at, "membership": membership.to_json()}
    return JSONResponse(created, status_code=201)


async def get_project(request: Request) -> Response:
    caller = authenticate(request, _store(request), accept_project_token=True)
    project_id = _project_id(_validate(request))
    _require_visible(caller, project_id)
    user_id = caller.user.id if caller.user is not None else None
    project = _store(request).project_json(project_id, user_id)
    if project is None:
        raise ApiError(404, PROJECT_NOT_FOUND)
    return _json_text(project)


async def update_project(request: Request) -> Response:
    caller = authenticate(request, _store(request), accept_project_token=True)
    raw, body = await read_json_body(request)
    project_id = _project_id(_validate(request, (raw, body)))
    _require_visible(caller, project_id)
    if caller.user is not None:
        membership = _store(request).membership(caller.user.id, project_id)
        if membership is None:
            raise ApiError(404, PROJECT_NOT_FOUND)
        if UPDATE_PERMISSION not in membership.permissions:
            raise ApiError(403, PERMISSION_DENIED)
    if not _store(request).update_project(project_id, _changes(body)):
        raise ApiError(404, PROJECT_NOT_FOUND)
    return Response(status_code=204)


async def delete_project(request: Request) -> Response:
    caller = authenticate(request, _store(request), accept_project_token=False)
    assert caller.user is not None
    project_id = _project_id(_validate(request))
    membership = _store(request).membership(caller.user.id, project_id)
    if membership is None:
        raise ApiError(404, PROJECT_NOT_FOUND)
    if "creator" not in (membership.roles or []):
        raise ApiError(403, PERMISSION_DENIED)
    deleted_at = _store(request).delete_project(project_id)
    if deleted_at is None:
        raise ApiError(404, PROJECT_NOT_FOUND)
    return JSONResponse({"deleted": True, "deletedAt": deleted_at})


def _json_text(text: str, headers: dict[str, str] | None = None) -> Response:
    """A body the store already rendered as JSON (see store.py), sent as JSONResponse would send it."""
    return Response(text, media_type="application/json", headers=headers)


def _require_visible(caller: Caller, project_id: str) -> None:
    """A project token sees its own project and nothing else."""
    if caller.project_id is not None and caller.project_id != project_id:
        raise ApiError(404, PROJECT_NOT_FOUND)


def _changes(body: dict[str, Any]) -> ProjectChanges:
    return ProjectChanges(
        name=body.get("name"),
        v3_enabled=body.get("v3Enabled"),
        set_settings=body.get("setSettings"),
        unset_settings=tuple(body.get("unsetSettings") or ()),
        clear_all_settings=bool(body.get("clearAllSettings", False)),
    )


# The spec's operationIds (openapi.yaml as the service names them) -> their handlers; the
# registry (calyptia_mock.handlers) checks them against the spec the mock serves.
HANDLERS = {
    "projects": list_projects,
    "createProject": create_project,
    "project": get_project,
    "updateProject": update_project,
    "deleteProject": delete_project,
}
