from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset, parse_uuid

T = TypeVar("T", bound="Project")


@_attrs_define
class Project:
    """A project, as listed or read by one of its members."""

    id: UUID
    """ The project's ID. """
    name: str
    """ The project's name. Names given through this API follow `ProjectName`'s rules; this response schema does not
    repeat them, so that older names still parse. """
    members_count: int
    """ How many users are members of the project, the creator included, so at least 1: a project always has its
    creator as a member. """
    agents_count: int
    """ How many agents are registered in the project. """
    aggregators_count: int
    """ How many core instances (aggregators) the project has. (The vendor's own description declares `maximum: 0`
    here; `minimum: 0` was meant.) """
    created_at: datetime.datetime
    """ When the project was created. """
    membership: Membership | Unset = UNSET
    """ Membership of a user in a project. """
    v_3_enabled: bool | Unset = UNSET
    """ Whether the project may use the V3 APIs. Added by the service after the reference page. """
    settings: ProjectSettings | Unset = UNSET
    """ Free-form project settings, such as `{"gpt": true}`. Added by the service after the reference page. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        members_count = self.members_count

        agents_count = self.agents_count

        aggregators_count = self.aggregators_count

        created_at = self.created_at.isoformat()

        membership: dict[str, Any] | Unset = UNSET
        if not isinstance(self.membership, Unset):
            membership = self.membership.to_dict()

        v_3_enabled = self.v_3_enabled

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "membersCount": members_count,
                "agentsCount": agents_count,
                "aggregatorsCount": aggregators_count,
                "createdAt": created_at,
            }
        )
        if membership is not UNSET:
            field_dict["membership"] = membership
        if v_3_enabled is not UNSET:
            field_dict["v3Enabled"] = v_3_enabled
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = parse_uuid(d.pop("id"))

        name = d.pop("name")

        members_count = d.pop("membersCount")

        agents_count = d.pop("agentsCount")

        aggregators_count = d.pop("aggregatorsCount")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        _membership = d.pop("membership", UNSET)
        membership: Membership | Unset
        if isinstance(_membership, Unset):
            membership = UNSET
        else:
            membership = Membership.from_dict(_membership)

        v_3_enabled = d.pop("v3Enabled", UNSET)

        _settings = d.pop("settings", UNSET)
        settings: ProjectSettings | Unset
        if isinstance(_settings, Unset):
            settings = UNSET
        else:
            settings = ProjectSettings.from_dict(_settings)

        project = cls(
            id=id,
            name=name,
            members_count=members_count,
            agents_count=agents_count,
            aggregators_count=aggregators_count,
            created_at=created_at,
            membership=membership,
            v_3_enabled=v_3_enabled,
            settings=settings,
        )

        project.additional_properties = d
        return project

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Here, not at the top, so that models referring to each other still load (templates/model.py.jinja).
from ..models.membership import Membership  # noqa: E402
from ..models.project_settings import ProjectSettings  # noqa: E402
