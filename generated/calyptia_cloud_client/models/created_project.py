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
from ..types import parse_uuid, secret_repr

T = TypeVar("T", bound="CreatedProject")


@_attrs_define
class CreatedProject:
    """What `createProject` returns."""

    id: UUID
    """ The new project's ID. (The vendor's description leaves out `format: uuid` and its example shows `"text"`;
    the ID is a UUID like every other project ID.) """
    token: str = _attrs_field(repr=secret_repr)
    """ The project's own token, for the `X-Project-Token` header of `project` and `updateProject`. Returned only
    here. A credential: `format: password` keeps it out of the client's `repr()`. """
    created_at: datetime.datetime
    """ When the project was created. """
    membership: Membership
    """ The creator's membership in the new project. """
    # Shown with secret-looking keys masked (_redaction.masked): a body's extra fields are
    # not in the spec, so their names are all that says which hold a secret.
    additional_properties: dict[str, Any] = _attrs_field(
        init=False, factory=dict, repr=lambda extra: repr(masked(extra))
    )

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        token = self.token

        created_at = self.created_at.isoformat()

        membership = self.membership.to_dict()

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict.update(
            {
                "id": id,
                "token": token,
                "createdAt": created_at,
                "membership": membership,
            }
        )

        return _field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse the JSON object `src_dict`; a value its types do not allow (the wrong JSON type,
        a null where none is allowed, a missing field, a bad UUID or date) raises
        errors.ResponseValueError naming the field and where it sits."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise ResponseValueError("CreatedProject", None, "object", src_dict)
        _data = dict(src_dict)
        id = _data.pop("id", MISSING)
        if not isinstance(id, str):
            raise ResponseValueError("CreatedProject", "id", "string (UUID)", id)
        try:
            id = parse_uuid(id)
        except ValueError:
            raise ResponseValueError("CreatedProject", "id", "string (UUID)", id) from None

        token = _data.pop("token", MISSING)
        if not isinstance(token, str):
            raise ResponseValueError.of_secret("CreatedProject", "token", "string", token)

        created_at = _data.pop("createdAt", MISSING)
        if not isinstance(created_at, str):
            raise ResponseValueError("CreatedProject", "createdAt", "string (date-time)", created_at)
        try:
            created_at = datetime.datetime.fromisoformat(created_at)
        except ValueError:
            raise ResponseValueError("CreatedProject", "createdAt", "string (date-time)", created_at) from None

        membership = _data.pop("membership", MISSING)
        if not isinstance(membership, dict):
            raise ResponseValueError("CreatedProject", "membership", "object", membership)
        try:
            membership = Membership.from_dict(membership)
        except ResponseValueError as exc:
            raise exc.at("membership") from None

        _instance = cls(
            id=id,
            token=token,
            created_at=created_at,
            membership=membership,
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
