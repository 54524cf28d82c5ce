from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._redaction import masked
from ..errors import MISSING, ResponseValueError
from ..types import parse_uuid

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """A Calyptia Cloud user."""

    id: UUID
    """ The user's ID. """
    email: str
    """ The user's email address. """
    name: str
    """ The user's display name. """
    avatar_url: None | str
    """ The URL of the user's avatar picture, or null if there is none. """
    created_at: datetime.datetime
    """ When the user signed up. """
    updated_at: datetime.datetime
    """ When the user was last changed. """
    # Shown with secret-looking keys masked (_redaction.masked): a body's extra fields are
    # not in the spec, so their names are all that says which hold a secret.
    additional_properties: dict[str, Any] = _attrs_field(
        init=False, factory=dict, repr=lambda extra: repr(masked(extra))
    )

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        email = self.email

        name = self.name

        avatar_url: None | str
        avatar_url = self.avatar_url

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict.update(
            {
                "id": id,
                "email": email,
                "name": name,
                "avatarURL": avatar_url,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )

        return _field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse the JSON object `src_dict`; a value its types do not allow (the wrong JSON type,
        a null where none is allowed, a missing field, a bad UUID or date) raises
        errors.ResponseValueError naming the field and where it sits."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise ResponseValueError("User", None, "object", src_dict)
        _data = dict(src_dict)
        id = _data.pop("id", MISSING)
        if not isinstance(id, str):
            raise ResponseValueError("User", "id", "string (UUID)", id)
        try:
            id = parse_uuid(id)
        except ValueError:
            raise ResponseValueError("User", "id", "string (UUID)", id) from None

        email = _data.pop("email", MISSING)
        if not isinstance(email, str):
            raise ResponseValueError("User", "email", "string", email)

        name = _data.pop("name", MISSING)
        if not isinstance(name, str):
            raise ResponseValueError("User", "name", "string", name)

        avatar_url = _data.pop("avatarURL", MISSING)
        if avatar_url is not None:
            if not isinstance(avatar_url, str):
                raise ResponseValueError("User", "avatarURL", "string or null", avatar_url)

        created_at = _data.pop("createdAt", MISSING)
        if not isinstance(created_at, str):
            raise ResponseValueError("User", "createdAt", "string (date-time)", created_at)
        try:
            created_at = datetime.datetime.fromisoformat(created_at)
        except ValueError:
            raise ResponseValueError("User", "createdAt", "string (date-time)", created_at) from None

        updated_at = _data.pop("updatedAt", MISSING)
        if not isinstance(updated_at, str):
            raise ResponseValueError("User", "updatedAt", "string (date-time)", updated_at)
        try:
            updated_at = datetime.datetime.fromisoformat(updated_at)
        except ValueError:
            raise ResponseValueError("User", "updatedAt", "string (date-time)", updated_at) from None

        _instance = cls(
            id=id,
            email=email,
            name=name,
            avatar_url=avatar_url,
            created_at=created_at,
            updated_at=updated_at,
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
