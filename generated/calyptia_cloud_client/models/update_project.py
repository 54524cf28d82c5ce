# ruff: noqa: E402 (the models this one refers to are imported at the end, after its class)
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._redaction import masked
from ..errors import ResponseValueError, index_in
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
    # Shown with secret-looking keys masked (_redaction.masked): a body's extra fields are
    # not in the spec, so their names are all that says which hold a secret.
    additional_properties: dict[str, Any] = _attrs_field(
        init=False, factory=dict, repr=lambda extra: repr(masked(extra))
    )

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

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict.update({})
        if name is not UNSET:
            _field_dict["name"] = name
        if v_3_enabled is not UNSET:
            _field_dict["v3Enabled"] = v_3_enabled
        if set_settings is not UNSET:
            _field_dict["setSettings"] = set_settings
        if unset_settings is not UNSET:
            _field_dict["unsetSettings"] = unset_settings
        if clear_all_settings is not UNSET:
            _field_dict["clearAllSettings"] = clear_all_settings

        return _field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse the JSON object `src_dict`; a value its types do not allow (the wrong JSON type,
        a null where none is allowed, a missing field, a bad UUID or date) raises
        errors.ResponseValueError naming the field and where it sits."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise ResponseValueError("UpdateProject", None, "object", src_dict)
        _data = dict(src_dict)
        name = _data.pop("name", UNSET)
        if name is not UNSET:
            if name is not None:
                if not isinstance(name, str):
                    raise ResponseValueError("UpdateProject", "name", "string or null", name)

        v_3_enabled = _data.pop("v3Enabled", UNSET)
        if v_3_enabled is not UNSET:
            if v_3_enabled is not None:
                if type(v_3_enabled) is not bool:
                    raise ResponseValueError("UpdateProject", "v3Enabled", "boolean or null", v_3_enabled)

        set_settings = _data.pop("setSettings", UNSET)
        if set_settings is not UNSET:
            if not isinstance(set_settings, dict):
                raise ResponseValueError("UpdateProject", "setSettings", "object", set_settings)
            try:
                set_settings = UpdateProjectSetSettings.from_dict(set_settings)
            except ResponseValueError as exc:
                raise exc.at("setSettings") from None

        unset_settings = _data.pop("unsetSettings", UNSET)
        if unset_settings is not UNSET:
            if not isinstance(unset_settings, list):
                raise ResponseValueError("UpdateProject", "unsetSettings", "array", unset_settings)
            for unset_settings_item in unset_settings:
                if not isinstance(unset_settings_item, str):
                    raise ResponseValueError(
                        "UpdateProject",
                        "unsetSettings",
                        "string",
                        unset_settings_item,
                        index=index_in(unset_settings, unset_settings_item),
                    )

        clear_all_settings = _data.pop("clearAllSettings", UNSET)
        if clear_all_settings is not UNSET:
            if type(clear_all_settings) is not bool:
                raise ResponseValueError("UpdateProject", "clearAllSettings", "boolean", clear_all_settings)

        _instance = cls(
            name=name,
            v_3_enabled=v_3_enabled,
            set_settings=set_settings,
            unset_settings=unset_settings,
            clear_all_settings=clear_all_settings,
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
from ..models.update_project_set_settings import UpdateProjectSetSettings
