# ruff: noqa: E402 (the models this one refers to are imported at the end, after its class)
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._redaction import masked
from ..errors import MISSING, ResponseValueError
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
    """ The caller's own membership in the project. Absent when the project was read with its project token. """
    v_3_enabled: bool | Unset = UNSET
    """ Whether the project may use the V3 APIs. Added by the service after the reference page. """
    settings: ProjectSettings | Unset = UNSET
    """ Free-form project settings, such as `{"gpt": true}`. Added by the service after the reference page. """
    # Shown with secret-looking keys masked (_redaction.masked): a body's extra fields are
    # not in the spec, so their names are all that says which hold a secret.
    additional_properties: dict[str, Any] = _attrs_field(
        init=False, factory=dict, repr=lambda extra: repr(masked(extra))
    )

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

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict.update(
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
            _field_dict["membership"] = membership
        if v_3_enabled is not UNSET:
            _field_dict["v3Enabled"] = v_3_enabled
        if settings is not UNSET:
            _field_dict["settings"] = settings

        return _field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse the JSON object `src_dict`; a value its types do not allow (the wrong JSON type,
        a null where none is allowed, a missing field, a bad UUID or date) raises
        errors.ResponseValueError naming the field and where it sits."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise ResponseValueError("Project", None, "object", src_dict)
        _data = dict(src_dict)
        id = _data.pop("id", MISSING)
        if not isinstance(id, str):
            raise ResponseValueError("Project", "id", "string (UUID)", id)
        try:
            id = parse_uuid(id)
        except ValueError:
            raise ResponseValueError("Project", "id", "string (UUID)", id) from None

        name = _data.pop("name", MISSING)
        if not isinstance(name, str):
            raise ResponseValueError("Project", "name", "string", name)

        members_count = _data.pop("membersCount", MISSING)
        if type(members_count) is not int and (isinstance(members_count, bool) or not isinstance(members_count, int)):
            raise ResponseValueError("Project", "membersCount", "integer", members_count)

        agents_count = _data.pop("agentsCount", MISSING)
        if type(agents_count) is not int and (isinstance(agents_count, bool) or not isinstance(agents_count, int)):
            raise ResponseValueError("Project", "agentsCount", "integer", agents_count)

        aggregators_count = _data.pop("aggregatorsCount", MISSING)
        if type(aggregators_count) is not int and (
            isinstance(aggregators_count, bool) or not isinstance(aggregators_count, int)
        ):
            raise ResponseValueError("Project", "aggregatorsCount", "integer", aggregators_count)

        created_at = _data.pop("createdAt", MISSING)
        if not isinstance(created_at, str):
            raise ResponseValueError("Project", "createdAt", "string (date-time)", created_at)
        try:
            created_at = datetime.datetime.fromisoformat(created_at)
        except ValueError:
            raise ResponseValueError("Project", "createdAt", "string (date-time)", created_at) from None

        membership = _data.pop("membership", UNSET)
        if membership is not UNSET:
            if not isinstance(membership, dict):
                raise ResponseValueError("Project", "membership", "object", membership)
            try:
                membership = Membership.from_dict(membership)
            except ResponseValueError as exc:
                raise exc.at("membership") from None

        v_3_enabled = _data.pop("v3Enabled", UNSET)
        if v_3_enabled is not UNSET:
            if type(v_3_enabled) is not bool:
                raise ResponseValueError("Project", "v3Enabled", "boolean", v_3_enabled)

        settings = _data.pop("settings", UNSET)
        if settings is not UNSET:
            if not isinstance(settings, dict):
                raise ResponseValueError("Project", "settings", "object", settings)
            try:
                settings = ProjectSettings.from_dict(settings)
            except ResponseValueError as exc:
                raise exc.at("settings") from None

        _instance = cls(
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

        _instance.additional_properties = _data
        return _instance

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
from ..models.membership import Membership
from ..models.project_settings import ProjectSettings
