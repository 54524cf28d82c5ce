from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._redaction import masked
from ..errors import MISSING, ResponseValueError
from ..types import UNSET, Unset

T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """The body of every error response."""

    error: str
    """ A short, stable message, such as `project not found`. """
    detail: str | Unset = UNSET
    """ More about what went wrong, for people. """
    index: int | Unset = UNSET
    """ The index of the offending item, for errors about one item of a list. """
    quota_limit: int | Unset = UNSET
    """ The quota's limit, when a quota is exhausted. """
    quota_remaining: int | Unset = UNSET
    """ What remains of the quota, when a quota is exhausted. """
    # Shown with secret-looking keys masked (_redaction.masked): a body's extra fields are
    # not in the spec, so their names are all that says which hold a secret.
    additional_properties: dict[str, Any] = _attrs_field(
        init=False, factory=dict, repr=lambda extra: repr(masked(extra))
    )

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        detail = self.detail

        index = self.index

        quota_limit = self.quota_limit

        quota_remaining = self.quota_remaining

        _field_dict: dict[str, Any] = {}
        _field_dict.update(self.additional_properties)
        _field_dict.update(
            {
                "error": error,
            }
        )
        if detail is not UNSET:
            _field_dict["detail"] = detail
        if index is not UNSET:
            _field_dict["index"] = index
        if quota_limit is not UNSET:
            _field_dict["quotaLimit"] = quota_limit
        if quota_remaining is not UNSET:
            _field_dict["quotaRemaining"] = quota_remaining

        return _field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse the JSON object `src_dict`; a value its types do not allow (the wrong JSON type,
        a null where none is allowed, a missing field, a bad UUID or date) raises
        errors.ResponseValueError naming the field and where it sits."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise ResponseValueError("Error", None, "object", src_dict)
        _data = dict(src_dict)
        error = _data.pop("error", MISSING)
        if not isinstance(error, str):
            raise ResponseValueError("Error", "error", "string", error)

        detail = _data.pop("detail", UNSET)
        if detail is not UNSET:
            if not isinstance(detail, str):
                raise ResponseValueError("Error", "detail", "string", detail)

        index = _data.pop("index", UNSET)
        if index is not UNSET:
            if type(index) is not int and (isinstance(index, bool) or not isinstance(index, int)):
                raise ResponseValueError("Error", "index", "integer", index)

        quota_limit = _data.pop("quotaLimit", UNSET)
        if quota_limit is not UNSET:
            if type(quota_limit) is not int and (isinstance(quota_limit, bool) or not isinstance(quota_limit, int)):
                raise ResponseValueError("Error", "quotaLimit", "integer", quota_limit)

        quota_remaining = _data.pop("quotaRemaining", UNSET)
        if quota_remaining is not UNSET:
            if type(quota_remaining) is not int and (
                isinstance(quota_remaining, bool) or not isinstance(quota_remaining, int)
            ):
                raise ResponseValueError("Error", "quotaRemaining", "integer", quota_remaining)

        _instance = cls(
            error=error,
            detail=detail,
            index=index,
            quota_limit=quota_limit,
            quota_remaining=quota_remaining,
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
