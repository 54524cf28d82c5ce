"""Hostile and malformed requests: each gets its documented 4xx JSON error and changes nothing.

Every table case checks the exact status and body (`{"error": ..., "detail": ...}`, served as
application/json), that the server still answers a plain GET /v1/projects afterwards, and
that the caller's full listing is byte-for-byte the same before and after. Valid but unusual
names (emoji, right-to-left text, SQL and LIKE metacharacters) must instead be accepted and
come back verbatim. Requests go out through httpx directly, so nothing normalises them.
"""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from tests.support.mock import mock_in_thread

SHARED = "5e0c6a3e-7d7b-4d1e-9a38-7f0c2b1d9e11"  # alice created it (tests/fixtures/users.yaml)
TOKENS = {"alice": "alice-token", "bob": "bob-token", "carol": "carol-token", "dave": "dave-token"}
TIMEOUT = httpx.Timeout(20.0)
NAME_RULES = "a name is 1 to 64 characters, without control characters or surrounding whitespace"
TOO_LARGE = "the limit is 1048576 bytes"
NOT_JSON = "send the body as application/json"
TEN_MB = 10 * 1024 * 1024


def auth(user: str = "alice") -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[user]}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """One mock for the module (no case changes anything, so none needs restoring), and one
    keep-alive client for it: a fresh httpx client per request would cost an SSL context each."""
    with (
        mock_in_thread(tmp_path_factory.mktemp("hostile") / "hostile.db") as url,
        httpx.Client(base_url=url, timeout=TIMEOUT) as client,
    ):
        yield client


def snapshot(server: httpx.Client, user: str = "alice") -> bytes:
    """The user's whole listing, as raw bytes (alice has well under 100 projects here)."""
    response = server.get("/v1/projects", params={"last": 100}, headers=auth(user))
    assert response.status_code == 200, response.text
    return response.content


def assert_still_serving(server: httpx.Client) -> None:
    response = server.get("/v1/projects", headers=auth())
    assert response.status_code == 200, response.text


def assert_error(response: httpx.Response, status: int, error: str, detail: str | None = None) -> None:
    """Exact status, JSON content type and exact error body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    expected = {"error": error} if detail is None else {"error": error, "detail": detail}
    assert response.json() == expected


# -- the table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One hostile request and the error it must get. `path` may carry a raw query string."""

    id: str
    method: str
    path: str
    status: int
    error: str
    detail: str | None = None
    json: Any = None
    content: bytes | None = None
    content_type: str | None = "application/json"
    big_body: int = 0  # send a JSON body of this many bytes (with Content-Length)
    chunked: bool = False  # send `big_body` as a stream, without Content-Length
    allow: str | None = None  # for 405: the exact Allow header

    def send(self, server: httpx.Client) -> httpx.Response:
        headers = auth()
        if self.content_type is not None:
            headers["Content-Type"] = self.content_type
        content: bytes | Iterator[bytes] | None = self.content
        if self.json is not None:
            content = httpx.Request("POST", "/", json=self.json).content
        if self.big_body:
            content = _chunks(self.big_body) if self.chunked else b"".join(_chunks(self.big_body))
        return server.request(self.method, self.path, content=content, headers=headers)


def _chunks(size: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    """A syntactically plausible JSON body of exactly `size` bytes: {"name": "xxx...x"}."""
    head, tail = b'{"name": "', b'"}'
    filler = size - len(head) - len(tail)
    yield head
    while filler > 0:
        yield b"x" * min(chunk, filler)
        filler -= chunk
    yield tail


CREATE = ("create", "POST", "/v1/projects")
SHARED_PATH = f"/v1/projects/{SHARED}"
UPDATE = ("update", "PATCH", SHARED_PATH)
INVALID_BODY = "invalid request body"
UNSUPPORTED = "unsupported media type"
BAD_UTF8 = "the body is not valid UTF-8 (byte 10)"
BOM = "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"
FORM = "application/x-www-form-urlencoded"
DEEP = b'{"name": "deep", "setSettings": {"a": ' + b"[" * 10_000 + b"]" * 10_000 + b"}}"

# (id, status, error, detail, how the body is sent), for create and for update alike.
BODIES: list[tuple[str, int, str, str, dict[str, Any]]] = [
    ("malformed-json", 400, INVALID_BODY, "Expecting value: line 1 column 6 (char 5)", {"content": b'{"a":'}),
    ("empty-json-body", 400, INVALID_BODY, "Expecting value: line 1 column 1 (char 0)", {"content": b""}),
    ("nan", 400, INVALID_BODY, "NaN is not JSON", {"content": b'{"v3Enabled": NaN}'}),
    ("invalid-utf8", 400, INVALID_BODY, BAD_UTF8, {"content": b'{"name": "\xff\xfe"}'}),
    ("utf8-encoded-surrogate", 400, INVALID_BODY, BAD_UTF8, {"content": b'{"name": "\xed\xa0\x80"}'}),
    ("utf8-bom", 400, INVALID_BODY, BOM, {"content": b'\xef\xbb\xbf{"name": "bom"}'}),
    ("nested-10000-deep", 400, INVALID_BODY, "JSON nested deeper than 64 levels", {"content": DEEP}),
    ("10MB-body", 413, "request body too large", TOO_LARGE, {"big_body": TEN_MB}),
    ("10MB-body-chunked", 413, "request body too large", TOO_LARGE, {"big_body": TEN_MB, "chunked": True}),
    ("text-plain", 415, UNSUPPORTED, NOT_JSON, {"json": {"name": "x"}, "content_type": "text/plain"}),
    ("no-content-type", 415, UNSUPPORTED, NOT_JSON, {"json": {"name": "x"}, "content_type": None}),
    ("form-encoded", 415, UNSUPPORTED, NOT_JSON, {"content": b"name=x", "content_type": FORM}),
    ("json-lookalike-type", 415, UNSUPPORTED, NOT_JSON, {"json": {"name": "x"}, "content_type": "application/jsonx"}),
]  # fmt: skip
BODY_CASES = [
    Case(f"{label}-{key}", method, path, status, error, detail, **how)
    for label, method, path in (CREATE, UPDATE)
    for key, status, error, detail, how in BODIES
]

BAD_NAMES: dict[str, Any] = {
    "nul": "a\x00b",
    "65-chars": "x" * 65,
    "65-emoji": "\U0001f680" * 65,  # code points count, not bytes: 64 emoji are fine
    "empty": "",
    "ascii-spaces": "   ",
    "tab": "\t",
    "ideographic-space-u3000": "\u3000",
    "mixed-whitespace": " \t\u3000 ",
    "trailing-newline": "name\n",
    "leading-space": " name",
    "escape-control": "a\x1bb",
    "c1-control-u0085": "a\x85b",
    "not-a-string": 12,
}
NAME_CASES = [
    Case(f"{label}-name-{key}", method, path, 400, "invalid project name", NAME_RULES, json={"name": name})
    for label, method, path in (CREATE, UPDATE)
    for key, name in BAD_NAMES.items()
]

ALL_METHODS = ("GET", "PATCH", "DELETE")


class BadId(NamedTuple):
    segment: str  # the raw path segment, percent-encoding included
    status: int
    error: str


INVALID_ID = "invalid project ID"
BAD_IDS = {
    "not-a-uuid": BadId("not-a-uuid", 400, INVALID_ID),
    "sql": BadId(quote("1' OR '1'='1"), 400, INVALID_ID),
    "sql-drop": BadId(quote("'; DROP TABLE projects;--"), 400, INVALID_ID),
    "8000-chars": BadId("a" * 8000, 400, INVALID_ID),
    "nul": BadId("%00", 400, INVALID_ID),
    "braces": BadId(f"%7B{SHARED}%7D", 400, INVALID_ID),
    "urn": BadId(f"urn:uuid:{SHARED}", 400, INVALID_ID),
    "no-hyphens": BadId(SHARED.replace("-", ""), 400, INVALID_ID),
    "dot": BadId("%2E", 400, INVALID_ID),
    "dot-dot": BadId("%2E%2E", 400, INVALID_ID),
    # A %2F decodes to "/" before routing: these are other, undefined paths (404 "not found").
    "dot-dot-slash": BadId("..%2F", 404, "not found"),
    # openapi-core reads this as GET /v1/projects, which documents no 404.
    "traversal-to-list": BadId("..%2F..%2Fv1%2Fprojects", 404, "not found"),
    "nil-uuid": BadId("00000000-0000-0000-0000-000000000000", 404, "project not found"),
    "trailing-brace": BadId(f"{SHARED}%7D", 400, INVALID_ID),
    "trailing-uuid-prefix": BadId(f"{SHARED}uuid:", 400, INVALID_ID),
    "extra-hyphens": BadId(f"{SHARED}-----", 400, INVALID_ID),
    "fullwidth-digit": BadId(quote(SHARED[:-1] + "\uff11"), 400, INVALID_ID),
}
ID_CASES = [
    Case(
        f"{method.lower()}-id-{key}",
        method,
        f"/v1/projects/{bad.segment}",
        bad.status,
        bad.error,
        json={} if method == "PATCH" else None,
    )
    for key, bad in BAD_IDS.items()
    for method in ALL_METHODS
]

BAD_QUERY = "invalid query parameter"


def not_an_integer(raw: str) -> str:
    return f"last: {raw!r} is not an integer"


NOT_CREATED = {"name": "must not be created"}

# (id, method, path with raw query, detail, extra Case fields): every one is 400 BAD_QUERY.
QUERIES: list[tuple[str, str, str, str, dict[str, Any]]] = [
    ("last-negative", "GET", "/v1/projects?last=-1", "last: -1 is less than the minimum of 0", {}),
    ("last-101", "GET", "/v1/projects?last=101", "last: 101 is greater than the maximum of 100", {}),
    ("last-10e30", "GET", f"/v1/projects?last={10**30}", f"last: {10**30} is greater than the maximum of 100", {}),
    ("last-non-numeric", "GET", "/v1/projects?last=abc", not_an_integer("abc"), {}),
    ("last-fraction", "GET", "/v1/projects?last=1.5", not_an_integer("1.5"), {}),
    ("last-empty", "GET", "/v1/projects?last=", not_an_integer(""), {}),
    ("last-underscore", "GET", "/v1/projects?last=1_0", not_an_integer("1_0"), {}),
    ("last-padded-with-space", "GET", "/v1/projects?last=%205", not_an_integer(" 5"), {}),
    ("last-arabic-indic-digit", "GET", "/v1/projects?last=%D9%A3", not_an_integer("\u0663"), {}),
    ("duplicate-last", "GET", "/v1/projects?last=1&last=2", "last: given more than once", {}),
    ("duplicate-last-same-value", "GET", "/v1/projects?last=1&last=1", "last: given more than once", {}),
    ("duplicate-name", "GET", "/v1/projects?name=a&name=b", "name: given more than once", {}),
    ("unknown-param", "GET", "/v1/projects?foo=1", "foo: unknown parameter", {}),
    ("param-name-case", "GET", "/v1/projects?LAST=1", "LAST: unknown parameter", {}),
    ("name-filter-empty", "GET", "/v1/projects?name=", "name: '' should be non-empty", {}),
    ("unknown-param-on-get", "GET", f"{SHARED_PATH}?foo=1", "foo: unknown parameter", {}),
    ("unknown-param-on-create", "POST", "/v1/projects?foo=1", "foo: unknown parameter", {"json": NOT_CREATED}),
    ("list-param-on-create", "POST", "/v1/projects?last=1", "last: unknown parameter", {"json": NOT_CREATED}),
    ("unknown-param-on-update", "PATCH", f"{SHARED_PATH}?foo=1", "foo: unknown parameter", {"json": {"name": "no"}}),
    ("unknown-param-on-delete", "DELETE", f"{SHARED_PATH}?foo=1", "foo: unknown parameter", {}),
]  # fmt: skip
QUERY_CASES = [Case(key, method, path, 400, BAD_QUERY, detail, **extra) for key, method, path, detail, extra in QUERIES]

METHOD_CASES = [
    Case(
        f"{method.lower()}-{where}",
        method,
        path,
        405,
        "method not allowed",
        allow=allow,
        json=NOT_CREATED if method in ("PUT", "POST") else None,
    )
    for where, path, allow in (
        ("list", "/v1/projects", "GET, HEAD, POST"),
        ("project", SHARED_PATH, "GET, HEAD, PATCH, DELETE"),
    )
    for method in ("PUT", "FOO", "OPTIONS", "TRACE", *(("POST",) if where == "project" else ()))
]

CASES = [*BODY_CASES, *NAME_CASES, *ID_CASES, *QUERY_CASES, *METHOD_CASES]


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in CASES])
def test_hostile_request(server: httpx.Client, case: Case) -> None:
    """The documented error, a server that keeps serving, and an unchanged database.

    Every request is made before anything is asserted: the follow-up requests also wait out
    the server thread's own error logging, which on CPython 3.11 must not overlap pytest's
    formatting of a failure (both call ast.parse; concurrent calls can fail with
    "SystemError: AST constructor recursion depth mismatch", CPython gh-106905)."""
    before = snapshot(server)
    response = case.send(server)
    next_status = server.get("/v1/projects", headers=auth()).status_code
    after = snapshot(server)
    assert_error(response, case.status, case.error, case.detail)
    if case.allow is not None:
        assert response.headers["allow"] == case.allow
    assert next_status == 200, "the server stopped answering"
    assert after == before


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


# -- valid names with hostile characters: accepted and returned verbatim --------------------------------


ACCEPTED_NAMES = {
    "emoji": "\U0001f680 launch \U0001f469\u200d\U0001f4bb",
    "64-emoji": "\U0001f680" * 64,
    "64-chars": "x" * 64,
    "arabic-rtl": "\u0645\u0634\u0631\u0648\u0639 \u062a\u062c\u0631\u064a\u0628\u064a",
    "hebrew-rtl": "\u05e4\u05e8\u05d5\u05d9\u05e7\u05d8",
    "mixed-bidi": "abc \u05e9\u05dc\u05d5\u05dd 123",
    "rtl-override": "\u202etxt.exe",
    "combining-accent": "e\u0301",
    "sql-drop": "'; DROP TABLE projects;--",
    "sql-or": "' OR '1'='1",
    "percent": "%",
    "underscore": "_",
    "percent-underscore": "100%_done",
    "like-escape": "a\\%b",
    "star": "*",
    "quotes": "\"quoted\" and 'single'",
    "url-metacharacters": "a+b&c=d#e?f/g",
    "percent-encoded-text": "%25",
    "null-word": "NULL",
}
DECOYS = ("a", "ab", "x", "%a", "A_", "100 done")  # what a LIKE wildcard would wrongly match


@pytest.fixture(scope="module")
def carol(server: httpx.Client) -> str:
    """carol's listing holds decoys that `%` or `_` would match if the filter used LIKE."""
    for name in DECOYS:
        response = server.post("/v1/projects", json={"name": name}, headers=auth("carol"))
        assert response.status_code == 201, response.text
    return "carol"


@pytest.mark.parametrize("name", list(ACCEPTED_NAMES.values()), ids=list(ACCEPTED_NAMES))
def test_unusual_valid_name_round_trips(server: httpx.Client, carol: str, name: str) -> None:
    """201, then the exact name back from get, and the `name` filter matches it verbatim only."""
    before = server.get("/v1/projects", params={"last": 100}, headers=auth(carol)).json()
    created = server.post("/v1/projects", json={"name": name}, headers=auth(carol))
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]

    got = server.get(f"/v1/projects/{project_id}", headers=auth(carol))
    assert got.status_code == 200
    assert got.json()["name"] == name

    everything = server.get("/v1/projects", params={"last": 100}, headers=auth(carol)).json()
    assert everything[0] == got.json()
    assert everything[1:] == before  # the new project and nothing else changed
    filtered = server.get("/v1/projects", params={"name": name}, headers=auth(carol))
    assert filtered.status_code == 200
    assert filtered.json() == [p for p in everything if p["name"] == name]
    assert project_id in {p["id"] for p in filtered.json()}


# -- page size and cursors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    """bob's and dave's projects, created interleaved so a cursor's position means something."""

    bob_ids: list[str]
    dave_early: str
    dave_late: str
    cursors: list[str]  # every cursor of bob's listing walked one project at a time


def _create(server: httpx.Client, user: str, name: str) -> str:
    response = server.post("/v1/projects", json={"name": name}, headers=auth(user))
    assert response.status_code == 201, response.text
    project_id: str = response.json()["id"]
    return project_id


def _cursor(response: httpx.Response) -> str:
    [value] = parse_qs(urlsplit(response.links["next"]["url"]).query)["before"]
    return value


@pytest.fixture(scope="module")
def paging(server: httpx.Client) -> Paging:
    dave_early = _create(server, "dave", "dave early")
    bob_ids = [_create(server, "bob", f"bob {i:02d}") for i in range(25)]
    dave_late = _create(server, "dave", "dave late")
    cursors = []
    url: str | None = "/v1/projects?last=1"
    while url is not None:
        response = server.get(url, headers=auth("bob"))
        assert response.status_code == 200
        if "next" not in response.links:
            break
        cursors.append(_cursor(response))
        url = response.links["next"]["url"]
    return Paging(bob_ids, dave_early, dave_late, cursors)


def test_last_zero_means_the_default_page_of_20(server: httpx.Client, paging: Paging) -> None:
    """0 is valid and means 20, exactly the page `last=20` gives, with a next link."""
    zero = server.get("/v1/projects?last=0", headers=auth("bob"))
    twenty = server.get("/v1/projects?last=20", headers=auth("bob"))
    assert zero.status_code == twenty.status_code == 200
    assert len(zero.json()) == 20
    assert zero.json() == twenty.json()
    assert _cursor(zero) == _cursor(twenty)


def _b64decode(cursor: str) -> bytes:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _standard_alphabet(cursors: list[str]) -> str:
    """A valid cursor re-encoded with '+' and '/' (needs one that has '-' or '_' at all)."""
    cursor = next((c for c in cursors if "-" in c or "_" in c), None)
    assert cursor is not None, "no cursor with '-' or '_' among bob's: cannot build this case"
    return cursor.replace("-", "+").replace("_", "/")


def _flip(cursor: str, index: int) -> str:
    char = cursor[index]
    return cursor[:index] + ("B" if char == "A" else "A") + cursor[index + 1 :]


BROKEN_CURSORS: dict[str, Callable[[list[str]], str]] = {
    "forged": lambda cs: _b64encode(b"1:1" + b"\x00" * 12),
    "garbage": lambda cs: "not a cursor!",
    "empty": lambda cs: "",
    "padding-added": lambda cs: cs[0] + "=" * (-len(cs[0]) % 4 or 4),
    "standard-alphabet": _standard_alphabet,
    "truncated-one-char": lambda cs: cs[0][:-1],
    "truncated-half": lambda cs: cs[0][: len(cs[0]) // 2],
    "extended": lambda cs: cs[0] + "A",
    "one-char-flipped": lambda cs: _flip(cs[0], len(cs[0]) // 2),
    "payload-of-one-mac-of-another": lambda cs: _b64encode(_b64decode(cs[0])[:-12] + _b64decode(cs[5])[-12:]),
    "seq-rewritten-mac-kept": lambda cs: _b64encode(b"1:999999" + _b64decode(cs[0])[-12:]),
    "too-long": lambda cs: "A" * 600,
    "non-ascii": lambda cs: cs[0][:-1] + "\u00e9",
}


@pytest.mark.parametrize("kind", list(BROKEN_CURSORS))
def test_broken_cursor_is_rejected(server: httpx.Client, paging: Paging, kind: str) -> None:
    """Forged, truncated or re-encoded cursors are 400 decode cursor, never a silent page."""
    cursor = BROKEN_CURSORS[kind](paging.cursors)
    assert cursor not in paging.cursors
    before = snapshot(server, "bob")
    response = server.get("/v1/projects", params={"before": cursor}, headers=auth("bob"))
    assert_error(response, 400, "decode cursor")
    assert_still_serving(server)
    assert snapshot(server, "bob") == before


def test_valid_cursor_works(server: httpx.Client, paging: Paging) -> None:
    """The control for the cases above: the unmodified cursor pages on."""
    response = server.get("/v1/projects", params={"last": 1, "before": paging.cursors[0]}, headers=auth("bob"))
    assert response.status_code == 200
    assert [p["id"] for p in response.json()] == [paging.bob_ids[-2]]


def test_another_users_cursor_only_ever_shows_your_own_projects(server: httpx.Client, paging: Paging) -> None:
    """bob's cursor used by dave positions dave's own listing: dave's older projects, none of
    bob's, and not dave's project created after that position."""
    dave_all = server.get("/v1/projects?last=100", headers=auth("dave")).json()
    dave_ids = [p["id"] for p in dave_all]
    for cursor in paging.cursors:
        response = server.get("/v1/projects", params={"last": 100, "before": cursor}, headers=auth("dave"))
        assert response.status_code == 200, response.text
        ids = [p["id"] for p in response.json()]
        assert not set(ids) & set(paging.bob_ids)
        assert set(ids) <= set(dave_ids)
        assert all(p["membership"]["user"]["email"] == "dave@example.com" for p in response.json())
        assert paging.dave_late not in ids
    # A cursor in the middle of bob's 25: dave sees exactly his projects from before them.
    middle = server.get(
        "/v1/projects",
        params={"last": 100, "before": paging.cursors[10]},
        headers=auth("dave"),
    ).json()
    assert [p["id"] for p in middle] == dave_ids[dave_ids.index(paging.dave_early) :]


# -- requests the HTTP parser rejects -------------------------------------------------------------
# They never reach the app: the mock's uvicorn protocols (calyptia_mock/parser_errors.py) answer
# them with the service's JSON error body, then close the connection. The only limit on a
# request head is h11's, on an *incomplete* head (16 KiB), kept on httptools too.

TOO_LARGE_HEAD = {"error": "request header fields too large", "detail": "the request head is too large"}
UNPARSABLE = {"error": "invalid request", "detail": "the HTTP request could not be parsed"}


def exchange(server: httpx.Client, payload: bytes, piece: int | None = None) -> bytes:
    """Send raw bytes (in `piece`-sized writes, if given) and read until the server closes."""
    host, port = server.base_url.host, server.base_url.port
    assert port is not None
    received = b""
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for start in range(0, len(payload), piece or len(payload)):
                sock.sendall(payload[start : start + (piece or len(payload))])
                if piece:
                    time.sleep(0.002)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server gave up on us mid-request: that is an answer too
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    return received


def assert_raw_json_error(received: bytes, status_line: bytes, body: dict[str, str]) -> None:
    head, _, content = received.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == status_line, received[:300]
    assert b"content-type: application/json" in lines
    assert b"connection: close" in lines
    assert json.loads(content) == body


def _outcome(server: httpx.Client, header_bytes: int) -> str:
    """Send one GET with an X-Big header of `header_bytes`; describe what came back."""
    headers = {**auth(), "X-Big": "a" * header_bytes}
    try:
        response = server.get("/v1/projects", headers=headers)
    except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
        return "connection closed"
    if response.status_code == 200:
        assert isinstance(response.json(), list)
        return "served"
    assert_error(response, 431, TOO_LARGE_HEAD["error"], TOO_LARGE_HEAD["detail"])
    return "431"


@pytest.mark.parametrize("size", [100 * 1024, 1024 * 1024], ids=["100KB", "1MB"])
def test_oversized_header_in_one_write(server: httpx.Client, size: int) -> None:
    """On loopback a 100 KB head usually arrives whole in one read, and is simply served (200);
    the 1 MB head cannot, so the parser gives up on the incomplete head and the mock answers
    431 JSON and closes, which the client, still writing, may see as a reset. Either way: no
    5xx, never text/plain, and the server keeps serving."""
    assert _outcome(server, size) in {"served", "431", "connection closed"}
    assert_still_serving(server)


def test_oversized_header_trickled(server: httpx.Client) -> None:
    """The same 100 KB header sent in 4 KB pieces: an incomplete head over 16 KiB, which the
    mock answers with 431 and the JSON error body (uvicorn's own answer would be 400
    text/plain), and closes the connection."""
    head = b"GET /v1/projects HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer alice-token\r\nX-Big: "
    received = exchange(server, head + b"a" * (100 * 1024) + b"\r\n\r\n", piece=4096)
    assert_raw_json_error(received, b"HTTP/1.1 431 Request Header Fields Too Large", TOO_LARGE_HEAD)
    assert_still_serving(server)


@pytest.mark.parametrize(
    "payload",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /v1/projects HTTP/1.1\r\nHost: mock\r\nBad Header: y\r\n\r\n",
        b"POST /v1/projects HTTP/1.1\r\nHost: mock\r\nContent-Length: abc\r\n\r\n",
        b"GET /v1/projects HTTP/1.1\r\nHost: mock\r\nX: a\x00b\r\n\r\n",
    ],
    ids=["request-line", "space-in-header-name", "content-length-not-a-number", "nul-in-header-value"],
)
def test_unparsable_request_gets_the_json_error(server: httpx.Client, payload: bytes) -> None:
    assert_raw_json_error(exchange(server, payload), b"HTTP/1.1 400 Bad Request", UNPARSABLE)
    assert_still_serving(server)


def test_an_upgrade_to_another_protocol_is_answered_over_http_1_1(server: httpx.Client) -> None:
    """`curl --http2` on http:// asks to upgrade to h2c; like uvicorn, the mock ignores that and
    answers. (On uvicorn 0.25 to 0.30.5, which mock/pyproject.toml allows, the mock's protocol
    called a method uvicorn only has from 0.30.6 on, and the request got no answer at all.)"""
    head = (
        b"GET /v1/projects HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer alice-token\r\n"
        b"Connection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\n"
        b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
    )
    received = exchange(server, head)
    assert received.startswith(b"HTTP/1.1 200 OK\r\n"), received[:300]
    assert isinstance(json.loads(received.partition(b"\r\n\r\n")[2]), list)
    assert_still_serving(server)
