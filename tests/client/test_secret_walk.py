"""No `repr()`, `str()` or f-string of anything the package returns, raises or builds shows a
secret, through every call style of every operation.

The walk finds the objects itself. A stand-in server on loopback answers each operation of the
spec (matched by method and path template) as a scenario asks: the documented success with
every `format: password` field holding SECRET (a created project's token), each error status
with the client's own credentials echoed back in the body, HTML, a wrong type, an undocumented
status, a body over the size limit, a repeated cursor, a stall. Every public function of every
operation module, and every method of every resource with its raw view, sync and async, is
called in each scenario; every value returned and every error raised is walked, through the
attributes of the package's own objects. Last, every public type of the package must have been
met by the walk, or be one of the few that carry nothing (each with its reason), so a new public
type cannot escape it.
"""

from __future__ import annotations

import asyncio
import enum
import importlib
import inspect
import io
import itertools
import json
import pkgutil
import re
import types
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any, cast
from uuid import UUID

import attrs
import calyptia_cloud_client
import pytest
from calyptia_cloud_client import AsyncCalyptiaCloud, CalyptiaCloud, errors
from calyptia_cloud_client.client import AuthenticatedClient, Client, request_options
from calyptia_cloud_client.types import File

from tests.support.calls import aconsume, arguments, consume, resource_methods
from tests.support.loopback import Answer, Loopback, Reply, Request, closed_port, loopback_server, stall
from tests.support.spec_examples import load_spec, operations, resolve
from tests.support.spec_values import SECRET, instance_of

USER_TOKEN = "user-token-that-must-not-show-4b1d"
PROJECT_TOKEN = "project-token-that-must-not-show-77aa"
SECRETS = (SECRET, USER_TOKEN, PROJECT_TOKEN)
SIZE_LIMIT = 8192
# How many attributes deep the walk follows other libraries' objects (an httpx response to its
# request to that request's extensions; an httpx client to its transport).
FOREIGN_HOPS = 3

# The styles that hand back any response's body parsed as it came, error bodies included: a
# model cannot know which of its plain text a server filled with the request's credentials,
# so the echo scenario runs the styles that raise, whose messages drop them.
PARSED_AS_SENT = {"sync", "sync_detailed", "asyncio", "asyncio_detailed"}

# Each error status, in turn, request by request: every status meets several call styles and
# operations, without a whole pass of every style per status.
ERROR_STATUSES = (400, 401, 403, 404, 409, 418, 429, 500)

SCENARIOS = [
    "ok",
    "statuses",
    "520-html",
    "echo",
    "wrong-type",
    "not-json",
    "undocumented",
    "too-large",
    "repeated-cursor",
]


# -- the stand-in server ------------------------------------------------------------------


def _template(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


OPERATIONS = [(_template(path), method, operation) for path, method, operation in operations()]


def _success(operation: dict[str, Any]) -> tuple[int, Any]:
    """The operation's documented success status and a body for it, secrets holding SECRET."""
    for status, response in sorted(operation.get("responses", {}).items()):
        if str(status).startswith("2"):
            content = resolve(response).get("content") or {}
            media = content.get("application/json")
            body = instance_of(media["schema"], load_spec(), []) if media else None
            return int(status), body
    raise AssertionError(f"{operation.get('operationId')}: no success response")


def _wrong_types(value: Any) -> Any:
    """Every string leaf an integer: a body the client must refuse by path."""
    if isinstance(value, dict):
        return {key: _wrong_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_wrong_types(item) for item in value]
    return 98765 if isinstance(value, str) else value


_turns = itertools.count()


def answer(request: Request) -> Answer:
    """What the stand-in answers: the scenario named by the query's `scenario`, for the
    operation the method and path match, echoing the credentials the request carried."""
    scenario = re.search(r"[?&]scenario=([\w-]+)", request.target)
    name = scenario.group(1) if scenario else "ok"
    operation = next(
        (op for pattern, method, op in OPERATIONS if method.upper() == request.method and pattern.match(request.path)),
        None,
    )
    if operation is None:
        return Reply.json({"error": f"no operation at {request.path}"}, 404)
    status, body = _success(operation)
    echoed = f"{request.headers.get('authorization', '')} {request.headers.get('x-project-token', '')}"
    if name == "ok" or (body is None and name not in ("statuses", "echo")):
        # A success with no content has no body to get wrong: it is answered as documented.
        return Reply(status, json.dumps(body).encode()) if body is not None else Reply(status, b"")
    if name == "statuses":
        status = ERROR_STATUSES[next(_turns) % len(ERROR_STATUSES)]
        return Reply.json({"error": "refused", "detail": "see the documentation", "token": SECRET}, status)
    if name == "echo":  # a server that quotes the credentials back in its error's text
        return Reply.json({"error": f"refused {echoed}", "detail": echoed}, 401)
    if name == "520-html":
        return Reply(520, f"<html><body>proxy saw {echoed}</body></html>".encode(), {"Content-Type": "text/html"})
    if name == "wrong-type":
        return Reply.json(_wrong_types(body), status)
    if name == "not-json":
        return Reply(status, f"<html>{SECRET}</html>".encode(), {"Content-Type": "text/html"})
    if name == "undocumented":
        return Reply.json(body, 203)
    if name == "too-large":
        return Reply.json({"padding": "x" * SIZE_LIMIT, "token": SECRET}, status)
    if name == "repeated-cursor":
        link = f'<{request.path}?before=again&scenario=repeated-cursor>; rel="next"'
        return Reply(status, json.dumps(body).encode(), {"Content-Type": "application/json", "Link": link})
    if name == "stall":
        return stall
    raise AssertionError(f"unknown scenario {name}")


# -- the walk -------------------------------------------------------------------------------


def _ours(value: object) -> bool:
    return _ours_class(type(value))


class Walk:
    """Every object reached from what the package handed out, each checked as it is met."""

    def __init__(self) -> None:
        self.met: set[type] = set()
        self.checked = 0
        # By id, each object kept alive: a freed object's id can come back as a new object's.
        self._seen: dict[int, object] = {}

    def visit(self, value: object, where: str, *, shown: bool = True, foreign_hops: int = 0) -> None:
        """Check `value` (when `shown`: a user can print it) and what it holds. The package's
        own objects are always checked; what they keep in private attributes (a client's
        headers, which must hold the token) and the plain values of their public ones (a
        string field, a dict of extra fields: the data, read on purpose) are searched for more
        of them, not printed. Other libraries' objects (an httpx response, a client) are
        searched a few attributes deep, so that what the package put in them is met."""
        if isinstance(value, (str, bytes, int, float, bool, type(None), UUID, enum.Enum)) or id(value) in self._seen:
            if isinstance(value, enum.Enum):
                self.met.add(type(value))
            return
        self._seen[id(value)] = value
        container = isinstance(value, (dict, list, tuple, set, frozenset))
        if _ours(value):
            self.met.add(type(value))
            shown, foreign_hops = True, 0
        elif not container and not isinstance(value, BaseException):
            foreign_hops += 1
            if foreign_hops > FOREIGN_HOPS:
                return
            shown = shown and foreign_hops == 1  # its repr is checked where it is reached, not its insides
        if shown:
            self._check(value, where)
        for name, item in self._parts(value):
            # A model's own data (`additional_properties`, a list field) is read on purpose, as a
            # string field is: what it holds is checked as it shows inside the model's repr.
            data = not container and not _ours(item) and isinstance(item, (dict, list, tuple, set, frozenset))
            visible = shown and (_ours(value) or container) and not name.startswith("_") and not data
            self.visit(item, f"{where}.{name}", shown=visible, foreign_hops=foreign_hops)

    def _check(self, value: object, where: str) -> None:
        self.checked += 1
        for text in (repr(value), str(value), f"{value}", f"{value!r}"):
            for secret in SECRETS:
                assert secret not in text, f"{where} ({type(value).__name__}) shows a secret: {text[:300]}"

    @staticmethod
    def _parts(value: object) -> Iterator[tuple[str, object]]:
        if isinstance(value, dict):
            yield from ((f"[{key!r}]", item) for key, item in value.items())
        elif isinstance(value, (list, tuple, set, frozenset)):
            yield from ((f"[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, BaseException):
            yield from (("__cause__", value.__cause__), ("__context__", value.__context__))
            yield from vars(value).items()
        else:
            if attrs.has(type(value)):
                yield from ((field.name, getattr(value, field.name)) for field in attrs.fields(cast(Any, type(value))))
            yield from getattr(value, "__dict__", {}).items()


# -- the calls ------------------------------------------------------------------------------


def operation_modules() -> list[types.ModuleType]:
    """Every operation's module of the low-level layer: api.<tag>.<operation>."""
    api = importlib.import_module(f"{calyptia_cloud_client.__name__}.api")
    found = []
    for tag in pkgutil.iter_modules(api.__path__):
        package = importlib.import_module(f"{api.__name__}.{tag.name}")
        found += [
            importlib.import_module(f"{package.__name__}.{m.name}") for m in pkgutil.iter_modules(package.__path__)
        ]
    return found


def public_functions(module: types.ModuleType) -> list[Callable[..., Any]]:
    return [
        member
        for name, member in vars(module).items()
        if inspect.isfunction(member) and member.__module__ == module.__name__ and not name.startswith("_")
    ]


def _asynchronous(function: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


def _built(walk: Walk, function: Callable[..., Any], given: dict[str, Any], where: str) -> dict[str, Any]:
    """The call's arguments (the project token too), each walked: the package built them."""
    built = arguments(function, {**given, "x_project_token": PROJECT_TOKEN})
    for name, argument in built.items():
        walk.visit(argument, f"{where}.{function.__name__}({name}=...)")
    return built


def walk_call(walk: Walk, function: Callable[..., Any], given: dict[str, Any], where: str) -> None:
    """Call a sync style and walk what it returned or raised."""
    try:
        outcome = consume(function(**_built(walk, function, given, where)))
    except errors.APIError as error:
        outcome = error
    walk.visit(outcome, f"{where}.{function.__name__}")


async def awalk_call(walk: Walk, function: Callable[..., Any], given: dict[str, Any], where: str) -> None:
    """Call an async style and walk what it returned or raised."""
    try:
        outcome = await aconsume(function(**_built(walk, function, given, where)))
    except errors.APIError as error:
        outcome = error
    walk.visit(outcome, f"{where}.{function.__name__}")


def call_every_style(walk: Walk, server: Loopback, scenario: str) -> None:
    """Every call style of every operation in one scenario; results and errors walked."""
    options = request_options(extra_query={"scenario": scenario}, timeout=2.0)
    for raising in (False, True):
        # One low-level client for the sync styles and one per event loop for the async ones
        # (an async httpx client belongs to the loop it first ran in).
        def low_level(raising: bool = raising) -> AuthenticatedClient:
            return AuthenticatedClient(
                base_url=server.url,
                token=USER_TOKEN,
                max_retries=0,
                max_response_size=SIZE_LIMIT,
                raise_on_unexpected_status=raising,
            )

        calls = [
            (module, function)
            for module in operation_modules()
            for function in public_functions(module)
            if not (scenario == "echo" and function.__name__ in PARSED_AS_SENT)
            # raise_on_unexpected_status changes only what the styles that parse any body do
            and not (raising and function.__name__ not in PARSED_AS_SENT)
        ]
        sync_client = low_level()
        for module, function in calls:
            if not _asynchronous(function):
                walk_call(
                    walk,
                    function,
                    {"client": sync_client, "request_options": options},
                    f"{module.__name__} [{scenario}]",
                )
        walk.visit(sync_client, "AuthenticatedClient")

        async def async_calls(calls: list[tuple[types.ModuleType, Callable[..., Any]]] = calls) -> None:
            async_client = low_level()
            for module, function in calls:
                if _asynchronous(function):
                    given = {"client": async_client, "request_options": options}
                    await awalk_call(walk, function, given, f"{module.__name__} [{scenario}]")
            walk.visit(async_client, "AuthenticatedClient (async)")

        asyncio.run(async_calls())
    sync = CalyptiaCloud(
        token=USER_TOKEN, project_token=PROJECT_TOKEN, base_url=server.url, max_retries=0, max_response_size=SIZE_LIMIT
    )
    for where, method in resource_methods(sync):
        try:
            outcome = consume(method(**arguments(method, {"extra_query": {"scenario": scenario}})))
        except errors.APIError as error:
            outcome = error
        walk.visit(outcome, f"{where} [{scenario}]")
    walk.visit(sync, "CalyptiaCloud")  # after the calls: its raw views exist once used

    async def async_styles() -> None:
        async with AsyncCalyptiaCloud(
            token=USER_TOKEN,
            project_token=PROJECT_TOKEN,
            base_url=server.url,
            max_retries=0,
            max_response_size=SIZE_LIMIT,
        ) as client:
            for where, method in resource_methods(client):
                try:
                    outcome = await aconsume(method(**arguments(method, {"extra_query": {"scenario": scenario}})))
                except errors.APIError as error:
                    outcome = error
                walk.visit(outcome, f"async {where} [{scenario}]")
            walk.visit(client, "AsyncCalyptiaCloud")

    asyncio.run(async_styles())


def public_types() -> set[type]:
    """Every class the package exposes by a public name in a public module."""
    package = calyptia_cloud_client
    found: set[type] = set()
    modules = [package] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    for module in modules:
        for name, member in vars(module).items():
            if inspect.isclass(member) and not name.startswith("_") and _ours_class(member):
                found.add(member)
    return found


def _ours_class(cls: type) -> bool:
    return cls.__module__.startswith(calyptia_cloud_client.__name__)


@pytest.fixture(scope="module")
def walked() -> Walk:
    walk = Walk()
    with ExitStack() as stack:
        server = stack.enter_context(loopback_server(answer))
        for scenario in SCENARIOS:
            call_every_style(walk, server, scenario)
        # A server that never answers, and one that is not there.
        for url, scenario in ((server.url, "stall"), (f"http://127.0.0.1:{closed_port()}", "ok")):
            client = CalyptiaCloud(
                token=USER_TOKEN, project_token=PROJECT_TOKEN, base_url=url, max_retries=0, timeout=0.3
            )
            with pytest.raises(errors.APIConnectionError) as caught:
                list(client.projects.list(extra_query={"scenario": scenario}))
            walk.visit(caught.value, f"{scenario} at {url}")
    # Clients built with secrets everywhere a user may put one, and the mistakes that refuse them.
    walk.visit(
        Client(base_url="http://127.0.0.1:9", cookies={"session": SECRET}, headers={"X-Api-Key": SECRET}),
        "Client with a secret cookie and header",
    )
    walk.visit(
        CalyptiaCloud(token=USER_TOKEN, base_url="http://127.0.0.1:9", default_headers={"X-Api-Key": SECRET}),
        "CalyptiaCloud with a secret default header",
    )
    walk.visit(CalyptiaCloud(token=USER_TOKEN, base_url=f"https://user:{SECRET}@127.0.0.1:9"), "a password in the URL")
    for mistake in (
        lambda: CalyptiaCloud(token=USER_TOKEN, default_headers={"Authorization": SECRET}),
        lambda: CalyptiaCloud(token=USER_TOKEN, default_headers={"X-Api-Key": SECRET.encode()}),  # type: ignore[dict-item]
        lambda: request_options(extra_query={"api_key": [SECRET]}),  # type: ignore[dict-item]
        lambda: CalyptiaCloud(token=USER_TOKEN, base_url=f"ftp://user:{SECRET}@127.0.0.1:9"),
        lambda: CalyptiaCloud(token=USER_TOKEN, base_url=f"https://user:{SECRET}@127.0.0.1:9/v1"),
    ):
        with pytest.raises(errors.ConfigurationError) as refused:
            mistake()
        walk.visit(refused.value, "a ConfigurationError")
    walk.visit(File(payload=io.BytesIO(SECRET.encode()), file_name="secret.txt"), "a File body")
    walk.visit(errors.UnexpectedStatus(418, json.dumps({"token": SECRET}).encode()), "UnexpectedStatus")
    return walk


def shows_nothing(cls: type) -> bool:
    """A type whose `repr()` and `str()` are object's own (`<module.Type object at 0x...>`)
    cannot show a value, whatever it holds."""
    return all(getattr(cls, name) is getattr(object, name) for name in ("__repr__", "__str__"))


@pytest.mark.operations
def test_the_walk_met_every_public_type(walked: Walk) -> None:
    """A public type the walk never met would go unchecked: a scenario or call style must
    produce it, unless it shows nothing by construction."""
    unmet = {
        cls.__name__
        for cls in public_types()
        if not any(issubclass(met, cls) for met in walked.met) and not shows_nothing(cls)
    }
    assert not unmet, f"public types no walk met (add a scenario or call style that makes one): {sorted(unmet)}"


@pytest.mark.operations
def test_no_object_shows_a_secret(walked: Walk) -> None:
    """The checks ran as the walk went (a failure names the object); here, that they ran."""
    assert walked.checked > 500
    assert {errors.AuthenticationError, errors.UnexpectedStatus, errors.PaginationError} <= walked.met


@pytest.mark.operations
def test_the_stand_in_carries_the_secrets() -> None:
    """The walk proves something only if the answers hold the secrets it looks for."""
    assert any(SECRET in json.dumps(_success(op)[1]) for _, _, op in OPERATIONS), "no answer holds a secret field"
    request = Request("GET", "/v1/projects?scenario=echo", {"authorization": f"Bearer {USER_TOKEN}"})
    reply = answer(request)
    assert isinstance(reply, Reply)
    assert USER_TOKEN in reply.body.decode()
