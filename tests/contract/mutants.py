"""Deliberately broken variants of the mock, to prove the contract suite catches each.

Each mutant is an ASGI wrapper around the real app that breaks one promise of the spec.
`tests/contract/test_schemathesis.py` serves the mutant named by CONTRACT_MUTANT, and
`test_mutants.py` checks that the suite then fails with the expected check's failure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Mutant = Callable[[ASGIApp], ASGIApp]
ONE_PROJECT = re.compile(r"^/v1/projects/[^/]+$")


def _rewrite_response(
    app: ASGIApp,
    applies: Callable[[Scope], bool],
    rewrite: Callable[[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes]],
) -> ASGIApp:
    """Buffer a response and pass it through `rewrite(status, headers, body)`."""

    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not applies(scope):
            await app(scope, receive, send)
            return
        messages: list[Message] = []

        async def buffer(message: Message) -> None:
            messages.append(message)

        await app(scope, receive, buffer)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
        status, headers, body = rewrite(start["status"], headers, body)
        headers["content-length"] = str(len(body))
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    return mutant


def _json_project_rewrite(
    change: Callable[[dict[str, Any]], None],
) -> Callable[[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]:
    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if status == 200:
            value = json.loads(body)
            for project in value if isinstance(value, list) else [value]:
                change(project)
            body = json.dumps(value).encode()
        return status, headers, body

    return rewrite


def wrong_type(app: ASGIApp) -> ASGIApp:
    """membersCount comes back as a string."""
    return _rewrite_response(
        app,
        lambda scope: scope["method"] == "GET" and scope["path"].startswith("/v1/projects"),
        _json_project_rewrite(lambda project: project.update(membersCount=str(project["membersCount"]))),
    )


def missing_required_field(app: ASGIApp) -> ASGIApp:
    """Projects come back without their required createdAt."""
    return _rewrite_response(
        app,
        lambda scope: scope["method"] == "GET" and scope["path"].startswith("/v1/projects"),
        _json_project_rewrite(lambda project: project.pop("createdAt", None)),
    )


def server_error_on_bad_cursor(app: ASGIApp) -> ASGIApp:
    """An undecodable cursor crashes the list with a 500 instead of 400 decode cursor."""

    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if status == 400 and b"decode cursor" in body:
            return 500, headers, b'{"error": "internal error"}'
        return status, headers, body

    return _rewrite_response(app, lambda scope: scope["path"] == "/v1/projects", rewrite)


def delete_does_not_delete(app: ASGIApp) -> ASGIApp:
    """DELETE answers success for a project it can see, but leaves the project in place."""

    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if status == 200:
            return 200, headers, b'{"deleted": true, "deletedAt": "2026-01-01T00:00:00Z"}'
        return status, headers, body

    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "DELETE" and ONE_PROJECT.match(scope["path"]):
            # Ask the real app with GET instead: it answers 200 exactly when DELETE would have.
            scope = {**scope, "method": "GET"}
            await _rewrite_response(app, lambda _: True, rewrite)(scope, receive, send)
            return
        await app(scope, receive, send)

    return mutant


def skips_auth(app: ASGIApp) -> ASGIApp:
    """GET of one project forgets to check credentials: it serves as if alice had called."""

    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and ONE_PROJECT.match(scope["path"]):
            headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"authorization", b"x-project-token")]
            scope = {**scope, "headers": [*headers, (b"authorization", b"Bearer alice-token")]}
        await app(scope, receive, send)

    return mutant


def undocumented_status(app: ASGIApp) -> ASGIApp:
    """An invalid project name gets 422, which the spec does not document."""

    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        return (422 if status == 400 and b"invalid project name" in body else status), headers, body

    return _rewrite_response(app, lambda scope: scope["method"] == "POST", rewrite)


def wrong_error_content_type(app: ASGIApp) -> ASGIApp:
    """Errors are sent as text/plain."""

    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if status >= 400:
            headers["content-type"] = "text/plain; charset=utf-8"
        return status, headers, body

    return _rewrite_response(app, lambda scope: scope["path"].startswith("/v1/"), rewrite)


def link_to_missing_page(app: ASGIApp) -> ASGIApp:
    """The Link header points at a page that does not exist (a cursor nobody issued)."""

    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if "link" in headers:
            headers["link"] = re.sub(r"before=[^&>]+", "before=Tm9QYWdlSGVyZQ", headers["link"])
        return status, headers, body

    return _rewrite_response(app, lambda scope: scope["path"] == "/v1/projects", rewrite)


def record_requests(app: ASGIApp, log: Path) -> ASGIApp:
    """Not a mutant: append each request's method, path, query and body to `log`."""

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        with log.open("ab") as file:
            file.write(
                b" ".join([scope["method"].encode(), scope["path"].encode(), scope["query_string"], body]) + b"\n"
            )
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, send)

    return recording


# mutant name -> (wrapper, the schemathesis failure class that must catch it)
MUTANTS: dict[str, tuple[Mutant, str]] = {
    "wrong_type": (wrong_type, "JsonSchemaError"),
    "missing_required_field": (missing_required_field, "JsonSchemaError"),
    "server_error_on_bad_cursor": (server_error_on_bad_cursor, "ServerError"),
    "delete_does_not_delete": (delete_does_not_delete, "UseAfterFree"),
    "skips_auth": (skips_auth, "IgnoredAuth"),
    "undocumented_status": (undocumented_status, "UndefinedStatusCode"),
    "wrong_error_content_type": (wrong_error_content_type, "UndefinedContentType"),
    "link_to_missing_page": (link_to_missing_page, "next_page_link_resolves"),
}
