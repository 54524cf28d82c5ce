"""One error contract for every call style, against a loopback server that misbehaves.

The contract (docs/client.md, "Errors"): the raising styles (`CalyptiaCloud`, `sync_or_raise`,
`asyncio_or_raise`, `iterate`) end in the documented value or an `errors.APIError`; the
detailed styles return a `Response` for any HTTP response that arrives (any status, any
body, `parsed` None where the body is not the documented shape) and raise only
`APIConnectionError` / `APITimeoutError`; `sync` / `asyncio` return that `parsed`. No
exception's text carries the token.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, errors
from calyptia_cloud_client.api.projects import get_project, list_projects
from calyptia_cloud_client.models import Error, Project

from tests.support.loopback import (
    Answer,
    Answerer,
    Reply,
    Request,
    hang,
    loopback_server,
    raw,
    reset,
    respond,
    truncate,
)
from tests.support.samples import PROJECT, PROJECT_ID

TOKEN = "misbehaving-test-secret-token"
TIMEOUT = 0.3  # for the case that stalls: how soon the client gives up
# For every other case: long enough that a loaded machine never turns an answer into a timeout.
RELAXED = 5.0


def json_response(status: str, body: bytes, content_type: str = "application/json") -> Answer:
    return respond(status, content_type, body)


@dataclass(frozen=True)
class Case:
    """A misbehaviour and what it is: a transport failure, or an HTTP response with a status."""

    name: str
    behaviour: Answer
    status: int | None  # None: no HTTP response arrives
    timeout: bool = False
    parses: bool = False  # the body is the documented shape for this status


NESTED = b"[" * 100_000 + b"]" * 100_000
HUGE_NUMBER = b'{"id": ' + b"1" * 1_000_000 + b"}"

CASES = [
    Case("connection reset", reset, None),
    Case("closed without a word", raw(b""), None),
    Case("stall past the timeout", hang, None, timeout=True),
    Case("truncated body", truncate, None),
    Case("garbage status line", raw(b"HTTP/1.1 abc def\r\n\r\n"), None),
    Case("not HTTP at all", raw(b"SSH-2.0-OpenSSH_9.6\r\n"), None),
    Case("documented 200", json_response("200 OK", json.dumps(PROJECT).encode()), 200, parses=True),
    Case("documented 404", json_response("404 Not Found", b'{"error": "project not found"}'), 404, parses=True),
    Case("520 from a CDN", json_response("520 Unknown", b'{"error": "origin"}'), 520),
    Case("499 from nginx", json_response("499 Client Closed", b""), 499),
    Case("561 from a WAF", json_response("561 Unauthorized", b"<html>blocked</html>", "text/html"), 561),
    Case("599, no reason", json_response("599 ", b"{}"), 599),
    Case("299 success nobody documents", json_response("299 Odd", b"{}"), 299),
    Case("302 redirect", json_response("302 Found", b""), 302),
    Case("200 HTML under JSON", json_response("200 OK", b"<html>login</html>"), 200),
    Case("200 empty under JSON", json_response("200 OK", b""), 200),
    Case("200 missing fields", json_response("200 OK", b'{"id": "123e4567-e89b-12d3-a456-426614174000"}'), 200),
    Case("200 wrong types", json_response("200 OK", json.dumps({**PROJECT, "id": 5}).encode()), 200),
    Case("200 a list, not an object", json_response("200 OK", b"[1, 2]"), 200),
    Case("200 not UTF-8", json_response("200 OK", b'{"name": "\xff\xfe"}'), 200),
    Case("200 nested 100k deep", json_response("200 OK", NESTED), 200),
    Case("200 million-digit number", json_response("200 OK", HUGE_NUMBER), 200),
    Case("400 with an error body missing its field", json_response("400 Bad Request", b'{"detail": "x"}'), 400),
    Case("500 HTML", json_response("500 Internal Server Error", b"<h1>oops</h1>"), 500),
]


def low_level(url: str, timeout: float = RELAXED) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=url, token=TOKEN, timeout=httpx.Timeout(timeout), max_retries=0)


def cloud(url: str, timeout: float = RELAXED) -> CalyptiaCloud:
    return CalyptiaCloud(token=TOKEN, base_url=url, timeout=timeout, max_retries=0)


def acloud(url: str, timeout: float = RELAXED) -> AsyncCalyptiaCloud:
    return AsyncCalyptiaCloud(token=TOKEN, base_url=url, timeout=timeout, max_retries=0)


def assert_no_token(error: BaseException) -> None:
    for text in (str(error), repr(error), str(error.args)):
        assert TOKEN not in text


def expected_raise(case: Case) -> type[errors.APIError]:
    """What the raising styles must raise for a case they cannot turn into a Project."""
    if case.status is None:
        return errors.APITimeoutError if case.timeout else errors.APIConnectionError
    if case.status >= 400:
        return errors.APIStatusError
    return errors.UnexpectedResponseError


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_raising_styles(case: Case) -> None:
    timeout = TIMEOUT if case.timeout else RELAXED

    async def via_async_client() -> Project:
        async with acloud(url, timeout) as client:
            return await client.projects.get(PROJECT_ID)

    with loopback_server(case.behaviour) as server:
        url = server.url
        sync_cloud, sync_low_level = cloud(url, timeout), low_level(url, timeout)
        styles: dict[str, Callable[[], Any]] = {
            "CalyptiaCloud": lambda: sync_cloud.projects.get(PROJECT_ID),
            "with_raw_response": lambda: sync_cloud.projects.with_raw_response.get(PROJECT_ID).parsed,
            "AsyncCalyptiaCloud": lambda: asyncio.run(via_async_client()),
            "sync_or_raise": lambda: get_project.sync_or_raise(PROJECT_ID, client=sync_low_level),
            "asyncio_or_raise": lambda: asyncio.run(
                get_project.asyncio_or_raise(PROJECT_ID, client=low_level(url, timeout))
            ),
        }
        for style, call in styles.items():
            if case.parses and case.status == 200:
                assert isinstance(call(), Project), style
                continue
            with pytest.raises(errors.APIError) as caught:
                call()
            assert isinstance(caught.value, expected_raise(case)), (style, caught.value)
            if isinstance(caught.value, errors.APIStatusError):
                assert caught.value.status_code == case.status
            assert_no_token(caught.value)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_detailed_styles(case: Case) -> None:
    timeout = TIMEOUT if case.timeout else RELAXED
    with loopback_server(case.behaviour) as server:
        url = server.url
        sync_low_level = low_level(url, timeout)
        detailed = [
            lambda: get_project.sync_detailed(PROJECT_ID, client=sync_low_level),
            lambda: asyncio.run(get_project.asyncio_detailed(PROJECT_ID, client=low_level(url, timeout))),
        ]
        plain = [
            lambda: get_project.sync(PROJECT_ID, client=sync_low_level),
            lambda: asyncio.run(get_project.asyncio(PROJECT_ID, client=low_level(url, timeout))),
        ]
        for call in detailed + plain:
            if case.status is None:
                with pytest.raises((errors.APIConnectionError, errors.APITimeoutError)) as caught:
                    call()
                assert isinstance(caught.value, expected_raise(case))
                assert_no_token(caught.value)
        if case.status is None:
            return
        for call in detailed:
            response = call()
            assert response.status_code == case.status
            assert (response.parsed is not None) == case.parses, response.parsed
        for call in plain:
            parsed = call()
            assert (parsed is not None) == case.parses, parsed
            if case.parses:
                assert isinstance(parsed, Project if case.status == 200 else Error)


def paged(links: list[str | None]) -> Answerer:
    """Answer the n-th request with one project and the n-th Link header (None: no header)."""
    served = iter(links)

    def answer(request: Request) -> Reply:
        link = next(served, None)
        return Reply.json([PROJECT], headers={"Link": link} if link else None)

    return answer


LINK_CASES: list[tuple[str, list[str | None], int | None]] = [
    # name, the Link headers page by page, how many items before the walk ends (None: PaginationError)
    ("last page", [None], 1),
    ("two pages", ['</v1/projects?before=a>; rel="next"', None], 2),
    ("the same cursor again", ['</v1/projects?before=a>; rel="next"'] * 5, None),
    ("a cycle of two", ['</v1/projects?before=a>; rel="next"', '</v1/projects?before=b>; rel="next"'] * 3, None),
    ("next without a cursor", ['</v1/projects>; rel="next"'], None),
    ("next with an empty cursor", ['</v1/projects?before=>; rel="next"'], None),
    ("next that is not a URL", ['<http://[::1/v1?before=a>; rel="next"'], None),
    ("malformed header, no rel", ["<<<>>>"], 1),
    ("rel=prev only", ['</v1/projects?before=a>; rel="prev"'], 1),
]


@pytest.mark.parametrize(("links", "items"), [c[1:] for c in LINK_CASES], ids=[c[0] for c in LINK_CASES])
def test_page_iterators_never_loop(links: list[str | None], items: int | None) -> None:
    async def walk_async(iterator: Any) -> list[Project]:
        return [project async for project in iterator]

    walks: list[Callable[[str], list[Project]]] = [
        lambda url: list(list_projects.iterate(client=low_level(url))),
        lambda url: asyncio.run(walk_async(list_projects.aiterate(client=low_level(url)))),
        lambda url: list(cloud(url).projects.list()),
        lambda url: asyncio.run(walk_async(acloud(url).projects.list())),
    ]
    for walk in walks:
        with loopback_server(paged(links)) as server:
            url = server.url
            if items is None:
                with pytest.raises(errors.PaginationError) as caught:
                    walk(url)
                assert_no_token(caught.value)
            else:
                assert len(walk(url)) == items


def test_a_cursor_the_caller_started_from_counts_as_followed() -> None:
    start = paged(['</v1/projects?before=start>; rel="next"'])
    with loopback_server(start) as server, pytest.raises(errors.PaginationError):
        list(cloud(server.url).projects.list(before="start"))
