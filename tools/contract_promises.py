"""The behavioural promises of openapi.yaml, as schemathesis checks for `make contract`.

Schemathesis's own checks test that responses have the documented shapes; these test what
the descriptions promise in words (ordering, filtering, page sizes, complete page walks,
read-your-writes, deletion, the creator's membership, the project token's scope), so a
service that answers well-formed nonsense fails the run too.

Each check is registered with the `Promise` it enforces: an ID listed in its operation's
`x-promises` and the sentence of the spec that makes it (tests/contract/test_promises.py
keeps the two sides in step). Checks that only read run in every mode, the live read-only
one included; a check that writes does so only when CONTRACT_ALLOW_WRITES=1, and only to
projects that this run created (their IDs are recorded by the ledger hook like any other).
Follow-up requests go through `Case.call`, so the run's rate limit, request cap and hooks
apply to them as well.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import schemathesis

LIST = "/v1/projects"
ONE = "/v1/projects/{projectID}"
CREATOR_PERMISSIONS = frozenset({"create:*", "read:*", "update:*", "delete:*"})
WALK_PAGE_SIZE = 7  # small, so that a walk of a short listing still crosses pages
WALK_MAX_PAGES = int(os.environ.get("CONTRACT_WALK_MAX_PAGES", "20"))
LISTED_CREATES_PER_RUN = 10  # creates also looked up in the list; every one is read by ID
TOKEN_CHECKS_PER_RUN = 3  # each costs up to five requests; a few prove the scope


@dataclass(frozen=True)
class Promise:
    """A behaviour the spec promises: `says` is quoted verbatim from the description at
    `where` (a JSON pointer), and `id` is listed in `x-promises` of `operation`."""

    id: str
    operation: str
    says: str
    where: str
    writes: bool = False


Check = Callable[[Any, Any, Any], "bool | None"]
PROMISES: dict[str, Promise] = {}  # check name -> the promise it enforces


class BrokenPromiseError(AssertionError):
    """The service answered in the documented shape but broke a promise of the spec."""


def _pointer(operation_path: str, method: str) -> str:
    return "/paths/" + operation_path.replace("~", "~0").replace("/", "~1") + f"/{method}/description"


def promise(id: str, operation: str, says: str, where: str, *, writes: bool = False) -> Callable[[Check], Check]:
    """Register a schemathesis check as the enforcement of one promise of the spec."""

    def register(check: Check) -> Check:
        @functools.wraps(check)
        def shape_tolerant(ctx: Any, response: Any, case: Any) -> bool | None:
            try:
                return check(ctx, response, case)
            except (KeyError, TypeError, ValueError, AttributeError):
                return None  # a body of the wrong shape: schemathesis's schema checks report it

        PROMISES[check.__name__] = Promise(id, operation, says, where, writes)
        return schemathesis.check(shape_tolerant)

    return register


def writes_allowed() -> bool:
    return os.environ.get("CONTRACT_ALLOW_WRITES") == "1"


def broken(check: str, message: str) -> BrokenPromiseError:
    quoted = PROMISES[check].says
    return BrokenPromiseError(f'{check}: {message} (the spec: "{quoted}")')


def _resolve(spec: dict[str, Any], pointer: str) -> Any:
    node: Any = spec
    for part in pointer.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return node


def marked_promises(spec: dict[str, Any]) -> set[tuple[str, str]]:
    """(operationId, promise ID) for every promise an operation lists in `x-promises`."""
    return {
        (operation["operationId"], promise_id)
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
        for promise_id in operation.get("x-promises", [])
    }


def traceability_problems(spec: dict[str, Any]) -> list[str]:
    """Where the checks and the spec disagree: a quoted sentence the spec no longer has, a
    check whose promise is not marked, a marked promise without a check."""
    problems = []
    marked = marked_promises(spec)
    for check, kept in sorted(PROMISES.items()):
        description = _resolve(spec, kept.where)
        if not isinstance(description, str) or " ".join(kept.says.split()) not in " ".join(description.split()):
            problems.append(f"{check}: the spec no longer says {kept.says!r} at {kept.where}")
        if (kept.operation, kept.id) not in marked:
            problems.append(f"{check}: {kept.id} is not in x-promises of {kept.operation}")
    checked = {(kept.operation, kept.id) for kept in PROMISES.values()}
    problems += [
        f"{operation}: {promise_id} is marked in x-promises but has no check"
        for operation, promise_id in sorted(marked - checked)
    ]
    if len(checked) != len(PROMISES):
        problems.append("two checks claim the same promise")
    return problems


# --- requests of our own -------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: Any
    link: str | None


def _token() -> str:
    return os.environ.get("CONTRACT_TOKEN", "")


def send(
    case: Any,
    method: str,
    path: str,
    *,
    project_id: str | None = None,
    query: dict[str, Any] | None = None,
    body: Any = None,
    project_token: str | None = None,
) -> Reply:
    """One follow-up request, with the run's user token (or only a project token)."""
    operation = case.operation.schema[path][method]
    headers = {"X-Project-Token": project_token} if project_token else {"Authorization": f"Bearer {_token()}"}
    kwargs: dict[str, Any] = {"headers": headers, "query": query or {}}
    if project_id is not None:
        kwargs["path_parameters"] = {"projectID": project_id}
    if body is not None:
        kwargs.update(body=body, media_type="application/json")
    response = operation.Case(**kwargs).call()
    try:
        parsed = response.json() if response.content else None
    except ValueError:
        parsed = None
    links = response.headers.get("link") or []
    return Reply(response.status_code, parsed, links[0] if links else None)


def _cursor(case: Any, link: str) -> str:
    """The `before` cursor of a Link header, taken with the spec's own NextPage expression."""
    next_page = case.operation.schema.raw_schema["paths"][LIST]["get"]["responses"]["200"]["links"]["NextPage"]
    match = re.search(next_page["parameters"]["before"].split("#regex:", 1)[1], link)
    if match is None:
        raise BrokenPromiseError(f"the Link header {link!r} has no before cursor")
    return match.group(1)


def walk(case: Any, page_size: int, *, after_first_page: Callable[[], None] | None = None) -> Iterator[Reply]:
    """Yield the pages of the whole listing, following `rel="next"`, at most WALK_MAX_PAGES."""
    query: dict[str, Any] = {"last": page_size}
    for page in range(WALK_MAX_PAGES):
        reply = send(case, "GET", LIST, query=query)
        if reply.status != 200:
            raise BrokenPromiseError(f"page {page + 1} of a walk answered {reply.status}")
        yield reply
        if page == 0 and after_first_page is not None:
            after_first_page()
        if reply.link is None:
            return
        query = {"last": page_size, "before": _cursor(case, reply.link)}


def _created_at(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(item["createdAt"]).replace("Z", "+00:00"))


def _is_list(case: Any) -> bool:
    return bool(case.operation.label == f"GET {LIST}")


def _succeeded(case: Any, response: Any, method: str, path: str, status: int) -> bool:
    return bool(case.operation.label == f"{method} {path}" and response.status_code == status)


def _query(case: Any) -> dict[str, Any]:
    return dict(case.query or {})


def _page_limits(case: Any) -> tuple[int, int]:
    """The default and maximum of `last`, read from the spec so that the checks follow it."""
    for parameter in case.operation.schema.raw_schema["paths"][LIST]["get"]["parameters"]:
        if parameter.get("name") == "last":
            return int(parameter["schema"]["default"]), int(parameter["schema"]["maximum"])
    raise LookupError("the spec's list operation has no `last` parameter")


# --- what the run has seen ------------------------------------------------------------------


@dataclass
class Created:
    name: str
    token: str


CREATED: dict[str, Created] = {}  # projects this run created (and has not seen deleted)
_uses: dict[str, int] = {}


def _within(key: str, limit: int) -> bool:
    """Whether `key` has been used fewer than `limit` times in this run; counts this use."""
    _uses[key] = _uses.get(key, 0) + 1
    return _uses[key] <= limit


def _first_time(key: str) -> bool:
    return _within(key, 1)


_last_read: tuple[Any, Reply] | None = None


def read_created(case: Any, response: Any, project_id: str) -> Reply:
    """GET the project a 201 created; the checks of one response share the one read."""
    global _last_read
    if _last_read is None or _last_read[0] is not response:
        _last_read = (response, send(case, "GET", ONE, project_id=project_id))
    return _last_read[1]


def remember_created(case: Any, response: Any) -> tuple[str, dict[str, Any]] | None:
    """The ID and body of a project this response created, recorded for the other checks."""
    if not _succeeded(case, response, "POST", LIST, 201):
        return None
    created = response.json()
    body = case.body if isinstance(case.body, dict) else {}
    CREATED.setdefault(str(created["id"]), Created(str(body.get("name")), str(created["token"])))
    return str(created["id"]), created


# --- list: ordering, filter, page sizes, complete walks -------------------------------------


def _checked_list(case: Any, response: Any, check: str) -> tuple[list[Any] | None, bool]:
    """For a list response: its page when it is a 200 (else None), and whether this is the
    check's first list response of the run, when it probes the listing on its own."""
    page = response.json() if response.status_code == 200 else None
    return page, _first_time(check)


def probe(case: Any, check: str, query: dict[str, Any]) -> Reply:
    reply = send(case, "GET", LIST, query=query)
    if reply.status != 200 or not isinstance(reply.body, list):
        raise broken(check, f"GET {LIST} with {query} answered {reply.status}")
    return reply


def _link(response: Any) -> str | None:
    links = response.headers.get("link") or []
    return str(links[0]) if links else None


def _requested_size(case: Any) -> int | None:
    """The `last` the case asked for; None when absent or 0 (the default applies)."""
    last = _query(case).get("last")
    return int(last) if last is not None and int(last) != 0 else None


@promise(
    "newest-first",
    "projects",
    "Lists the projects the caller is a member of, newest first (descending creation time).",
    _pointer(LIST, "get"),
)
def list_is_newest_first(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every page is ordered by creation time, newest first; once per run a page of the
    largest size is asked for, so that the order is checked on many projects."""
    if not _is_list(case):
        return None
    page, first = _checked_list(case, response, "list_is_newest_first")
    pages = [] if page is None else [page]
    if first:
        pages.append(probe(case, "list_is_newest_first", {"last": _page_limits(case)[1]}).body)
    for items in pages:
        times = [_created_at(item) for item in items]
        for index in range(1, len(times)):
            if times[index] > times[index - 1]:
                raise broken(
                    "list_is_newest_first",
                    f"project {index} was created at {times[index].isoformat()}, after the one before it "
                    f"({times[index - 1].isoformat()})",
                )
    return True


@promise(
    "name-filter-exact",
    "projects",
    "Only projects whose name is exactly this string (case-sensitive, whole name, no wildcards",
    "/paths/~1v1~1projects/get/parameters/2/description",
)
def name_filter_is_exact(ctx: Any, response: Any, case: Any) -> bool | None:
    """A filtered page holds only that exact name; and, once per run, the filter finds a
    listed project by its name."""
    if not _is_list(case):
        return None
    page, first = _checked_list(case, response, "name_filter_is_exact")
    name = _query(case).get("name")
    if page is not None and name is not None:
        wrong = sorted({item["name"] for item in page if item["name"] != name})
        if wrong:
            raise broken("name_filter_is_exact", f"name={name!r} returned projects named {wrong[:3]!r}")
    listed = probe(case, "name_filter_is_exact", {"last": 1}).body if first else []
    if listed:
        target = listed[0]
        found = probe(case, "name_filter_is_exact", {"name": target["name"], "last": _page_limits(case)[1]}).body
        if target["id"] not in {item["id"] for item in found}:
            raise broken("name_filter_is_exact", f"name={target['name']!r} did not return project {target['id']}")
        if any(item["name"] != target["name"] for item in found):
            raise broken("name_filter_is_exact", f"name={target['name']!r} returned other names too")
    return True


def _check_page_size(check: str, items: list[Any], link: str | None, size: int) -> None:
    if len(items) > size:
        raise broken(check, f"a page of {size} held {len(items)} projects")
    if link is not None and len(items) != size:
        raise broken(check, f"a page of {size} held {len(items)} projects although a next page follows")


@promise(
    "default-page-size",
    "projects",
    "Absent or 0 means the default of 20.",
    "/paths/~1v1~1projects/get/parameters/0/description",
)
def default_page_size_applies(ctx: Any, response: Any, case: Any) -> bool | None:
    """Without `last` (or with 0) a page holds the default number of projects, fewer only on
    the last page; once per run compared with a page of the largest size."""
    if not _is_list(case):
        return None
    default, maximum = _page_limits(case)
    page, first = _checked_list(case, response, "default_page_size_applies")
    if page is not None and _requested_size(case) is None:
        _check_page_size("default_page_size_applies", page, _link(response), default)
    if first:
        full = probe(case, "default_page_size_applies", {"last": maximum})
        plain = probe(case, "default_page_size_applies", {})
        _check_page_size("default_page_size_applies", plain.body, plain.link, default)
        if len(plain.body) != min(default, len(full.body)):
            raise broken(
                "default_page_size_applies",
                f"without `last` a page held {len(plain.body)} projects while there are at least {len(full.body)}",
            )
    return True


@promise(
    "page-size",
    "projects",
    "Page size: how many projects to return, at most 100",
    "/paths/~1v1~1projects/get/parameters/0/description",
)
def page_size_is_honoured(ctx: Any, response: Any, case: Any) -> bool | None:
    """`last=N` gives N projects per page (fewer only on the last page), up to the maximum;
    once per run a page of the largest size is asked for."""
    if not _is_list(case):
        return None
    _, maximum = _page_limits(case)
    page, first = _checked_list(case, response, "page_size_is_honoured")
    size = _requested_size(case) if page is not None else None
    if page is not None and size is not None:
        _check_page_size("page_size_is_honoured", page, _link(response), size)
    if first:
        reply = probe(case, "page_size_is_honoured", {"last": maximum})
        _check_page_size("page_size_is_honoured", reply.body, reply.link, maximum)
    return True


def _walked_ids(check: str, pages: Iterator[Reply]) -> tuple[list[str], bool]:
    """The IDs a walk visits, failing on one seen twice; and whether the walk reached the end."""
    seen: list[str] = []
    complete = False
    for reply in pages:
        seen += [str(item["id"]) for item in reply.body]
        complete = reply.link is None
    repeated = sorted({project_id for project_id in seen if seen.count(project_id) > 1})
    if repeated:
        raise broken(check, f"the walk visited {repeated[:3]} more than once")
    return seen, complete


def _compare_walks(check: str, reference: list[dict[str, Any]], walked: list[str], complete: bool) -> None:
    """Every project of the reference listing within the walk's reach must have been visited."""
    visited = set(walked)
    if not complete:  # a capped walk vouches only for the projects as new as the last one it saw
        oldest = min((_created_at(item) for item in reference if str(item["id"]) in visited), default=None)
        reference = [item for item in reference if oldest is not None and _created_at(item) > oldest]
    missed = [str(item["id"]) for item in reference if str(item["id"]) not in visited]
    if missed:
        raise broken(check, f"walking pages of {WALK_PAGE_SIZE} skipped {len(missed)} project(s), e.g. {missed[0]}")


def _reference_listing(case: Any) -> list[dict[str, Any]]:
    _, maximum = _page_limits(case)
    return [item for reply in walk(case, maximum) for item in reply.body]


@promise(
    "walk-complete",
    "projects",
    "Walking the pages this way visits every project exactly once.",
    _pointer(LIST, "get"),
)
def page_walk_is_complete(ctx: Any, response: Any, case: Any) -> bool | None:
    """Once per run: a walk in small pages visits the same projects as one in the largest
    pages, none twice."""
    if not _is_list(case) or not _first_time("page_walk_is_complete"):
        return None
    reference = _reference_listing(case)
    walked, complete = _walked_ids("page_walk_is_complete", walk(case, WALK_PAGE_SIZE))
    _compare_walks("page_walk_is_complete", reference, walked, complete)
    return True


@promise(
    "walk-stable-under-create",
    "projects",
    "A project created during a walk does not make the walk repeat or skip any of the others.",
    _pointer(LIST, "get"),
    writes=True,
)
def page_walk_survives_concurrent_create(ctx: Any, response: Any, case: Any) -> bool | None:
    """Once per run, writes allowed: a project created after the first page of a walk does not
    make the rest of the walk repeat or skip projects; the project is deleted afterwards."""
    if not writes_allowed() or not _is_list(case):
        return None
    if not _first_time("page_walk_survives_concurrent_create"):
        return None
    reference = _reference_listing(case)
    extra: list[str] = []

    def create() -> None:
        reply = send(case, "POST", LIST, body={"name": "contract-concurrent-create"})
        if reply.status != 201:
            raise broken("page_walk_survives_concurrent_create", f"creating a project answered {reply.status}")
        extra.append(str(reply.body["id"]))

    try:
        walked, complete = _walked_ids(
            "page_walk_survives_concurrent_create", walk(case, WALK_PAGE_SIZE, after_first_page=create)
        )
        _compare_walks("page_walk_survives_concurrent_create", reference, walked, complete)
    finally:
        for project_id in extra:
            send(case, "DELETE", ONE, project_id=project_id)
    return True


# --- create: read-your-writes, the creator, the project token --------------------------------


@promise(
    "create-reads-back",
    "createProject",
    "The new project can be read at once, by `project` and in `projects`, "
    "with the name and `v3Enabled` it was created with.",
    _pointer(LIST, "post"),
)
def created_project_reads_back(ctx: Any, response: Any, case: Any) -> bool | None:
    """After a 201 the project reads back, by ID and through the name filter, as it was sent."""
    noted = remember_created(case, response)
    if noted is None:
        return None
    project_id, created = noted
    sent = case.body if isinstance(case.body, dict) else {}
    read = read_created(case, response, project_id)
    if read.status != 200:
        raise broken("created_project_reads_back", f"reading project {project_id} answered {read.status}")
    project = read.body
    for field in ("name", "v3Enabled"):
        if sent.get(field) is not None and project.get(field) != sent[field]:
            raise broken(
                "created_project_reads_back",
                f"created with {field}={sent[field]!r}, read back {field}={project.get(field)!r}",
            )
    if _created_at(project) != _created_at(created):
        raise broken("created_project_reads_back", "createdAt differs between the create and the read")
    if not _within("created_project_reads_back: listed", LISTED_CREATES_PER_RUN):
        return True
    _, maximum = _page_limits(case)
    listed = send(case, "GET", LIST, query={"name": project["name"], "last": maximum})
    if listed.status != 200 or project_id not in {str(item["id"]) for item in listed.body}:
        raise broken("created_project_reads_back", f"project {project_id} is missing from the list of its name")
    return True


@promise(
    "creator-membership",
    "createProject",
    "The caller becomes the project's creator: "
    "the response carries the creator's membership (role `creator`, every permission)",
    _pointer(LIST, "post"),
)
def creator_membership_after_create(ctx: Any, response: Any, case: Any) -> bool | None:
    """The creator's membership comes with the 201, and the new project has exactly one
    member (`membersCount` counts the creator), whose membership reads back the same."""
    noted = remember_created(case, response)
    if noted is None:
        return None
    project_id, created = noted
    membership = created["membership"]
    if "creator" not in (membership.get("roles") or []):
        raise broken("creator_membership_after_create", f"the creator's roles are {membership.get('roles')!r}")
    missing = CREATOR_PERMISSIONS - set(membership.get("permissions") or [])
    if missing:
        raise broken("creator_membership_after_create", f"the creator lacks {sorted(missing)}")
    if membership.get("projectID") != project_id:
        raise broken("creator_membership_after_create", "the membership names another project")
    read = read_created(case, response, project_id)
    if read.status != 200:
        raise broken("creator_membership_after_create", f"reading project {project_id} answered {read.status}")
    if read.body.get("membersCount") != 1:
        raise broken(
            "creator_membership_after_create", f"a new project has membersCount={read.body.get('membersCount')}"
        )
    mine = read.body.get("membership") or {}
    if mine.get("id") != membership.get("id") or "creator" not in (mine.get("roles") or []):
        raise broken("creator_membership_after_create", "the project reads back without the creator's membership")
    return True


@promise(
    "project-token-scope",
    "createProject",
    "the new project's token, which works as `X-Project-Token` for getting and updating this project only.",
    _pointer(LIST, "post"),
    writes=True,
)
def project_token_is_scoped(ctx: Any, response: Any, case: Any) -> bool | None:
    """The token from a 201 reads (without `membership`) and updates its own project, and
    neither reads nor updates another project the run created. The update is `{}`, which
    changes nothing."""
    noted = remember_created(case, response)
    if noted is None or not writes_allowed() or not _within("project_token_is_scoped", TOKEN_CHECKS_PER_RUN):
        return None
    project_id, created = noted
    token = str(created["token"])
    own = send(case, "GET", ONE, project_id=project_id, project_token=token)
    if own.status != 200 or own.body.get("id") != project_id:
        raise broken("project_token_is_scoped", f"the token could not read its own project ({own.status})")
    if "membership" in own.body:
        raise broken("project_token_is_scoped", "a read with the project token carries a membership")
    updated = send(case, "PATCH", ONE, project_id=project_id, body={}, project_token=token)
    if updated.status != 204:
        raise broken("project_token_is_scoped", f"the token could not update its own project ({updated.status})")
    other = next((known for known in CREATED if known != project_id), None)
    if other is None:
        return True
    for method, body in (("GET", None), ("PATCH", {})):
        reply = send(case, method, ONE, project_id=other, body=body, project_token=token)
        if reply.status < 400:
            raise broken("project_token_is_scoped", f"the token of {project_id} was accepted by {method} of {other}")
    return True


# --- update and delete -----------------------------------------------------------------------


def _expected_settings(sent: dict[str, Any]) -> tuple[dict[str, Any], set[str], bool]:
    """What an update promises about settings: keys with values, keys absent, and whether
    those are all the keys (after `clearAllSettings`)."""
    present = {key: value for key, value in (sent.get("setSettings") or {}).items()}
    absent = set(sent.get("unsetSettings") or [])
    for key in absent:
        present.pop(key, None)
    return present, absent, bool(sent.get("clearAllSettings"))


def _compare_update(check: str, sent: dict[str, Any], project: dict[str, Any]) -> None:
    for field in ("name", "v3Enabled"):
        if sent.get(field) is not None and project.get(field) != sent[field]:
            raise broken(check, f"updated {field} to {sent[field]!r}, read back {project.get(field)!r}")
    present, absent, exact = _expected_settings(sent)
    settings = project.get("settings") or {}
    wrong = sorted(key for key, value in present.items() if key not in settings or settings[key] != value)
    wrong += sorted(key for key in absent if key in settings)
    if exact:
        wrong += sorted(key for key in settings if key not in present)
    if wrong:
        raise broken(check, f"after the update the settings {wrong[:3]} are not as sent")


@promise(
    "update-reads-back",
    "updateProject",
    "After a 204, the project reads back with every field that was sent.",
    _pointer(ONE, "patch"),
)
def update_reads_back(ctx: Any, response: Any, case: Any) -> bool | None:
    """After a 204 the project reads back with the name, `v3Enabled` and settings sent."""
    if not _succeeded(case, response, "PATCH", ONE, 204) or not isinstance(case.body, dict):
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    read = send(case, "GET", ONE, project_id=project_id)
    if read.status != 200:
        raise broken("update_reads_back", f"reading project {project_id} after its update answered {read.status}")
    _compare_update("update_reads_back", case.body, read.body)
    if project_id in CREATED and case.body.get("name") is not None:
        CREATED[project_id].name = str(case.body["name"])
    return True


SETTINGS_SEQUENCE: tuple[tuple[dict[str, Any], dict[str, Any]], ...] = (
    # (update sent, every setting afterwards)
    ({"clearAllSettings": True, "setSettings": {"a": 1, "b": {"x": 1}}}, {"a": 1, "b": {"x": 1}}),
    ({"setSettings": {"c": 2}, "unsetSettings": ["a"]}, {"b": {"x": 1}, "c": 2}),
    ({"setSettings": {"d": 4}, "unsetSettings": ["d"]}, {"b": {"x": 1}, "c": 2}),
    ({"clearAllSettings": True, "setSettings": {"e": 5}}, {"e": 5}),
)


@promise(
    "settings-order",
    "updateProject",
    "Settings change in a fixed order: "
    "`clearAllSettings` first, then `setSettings` (merged key by key), then `unsetSettings`.",
    _pointer(ONE, "patch"),
    writes=True,
)
def settings_change_in_order(ctx: Any, response: Any, case: Any) -> bool | None:
    """Once per run, writes allowed, on a project the run created: a fixed series of
    settings updates, each read back in full."""
    if not writes_allowed() or not _succeeded(case, response, "PATCH", ONE, 204):
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    if project_id not in CREATED or not _first_time("settings_change_in_order"):
        return None
    for sent, expected in SETTINGS_SEQUENCE:
        settings = update_and_read("settings_change_in_order", case, project_id, sent).get("settings") or {}
        if settings != expected:
            raise broken("settings_change_in_order", f"after {sent} the settings are {settings}, not {expected}")
    return True


def update_and_read(check: str, case: Any, project_id: str, sent: dict[str, Any]) -> dict[str, Any]:
    """Send one update of our own and return the project as read back after it."""
    updated = send(case, "PATCH", ONE, project_id=project_id, body=sent)
    read = send(case, "GET", ONE, project_id=project_id)
    if updated.status != 204 or read.status != 200 or not isinstance(read.body, dict):
        raise broken(check, f"the update {sent} answered {updated.status}, the read after it {read.status}")
    return read.body


UNCHANGING_UPDATES: tuple[dict[str, Any], ...] = ({}, {"name": None, "v3Enabled": None}, {"unsetSettings": []})


@promise(
    "absent-fields-unchanged",
    "updateProject",
    "Every field is optional; a field that is absent or null is left as it is, so `{}` changes nothing.",
    _pointer(ONE, "patch"),
    writes=True,
)
def absent_fields_are_left_alone(ctx: Any, response: Any, case: Any) -> bool | None:
    """Once per run, writes allowed, on a project the run created: updates that send nothing,
    or only nulls, leave the name, `v3Enabled` and the settings as they were."""
    if not writes_allowed() or not _succeeded(case, response, "PATCH", ONE, 204):
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    if project_id not in CREATED or not _first_time("absent_fields_are_left_alone"):
        return None
    before = update_and_read("absent_fields_are_left_alone", case, project_id, {"setSettings": {"kept": True}})
    for sent in UNCHANGING_UPDATES:
        after = update_and_read("absent_fields_are_left_alone", case, project_id, sent)
        changed = [field for field in ("name", "v3Enabled", "settings") if after.get(field) != before.get(field)]
        if changed:
            raise broken("absent_fields_are_left_alone", f"the update {sent} changed {changed}")
    return True


@promise(
    "delete-gone",
    "deleteProject",
    "Afterwards the project is gone: reading it answers 404, and it is no longer listed.",
    _pointer(ONE, "delete"),
)
def deleted_project_is_gone(ctx: Any, response: Any, case: Any) -> bool | None:
    """After a successful delete, reading the project answers 404 and no list shows it."""
    if not _succeeded(case, response, "DELETE", ONE, 200) or response.json().get("deleted") is not True:
        return None
    project_id = str((case.path_parameters or {})["projectID"])
    read = send(case, "GET", ONE, project_id=project_id)
    if read.status == 200:
        return None  # not deleted at all: schemathesis's use_after_free reports that
    if read.status != 404:
        raise broken("deleted_project_is_gone", f"reading the deleted project {project_id} answered {read.status}")
    known = CREATED.pop(project_id, None)
    if known is not None:
        _, maximum = _page_limits(case)
        pages: Iterator[Reply] = iter([send(case, "GET", LIST, query={"name": known.name, "last": maximum})])
    else:
        pages = walk(case, _page_limits(case)[1])
    if any(str(item["id"]) == project_id for reply in pages for item in reply.body or []):
        raise broken("deleted_project_is_gone", f"the deleted project {project_id} is still listed")
    return True
