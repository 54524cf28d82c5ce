from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ..._request_options import RequestOptions
from ...client import AuthenticatedClient, Client
from ...errors import ResponseValueError
from ...models.deleted import Deleted
from ...models.error import Error
from ...types import APIResponse, Response, status_of

_OPERATION = errors.Operation(
    "projects.delete",
    {
        "authorization": "token= or CALYPTIA_CLOUD_TOKEN",
    },
)


def _get_kwargs(
    project_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "extensions": {errors.OPERATION: _OPERATION},
        "url": "/v1/projects/{project_id}".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Deleted | Error | None:
    if response.status_code == 200:
        response_200 = response.json()
        if not isinstance(response_200, dict):
            raise ResponseValueError("Deleted", None, "object", response_200)
        response_200 = Deleted.from_dict(response_200)

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

    if response.status_code == 403:
        response_403 = response.json()
        if not isinstance(response_403, dict):
            raise ResponseValueError("Error", None, "object", response_403)
        response_403 = Error.from_dict(response_403)

        return response_403

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


def _parse_quietly(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Deleted | Error | None:
    """The detailed call styles hand back every response: a body that is not the documented
    shape parses to None instead of raising."""
    try:
        return _parse_response(client=client, response=response)
    except errors.PARSE_FAILURES:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Deleted | Error]:
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
    request_options: RequestOptions | None = None,
) -> Response[Deleted | Error]:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        Response[Deleted | Error]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        project_id=project_id,
    )

    return _build_response(client=client, response=client.send(kwargs, request_options))


def sync(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> Deleted | Error | None:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        Deleted | Error | None: the parsed body, or None when it is not the
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
        request_options=request_options,
    ).parsed


async def asyncio_detailed(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> Response[Deleted | Error]:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        Response[Deleted | Error]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        project_id=project_id,
    )

    return _build_response(client=client, response=await client.asend(kwargs, request_options))


async def asyncio(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> Deleted | Error | None:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        Deleted | Error | None: the parsed body, or None when it is not the
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
            request_options=request_options,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Deleted:
    if response.status_code == 200:
        with errors.parse_failures(response):
            return cast(Deleted, _parse_response(client=client, response=response))
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def _raw_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> APIResponse[Deleted]:
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
    request_options: RequestOptions | None = None,
) -> APIResponse[Deleted]:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        APIResponse[Deleted]: status, headers, raw content and the parsed value.

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
    )
    return _raw_or_raise(client=client, response=client.send(kwargs, request_options))


async def asyncio_raw(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> APIResponse[Deleted]:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        APIResponse[Deleted]: status, headers, raw content and the parsed value.

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
    )
    return _raw_or_raise(client=client, response=await client.asend(kwargs, request_options))


def sync_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> Deleted:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        Deleted: the documented success value.

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
        request_options=request_options,
    ).parsed


async def asyncio_or_raise(
    project_id: UUID,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> Deleted:
    """Delete project

    Deletes a project by its ID. Only the creator of the project can delete it; any other
    member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
    longer listed.

    Args:
        project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
            Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
            400 `invalid project ID`.

    Returns:
        Deleted: the documented success value.

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
            request_options=request_options,
        )
    ).parsed
