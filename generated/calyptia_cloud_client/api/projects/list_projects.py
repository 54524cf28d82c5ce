from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.project import Project
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["last"] = last

    params["before"] = before

    params["name"] = name

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | list[Project] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Project.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[Project]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Response[Error | list[Project]]:
    """List projects

     Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset):
        before (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Project]]
    """

    kwargs = _get_kwargs(
        last=last,
        before=before,
        name=name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Error | list[Project] | None:
    """List projects

     Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset):
        before (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Project]
    """

    return sync_detailed(
        client=client,
        last=last,
        before=before,
        name=name,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Response[Error | list[Project]]:
    """List projects

     Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset):
        before (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Project]]
    """

    kwargs = _get_kwargs(
        last=last,
        before=before,
        name=name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Error | list[Project] | None:
    """List projects

     Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset):
        before (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Project]
    """

    return (
        await asyncio_detailed(
            client=client,
            last=last,
            before=before,
            name=name,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> list[Project]:
    if response.status_code == 200:
        try:
            return cast(list[Project], _parse_response(client=client, response=response))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise errors.UnexpectedResponseError(response, f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def sync_or_raise(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> list[Project]:
    """List projects: the success value alone, or an exception.

    Raises:
        errors.APIStatusError: a subclass per status (BadRequestError, NotFoundError, ...).
        errors.APIConnectionError: the request did not complete (APITimeoutError on timeout).
        errors.UnexpectedResponseError: a success status with a body that does not parse.
    """
    kwargs = _get_kwargs(
        last=last,
        before=before,
        name=name,
    )
    with errors.transport_errors():
        response = client.get_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)


async def asyncio_or_raise(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> list[Project]:
    """The async twin of sync_or_raise."""
    kwargs = _get_kwargs(
        last=last,
        before=before,
        name=name,
    )
    with errors.transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)


def _next_cursor(response: httpx.Response) -> str | None:
    """The `before` cursor of the RFC 8288 `Link: <...>; rel="next"` header, if any."""
    next_link = response.links.get("next")
    if not next_link or "url" not in next_link:
        return None
    cursor: str | None = httpx.URL(next_link["url"]).params.get("before")
    return cursor


def iterate(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Iterator[Project]:
    """Every item, following `Link: rel="next"` page by page; one page is held at a time.

    The parameters are those of sync(): `last` sets the page size, `before` where to start.
    Raises the errors of sync_or_raise.
    """
    while True:
        kwargs = _get_kwargs(
            last=last,
            before=before,
            name=name,
        )
        with errors.transport_errors():
            response = client.get_httpx_client().request(**kwargs)
        yield from _parse_or_raise(client=client, response=response)
        cursor = _next_cursor(response)
        if cursor is None:
            return
        before = cursor


async def aiterate(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> AsyncIterator[Project]:
    """The async twin of iterate."""
    while True:
        kwargs = _get_kwargs(
            last=last,
            before=before,
            name=name,
        )
        with errors.transport_errors():
            response = await client.get_async_httpx_client().request(**kwargs)
        for item in _parse_or_raise(client=client, response=response):
            yield item
        cursor = _next_cursor(response)
        if cursor is None:
            return
        before = cursor
