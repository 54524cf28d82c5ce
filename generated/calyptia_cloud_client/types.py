"""The types the models and call styles share: UNSET, files, responses, and how values are parsed
and shown (UUIDs, HTTP statuses, secrets)."""

from collections.abc import Mapping, MutableMapping
from functools import lru_cache
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar
from uuid import UUID

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


def status_of(code: int) -> int:
    """The status as an `HTTPStatus` member when Python registers it, else the plain int.

    Proxies and CDNs answer with codes `HTTPStatus` does not list (499, 520, 561): a response
    carrying one must still come back, not raise `ValueError` as `HTTPStatus(code)` would.
    """
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


def describe_response(kind: str, status_code: int, parsed: object) -> str:
    """How a response object shows in `repr()` and `str()`: `<APIResponse [201 Created] CreatedProject>`.

    As httpx shows its own responses: the status and what the body parsed to, never the body
    or the headers, which carry what a caller must not print by accident (a created
    project's token, a cookie a proxy set).
    """
    reason = status_code.phrase if isinstance(status_code, HTTPStatus) else ""
    status = f"{int(status_code)} {reason}".rstrip()
    return f"<{kind} [{status}] {_parsed_kind(parsed)}>"


def _parsed_kind(parsed: object) -> str:
    """`CreatedProject`, `list[Project] (3 items)`, `None`: the type of a parsed body, no value."""
    if isinstance(parsed, list):
        kinds = sorted({type(item).__name__ for item in parsed})
        inner = " | ".join(kinds) if kinds else "object"
        return f"list[{inner}] ({len(parsed)} item{'' if len(parsed) == 1 else 's'})"
    return "None" if parsed is None else type(parsed).__name__


@define(repr=False)
class Response(Generic[T]):
    """A response from an endpoint, as the `*_detailed` call styles return it.

    `status_code` is an `HTTPStatus` member when the code is registered, else a plain int;
    `parsed` is None when the body is not the documented shape for that status. Its `repr()`
    names the status and the parsed type only (see describe_response).
    """

    status_code: int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None

    def __repr__(self) -> str:
        return describe_response(type(self).__name__, self.status_code, self.parsed)


@lru_cache(maxsize=4096)
def parse_uuid(value: str) -> UUID:
    """`UUID(value)`, remembered: the models parse IDs with it. uuid.UUID is pure Python (about
    1 µs a parse) and a page repeats IDs (the caller's user ID in every membership, each project's
    ID again as its membership's projectID). UUIDs are immutable, so sharing one is safe; a bad
    value raises as `UUID()` does and is not remembered."""
    return UUID(value)


SECRET_MASK = "'***'"


def secret_repr(value: object) -> str:
    """How a secret field (`format: password` in the spec) shows in `repr()` and `str()`.

    A credential printed with its model (in a log line, a traceback, a test failure) must
    not leak: only whether it is set shows.
    """
    return repr(value) if value is None or isinstance(value, Unset) else SECRET_MASK


@define(repr=False)
class APIResponse(Generic[T]):
    """A successful response with its parsed value, as `with_raw_response` returns it.

    `status_code` and `headers` are those the server sent; `content` is the raw body;
    `parsed` is the documented success value (never None for an operation that returns one).
    Its `repr()` names the status and the parsed type only (see describe_response).
    """

    status_code: int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T

    def __repr__(self) -> str:
        return describe_response(type(self).__name__, self.status_code, self.parsed)


__all__ = [
    "SECRET_MASK",
    "UNSET",
    "APIResponse",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "describe_response",
    "parse_uuid",
    "secret_repr",
    "status_of",
]
