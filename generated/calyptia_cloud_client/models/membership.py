from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.membership_role import MembershipRole
from ..types import UNSET, Unset, parse_uuid

T = TypeVar("T", bound="Membership")


@_attrs_define
class Membership:
    """Membership of a user in a project."""

    id: UUID
    """ The membership's ID. """
    user_id: UUID
    """ The member's user ID. """
    project_id: UUID
    """ The project's ID. """
    roles: list[MembershipRole] | None
    """ The member's roles: `creator` for the user who created the project, `admin` for an administrator, each at
    most once. Null or empty for a plain member. """
    permissions: list[str]
    """ What the member may do, as `action:resource` strings such as `read:*`, each at most once. The service grants
    `create:*`, `read:*`, `update:*` and `delete:*` today; the list is open, so expect others. """
    created_at: datetime.datetime
    """ When the user became a member. """
    user: User | Unset = UNSET
    """ A Calyptia Cloud user. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        user_id = str(self.user_id)

        project_id = str(self.project_id)

        roles: list[str] | None
        if isinstance(self.roles, list):
            roles = []
            for roles_type_0_item_data in self.roles:
                roles_type_0_item = roles_type_0_item_data.value
                roles.append(roles_type_0_item)

        else:
            roles = self.roles

        permissions = self.permissions

        created_at = self.created_at.isoformat()

        user: dict[str, Any] | Unset = UNSET
        if not isinstance(self.user, Unset):
            user = self.user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "userID": user_id,
                "projectID": project_id,
                "roles": roles,
                "permissions": permissions,
                "createdAt": created_at,
            }
        )
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = parse_uuid(d.pop("id"))

        user_id = parse_uuid(d.pop("userID"))

        project_id = parse_uuid(d.pop("projectID"))

        def _parse_roles(data: object) -> list[MembershipRole] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                roles_type_0 = []
                _roles_type_0 = data
                for roles_type_0_item_data in _roles_type_0:
                    roles_type_0_item = MembershipRole(roles_type_0_item_data)

                    roles_type_0.append(roles_type_0_item)

                return roles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[MembershipRole] | None, data)

        roles = _parse_roles(d.pop("roles"))

        permissions = cast(list[str], d.pop("permissions"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        _user = d.pop("user", UNSET)
        user: User | Unset
        if isinstance(_user, Unset):
            user = UNSET
        else:
            user = User.from_dict(_user)

        membership = cls(
            id=id,
            user_id=user_id,
            project_id=project_id,
            roles=roles,
            permissions=permissions,
            created_at=created_at,
            user=user,
        )

        membership.additional_properties = d
        return membership

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
from ..models.user import User  # noqa: E402
