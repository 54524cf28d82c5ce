from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateProject")


@_attrs_define
class UpdateProject:
    """The body of `updateProject`. Every field is optional; absent or null leaves a value as it is."""

    name: None | str | Unset = UNSET
    """ A new name; null leaves the name unchanged. """
    v_3_enabled: bool | None | Unset = UNSET
    """ Whether the project may use the V3 APIs; null leaves it unchanged. """
    set_settings: UpdateProjectSetSettings | Unset = UNSET
    """ Settings to set, merged key by key into the existing settings. """
    unset_settings: list[str] | Unset = UNSET
    """ Setting keys to remove. """
    clear_all_settings: bool | Unset = UNSET
    """ Clear every setting before `setSettings` and `unsetSettings` apply. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        v_3_enabled: bool | None | Unset
        if isinstance(self.v_3_enabled, Unset):
            v_3_enabled = UNSET
        else:
            v_3_enabled = self.v_3_enabled

        set_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.set_settings, Unset):
            set_settings = self.set_settings.to_dict()

        unset_settings: list[str] | Unset = UNSET
        if not isinstance(self.unset_settings, Unset):
            unset_settings = self.unset_settings

        clear_all_settings = self.clear_all_settings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if v_3_enabled is not UNSET:
            field_dict["v3Enabled"] = v_3_enabled
        if set_settings is not UNSET:
            field_dict["setSettings"] = set_settings
        if unset_settings is not UNSET:
            field_dict["unsetSettings"] = unset_settings
        if clear_all_settings is not UNSET:
            field_dict["clearAllSettings"] = clear_all_settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_v_3_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        v_3_enabled = _parse_v_3_enabled(d.pop("v3Enabled", UNSET))

        _set_settings = d.pop("setSettings", UNSET)
        set_settings: UpdateProjectSetSettings | Unset
        if isinstance(_set_settings, Unset):
            set_settings = UNSET
        else:
            set_settings = UpdateProjectSetSettings.from_dict(_set_settings)

        unset_settings = cast(list[str], d.pop("unsetSettings", UNSET))

        clear_all_settings = d.pop("clearAllSettings", UNSET)

        update_project = cls(
            name=name,
            v_3_enabled=v_3_enabled,
            set_settings=set_settings,
            unset_settings=unset_settings,
            clear_all_settings=clear_all_settings,
        )

        update_project.additional_properties = d
        return update_project

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
from ..models.update_project_set_settings import UpdateProjectSetSettings  # noqa: E402
