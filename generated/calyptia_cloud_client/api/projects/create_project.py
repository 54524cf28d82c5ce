from typing import Any, cast

import httpx

from ... import errors
from ..._request_options import RequestOptions
from ...client import AuthenticatedClient, Client
from ...errors import ResponseValueError
from ...models.create_project import CreateProject
from ...models.created_project import CreatedProject
from ...models.error import Error
from ...types import APIResponse, Response, status_of

_OPERATION = errors.Operation(
    "projects.create",
    {
        "authorization": "token= or CALYPTIA_CLOUD_TOKEN",
    },
)


def _get_kwargs(
    *,
    body: CreateProject,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "extensions": {errors.OPERATION: _OPERATION},
        "url": "/v1/projects",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CreatedProject | Error | None:
    if response.status_code == 201:
        response_201 = response.json()
        if not isinstance(response_201, dict):
            raise ResponseValueError("CreatedProject", None, "object", response_201)
        response_201 = CreatedProject.from_dict(response_201)

        return response_201

    if response.status_code == 400:
        response_400 = response.json()
        if not isinstance(response_400, dict):
            raise ResponseValueError("Error", None, "object", response_400)
        response_400 = Error.from_dict(response_400)

        return response_400

    if response.status_code == 401:
        response_401 = response.json()
        if not isinstance(response_401, dict):
            raise ResponseValueError("Error", None, "object", response_401)
        response_401 = Error.from_dict(response_401)

        return response_401

    if response.status_code == 413:
        response_413 = response.json()
        if not isinstance(response_413, dict):
            raise ResponseValueError("Error", None, "object", response_413)
        response_413 = Error.from_dict(response_413)

        return response_413

    if response.status_code == 415:
        response_415 = response.json()
        if not isinstance(response_415, dict):
            raise ResponseValueError("Error", None, "object", response_415)
        response_415 = Error.from_dict(response_415)

        return response_415

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus.of(response)
    else:
        return None


def _parse_quietly(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CreatedProject | Error | None:
    """The detailed call styles hand back every response: a body that is not the documented
    shape parses to None instead of raising."""
    try:
        return _parse_response(client=client, response=response)
    except errors.PARSE_FAILURES:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreatedProject | Error]:
    return Response(
        status_code=status_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_quietly(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
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

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        Response[CreatedProject | Error]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        body=body,
    )

    return _build_response(client=client, response=client.send(kwargs, request_options))


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
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

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        CreatedProject | Error | None: the parsed body, or None when it is not the
            documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    return sync_detailed(
        client=client,
        body=body,
        request_options=request_options,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
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

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        Response[CreatedProject | Error]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        body=body,
    )

    return _build_response(client=client, response=await client.asend(kwargs, request_options))


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
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

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        CreatedProject | Error | None: the parsed body, or None when it is not the
            documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            request_options=request_options,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CreatedProject:
    if response.status_code == 201:
        with errors.parse_failures(response):
            return cast(CreatedProject, _parse_response(client=client, response=response))
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def _raw_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> APIResponse[CreatedProject]:
    parsed = _parse_or_raise(client=client, response=response)
    return APIResponse(
        status_code=status_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_raw(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
) -> APIResponse[CreatedProject]:
    """Create project

    Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        APIResponse[CreatedProject]: status, headers, raw content and the parsed value.

    Raises:
        errors.APIStatusError: the API answered with an error status; a subclass per status
            (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
        errors.UnexpectedResponseError: a response that is not what the API documents;
            errors.APIResponseValidationError when a value in it has the wrong type or is
            missing, errors.ResponseTooLargeError when it is over max_response_size.
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired).
    """

    kwargs = _get_kwargs(
        body=body,
    )
    return _raw_or_raise(client=client, response=client.send(kwargs, request_options))


async def asyncio_raw(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
) -> APIResponse[CreatedProject]:
    """Create project

    Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        APIResponse[CreatedProject]: status, headers, raw content and the parsed value.

    Raises:
        errors.APIStatusError: the API answered with an error status; a subclass per status
            (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
        errors.UnexpectedResponseError: a response that is not what the API documents;
            errors.APIResponseValidationError when a value in it has the wrong type or is
            missing, errors.ResponseTooLargeError when it is over max_response_size.
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired).
    """

    kwargs = _get_kwargs(
        body=body,
    )
    return _raw_or_raise(client=client, response=await client.asend(kwargs, request_options))


def sync_or_raise(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
) -> CreatedProject:
    """Create project

    Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        CreatedProject: the documented success value.

    Raises:
        errors.APIStatusError: the API answered with an error status; a subclass per status
            (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
        errors.UnexpectedResponseError: a response that is not what the API documents;
            errors.APIResponseValidationError when a value in it has the wrong type or is
            missing, errors.ResponseTooLargeError when it is over max_response_size.
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired).
    """

    return sync_raw(
        client=client,
        body=body,
        request_options=request_options,
    ).parsed


async def asyncio_or_raise(
    *,
    client: AuthenticatedClient,
    body: CreateProject,
    request_options: RequestOptions | None = None,
) -> CreatedProject:
    """Create project

    Creates a new project. A project is the base unit of work at Calyptia Cloud. You can
    register agents here, create core instances in which you can deploy an entire set of
    pipelines, and monitor them. You can even invite other people to the project and have
    a team.

    The caller becomes the project's creator: the response carries the creator's
    membership (role `creator`, every permission) and the new project's token, which
    works as `X-Project-Token` for getting and updating this project only. The token is
    shown only here; keep it.

    The new project can be read at once, by `project` and in `projects`, with the name and
    `v3Enabled` it was created with.

    Args:
        body (CreateProject): The body of `createProject`.
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v_3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.

    Returns:
        CreatedProject: the documented success value.

    Raises:
        errors.APIStatusError: the API answered with an error status; a subclass per status
            (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
        errors.UnexpectedResponseError: a response that is not what the API documents;
            errors.APIResponseValidationError when a value in it has the wrong type or is
            missing, errors.ResponseTooLargeError when it is over max_response_size.
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired).
    """

    return (
        await asyncio_raw(
            client=client,
            body=body,
            request_options=request_options,
        )
    ).parsed
