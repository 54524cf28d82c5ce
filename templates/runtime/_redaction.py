"""What never shows in a message, a `repr()` or the log: the values of secret-looking names.

One rule serves the headers the log prints (`_headers.redacted`) and the bodies an error quotes
(`errors`): a header or a JSON key whose name says it holds a secret (a token, a key, a
password, a cookie) shows as `***`. An error quoting a body the server sent also drops the
credentials the request carried, in case the server echoed one back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import httpx

SENSITIVE_NAME = re.compile(r"auth|token|secret|key|password|passwd|cookie|session|credential", re.IGNORECASE)
REDACTED = "***"


def is_sensitive(name: str) -> bool:
    """Whether a header or field of this name holds a secret."""
    return SENSITIVE_NAME.search(name) is not None


def masked(value: Any) -> Any:
    """A JSON value with every sensitive key's value replaced by REDACTED, at any depth."""
    if isinstance(value, dict):
        return {
            key: REDACTED if isinstance(key, str) and is_sensitive(key) else masked(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def shown_url(url: str) -> str:
    """A URL as a message or `repr()` shows it: a password in its userinfo replaced by REDACTED."""
    scheme, separator, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not separator or not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:{REDACTED}@{host}{slash}{path}"


def sent_secrets(request: httpx.Request | None) -> list[str]:
    """The values of the sensitive headers a request carried (a bearer token without its
    scheme too), longest first, so that a text can be cleared of them."""
    if request is None:
        return []
    values: set[str] = set()
    for name, value in request.headers.multi_items():
        if is_sensitive(name) and value:
            values.add(value)
            scheme, _, credential = value.partition(" ")
            if credential and scheme.isalpha():
                values.add(credential)
    return sorted((value for value in values if len(value) >= 4), key=len, reverse=True)


def without(text: str, secrets: Iterable[str]) -> str:
    """`text` with each of `secrets` replaced by REDACTED."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class MaskedDict(dict[str, Any]):
    """A JSON object that shows with its secrets masked: an error's `body`. It is a plain dict
    to every other use; reading a value out of it on purpose gives the value.

    `hidden` are values to mask wherever they appear (the credentials the request sent)."""

    def __init__(self, data: dict[str, Any], hidden: Iterable[str] = ()) -> None:
        super().__init__(data)
        self._hidden = list(hidden)

    def __repr__(self) -> str:
        return without(repr(masked(dict(self))), self._hidden)

    __str__ = __repr__
