"""Calling the generated client's functions and methods with arguments built from their types,
for tests that call every operation of whatever spec the package was generated from."""

from __future__ import annotations

import enum
import functools
import inspect
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import attrs
from calyptia_cloud_client import AsyncCalyptiaCloud, CalyptiaCloud
from calyptia_cloud_client.types import Unset

__all__ = ["aconsume", "arguments", "consume", "resource_methods", "value_for"]


@functools.cache
def type_hints(owner: Any) -> dict[str, Any]:
    """typing.get_type_hints, once per function or class: it evaluates every string annotation."""
    return typing.get_type_hints(owner)


@functools.cache
def signature(function: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(function)


def value_for(annotation: Any, where: str) -> Any:
    """An argument of this type: what a required parameter or body field gets."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Unset]
        return value_for(members[0], where)
    if origin is list:
        return []
    if annotation is UUID:
        return UUID("0b6c4e1a-7d9f-4f3b-8a56-2c1d9e0f4a7b")
    if annotation in (str, int, float, bool):
        return {str: "text", int: 1, float: 1.0, bool: True}[annotation]
    if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    if attrs.has(annotation):
        # Every field filled, optional ones too, so that nested models are built (and walked).
        hints = type_hints(annotation)
        fields = [f for f in attrs.fields(annotation) if f.init and where.count(".") < 4]
        return annotation(**{f.alias: value_for(hints[f.name], f"{where}.{f.name}") for f in fields})
    raise AssertionError(f"{where}: the walk cannot build an argument of type {annotation!r}: teach value_for")


def arguments(function: Callable[..., Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` for the parameters that take them, a built value for each other required one."""
    hints = type_hints(function)
    built = {}
    for name, parameter in signature(function).parameters.items():
        if name in given:
            built[name] = given[name]
        elif parameter.default is inspect.Parameter.empty:
            built[name] = value_for(hints[name], f"{function.__qualname__}({name})")
    return built


def resource_methods(client: CalyptiaCloud | AsyncCalyptiaCloud) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every method of every resource of the client (one per tag), and of its raw view."""
    for tag, resource in vars(client).items():
        if tag.startswith("_"):
            continue
        for view, owner in ((tag, resource), (f"{tag}.with_raw_response", resource.with_raw_response)):
            for name, method in inspect.getmembers(owner, callable):
                if not name.startswith("_") and name != "with_raw_response":
                    yield f"{view}.{name}", method


def consume(result: object) -> object:
    """An iterator's items (a paginated method), else the result itself."""
    return list(result) if isinstance(result, Iterator) else result


async def aconsume(result: object) -> object:
    if inspect.isawaitable(result):
        result = await result
    if hasattr(result, "__aiter__"):
        return [item async for item in result]
    return consume(result)
