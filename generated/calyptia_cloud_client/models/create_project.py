from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._redaction import masked
from ..errors import MISSING, ResponseValueError
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateProject")


@_attrs_define
class CreateProject:
    """The body of `createProject`."""

    name: str
    """ The new project's name: 1 to 64 characters, no control characters, no whitespace at either end. Names need
    not be unique. """
    v_3_enabled: bool | Unset = UNSET
    """ Whether the project may use the V3 APIs. Added by the service after the reference page. """
    # Shown with secret-looking keys masked (_redaction.masked): a body's extra fields are
    # not in the spec, so their names are all that says which hold a secret.
    additional_properties: dict[str, Any] = _attrs_field(
        init=False, factory=dict, repr=lambda extra: repr(masked(extra))
    )

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        v_3_enabled = self.v_3_enabled

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict.update(
            {
                "name": name,
            }
        )
        if v_3_enabled is not UNSET:
            _field_dict["v3Enabled"] = v_3_enabled

        return _field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse the JSON object `src_dict`; a value its types do not allow (the wrong JSON type,
        a null where none is allowed, a missing field, a bad UUID or date) raises
        errors.ResponseValueError naming the field and where it sits."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise ResponseValueError("CreateProject", None, "object", src_dict)
        _data = dict(src_dict)
        name = _data.pop("name", MISSING)
        if not isinstance(name, str):
            raise ResponseValueError("CreateProject", "name", "string", name)

        v_3_enabled = _data.pop("v3Enabled", UNSET)
        if v_3_enabled is not UNSET:
            if type(v_3_enabled) is not bool:
                raise ResponseValueError("CreateProject", "v3Enabled", "boolean", v_3_enabled)

        _instance = cls(
            name=name,
            v_3_enabled=v_3_enabled,
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
