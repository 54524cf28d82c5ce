"""The checks' own requests, and what the run has created so far (`PromiseRun`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tools.contract.promises.registry import BrokenPromiseError

LIST = "/v1/projects"
ONE = "/v1/projects/{projectID}"


@dataclass
class Created:
    name: str
    token: str


@dataclass
class PromiseRun:
    """What the promise checks of one run share: the token they send, whether they may write,
    how far a page walk goes, and what the run has created so far. `tools.contract.hooks`
    makes one per run, from the run's configuration, and hands it to every check."""

    token: str
    writes_allowed: bool
    walk_max_pages: int = 20
    created: dict[str, Created] = field(default_factory=dict)  # projects this run created (and has not seen deleted)
    uses: dict[str, int] = field(default_factory=dict)
    last_read: tuple[Any, Reply] | None = None


@dataclass
class Reply:
    status: int
    body: Any
    link: str | None


def send(
    run: PromiseRun,
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
    headers = {"X-Project-Token": project_token} if project_token else {"Authorization": f"Bearer {run.token}"}
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
    return Reply(response.status_code, parsed, first_link(response))


def first_link(response: Any) -> str | None:
    """The response's `Link` header, if it has one."""
    links = response.headers.get("link") or []
    return str(links[0]) if links else None


def cursor(case: Any, link: str) -> str:
    """The `before` cursor of a Link header, taken with the spec's own NextPage expression."""
    next_page = case.operation.schema.raw_schema["paths"][LIST]["get"]["responses"]["200"]["links"]["NextPage"]
    match = re.search(next_page["parameters"]["before"].split("#regex:", 1)[1], link)
    if match is None:
        raise BrokenPromiseError(f"the Link header {link!r} has no before cursor")
    return match.group(1)


def walk(
    run: PromiseRun, case: Any, page_size: int, *, after_first_page: Callable[[], None] | None = None
) -> Iterator[Reply]:
    """Yield the pages of the whole listing, following `rel="next"`, at most `run.walk_max_pages`."""
    query: dict[str, Any] = {"last": page_size}
    for page in range(run.walk_max_pages):
        reply = send(run, case, "GET", LIST, query=query)
        if reply.status != 200:
            raise BrokenPromiseError(f"page {page + 1} of a walk answered {reply.status}")
        yield reply
        if page == 0 and after_first_page is not None:
            after_first_page()
        if reply.link is None:
            return
        query = {"last": page_size, "before": cursor(case, reply.link)}


def created_at(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(item["createdAt"]).replace("Z", "+00:00"))


def is_list(case: Any) -> bool:
    return bool(case.operation.label == f"GET {LIST}")


def succeeded(case: Any, response: Any, method: str, path: str, status: int) -> bool:
    return bool(case.operation.label == f"{method} {path}" and response.status_code == status)


def query_of(case: Any) -> dict[str, Any]:
    return dict(case.query or {})


def page_limits(case: Any) -> tuple[int, int]:
    """The default and maximum of `last`, read from the spec so that the checks follow it."""
    for parameter in case.operation.schema.raw_schema["paths"][LIST]["get"]["parameters"]:
        if parameter.get("name") == "last":
            return int(parameter["schema"]["default"]), int(parameter["schema"]["maximum"])
    raise LookupError("the spec's list operation has no `last` parameter")


def within(run: PromiseRun, key: str, limit: int) -> bool:
    """Whether `key` has been used fewer than `limit` times in this run; counts this use."""
    run.uses[key] = run.uses.get(key, 0) + 1
    return run.uses[key] <= limit


def first_time(run: PromiseRun, key: str) -> bool:
    return within(run, key, 1)


def read_created(run: PromiseRun, case: Any, response: Any, project_id: str) -> Reply:
    """GET the project a 201 created; the checks of one response share the one read."""
    if run.last_read is None or run.last_read[0] is not response:
        run.last_read = (response, send(run, case, "GET", ONE, project_id=project_id))
    return run.last_read[1]


def remember_created(run: PromiseRun, case: Any, response: Any) -> tuple[str, dict[str, Any]] | None:
    """The ID and body of a project this response created, recorded for the other checks."""
    if not succeeded(case, response, "POST", LIST, 201):
        return None
    created = response.json()
    body = case.body if isinstance(case.body, dict) else {}
    run.created.setdefault(str(created["id"]), Created(str(body.get("name")), str(created["token"])))
    return str(created["id"]), created
