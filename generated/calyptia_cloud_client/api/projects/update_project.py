from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.update_project import UpdateProject
from ...types import Response


def _get_kwargs(
    project_id: UUID,
    *,
    body: UpdateProject,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/projects/{project_id}".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Error | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Error]:
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
    body: UpdateProject,
) -> Response[Any | Error]:
    """Update project

     Updates a project by its ID. Every field is optional; a field that is absent or null
    is left as it is, so `{}` changes nothing. Settings change in a fixed order:
    `clearAllSettings` first, then `setSettings` (merged key by key), then
    `unsetSettings`.

    The caller needs the `update:*` permission in the project (a plain member without it
    gets 403), or that project's own `X-Project-Token`. A project the caller cannot see
    answers 404, as for `project`.

    Args:
        project_id (UUID):
        body (UpdateProject): The body of `updateProject`. Every field is optional; absent or null
            leaves a value as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateProject,
) -> Any | Error | None:
    """Update project

     Updates a project by its ID. Every field is optional; a field that is absent or null
    is left as it is, so `{}` changes nothing. Settings change in a fixed order:
    `clearAllSettings` first, then `setSettings` (merged key by key), then
    `unsetSettings`.

    The caller needs the `update:*` permission in the project (a plain member without it
    gets 403), or that project's own `X-Project-Token`. A project the caller cannot see
    answers 404, as for `project`.

    Args:
        project_id (UUID):
        body (UpdateProject): The body of `updateProject`. Every field is optional; absent or null
            leaves a value as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateProject,
) -> Response[Any | Error]:
    """Update project

     Updates a project by its ID. Every field is optional; a field that is absent or null
    is left as it is, so `{}` changes nothing. Settings change in a fixed order:
    `clearAllSettings` first, then `setSettings` (merged key by key), then
    `unsetSettings`.

    The caller needs the `update:*` permission in the project (a plain member without it
    gets 403), or that project's own `X-Project-Token`. A project the caller cannot see
    answers 404, as for `project`.

    Args:
        project_id (UUID):
        body (UpdateProject): The body of `updateProject`. Every field is optional; absent or null
            leaves a value as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateProject,
) -> Any | Error | None:
    """Update project

     Updates a project by its ID. Every field is optional; a field that is absent or null
    is left as it is, so `{}` changes nothing. Settings change in a fixed order:
    `clearAllSettings` first, then `setSettings` (merged key by key), then
    `unsetSettings`.

    The caller needs the `update:*` permission in the project (a plain member without it
    gets 403), or that project's own `X-Project-Token`. A project the caller cannot see
    answers 404, as for `project`.

    Args:
        project_id (UUID):
        body (UpdateProject): The body of `updateProject`. Every field is optional; absent or null
            leaves a value as it is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> None:
    if response.status_code == 204:
        return None
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def sync_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateProject,
) -> None:
    """Update project: the success value alone, or an exception.

    Raises:
        errors.APIStatusError: a subclass per status (BadRequestError, NotFoundError, ...).
        errors.APIConnectionError: the request did not complete (APITimeoutError on timeout).
        errors.UnexpectedResponseError: a success status with a body that does not parse.
    """
    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )
    with errors.transport_errors():
        response = client.get_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)


async def asyncio_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateProject,
) -> None:
    """The async twin of sync_or_raise."""
    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )
    with errors.transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)
