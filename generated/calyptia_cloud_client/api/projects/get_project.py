from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ..._request_options import RequestOptions
from ...client import AuthenticatedClient, Client
from ...errors import ResponseValueError
from ...models.error import Error
from ...models.project import Project
from ...types import UNSET, APIResponse, Response, Unset, status_of

_OPERATION = errors.Operation(
    "projects.get",
    {
        "authorization": "token= or CALYPTIA_CLOUD_TOKEN",
        "x-project-token": "project_token= or CALYPTIA_CLOUD_PROJECT_TOKEN",
    },
)


def _get_kwargs(
    project_id: UUID,
    *,
    x_project_token: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_project_token, Unset):
        headers["X-Project-Token"] = x_project_token

    _kwargs: dict[str, Any] = {
        "method": "get",
        "extensions": {errors.OPERATION: _OPERATION},
        "url": "/v1/projects/{project_id}".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Project | None:
    if response.status_code == 200:
        response_200 = response.json()
        if not isinstance(response_200, dict):
            raise ResponseValueError("Project", None, "object", response_200)
        response_200 = Project.from_dict(response_200)

        return response_200

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

    if response.status_code == 404:
        response_404 = response.json()
        if not isinstance(response_404, dict):
            raise ResponseValueError("Error", None, "object", response_404)
        response_404 = Error.from_dict(response_404)

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus.of(response)
    else:
        return None


def _parse_quietly(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Project | None:
    """The detailed call styles hand back every response: a body that is not the documented
    shape parses to None instead of raising."""
    try:
        return _parse_response(client=client, response=response)
    except errors.PARSE_FAILURES:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Project]:
    return Response(
        status_code=status_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_quietly(client=client, response=response),
    )


def sync_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Response[Error | Project]:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        Response[Error | Project]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        x_project_token=x_project_token,
    )

    return _build_response(client=client, response=client.send(kwargs, request_options))


def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Error | Project | None:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        Error | Project | None: the parsed body, or None when it is not the
            documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        x_project_token=x_project_token,
        request_options=request_options,
    ).parsed


async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Response[Error | Project]:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        Response[Error | Project]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        x_project_token=x_project_token,
    )

    return _build_response(client=client, response=await client.asend(kwargs, request_options))


async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Error | Project | None:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        Error | Project | None: the parsed body, or None when it is not the
            documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            x_project_token=x_project_token,
            request_options=request_options,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Project:
    if response.status_code == 200:
        with errors.parse_failures(response):
            return cast(Project, _parse_response(client=client, response=response))
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def _raw_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> APIResponse[Project]:
    parsed = _parse_or_raise(client=client, response=response)
    return APIResponse(
        status_code=status_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_raw(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> APIResponse[Project]:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        APIResponse[Project]: status, headers, raw content and the parsed value.

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
        project_id=project_id,
        x_project_token=x_project_token,
    )
    return _raw_or_raise(client=client, response=client.send(kwargs, request_options))


async def asyncio_raw(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> APIResponse[Project]:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        APIResponse[Project]: status, headers, raw content and the parsed value.

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
        project_id=project_id,
        x_project_token=x_project_token,
    )
    return _raw_or_raise(client=client, response=await client.asend(kwargs, request_options))


def sync_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Project:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        Project: the documented success value.

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
        project_id=project_id,
        client=client,
        x_project_token=x_project_token,
        request_options=request_options,
    ).parsed


async def asyncio_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    x_project_token: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Project:
    """Project

    Returns one project by its ID, with the caller's own membership in it.

    A project that does not exist and a project the caller is not a member of both
    answer 404 `project not found`, so that a project's existence does not leak.
    With `X-Project-Token`, only the project that token belongs to can be read, and the
    response has no `membership` (a project token belongs to no user).

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.
        x_project_token (str | Unset): The project's own token, the `token` returned by
            `createProject`; used when no user token is sent (a user token wins when both are).

    Returns:
        Project: the documented success value.

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
            project_id=project_id,
            client=client,
            x_project_token=x_project_token,
            request_options=request_options,
        )
    ).parsed
