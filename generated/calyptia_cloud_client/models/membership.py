# ruff: noqa: E402 (the models this one refers to are imported at the end, after its class)
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._redaction import masked
from ..errors import MISSING, ResponseValueError, index_in
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
    """ The member. """
    # Shown with secret-looking keys masked (_redaction.masked): a body's extra fields are
    # not in the spec, so their names are all that says which hold a secret.
    additional_properties: dict[str, Any] = _attrs_field(
        init=False, factory=dict, repr=lambda extra: repr(masked(extra))
    )

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

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict.update(
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
            _field_dict["user"] = user

        return _field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse the JSON object `src_dict`; a value its types do not allow (the wrong JSON type,
        a null where none is allowed, a missing field, a bad UUID or date) raises
        errors.ResponseValueError naming the field and where it sits."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise ResponseValueError("Membership", None, "object", src_dict)
        _data = dict(src_dict)
        id = _data.pop("id", MISSING)
        if not isinstance(id, str):
            raise ResponseValueError("Membership", "id", "string (UUID)", id)
        try:
            id = parse_uuid(id)
        except ValueError:
            raise ResponseValueError("Membership", "id", "string (UUID)", id) from None

        user_id = _data.pop("userID", MISSING)
        if not isinstance(user_id, str):
            raise ResponseValueError("Membership", "userID", "string (UUID)", user_id)
        try:
            user_id = parse_uuid(user_id)
        except ValueError:
            raise ResponseValueError("Membership", "userID", "string (UUID)", user_id) from None

        project_id = _data.pop("projectID", MISSING)
        if not isinstance(project_id, str):
            raise ResponseValueError("Membership", "projectID", "string (UUID)", project_id)
        try:
            project_id = parse_uuid(project_id)
        except ValueError:
            raise ResponseValueError("Membership", "projectID", "string (UUID)", project_id) from None

        roles = _data.pop("roles", MISSING)
        if roles is not None:
            if not isinstance(roles, list):
                raise ResponseValueError("Membership", "roles", "array of string or null", roles)
            roles_parsed = []
            for roles_item in roles:
                if not isinstance(roles_item, str):
                    raise ResponseValueError(
                        "Membership", "roles", "string", roles_item, index=index_in(roles, roles_item)
                    )
                roles_item = MembershipRole(roles_item)
                roles_parsed.append(roles_item)
            roles = roles_parsed

        permissions = _data.pop("permissions", MISSING)
        if not isinstance(permissions, list):
            raise ResponseValueError("Membership", "permissions", "array", permissions)
        for permissions_item in permissions:
            if not isinstance(permissions_item, str):
                raise ResponseValueError(
                    "Membership",
                    "permissions",
                    "string",
                    permissions_item,
                    index=index_in(permissions, permissions_item),
                )

        created_at = _data.pop("createdAt", MISSING)
        if not isinstance(created_at, str):
            raise ResponseValueError("Membership", "createdAt", "string (date-time)", created_at)
        try:
            created_at = datetime.datetime.fromisoformat(created_at)
        except ValueError:
            raise ResponseValueError("Membership", "createdAt", "string (date-time)", created_at) from None

        user = _data.pop("user", UNSET)
        if user is not UNSET:
            if not isinstance(user, dict):
                raise ResponseValueError("Membership", "user", "object", user)
            try:
                user = User.from_dict(user)
            except ResponseValueError as exc:
                raise exc.at("user") from None

        _instance = cls(
            id=id,
            user_id=user_id,
            project_id=project_id,
            roles=roles,
            permissions=permissions,
            created_at=created_at,
            user=user,
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
from ..models.user import User
