from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import httpx

from ... import errors
from ..._pagination import next_cursor
from ..._request_options import RequestOptions
from ...client import AuthenticatedClient, Client
from ...errors import ResponseValueError, index_in
from ...models.error import Error
from ...models.project import Project
from ...types import UNSET, APIResponse, Response, Unset, status_of

_OPERATION = errors.Operation(
    "projects.list",
    {
        "authorization": "token= or CALYPTIA_CLOUD_TOKEN",
    },
)


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
        "extensions": {errors.OPERATION: _OPERATION},
        "url": "/v1/projects",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | list[Project] | None:
    if response.status_code == 200:
        response_200 = response.json()
        if not isinstance(response_200, list):
            raise ResponseValueError(None, None, "array", response_200)
        response_200_parsed = []
        for response_200_item in response_200:
            if not isinstance(response_200_item, dict):
                raise ResponseValueError(
                    "Project", None, "object", response_200_item, index=index_in(response_200, response_200_item)
                )
            try:
                response_200_item = Project.from_dict(response_200_item)
            except ResponseValueError as exc:
                raise exc.at(index_in(response_200, response_200_item)) from None

            response_200_parsed.append(response_200_item)
        response_200 = response_200_parsed

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus.of(response)
    else:
        return None


def _parse_quietly(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | list[Project] | None:
    """The detailed call styles hand back every response: a body that is not the documented
    shape parses to None instead of raising."""
    try:
        return _parse_response(client=client, response=response)
    except errors.PARSE_FAILURES:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | list[Project]]:
    return Response(
        status_code=status_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_quietly(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Response[Error | list[Project]]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        Response[Error | list[Project]]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        last=last,
        before=before,
        name=name,
    )

    return _build_response(client=client, response=client.send(kwargs, request_options))


def sync(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Error | list[Project] | None:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        Error | list[Project] | None: the parsed body, or None when it is not the
            documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    return sync_detailed(
        client=client,
        last=last,
        before=before,
        name=name,
        request_options=request_options,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Response[Error | list[Project]]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        Response[Error | list[Project]]: the response, for any status; `parsed` is
            None when the body is not the documented shape.

    Raises:
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired). Any response that arrives is returned, whatever its status or body.
        errors.ResponseTooLargeError: the body is over the client's max_response_size.
        errors.UnexpectedStatus: an undocumented status, only with raise_on_unexpected_status=True.
    """

    kwargs = _get_kwargs(
        last=last,
        before=before,
        name=name,
    )

    return _build_response(client=client, response=await client.asend(kwargs, request_options))


async def asyncio(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Error | list[Project] | None:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        Error | list[Project] | None: the parsed body, or None when it is not the
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
            last=last,
            before=before,
            name=name,
            request_options=request_options,
        )
    ).parsed


def _parse_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> list[Project]:
    if response.status_code == 200:
        with errors.parse_failures(response):
            return cast(list[Project], _parse_response(client=client, response=response))
    if response.status_code >= 400:
        raise errors.error_from_response(response)
    raise errors.UnexpectedResponseError(response, "undocumented status")


def _raw_or_raise(*, client: AuthenticatedClient | Client, response: httpx.Response) -> APIResponse[list[Project]]:
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
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> APIResponse[list[Project]]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        APIResponse[list[Project]]: status, headers, raw content and the parsed value.

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
        last=last,
        before=before,
        name=name,
    )
    return _raw_or_raise(client=client, response=client.send(kwargs, request_options))


async def asyncio_raw(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> APIResponse[list[Project]]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        APIResponse[list[Project]]: status, headers, raw content and the parsed value.

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
        last=last,
        before=before,
        name=name,
    )
    return _raw_or_raise(client=client, response=await client.asend(kwargs, request_options))


def sync_or_raise(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> list[Project]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        list[Project]: the documented success value.

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
        last=last,
        before=before,
        name=name,
        request_options=request_options,
    ).parsed


async def asyncio_or_raise(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> list[Project]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        list[Project]: the documented success value.

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
            last=last,
            before=before,
            name=name,
            request_options=request_options,
        )
    ).parsed


def iterate(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Iterator[Project]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        Iterator[Project]: every item, following `Link: rel="next"` page by page, lazily; one page
            is held at a time.

    Raises:
        errors.APIStatusError: the API answered with an error status; a subclass per status
            (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
        errors.UnexpectedResponseError: a response that is not what the API documents;
            errors.APIResponseValidationError when a value in it has the wrong type or is
            missing, errors.ResponseTooLargeError when it is over max_response_size.
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired).
        errors.PaginationError: a next link repeats a cursor already followed, or carries none.
    """

    followed: set[str] = {before} if isinstance(before, str) else set()
    while True:
        kwargs = _get_kwargs(
            last=last,
            before=before,
            name=name,
        )
        response = client.send(kwargs, request_options)
        yield from _parse_or_raise(client=client, response=response)
        cursor = next_cursor(response, followed)
        if cursor is None:
            return
        before = cursor


async def aiterate(
    *,
    client: AuthenticatedClient,
    last: int | Unset = UNSET,
    before: str | Unset = UNSET,
    name: str | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> AsyncIterator[Project]:
    """List projects

    Lists the projects the caller is a member of, newest first (descending creation time).
    Each project carries the caller's own membership in it, with the nested user.

    Results come in pages of `last` projects. When more remain, the `Link` response header
    holds the URL of the next page; follow it, or pass its `before` value as `before`,
    until a response has no `Link` header. Walking the pages this way visits every project
    exactly once. A project created during a walk does not make the walk repeat or skip any
    of the others.

    A brand-new user has exactly one project, named `default`, which the service creates
    on that user's first request.

    Args:
        last (int | Unset): Page size: how many projects to return, at most 100, written in ASCII
            decimal digits. Absent or 0 means the default of 20. (The vendor leaves the default, the
            maximum and the meaning of 0 open; this description decides them.)
        before (str | Unset): An opaque cursor (URL-safe base64): return the projects that come
            after that cursor's position in the listing. Take it from the `Link` header of the
            previous page; do not build it. A cursor that cannot be decoded, or that this service did
            not issue, answers 400 `decode cursor`.
        name (str | Unset): Only projects whose name is exactly this string (case-sensitive, whole
            name, no wildcards: `%` and `_` match themselves).

    Returns:
        AsyncIterator[Project]: every item, following `Link: rel="next"` page by page, lazily; one
            page is held at a time.

    Raises:
        errors.APIStatusError: the API answered with an error status; a subclass per status
            (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
        errors.UnexpectedResponseError: a response that is not what the API documents;
            errors.APIResponseValidationError when a value in it has the wrong type or is
            missing, errors.ResponseTooLargeError when it is over max_response_size.
        errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
            timeout expired).
        errors.PaginationError: a next link repeats a cursor already followed, or carries none.
    """

    followed: set[str] = {before} if isinstance(before, str) else set()
    while True:
        kwargs = _get_kwargs(
            last=last,
            before=before,
            name=name,
        )
        response = await client.asend(kwargs, request_options)
        for item in _parse_or_raise(client=client, response=response):
            yield item
        cursor = next_cursor(response, followed)
        if cursor is None:
            return
        before = cursor
