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


@define
class Response(Generic[T]):
    """A response from an endpoint, as the `*_detailed` call styles return it.

    `status_code` is an `HTTPStatus` member when the code is registered, else a plain int;
    `parsed` is None when the body is not the documented shape for that status.
    """

    status_code: int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


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


@define
class APIResponse(Generic[T]):
    """A successful response with its parsed value, as `with_raw_response` returns it.

    `status_code` and `headers` are those the server sent; `content` is the raw body;
    `parsed` is the documented success value (never None for an operation that returns one).
    """

    status_code: int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T


__all__ = [
    "SECRET_MASK",
    "UNSET",
    "APIResponse",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "parse_uuid",
    "secret_repr",
    "status_of",
]
