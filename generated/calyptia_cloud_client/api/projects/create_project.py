from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_project import CreateProject
from ...models.created_project import CreatedProject
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: CreateProject,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CreatedProject | Error | None:
    if response.status_code == 201:
        response_201 = CreatedProject.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreatedProject | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
) -> Response[CreatedProject | Error]:
    """Create project

     Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    Args:
        body (CreateProject): The body of `createProject`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedProject | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
) -> CreatedProject | Error | None:
    """Create project

     Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    Args:
        body (CreateProject): The body of `createProject`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedProject | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
) -> Response[CreatedProject | Error]:
    """Create project

     Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    Args:
        body (CreateProject): The body of `createProject`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedProject | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
) -> CreatedProject | Error | None:
    """Create project

     Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    Args:
        body (CreateProject): The body of `createProject`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedProject | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CreatedProject:
    if response.status_code == 201:
        try:
            return cast(CreatedProject, _parse_response(client=client, response=response))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise errors.UnexpectedResponseError(response, f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def sync_or_raise(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
) -> CreatedProject:
    """Create project: the success value alone, or an exception.

    Raises:
        errors.APIStatusError: a subclass per status (BadRequestError, NotFoundError, ...).
        errors.APIConnectionError: the request did not complete (APITimeoutError on timeout).
        errors.UnexpectedResponseError: a success status with a body that does not parse.
    """
    kwargs = _get_kwargs(
        body=body,
    )
    with errors.transport_errors():
        response = client.get_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)


async def asyncio_or_raise(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
) -> CreatedProject:
    """The async twin of sync_or_raise."""
    kwargs = _get_kwargs(
        body=body,
    )
    with errors.transport_errors():
        response = await client.get_async_httpx_client().request(**kwargs)
    return _parse_or_raise(client=client, response=response)
