"""What every resource class of the resource-style clients shares.

A generated resource (`Projects`, `AsyncProjects`, one pair per tag) holds the low-level client
and the project token, and each of its methods makes one call: `self._send(or_raise, raw,
...)` with the two call styles of the operation's module. Its `with_raw_response` view is the
same methods on a twin built with `raw=True`, which sends through the `raw` call style
instead; the functions below only give those methods the types they have there. So a method's
signature, docstring and arguments are written once, not once per view.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, ParamSpec, Self, TypeVar, cast

from .types import UNSET, APIResponse, Unset

ClientT = TypeVar("ClientT")
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class Resource(Generic[ClientT]):
    """One tag's operations, bound to a low-level client and the client's project token."""

    def __init__(self, client: ClientT, project_token: str | Unset = UNSET, *, raw: bool = False) -> None:
        self._client = client
        self._project_token = project_token
        self._raw = raw

    def _send(self, or_raise: Callable[P, R], raw: Callable[P, object], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Call the operation: its `or_raise` style (the value, or a typed error), or on a raw
        twin its `raw` style (the whole APIResponse). Both take the same arguments."""
        if self._raw:
            return cast(R, raw(*args, **kwargs))
        return or_raise(*args, **kwargs)

    def _raw_twin(self) -> Self:
        """The same resource, its methods returning the whole APIResponse (with_raw_response)."""
        return type(self)(self._client, self._project_token, raw=True)


def raw_response(method: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """A raw twin's method, typed as what it returns there."""
    return cast(Callable[P, APIResponse[R]], method)


def raw_page(method: Callable[P, Iterator[T]]) -> Callable[P, APIResponse[list[T]]]:
    """A raw twin's paginated method: one page, not the iterator over every item."""
    return cast(Callable[P, APIResponse[list[T]]], method)


def async_raw_response(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[APIResponse[R]]]:
    """The async twin of raw_response."""
    return cast(Callable[P, Awaitable[APIResponse[R]]], method)


def async_raw_page(method: Callable[P, AsyncIterator[T]]) -> Callable[P, Awaitable[APIResponse[list[T]]]]:
    """The async twin of raw_page: the method returns an awaitable of one page there."""
    return cast(Callable[P, Awaitable[APIResponse[list[T]]]], method)
