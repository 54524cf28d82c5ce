from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.deleted import Deleted
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    project_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/projects/{project_id}".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Deleted | Error | None:
    if response.status_code == 200:
        response_200 = Deleted.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Deleted | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Deleted | Error]:
    """Delete project

     Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404.

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Deleted | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Deleted | Error | None:
    """Delete project

     Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404.

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Deleted | Error
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Deleted | Error]:
    """Delete project

     Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404.

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Deleted | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Deleted | Error | None:
    """Delete project

     Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404.

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Deleted | Error
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Deleted:
    if response.status_code == 200:
        try:
            return cast(Deleted, _parse_response(client=client, response=response))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise errors.UnexpectedResponseError(response, f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def sync_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Deleted:
    """Delete project: the success value alone, or an exception.

    Raises:
        errors.APIStatusError: a subclass per status (BadRequestError, NotFoundError, ...).
        errors.APIConnectionError: the request did not complete (APITimeoutError on timeout).
        errors.UnexpectedResponseError: a success status with a body that does not parse.
    """
    kwargs = _get_kwargs(
        project_id=project_id,
    )
    with errors.transport_errors():
        response = client.get_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)


async def asyncio_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Deleted:
    """The async twin of sync_or_raise."""
    kwargs = _get_kwargs(
        project_id=project_id,
    )
    with errors.transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)
