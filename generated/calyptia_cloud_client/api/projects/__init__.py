"""The `projects` resource: one method per operation tagged `projects` in the spec.

The resource-style client (`CalyptiaCloud.projects`) calls through the low-level functions of
this package's modules, which remain usable on their own.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator, Mapping
from functools import cached_property
from typing import Any
from uuid import UUID

import httpx

from ..._request_options import QueryValue, request_options
from ..._resource import Resource as _Resource
from ..._resource import async_raw_page, async_raw_response, raw_page, raw_response
from ...client import AuthenticatedClient
from ...models.create_project import CreateProject
from ...models.created_project import CreatedProject
from ...models.deleted import Deleted
from ...models.project import Project
from ...models.update_project import UpdateProject
from ...models.update_project_set_settings import UpdateProjectSetSettings
from ...types import UNSET, Unset
from . import create_project as _create_project
from . import delete_project as _delete_project
from . import get_project as _get_project
from . import list_projects as _list_projects
from . import update_project as _update_project

__all__ = [
    "AsyncProjects",
    "AsyncProjectsWithRawResponse",
    "Projects",
    "ProjectsWithRawResponse",
]


class Projects(_Resource[AuthenticatedClient]):
    """The `projects` operations.

    Reached as `CalyptiaCloud.projects`; every failure raises an errors.APIError subclass.
    """

    @cached_property
    def with_raw_response(self) -> ProjectsWithRawResponse:
        """The same methods, returning the whole response (status, headers, content, parsed)."""
        return ProjectsWithRawResponse(self)

    def list(
        self,
        *,
        last: int | Unset = UNSET,
        before: str | Unset = UNSET,
        name: str | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
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

        Every item, lazily: the pages are fetched as the iteration reaches them, following the
        `Link: rel="next"` header. Through `with_raw_response`, one page.

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
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry and page.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            Iterator[Project]

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
            errors.PaginationError: a next link repeats a cursor already followed, or has none.
        """
        return self._send(
            _list_projects.iterate,
            _list_projects.sync_raw,
            client=self._client,
            last=last,
            before=before,
            name=name,
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    def create(
        self,
        *,
        name: str,
        v3_enabled: bool | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
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
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            CreatedProject

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return self._send(
            _create_project.sync_or_raise,
            _create_project.sync_raw,
            client=self._client,
            body=CreateProject(
                name=name,
                v_3_enabled=v3_enabled,
            ),
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    def get(
        self,
        project_id: UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Project:
        """Project

        Returns one project by its ID, with the caller's own membership in it.

        A project that does not exist and a project the caller is not a member of both
        answer 404 `project not found`, so that a project's existence does not leak.
        With `X-Project-Token`, only the project that token belongs to can be read, and the
        response has no `membership` (a project token belongs to no user).

        Sends the client's `project_token`, if it has one, as `X-Project-Token`.

        Args:
            project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
                Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
                400 `invalid project ID`.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            Project

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return self._send(
            _get_project.sync_or_raise,
            _get_project.sync_raw,
            project_id,
            client=self._client,
            x_project_token=self._project_token,
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    def delete(
        self,
        project_id: UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Deleted:
        """Delete project

        Deletes a project by its ID. Only the creator of the project can delete it; any other
        member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
        longer listed.

        Args:
            project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
                Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
                400 `invalid project ID`.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            Deleted

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return self._send(
            _delete_project.sync_or_raise,
            _delete_project.sync_raw,
            project_id,
            client=self._client,
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    def update(
        self,
        project_id: UUID,
        *,
        name: None | str | Unset = UNSET,
        v3_enabled: bool | None | Unset = UNSET,
        set_settings: UpdateProjectSetSettings | Mapping[str, Any] | Unset = UNSET,
        unset_settings: builtins.list[str] | Unset = UNSET,
        clear_all_settings: bool | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> None:
        """Update project

        Updates a project by its ID. Every field is optional; a field that is absent or null
        is left as it is, so `{}` changes nothing. Settings change in a fixed order:
        `clearAllSettings` first, then `setSettings` (merged key by key), then
        `unsetSettings`. After a 204, the project reads back with every field that was sent.

        The caller needs the `update:*` permission in the project (a plain member without it
        gets 403), or that project's own `X-Project-Token`. A project the caller cannot see
        answers 404, as for `project`.

        Sends the client's `project_token`, if it has one, as `X-Project-Token`.

        Args:
            project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
                Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
                400 `invalid project ID`.
            name (None | str | Unset): A new name; null leaves the name unchanged.
            v3_enabled (bool | None | Unset): Whether the project may use the V3 APIs; null leaves it
                unchanged.
            set_settings (UpdateProjectSetSettings | Unset): Settings to set, merged key by key into
                the existing settings.
            unset_settings (list[str] | Unset): Setting keys to remove.
            clear_all_settings (bool | Unset): Clear every setting before `setSettings` and
                `unsetSettings` apply.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            None

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return self._send(
            _update_project.sync_or_raise,
            _update_project.sync_raw,
            project_id,
            client=self._client,
            x_project_token=self._project_token,
            body=UpdateProject(
                name=name,
                v_3_enabled=v3_enabled,
                set_settings=UpdateProjectSetSettings.from_dict(set_settings)
                if isinstance(set_settings, Mapping)
                else set_settings,
                unset_settings=unset_settings,
                clear_all_settings=clear_all_settings,
            ),
            request_options=request_options(extra_headers, extra_query, timeout),
        )


class ProjectsWithRawResponse:
    """The `projects` operations, each returning the whole APIResponse: status, headers and raw
    content beside the parsed value; a paginated one returns one page.

    Reached as `CalyptiaCloud.projects.with_raw_response`; the methods are those of `Projects`,
    with their arguments and errors.
    """

    def __init__(self, resource: Projects) -> None:
        twin = resource._raw_twin()
        self.list = raw_page(twin.list)
        """`Projects.list`, returning the APIResponse of one page."""
        self.create = raw_response(twin.create)
        """`Projects.create`, returning the APIResponse."""
        self.get = raw_response(twin.get)
        """`Projects.get`, returning the APIResponse."""
        self.delete = raw_response(twin.delete)
        """`Projects.delete`, returning the APIResponse."""
        self.update = raw_response(twin.update)
        """`Projects.update`, returning the APIResponse."""


class AsyncProjects(_Resource[AuthenticatedClient]):
    """The `projects` operations, async.

    Reached as `AsyncCalyptiaCloud.projects`; every failure raises an errors.APIError subclass.
    """

    @cached_property
    def with_raw_response(self) -> AsyncProjectsWithRawResponse:
        """The same methods, returning the whole response (status, headers, content, parsed)."""
        return AsyncProjectsWithRawResponse(self)

    def list(
        self,
        *,
        last: int | Unset = UNSET,
        before: str | Unset = UNSET,
        name: str | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
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

        Every item, lazily: the pages are fetched as the iteration reaches them, following the
        `Link: rel="next"` header. Through `with_raw_response`, one page.

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
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry and page.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            AsyncIterator[Project]

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
            errors.PaginationError: a next link repeats a cursor already followed, or has none.
        """
        return self._send(
            _list_projects.aiterate,
            _list_projects.asyncio_raw,
            client=self._client,
            last=last,
            before=before,
            name=name,
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    async def create(
        self,
        *,
        name: str,
        v3_enabled: bool | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
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
            name (str): The new project's name: 1 to 64 characters, no control characters, no
                whitespace at either end. Names need not be unique.
            v3_enabled (bool | Unset): Whether the project may use the V3 APIs. Added by the service
                after the reference page.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            CreatedProject

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return await self._send(
            _create_project.asyncio_or_raise,
            _create_project.asyncio_raw,
            client=self._client,
            body=CreateProject(
                name=name,
                v_3_enabled=v3_enabled,
            ),
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    async def get(
        self,
        project_id: UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Project:
        """Project

        Returns one project by its ID, with the caller's own membership in it.

        A project that does not exist and a project the caller is not a member of both
        answer 404 `project not found`, so that a project's existence does not leak.
        With `X-Project-Token`, only the project that token belongs to can be read, and the
        response has no `membership` (a project token belongs to no user).

        Sends the client's `project_token`, if it has one, as `X-Project-Token`.

        Args:
            project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
                Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
                400 `invalid project ID`.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            Project

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return await self._send(
            _get_project.asyncio_or_raise,
            _get_project.asyncio_raw,
            project_id,
            client=self._client,
            x_project_token=self._project_token,
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    async def delete(
        self,
        project_id: UUID,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> Deleted:
        """Delete project

        Deletes a project by its ID. Only the creator of the project can delete it; any other
        member gets 403. Afterwards the project is gone: reading it answers 404, and it is no
        longer listed.

        Args:
            project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
                Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
                400 `invalid project ID`.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            Deleted

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return await self._send(
            _delete_project.asyncio_or_raise,
            _delete_project.asyncio_raw,
            project_id,
            client=self._client,
            request_options=request_options(extra_headers, extra_query, timeout),
        )

    async def update(
        self,
        project_id: UUID,
        *,
        name: None | str | Unset = UNSET,
        v3_enabled: bool | None | Unset = UNSET,
        set_settings: UpdateProjectSetSettings | Mapping[str, Any] | Unset = UNSET,
        unset_settings: builtins.list[str] | Unset = UNSET,
        clear_all_settings: bool | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
    ) -> None:
        """Update project

        Updates a project by its ID. Every field is optional; a field that is absent or null
        is left as it is, so `{}` changes nothing. Settings change in a fixed order:
        `clearAllSettings` first, then `setSettings` (merged key by key), then
        `unsetSettings`. After a 204, the project reads back with every field that was sent.

        The caller needs the `update:*` permission in the project (a plain member without it
        gets 403), or that project's own `X-Project-Token`. A project the caller cannot see
        answers 404, as for `project`.

        Sends the client's `project_token`, if it has one, as `X-Project-Token`.

        Args:
            project_id (UUID): The project's ID, a UUID in its canonical 8-4-4-4-12 hexadecimal form.
                Anything else (braces, a `urn:uuid:` prefix, missing or extra hyphens) is rejected with
                400 `invalid project ID`.
            name (None | str | Unset): A new name; null leaves the name unchanged.
            v3_enabled (bool | None | Unset): Whether the project may use the V3 APIs; null leaves it
                unchanged.
            set_settings (UpdateProjectSetSettings | Unset): Settings to set, merged key by key into
                the existing settings.
            unset_settings (list[str] | Unset): Setting keys to remove.
            clear_all_settings (bool | Unset): Clear every setting before `setSettings` and
                `unsetSettings` apply.
            extra_headers (Mapping[str, str] | None): Headers for this call, over the client's
                default headers; sent with every retry.
            extra_query (Mapping[str, QueryValue] | None): Query values for this call; one the
                operation also sends is replaced.
            timeout (float | httpx.Timeout | None | Unset): This call's timeout, in place of the
                client's; it bounds the whole call, retries and their waits included.

        Returns:
            None

        Raises:
            errors.APIStatusError: the API answered with an error status; a subclass per status
                (BadRequestError, AuthenticationError, NotFoundError, InternalServerError, ...).
            errors.UnexpectedResponseError: a response that is not what the API documents;
                errors.APIResponseValidationError when a value in it has the wrong type or is
                missing, errors.ResponseTooLargeError when it is over max_response_size.
            errors.APIConnectionError: the request did not complete (errors.APITimeoutError when a
                timeout expired).
        """
        return await self._send(
            _update_project.asyncio_or_raise,
            _update_project.asyncio_raw,
            project_id,
            client=self._client,
            x_project_token=self._project_token,
            body=UpdateProject(
                name=name,
                v_3_enabled=v3_enabled,
                set_settings=UpdateProjectSetSettings.from_dict(set_settings)
                if isinstance(set_settings, Mapping)
                else set_settings,
                unset_settings=unset_settings,
                clear_all_settings=clear_all_settings,
            ),
            request_options=request_options(extra_headers, extra_query, timeout),
        )


class AsyncProjectsWithRawResponse:
    """The `projects` operations, async, each returning the whole APIResponse: status, headers and raw
    content beside the parsed value; a paginated one returns one page.

    Reached as `AsyncCalyptiaCloud.projects.with_raw_response`; the methods are those of `AsyncProjects`,
    with their arguments and errors.
    """

    def __init__(self, resource: AsyncProjects) -> None:
        twin = resource._raw_twin()
        self.list = async_raw_page(twin.list)
        """`AsyncProjects.list`, returning the APIResponse of one page."""
        self.create = async_raw_response(twin.create)
        """`AsyncProjects.create`, returning the APIResponse."""
        self.get = async_raw_response(twin.get)
        """`AsyncProjects.get`, returning the APIResponse."""
        self.delete = async_raw_response(twin.delete)
        """`AsyncProjects.delete`, returning the APIResponse."""
        self.update = async_raw_response(twin.update)
        """`AsyncProjects.update`, returning the APIResponse."""
