"""Deliberately broken variants of the mock, to prove the contract suite catches each.

Each mutant is an ASGI wrapper around the real app that breaks one promise of the spec.
`tests/contract/test_schemathesis.py` serves the mutant named by CONTRACT_MUTANT, and
`test_mutants.py` checks that the suite then fails with the expected check's failure.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

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
        await _respond(send, *rewrite(*await _call(app, scope, receive)))

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


# --- behavioural mutants: every response stays valid, one promise of the spec is broken ---


def _is_list(scope: Scope) -> bool:
    return bool(scope["method"] == "GET" and scope["path"] == "/v1/projects")


def _with_query(scope: Scope, change: Callable[[dict[str, str]], dict[str, str]]) -> Scope:
    query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
    return {**scope, "query_string": urlencode(change(query)).encode("latin-1")}


def _setting(key: str, value: str) -> Callable[[dict[str, str]], dict[str, str]]:
    return lambda query: {**query, key: value}


def _rewrite_query(
    app: ASGIApp, applies: Callable[[Scope], bool], change: Callable[[dict[str, str]], dict[str, str]]
) -> ASGIApp:
    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and applies(scope):
            scope = _with_query(scope, change)
        await app(scope, receive, send)

    return mutant


def _rewrite_request_body(
    app: ASGIApp, applies: Callable[[Scope], bool], change: Callable[[dict[str, Any]], None]
) -> ASGIApp:
    """Let `change` edit a JSON object body before the real app reads it."""

    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not applies(scope):
            await app(scope, receive, send)
            return
        body = await _read_body(receive)
        try:
            value = json.loads(body)
        except ValueError:
            value = None
        if isinstance(value, dict):
            change(value)
            body = json.dumps(value).encode()
        await app(scope, _replay(body, receive), send)

    return mutant


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _call(app: ASGIApp, scope: Scope, receive: Receive = _no_body) -> tuple[int, dict[str, str], bytes]:
    """Ask the real app (bodiless, unless `receive` is given) and buffer its response as
    (status, headers, body)."""
    messages: list[Message] = []

    async def buffer(message: Message) -> None:
        messages.append(message)

    await app(scope, receive, buffer)
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}, body


async def _respond(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    headers = {**headers, "content-length": str(len(body))}
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _newest_first(projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(projects, key=lambda project: str(project["createdAt"]), reverse=True)


def oldest_first(app: ASGIApp) -> ASGIApp:
    """Every page of the list comes oldest first."""

    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        return status, headers, (json.dumps(json.loads(body)[::-1]).encode() if status == 200 else body)

    return _rewrite_response(app, _is_list, rewrite)


def name_filter_ignored(app: ASGIApp) -> ASGIApp:
    """The list ignores `name`: the filter filters nothing."""
    return _rewrite_query(app, _is_list, lambda query: {k: v for k, v in query.items() if k != "name"})


def default_page_size_10(app: ASGIApp) -> ASGIApp:
    """Without `last` (or with 0) a page holds 10 projects instead of 20."""
    return _rewrite_query(
        app, _is_list, lambda query: {**query, "last": query["last"] if query.get("last", "0") != "0" else "10"}
    )


def page_size_capped_at_50(app: ASGIApp) -> ASGIApp:
    """`last` above 50 gives pages of 50."""

    def cap(query: dict[str, str]) -> dict[str, str]:
        return {**query, "last": "50"} if query.get("last", "").isdigit() and int(query["last"]) > 50 else query

    return _rewrite_query(app, _is_list, cap)


def page_walk_skips_one(app: ASGIApp) -> ASGIApp:
    """Every page after the first silently loses its first project."""

    def rewrite(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        return status, headers, (json.dumps(json.loads(body)[1:]).encode() if status == 200 else body)

    return _rewrite_response(app, lambda scope: _is_list(scope) and b"before=" in scope["query_string"], rewrite)


def _offset_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    kind, _, number = text.partition(":")
    return int(number) if kind == "offset" and number.isdigit() else None


def offset_pagination(app: ASGIApp) -> ASGIApp:
    """Pages by offset instead of by position: a project created during a walk shifts every
    later page by one, so the walk sees a project twice."""

    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_list(scope):
            await app(scope, receive, send)
            return
        query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
        offset = _offset(query["before"]) if "before" in query else 0
        if offset is None:  # not one of ours: the real app refuses it
            await app(scope, receive, send)
            return
        first = _with_query(scope, lambda q: {k: v for k, v in q.items() if k != "before"})
        status, headers, body = await _call(app, first)
        if status != 200:
            await _respond(send, status, headers, body)
            return
        size = int(query.get("last") or 0) or 20
        projects: list[dict[str, Any]] = []
        page = _with_query(first, lambda q: {**q, "last": "100"})
        while True:
            _, page_headers, page_body = await _call(app, page)
            projects += json.loads(page_body)
            match = re.search(r"[?&]before=([^&>]+)", page_headers.get("link", ""))
            if match is None:
                break
            page = _with_query(page, _setting("before", match.group(1)))
        headers.pop("link", None)
        if offset + size < len(projects):
            following = {k: v for k, v in query.items() if k in ("last", "name")}
            headers["link"] = (
                f'</v1/projects?{urlencode({**following, "before": _offset_cursor(offset + size)})}>; rel="next"'
            )
        await _respond(send, 200, headers, json.dumps(projects[offset : offset + size]).encode())

    return mutant


def create_ignores_v3enabled(app: ASGIApp) -> ASGIApp:
    """A new project is always created with v3Enabled false, whatever was sent."""
    return _rewrite_request_body(
        app,
        lambda scope: scope["method"] == "POST" and scope["path"] == "/v1/projects",
        lambda body: body.pop("v3Enabled", None),
    )


def members_count_counts_creator_twice(app: ASGIApp) -> ASGIApp:
    """A project read by ID counts its creator twice in membersCount (2 for a new project:
    still valid, where leaving the creator out would give 0, below the schema's minimum)."""
    return _rewrite_response(
        app,
        lambda scope: scope["method"] == "GET" and bool(ONE_PROJECT.match(scope["path"])),
        _json_project_rewrite(lambda project: project.update(membersCount=project["membersCount"] + 1)),
    )


def project_token_opens_everything(app: ASGIApp) -> ASGIApp:
    """Any X-Project-Token is taken as the user alice: it opens every project of hers."""

    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(k.lower() == b"x-project-token" for k, _ in scope["headers"]):
            headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"authorization", b"x-project-token")]
            scope = {**scope, "headers": [*headers, (b"authorization", b"Bearer alice-token")]}
        await app(scope, receive, send)

    return mutant


def update_changes_nothing(app: ASGIApp) -> ASGIApp:
    """An update answers 204 but applies nothing (its body is taken as `{}`)."""

    def forget(body: dict[str, Any]) -> None:
        body.clear()

    return _rewrite_request_body(app, lambda scope: scope["method"] == "PATCH", forget)


def settings_replaced_not_merged(app: ASGIApp) -> ASGIApp:
    """`setSettings` replaces every setting instead of merging key by key."""

    def replace(body: dict[str, Any]) -> None:
        if body.get("setSettings"):
            body["clearAllSettings"] = True

    return _rewrite_request_body(app, lambda scope: scope["method"] == "PATCH", replace)


def update_without_settings_clears_them(app: ASGIApp) -> ASGIApp:
    """An update that does not mention settings clears them all."""

    def clear(body: dict[str, Any]) -> None:
        if not body.get("setSettings") and not body.get("unsetSettings"):
            body["clearAllSettings"] = True

    return _rewrite_request_body(app, lambda scope: scope["method"] == "PATCH", clear)


def deleted_project_still_listed(app: ASGIApp) -> ASGIApp:
    """A deleted project reads 404 but stays in the list."""
    ghosts: list[dict[str, Any]] = []

    async def mutant(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "DELETE" and ONE_PROJECT.match(scope["path"]):
            status, _, body = await _call(app, {**scope, "method": "GET"})
            if status == 200:
                ghosts.append(json.loads(body))
        if scope["type"] != "http" or not _is_list(scope):
            await app(scope, receive, send)
            return
        name = dict(parse_qsl(scope["query_string"].decode("latin-1"))).get("name")

        def haunt(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
            if status != 200:
                return status, headers, body
            page = json.loads(body)
            page += [ghost for ghost in ghosts if name in (None, ghost["name"])][: max(0, 100 - len(page))]
            return status, headers, json.dumps(_newest_first(page)).encode()

        await _rewrite_response(app, lambda _: True, haunt)(scope, receive, send)

    return mutant


def record_requests(app: ASGIApp, log: Path) -> ASGIApp:
    """Not a mutant: append each request's method, path, query and body to `log`."""

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        body = await _read_body(receive)
        with log.open("ab") as file:
            file.write(
                b" ".join([scope["method"].encode(), scope["path"].encode(), scope["query_string"], body]) + b"\n"
            )
        await app(scope, _replay(body, receive), send)

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


@dataclass(frozen=True)
class BehaviourMutant:
    """A mutant for `make contract`: `check` must name it; a `reads_only` one is run (and
    caught) in the read-only live mode; `phases` are the schemathesis phases that reach it."""

    wrapper: Mutant
    check: str
    reads_only: bool
    phases: str
    projects: int = 10  # created before the run: the page walks need more than one page of 7
    examples: int = 3  # per operation; the stateful phase needs a few more to reach an update


# Behavioural mutants, run through `make contract` (tools.contract against a stand-in).
BEHAVIOUR_MUTANTS: dict[str, BehaviourMutant] = {
    "oldest_first": BehaviourMutant(oldest_first, "list_is_newest_first", True, "examples"),
    "name_filter_ignored": BehaviourMutant(name_filter_ignored, "name_filter_is_exact", True, "examples"),
    "default_page_size_10": BehaviourMutant(
        default_page_size_10, "default_page_size_applies", True, "examples", projects=25
    ),
    "page_size_capped_at_50": BehaviourMutant(
        page_size_capped_at_50, "page_size_is_honoured", True, "examples", projects=100
    ),
    "page_walk_skips_one": BehaviourMutant(page_walk_skips_one, "page_walk_is_complete", True, "examples"),
    "offset_pagination": BehaviourMutant(offset_pagination, "page_walk_survives_concurrent_create", False, "examples"),
    "create_ignores_v3enabled": BehaviourMutant(
        create_ignores_v3enabled, "created_project_reads_back", False, "examples,coverage"
    ),
    "members_count_counts_creator_twice": BehaviourMutant(
        members_count_counts_creator_twice, "creator_membership_after_create", False, "examples"
    ),
    "project_token_opens_everything": BehaviourMutant(
        project_token_opens_everything, "project_token_is_scoped", False, "examples"
    ),
    "update_changes_nothing": BehaviourMutant(
        update_changes_nothing, "update_reads_back", False, "examples,stateful", examples=5
    ),
    "settings_replaced_not_merged": BehaviourMutant(
        settings_replaced_not_merged, "settings_change_in_order", False, "examples,stateful", examples=5
    ),
    "update_without_settings_clears_them": BehaviourMutant(
        update_without_settings_clears_them, "absent_fields_are_left_alone", False, "examples,stateful", examples=5
    ),
    "deleted_project_still_listed": BehaviourMutant(
        deleted_project_still_listed, "deleted_project_is_gone", False, "examples,stateful", examples=5
    ),
}
