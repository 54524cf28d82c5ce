"""The JSON that SQLite builds for projects (store.py) is byte for byte what Starlette's
JSONResponse would send for the same project built in Python: key names and order, nulls,
booleans, timestamps, settings, and text with quotes, escapes, control characters and
non-ASCII (accents, emoji, U+2028) alike."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from calyptia_mock.store import ProjectChanges, Store, User
from starlette.responses import JSONResponse

AWKWARD_TEXT = 'Zoë "quoted" back\\slash \x01\x1f\t\n\x7f ☃ 😀 \u2028 end'
RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
SETTINGS: dict[str, Any] = {
    "gpt": True,
    "off": False,
    "none": None,
    "count": 12345678901234567890123,
    "ratio": 1.5e-07,
    "big": 1e300,
    "negative": -0.25,
    "nested": {"list": [1, "two", {"three": [None]}], "ünï": "cödé 😀"},
    AWKWARD_TEXT: AWKWARD_TEXT,
}


def _rendered(value: Any) -> bytes:
    """What the mock sent before SQLite built the JSON: JSONResponse.render."""
    return JSONResponse(None).render(value)


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "avatarURL": user.avatar_url,
        "createdAt": user.created_at,
        "updatedAt": user.updated_at,
    }


def _expected(store: Store, project_id: str, *, viewer: User | None, members: int) -> dict[str, Any]:
    """The project as the handlers documented it, from the raw rows, in Python."""
    row = store._db.execute(
        "SELECT id, name, created_at, agents_count, aggregators_count, v3_enabled, settings FROM projects WHERE id = ?",
        (project_id,),
    ).fetchone()
    project: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "membersCount": members,
        "agentsCount": row["agents_count"],
        "aggregatorsCount": row["aggregators_count"],
        "createdAt": row["created_at"],
        "v3Enabled": bool(row["v3_enabled"]),
        "settings": json.loads(row["settings"]),
    }
    if viewer is not None:
        membership = store.membership(viewer.id, project_id)
        assert membership is not None
        project["membership"] = {
            "id": membership.id,
            "userID": viewer.id,
            "projectID": project_id,
            "roles": membership.roles,
            "permissions": membership.permissions,
            "createdAt": membership.created_at,
            "user": _user_json(viewer),
        }
    return project


@pytest.fixture
def store() -> Store:
    return Store(":memory:", seed=7)


def _awkward_project(store: Store) -> tuple[str, User, User]:
    creator = store.add_user(email="zoë@example.com", name=AWKWARD_TEXT, token="t1", avatar_url="https://a/ü.png")
    member = store.add_user(email="bob@example.com", name="Bob", token="t2")  # avatarURL null
    project_id, _, _ = store.create_project(creator, AWKWARD_TEXT)
    store.add_member(project_id, member, None, ["read:*"])  # roles null
    assert store.update_project(project_id, ProjectChanges(v3_enabled=True, set_settings=SETTINGS))
    return project_id, creator, member


@pytest.mark.parametrize("viewer_name", ["creator", "member", "project token"])
def test_one_project_is_what_json_response_would_send(store: Store, viewer_name: str) -> None:
    project_id, creator, member = _awkward_project(store)
    viewer = {"creator": creator, "member": member, "project token": None}[viewer_name]
    text = store.project_json(project_id, None if viewer is None else viewer.id)
    assert text is not None
    expected = _expected(store, project_id, viewer=viewer, members=2)
    assert text.encode("utf-8") == _rendered(expected)
    assert json.loads(text)["settings"] == SETTINGS  # the values, not only the bytes, survive


def test_a_page_is_what_json_response_would_send(store: Store) -> None:
    project_id, creator, _ = _awkward_project(store)
    plain_id, _, _ = store.create_project(creator, "plain")
    page = store.list_projects(creator.id, limit=10)
    expected = [
        _expected(store, plain_id, viewer=creator, members=1),
        _expected(store, project_id, viewer=creator, members=2),
    ]
    assert page.json.encode("utf-8") == _rendered(expected)
    assert page.projects == expected
    assert store.list_projects(creator.id, limit=10, name="nothing").json == "[]"


def test_timestamps_stay_rfc3339_text(store: Store) -> None:
    project_id, creator, _ = _awkward_project(store)
    project = store.project(project_id, creator.id)
    assert project is not None
    for stamp in (project["createdAt"], project["membership"]["createdAt"], project["membership"]["user"]["createdAt"]):
        assert RFC3339_UTC.fullmatch(stamp), stamp


def test_a_number_out_of_range_is_refused_not_stored(mock_url: str) -> None:
    """1e400 parses to infinity in Python: refused as 400, so no stored setting breaks later reads."""
    headers = {"Authorization": "Bearer alice-token"}
    with httpx.Client(base_url=mock_url, headers=headers, timeout=10) as client:
        project_id = client.post("/v1/projects", json={"name": "numbers"}).json()["id"]
        for number in ("1e400", "-1e400"):
            content = b'{"setSettings": {"big": %s}}' % number.encode()
            response = client.patch(
                f"/v1/projects/{project_id}", content=content, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 400
            assert response.json() == {
                "error": "invalid request body",
                "detail": f"{number} is out of range for a number",
            }
        assert client.patch(f"/v1/projects/{project_id}", json={"setSettings": {"big": 1e300}}).status_code == 204
        assert client.get(f"/v1/projects/{project_id}").json()["settings"] == {"big": 1e300}
        assert client.get("/v1/projects").status_code == 200
