"""Pydantic v2 twins of the generated Project, Membership and User models, as a parsing yardstick.

Same fields, types and optionality as the generated attrs classes: UUIDs and datetimes are
parsed, `membership`, `v3Enabled` and `settings` may be absent, `avatarURL` and `roles` may
be null, and unknown keys are kept (the generated models keep them in
`additional_properties`). Roles stay plain strings: the generated enum is open, so any
string parses there too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class PydanticUser(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: UUID
    email: str
    name: str
    avatar_url: str | None = Field(alias="avatarURL")
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")


class PydanticMembership(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: UUID
    user_id: UUID = Field(alias="userID")
    project_id: UUID = Field(alias="projectID")
    roles: list[str] | None
    permissions: list[str]
    created_at: datetime = Field(alias="createdAt")
    user: PydanticUser | None = None


class PydanticProject(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: UUID
    name: str
    members_count: int = Field(alias="membersCount")
    agents_count: int = Field(alias="agentsCount")
    aggregators_count: int = Field(alias="aggregatorsCount")
    created_at: datetime = Field(alias="createdAt")
    membership: PydanticMembership | None = None
    v3_enabled: bool | None = Field(default=None, alias="v3Enabled")
    settings: dict[str, Any] | None = None


PROJECTS: TypeAdapter[list[PydanticProject]] = TypeAdapter(list[PydanticProject])
