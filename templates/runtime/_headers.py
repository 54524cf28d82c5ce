"""The rules for headers a user adds (`default_headers`, per-call `extra_headers`) and for
headers the log shows: the credentials are the client's own, and nothing secret is logged."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import errors
from ._redaction import REDACTED, is_sensitive

# The headers that carry a credential, and the option that sets each. A user's header never
# replaces them: a second, silent way to set a credential would defeat the checks (and the
# 401 message) that name where the credential came from.
CREDENTIAL_OPTIONS = {"authorization": "token=", "x-project-token": "project_token="}


def checked_headers(headers: Mapping[str, str] | None, option: str, *, user_agent: bool) -> dict[str, str]:
    """`headers` as a plain dict, refusing what the rule forbids.

    A credential header raises errors.ConfigurationError naming the option that sets it. A
    User-Agent is kept (spelt `User-Agent`) where `user_agent` allows it, the default headers,
    which put it before ours (see with_user_agent), and refused elsewhere.
    """
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise errors.ConfigurationError(f"{option} must be a mapping of header names to values, not {headers!r}")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            shown = REDACTED if isinstance(name, str) and is_sensitive(name) else repr(value)
            raise errors.ConfigurationError(f"{option}: header names and values must be str, not {name!r}: {shown}")
        lowered = name.lower()
        if lowered in CREDENTIAL_OPTIONS:
            raise errors.ConfigurationError(
                f"{option} cannot set {name}: the client sends its own credentials;"
                f" pass {CREDENTIAL_OPTIONS[lowered]} to the client instead"
            )
        if lowered == "user-agent":
            if not user_agent:
                raise errors.ConfigurationError(f"{option} cannot set User-Agent: set it in default_headers")
            name = "User-Agent"
        checked[name] = value
    return checked


def with_user_agent(headers: Mapping[str, str], ours: str) -> dict[str, str]:
    """The headers a client sends on every request: a user's User-Agent names their application
    first and keeps ours after it (`myapp/2.0 calyptia-cloud-client/1.2.0 python-httpx/0.28.1`),
    so the service still sees which client version called it."""
    theirs = headers.get("User-Agent")
    return {**headers, "User-Agent": f"{theirs} {ours}" if theirs else ours}


def redacted(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The headers as the log shows them: the credentials, cookies, and any header whose name
    says it holds a secret (an API key or a tenant token a user adds as a default header)
    replaced by REDACTED."""
    return {name: REDACTED if is_sensitive(name) else value for name, value in headers}
