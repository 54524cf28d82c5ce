"""The client against a misbehaving server on loopback: typed errors, never a hang.

A raw TCP server (started by the test on 127.0.0.1) resets connections, stalls,
truncates bodies, or answers 5xx and HTML. Every case must end in a typed
`errors.APIError` within the client's timeout, and the token must appear in no
exception message or repr.
"""

from __future__ import annotations

import time
from uuid import UUID

import httpx
import pytest
from calyptia_cloud_client import AuthenticatedClient, errors
from calyptia_cloud_client.api.projects import get_project, list_projects

from tests.support.loopback import Answer, loopback_server, reset, respond, stall, truncate

TOKEN = "fault-test-secret-token"
PROJECT_ID = UUID("123e4567-e89b-12d3-a456-426614174000")


def client(url: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=url, token=TOKEN, timeout=httpx.Timeout(0.5), max_retries=0)


CASES: list[tuple[str, Answer, type[errors.APIError]]] = [
    ("connection reset", reset, errors.APIConnectionError),
    ("stalled response", stall, errors.APITimeoutError),
    ("truncated body", truncate, errors.APIConnectionError),
    (
        "503 JSON",
        respond("503 Service Unavailable", "application/json", b'{"error": "unavailable"}'),
        errors.InternalServerError,
    ),
    (
        "502 HTML",
        respond("502 Bad Gateway", "text/html", b"<html><h1>502 Bad Gateway</h1></html>"),
        errors.InternalServerError,
    ),
    ("200 HTML", respond("200 OK", "text/html", b"<html>login page</html>"), errors.UnexpectedResponseError),
]


@pytest.mark.parametrize(("behaviour", "expected"), [(b, e) for _, b, e in CASES], ids=[name for name, _, _ in CASES])
def test_fault_becomes_a_typed_error_in_time(behaviour: Answer, expected: type[errors.APIError]) -> None:
    with loopback_server(behaviour) as server:
        url = server.url
        started = time.monotonic()
        with pytest.raises(expected) as caught:
            get_project.sync_or_raise(PROJECT_ID, client=client(url))
        elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"took {elapsed:.1f} s with a 0.5 s timeout"
    for text in (str(caught.value), repr(caught.value), repr(client(url))):
        assert TOKEN not in text


def test_the_iterator_stops_with_a_typed_error_when_a_page_fails() -> None:
    with loopback_server(reset) as server, pytest.raises(errors.APIConnectionError):
        list(list_projects.iterate(client=client(server.url)))


def test_retries_do_not_stretch_a_stall_past_the_budget() -> None:
    """With the default 2 retries, three 0.5 s timeouts plus backoff (at most 1.5 s)."""
    with loopback_server(stall) as server:
        url = server.url
        started = time.monotonic()
        with pytest.raises(errors.APITimeoutError):
            get_project.sync_or_raise(
                PROJECT_ID, client=AuthenticatedClient(base_url=url, token=TOKEN, timeout=httpx.Timeout(0.5))
            )
        assert time.monotonic() - started < 3.0 + 1.5
