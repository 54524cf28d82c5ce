from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.project import Project
from ...types import Response


def _get_kwargs(
    project_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects/{project_id}".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Project | None:
    if response.status_code == 200:
        response_200 = Project.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Project]:
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
) -> Response[Error | Project]:
    """Project

     Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Project]
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
) -> Error | Project | None:
    """Project

     Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Project
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Error | Project]:
    """Project

     Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Project]
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
) -> Error | Project | None:
    """Project

     Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Project
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Project:
    if response.status_code == 200:
        try:
            return cast(Project, _parse_response(client=client, response=response))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise errors.UnexpectedResponseError(response, f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def sync_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Project:
    """Project: the success value alone, or an exception.

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
) -> Project:
    """The async twin of sync_or_raise."""
    kwargs = _get_kwargs(
        project_id=project_id,
    )
    with errors.transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)
