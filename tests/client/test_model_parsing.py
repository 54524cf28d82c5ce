"""The generated models' parse path (templates/model.py.jinja, runtime/types.py, uuid_property):
no import statement runs per call, and IDs parse through a cache that behaves as uuid.UUID."""

from __future__ import annotations

import dis
import inspect
import uuid
from typing import Any

import pytest
from calyptia_cloud_client import errors, models
from calyptia_cloud_client.models import Membership, Project, User
from calyptia_cloud_client.types import parse_uuid

MODEL_CLASSES = [cls for _, cls in inspect.getmembers(models, inspect.isclass) if hasattr(cls, "from_dict")]


def _project(project_id: str, user_id: str) -> dict[str, Any]:
    stamp = "2026-11-28T04:00:00.000000Z"
    user = {"id": user_id, "email": "a@example.com", "name": "A", "avatarURL": None}
    membership = {"id": str(uuid.uuid4()), "userID": user_id, "projectID": project_id, "roles": ["creator"]}
    return {
        "id": project_id,
        "name": "p",
        "membersCount": 1,
        "agentsCount": 0,
        "aggregatorsCount": 0,
        "createdAt": stamp,
        "membership": {
            **membership,
            "permissions": ["read:*"],
            "createdAt": stamp,
            "user": {**user, "createdAt": stamp, "updatedAt": stamp},
        },
    }


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_no_import_statement_runs_per_call(cls: type) -> None:
    for method in ("from_dict", "to_dict"):
        code = getattr(cls, method).__code__
        imports = [op.argval for op in dis.get_instructions(code) if op.opname == "IMPORT_NAME"]
        assert imports == [], f"{cls.__name__}.{method} imports {imports} on every call"


def test_ids_parse_as_uuid_does() -> None:
    project_id, user_id = str(uuid.uuid4()), str(uuid.uuid4()).upper()
    parsed = [Project.from_dict(_project(project_id, user_id)) for _ in range(3)]
    for project in parsed:
        assert project.id == uuid.UUID(project_id)
        assert isinstance(project.id, uuid.UUID)
        membership = project.membership
        assert isinstance(membership, Membership)
        assert isinstance(membership.user, User)
        assert membership.project_id == project.id
        assert membership.user_id == uuid.UUID(user_id) == membership.user.id
    assert Project.from_dict(_project(project_id, user_id)).to_dict()["id"] == project_id


# The last is one digit short. Fixed values keep test IDs the same in every run.
@pytest.mark.parametrize("bad", ["not-a-uuid", "", "1234", "5bd791a2-1cd8-4ef7-8b97-21e26f6a22f"])
def test_a_bad_id_fails_as_uuid_does(bad: str) -> None:
    with pytest.raises(ValueError, match="badly formed"):
        uuid.UUID(bad)
    for _ in range(2):  # a failure is not remembered as a value
        with pytest.raises(ValueError, match="badly formed"):
            parse_uuid(bad)
    with pytest.raises(errors.ResponseValueError, match=r"Project\.id at \$\.id: expected string \(UUID\)"):
        Project.from_dict(_project(bad, str(uuid.uuid4())))
