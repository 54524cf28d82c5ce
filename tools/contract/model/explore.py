"""The requests the model chooses: every boundary the spec's descriptions define.

Schemathesis draws requests from the schemas; few of them land on the edges that the words
of the spec define, and none after the write that makes an edge matter. From the account
as the model knows it, this sends:

- pages that are empty, one short of full, exactly full and one over, for the whole listing
  and for a name filter, each walked to its end along its `Link` headers;
- names that almost match a project's (another case, one character more or less, `%` and
  `_`, surrounding space);
- every credential (the user token, none, a wrong one, the project tokens of the run's own
  projects, a deleted project's) against every operation;
- updates with each field absent, present, null or empty, and creates at each limit of a
  name, each followed by a read by ID and through the listing;
- a read after every kind of write, and the writes again after a delete.

Each answer is checked by the model like any other. A read-only run sends only GET (its promise: nothing but GET).
Writes go only to projects the run created, through the caller's guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tools.contract.model.client import ModelClient, RefusedError
from tools.contract.model.exchange import Exchange
from tools.contract.model.operations import project_paths

__all__ = ["Exploration", "explore"]

NOWHERE = "00000000-0000-4000-8000-000000000000"  # a well-formed ID of no project
MAX_NAME = 64


@dataclass
class Exploration:
    """What the exploration sent."""

    requests: int = 0
    steps: list[str] = field(default_factory=list)
    refused: int = 0  # requests the guard refused (not sent)
    stopped: str = ""  # why the exploration ended early, if it did


def explore(client: ModelClient, *, writes: bool, name_prefix: str = "contract-model") -> Exploration:
    """Send the boundary requests; the model checks each answer as it comes."""
    collection, one = project_paths(client.checker.spec)
    done = Exploration()
    account = client.checker.account

    def send(step: str, method: str, path: str, **kwargs: Any) -> Exchange | None:
        """One step's request; None when the guard refused it (a live run: not sent), or when
        it is a HEAD in a read-only run (which sends nothing but GET)."""
        if step not in done.steps:
            done.steps.append(step)
        if method == "HEAD" and not writes:
            return None
        try:
            exchange = client.send(method, path, **kwargs)
        except RefusedError:
            done.refused += 1
            return None
        done.requests += 1
        return exchange

    def at(project_id: str) -> str:
        return one.replace("{id}", project_id)

    def walk(step: str, query: dict[str, Any]) -> None:
        if step not in done.steps:
            done.steps.append(step)
        for _ in client.walk(collection, query):
            done.requests += 1

    def read_back(step: str, project_id: str) -> None:
        send(step, "GET", at(project_id))
        name = account.projects[project_id].known.get("name") if project_id in account.projects else None
        if isinstance(name, str):
            send(step, "GET", collection, params={"name": name, "last": account.page_maximum})

    # -- writes first, so that the reads below meet the projects they made -----------------
    created: list[str] = []
    if writes:
        for step, body in _creates(name_prefix):
            exchange = send(step, "POST", collection, json=body)
            if exchange is not None and exchange.status == 201 and isinstance(exchange.response_json(), dict):
                project_id = str(exchange.response_json()["id"])
                created.append(project_id)
                read_back(f"{step}, then read back", project_id)
        if created:
            _updates(send, read_back, at, created[0])
            _credentials_on_writes(send, at, collection, client, created)

        _fill(send, collection, client, name_prefix)
        _request_limits(send, collection, at, client, created[0] if created else None)
        _walk_across_a_create(client, collection, name_prefix, done)

    # -- the listing -----------------------------------------------------------------------
    count = len(account.visible(client.me))
    sizes = {account.page_default, account.page_maximum} | {count - 1, count, count + 1}
    for size in sorted(size for size in sizes if 1 <= size <= account.page_maximum):
        walk(f"walk the listing in pages of {size} ({count} projects)", {"last": size})
    walk("the default page size (last=0)", {"last": 0})
    send("HEAD of a page", "HEAD", collection, params={"last": 1})
    names = [p.known.get("name") for p in account.visible(client.me)]
    groups = sorted({n for n in names if isinstance(n, str)}, key=lambda n: (-names.count(n), n))
    for target in dict.fromkeys([groups[0], *(n for n in groups if 1 < names.count(n) < 5)][:2] if groups else []):
        matching = names.count(target)
        for size in sorted({s for s in (matching - 1, matching, matching + 1) if 1 <= s <= account.page_maximum}):
            walk(
                f"walk a name filter in pages of one short, exactly and one over its {matching} match(es)",
                {"name": target, "last": size},
            )
    for almost in _almost(groups[-1] if groups else "default"):
        send("names that almost match", "GET", collection, params={"name": almost})
    send("a name nothing has (an empty page)", "GET", collection, params={"name": f"{name_prefix}-no-such-name"})
    cursor = next(iter(account.cursors), None)
    if cursor is not None:
        send("a cursor changed by one character", "GET", collection, params={"before": _flip(cursor)})
        send("a cursor cut short", "GET", collection, params={"before": cursor[:-2]})
        send("a cursor with padding", "GET", collection, params={"before": cursor + "="})
        send("a cursor with characters outside its alphabet", "GET", collection, params={"before": "...." + cursor})
        for spelling in _other_spellings(account.cursors):
            send("a cursor spelled otherwise (its bytes, not its text)", "GET", collection, params={"before": spelling})
    send("a cursor the service never issued", "GET", collection, params={"before": "bm90LWEtY3Vyc29y"})

    # -- one project, every credential -----------------------------------------------------
    for project in account.visible(client.me)[:3]:
        send("read a project by ID", "GET", at(project.id))
        send("HEAD of a project", "HEAD", at(project.id))
        send("read a project by its ID in capitals", "GET", at(project.id.upper()))
    send("read a project that does not exist", "GET", at(NOWHERE))
    for user in account.other_users(client.me):
        _as_another_user(send, at, collection, client, user, created, writes=writes)
    if writes and created:
        _deletes(send, read_back, at, collection, created)
    _credentials_on_reads(send, at, collection, client)
    _head_as_get(client, collection, at, writes=writes)
    return done


def _as_another_user(
    send: Send,
    at: Callable[[str], str],
    collection: str,
    client: ModelClient,
    user: str,
    created: list[str],
    *,
    writes: bool,
) -> None:
    """Another user of the account under test (the mock's fixture users): their own listing,
    the projects they share with the run's user, as their role allows, and none of the
    projects the run's user created."""
    account = client.checker.account
    credential = client.reveal(user)
    if credential is None:
        return
    as_user: dict[str, Any] = {"as_user": False, "headers": {"Authorization": f"Bearer {credential}"}}
    send("another user's listing", "GET", collection, params={"last": account.page_maximum}, **as_user)
    shared = [p.id for p in account.visible(client.me) if p.visible_to(user)]
    for project_id in shared:
        send("another user reads a shared project", "GET", at(project_id), **as_user)
    for project_id in created[:1]:
        send("another user reads a project they are no member of", "GET", at(project_id), **as_user)
    if not writes:
        return
    for project_id in shared:
        send(
            "another user updates a shared project, as their role allows",
            "PATCH",
            at(project_id),
            json={"setSettings": {"by": user[:8]}},
            **as_user,
        )
        send("another user deletes a shared project, as their role allows", "DELETE", at(project_id), **as_user)
        send("read it after another user's writes", "GET", at(project_id))
    for project_id in created[:1]:
        send(
            "another user updates a project they are no member of",
            "PATCH",
            at(project_id),
            json={"name": "theirs"},
            **as_user,
        )
        send("another user deletes a project they are no member of", "DELETE", at(project_id), **as_user)
    exchange = send(
        "another user creates a project", "POST", collection, json={"name": "contract-model-theirs"}, **as_user
    )
    if exchange is not None and exchange.status == 201 and isinstance(exchange.response_json(), dict):
        theirs = str(exchange.response_json()["id"])
        send("the run's user cannot read another user's project", "GET", at(theirs))
        send("the run's user cannot delete another user's project", "DELETE", at(theirs))
        send("its creator reads it", "GET", at(theirs), **as_user)


def _head_as_get(client: ModelClient, collection: str, at: Callable[[str], str], *, writes: bool) -> None:
    """HEAD answers as GET would, without content: the same status and headers."""
    account = client.checker.account
    targets = [(collection, {"last": 1}), (collection, {"last": account.page_maximum})]
    targets += [(at(p.id), {}) for p in account.visible(client.me)[:1]]
    for path, params in targets if writes else []:
        get = client.send("GET", path, params=params)
        head = client.send("HEAD", path, params=params)
        for name in ("content-length", "link", "content-type"):
            if get.status == head.status and get.response_headers.get(name) != head.response_headers.get(name):
                client.checker.record(
                    head,
                    f"header {name}",
                    str(get.response_headers.get(name)),
                    str(head.response_headers.get(name)),
                    "HEAD answers as GET would, without content",
                )


def _flip(cursor: str) -> str:
    last = cursor[-1]
    return cursor[:-1] + ("A" if last != "A" else "B")


_BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _other_spellings(cursors: Iterable[str]) -> list[str]:
    """Texts a lenient decoder reads as an issued cursor's bytes, though the service never
    issued them: a cursor is unpadded URL-safe base64 (the spec's words), so the last
    character of one whose length leaves bits unused can set them. The spellings that sort
    first and last, from a cursor where one sorts before the issued text if any does (the
    alphabet's order is not ASCII's: `8` to `-`, `w` to `0`)."""
    found: list[tuple[bool, str, list[str]]] = []
    for cursor in cursors:
        unused = {2: 4, 3: 2}.get(len(cursor) % 4)
        index = _BASE64URL.find(cursor[-1]) if cursor else -1
        if unused is None or index < 0 or index % (1 << unused):
            continue
        spellings = sorted(cursor[:-1] + _BASE64URL[index + bits] for bits in range(1, 1 << unused))
        found.append((spellings[0] > cursor, cursor, spellings))
    if not found:
        return []
    _, _, spellings = min(found)
    return list(dict.fromkeys([spellings[0], spellings[-1]]))


def _request_limits(
    send: Send, collection: str, at: Callable[[str], str], client: ModelClient, project_id: str | None
) -> None:
    """The edges of a request as the spec words them: the body limit exactly and one over,
    the media type's spellings, methods and query parameters an operation does not define."""
    limit = client.checker.rules.body_limit_of(collection, "post")
    if limit is not None and client.checker.account.strict:
        for size, step in ((limit, "a body of exactly the limit"), (limit + 1, "a body one byte over the limit")):
            body = b'{"name": "contract-model-limit"}'
            padded = body[:-1] + b" " * (size - len(body)) + b"}"
            send(step, "POST", collection, content=padded, headers={"Content-Type": "application/json"})
    for media in (
        "application/json; charset=utf-8",
        "Application/JSON",
        "text/json",
        "application/x-www-form-urlencoded",
    ):
        send(
            "the body's media type spelled otherwise",
            "POST",
            collection,
            content=b'{"name": "contract-model-media"}',
            headers={"Content-Type": media},
        )
    send("a create without a body", "POST", collection)
    send("a method the path does not have", "PUT", collection, json={})
    send("a path with a trailing slash", "GET", collection + "/")
    if project_id is not None:
        send("a method the path does not have", "POST", at(project_id), json={})
        send("a query parameter the operation does not define", "GET", at(project_id), params={"x": "1"})
        send("a query parameter the operation does not define", "PATCH", at(project_id), params={"name": "x"}, json={})


def _fill(send: Send, collection: str, client: ModelClient, prefix: str) -> None:
    """Against the mock (nobody else's account): more projects than the largest page, all of
    one name, so that a full page and one over it exist for the listing and for a filter."""
    account = client.checker.account
    if not account.strict:
        return
    for _ in range(account.page_maximum + 1 - len(account.visible(client.me))):
        send(
            f"fill the account to {account.page_maximum + 1} projects",
            "POST",
            collection,
            json={"name": f"{prefix}-fill"},
        )


def _walk_across_a_create(client: ModelClient, collection: str, prefix: str, done: Exploration) -> None:
    """A walk that a create interrupts after its first page must still visit every project
    once: a cursor is a position, not an offset."""
    done.steps.append("walk the listing with a create after the first page")
    pages = client.walk(collection, {"last": 3})
    first = next(pages, None)
    if first is None or first.status != 200:
        return
    client.send("POST", collection, json={"name": f"{prefix}-during-a-walk"})
    done.requests += 2 + sum(1 for _ in pages)


def _creates(prefix: str) -> list[tuple[str, dict[str, Any]]]:
    longest = (prefix + "-" + "n" * MAX_NAME)[:MAX_NAME]
    return [
        ("create with v3Enabled true", {"name": f"{prefix}-a", "v3Enabled": True}),
        ("create with v3Enabled false", {"name": f"{prefix}-a", "v3Enabled": False}),
        ("create without v3Enabled", {"name": f"{prefix}-b"}),
        ("create with the longest name", {"name": longest}),
        ("create with a one-character name", {"name": "m"}),
        ("create with a name one over the limit", {"name": longest + "x"}),
        ("create with an empty name", {"name": ""}),
        ("create with a null v3Enabled", {"name": f"{prefix}-c", "v3Enabled": None}),
        ("create with a name of non-ASCII letters", {"name": f"{prefix}-é-日本"}),
        ("create with a name in mixed case", {"name": f"{prefix}-MiXeD-Case"}),
        ("create with a name holding % and _ and spaces", {"name": f"{prefix} 50% off_now"}),
    ]


Send = Callable[..., Exchange | None]


def _updates(send: Send, read_back: Callable[[str, str], None], at: Callable[[str], str], project_id: str) -> None:
    updates: list[tuple[str, dict[str, Any]]] = [
        ("update nothing ({})", {}),
        ("update the name", {"name": "contract-model-renamed"}),
        ("update the name to null", {"name": None}),
        ("update the name to empty", {"name": ""}),
        ("update v3Enabled true", {"v3Enabled": True}),
        ("update v3Enabled null", {"v3Enabled": None}),
        ("update v3Enabled false", {"v3Enabled": False}),
        ("set settings", {"setSettings": {"a": 1, "b": {"x": [1, 2]}, "c": None}}),
        ("set settings to false, zero and empty", {"setSettings": {"no": False, "zero": 0, "empty": "", "list": []}}),
        ("set empty settings", {"setSettings": {}}),
        ("merge settings", {"setSettings": {"a": 2, "d": "text"}}),
        ("unset a setting and one never set", {"unsetSettings": ["a", "never-set"]}),
        ("unset nothing", {"unsetSettings": []}),
        ("set and unset one key", {"setSettings": {"e": 1}, "unsetSettings": ["e"]}),
        ("clear settings, then set", {"clearAllSettings": True, "setSettings": {"f": True}}),
        ("clearAllSettings false", {"clearAllSettings": False}),
        ("clear settings", {"clearAllSettings": True}),
        ("null settings fields", {"setSettings": None, "unsetSettings": None, "clearAllSettings": None}),
        (
            "everything at once",
            {
                "name": "contract-model-all",
                "v3Enabled": False,
                "setSettings": {"g": 1},
                "clearAllSettings": True,
                "unsetSettings": ["g"],
            },
        ),
    ]
    for step, body in updates:
        send(step, "PATCH", at(project_id), json=body)
        read_back(f"{step}, then read back", project_id)


def _credentials_on_writes(
    send: Send, at: Callable[[str], str], collection: str, client: ModelClient, created: list[str]
) -> None:
    account = client.checker.account
    label = account.projects[created[0]].token
    own = client.reveal(label) if label else None
    other = created[1] if len(created) > 1 else None
    none: dict[str, Any] = {"as_user": False}
    if own is not None:
        token: dict[str, Any] = {"as_user": False, "headers": {"X-Project-Token": own}}
        send("a project token reads its project", "GET", at(created[0]), **token)
        send(
            "a project token updates its project",
            "PATCH",
            at(created[0]),
            json={"setSettings": {"via": "token"}},
            **token,
        )
        send("a project token may not delete", "DELETE", at(created[0]), **token)
        send("a project token may not list", "GET", collection, **token)
        send("a project token may not create", "POST", collection, json={"name": "x"}, **token)
        # other projects on both sides of its ID (the nearest and the farthest), so that a
        # check that compares IDs by order, not by equality, is caught whichever way it errs
        others = _around(created[0], [p.id for p in account.visible(client.me) if p.id != created[0]])
        for other_id in dict.fromkeys([*(created[1:2] if other else []), *others]):
            send("a project token reads no other project", "GET", at(other_id), **token)
            send("a project token updates no other project", "PATCH", at(other_id), json={}, **token)
    send("no credentials on update", "PATCH", at(created[0]), json={"name": "nope"}, **none)
    send("no credentials on delete", "DELETE", at(created[0]), **none)
    send(
        "a wrong token on update",
        "PATCH",
        at(created[0]),
        json={"name": "nope"},
        headers={"Authorization": "Bearer wrong"},
    )
    send(
        "a wrong token on create",
        "POST",
        collection,
        json={"name": "nope"},
        headers={"Authorization": "Bearer wrong"},
    )


def _credentials_on_reads(send: Send, at: Callable[[str], str], collection: str, client: ModelClient) -> None:
    account = client.checker.account
    target = account.visible(client.me)[0].id if account.visible(client.me) else "00000000-0000-4000-8000-000000000000"
    deleted = [project.token for project in account.projects.values() if project.token and project.deleted]
    stale = next((token for label in deleted if (token := client.reveal(label)) is not None), None)
    for step, headers in (
        ("no credentials", {}),
        ("a wrong user token", {"Authorization": "Bearer wrong-token"}),
        ("a user token in lower case scheme", {"Authorization": f"bearer {client.token}"}),
        ("a user token under another scheme", {"Authorization": f"Basic {client.token}"}),
        ("a user token under another scheme", {"Authorization": f"Token {client.token}"}),
        ("a user token with no scheme", {"Authorization": client.token}),
        ("a project token that is no token", {"X-Project-Token": "wrong-token"}),
        ("a deleted project's token", {"X-Project-Token": stale} if stale else None),
    ):
        if headers is None:
            continue
        send(step, "GET", collection, as_user=False, headers=headers)
        send(step, "GET", at(target), as_user=False, headers=headers)
        send(step, "HEAD", at(target), as_user=False, headers=headers)


def _around(pivot: str, ids: list[str]) -> list[str]:
    """Up to six of `ids`: on each side of `pivot` in text order, the two nearest and the
    farthest."""
    below = sorted(i for i in ids if i < pivot)
    above = sorted(i for i in ids if i > pivot)
    return list(dict.fromkeys([*below[-2:], *below[:1], *above[:2], *above[-1:]]))


def _deletes(
    send: Send, read_back: Callable[[str, str], None], at: Callable[[str], str], collection: str, created: list[str]
) -> None:
    for project_id in created[:2]:
        send("delete a project of the run", "DELETE", at(project_id))
        read_back("read after a delete", project_id)
        send("delete it again", "DELETE", at(project_id))
        send("update a deleted project", "PATCH", at(project_id), json={"name": "gone"})
    send("a page after deletes", "GET", collection, params={"last": 100})


def _almost(name: str) -> list[str]:
    variants = [
        name.upper(),
        name.lower(),
        name.swapcase(),
        name + "x",
        name[:-1],
        f" {name}",
        f"{name} ",
        name[:-1] + "_",
        name[:-1] + "%",
        "%",
        "_" * len(name),
    ]
    return [variant for variant in dict.fromkeys(variants) if variant and variant != name and len(variant) <= MAX_NAME]
