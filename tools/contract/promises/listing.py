"""The list's promises: newest first, the exact `name` filter, page sizes, complete walks.

They only read (but for the concurrent create, when writes are allowed), so they run in
the live read-only mode too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tools.contract.promises.follow_up import (
    LIST,
    ONE,
    PromiseRun,
    Reply,
    created_at,
    first_link,
    first_time,
    is_list,
    page_limits,
    query_of,
    send,
    walk,
)
from tools.contract.promises.registry import broken, pointer, promise

WALK_PAGE_SIZE = 7  # small, so that a walk of a short listing still crosses pages


def _checked_list(run: PromiseRun, case: Any, response: Any, check: str) -> tuple[list[Any] | None, bool]:
    """For a list response: its page when it is a 200 (else None), and whether this is the
    check's first list response of the run, when it probes the listing on its own."""
    page = response.json() if response.status_code == 200 else None
    return page, first_time(run, check)


def probe(run: PromiseRun, case: Any, check: str, query: dict[str, Any]) -> Reply:
    reply = send(run, case, "GET", LIST, query=query)
    if reply.status != 200 or not isinstance(reply.body, list):
        raise broken(check, f"GET {LIST} with {query} answered {reply.status}")
    return reply


def _requested_size(case: Any) -> int | None:
    """The `last` the case asked for; None when absent or 0 (the default applies)."""
    last = query_of(case).get("last")
    return int(last) if last is not None and int(last) != 0 else None


@promise(
    "newest-first",
    "projects",
    "Lists the projects the caller is a member of, newest first (descending creation time).",
    pointer(LIST, "get"),
)
def list_is_newest_first(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """Every page is ordered by creation time, newest first; once per run a page of the
    largest size is asked for, so that the order is checked on many projects."""
    if not is_list(case):
        return None
    page, first = _checked_list(run, case, response, "list_is_newest_first")
    pages = [] if page is None else [page]
    if first:
        pages.append(probe(run, case, "list_is_newest_first", {"last": page_limits(case)[1]}).body)
    for items in pages:
        times = [created_at(item) for item in items]
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
def name_filter_is_exact(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """A filtered page holds only that exact name; and, once per run, the filter finds a
    listed project by its name."""
    if not is_list(case):
        return None
    page, first = _checked_list(run, case, response, "name_filter_is_exact")
    name = query_of(case).get("name")
    if page is not None and name is not None:
        wrong = sorted({item["name"] for item in page if item["name"] != name})
        if wrong:
            raise broken("name_filter_is_exact", f"name={name!r} returned projects named {wrong[:3]!r}")
    listed = probe(run, case, "name_filter_is_exact", {"last": 1}).body if first else []
    if listed:
        target = listed[0]
        found = probe(run, case, "name_filter_is_exact", {"name": target["name"], "last": page_limits(case)[1]}).body
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
def default_page_size_applies(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """Without `last` (or with 0) a page holds the default number of projects, fewer only on
    the last page; once per run compared with a page of the largest size."""
    if not is_list(case):
        return None
    default, maximum = page_limits(case)
    page, first = _checked_list(run, case, response, "default_page_size_applies")
    if page is not None and _requested_size(case) is None:
        _check_page_size("default_page_size_applies", page, first_link(response), default)
    if first:
        full = probe(run, case, "default_page_size_applies", {"last": maximum})
        plain = probe(run, case, "default_page_size_applies", {})
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
def page_size_is_honoured(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """`last=N` gives N projects per page (fewer only on the last page), up to the maximum;
    once per run a page of the largest size is asked for."""
    if not is_list(case):
        return None
    _, maximum = page_limits(case)
    page, first = _checked_list(run, case, response, "page_size_is_honoured")
    size = _requested_size(case) if page is not None else None
    if page is not None and size is not None:
        _check_page_size("page_size_is_honoured", page, first_link(response), size)
    if first:
        reply = probe(run, case, "page_size_is_honoured", {"last": maximum})
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
        oldest = min((created_at(item) for item in reference if str(item["id"]) in visited), default=None)
        reference = [item for item in reference if oldest is not None and created_at(item) > oldest]
    missed = [str(item["id"]) for item in reference if str(item["id"]) not in visited]
    if missed:
        raise broken(check, f"walking pages of {WALK_PAGE_SIZE} skipped {len(missed)} project(s), e.g. {missed[0]}")


def _reference_listing(run: PromiseRun, case: Any) -> list[dict[str, Any]]:
    _, maximum = page_limits(case)
    return [item for reply in walk(run, case, maximum) for item in reply.body]


@promise(
    "walk-complete",
    "projects",
    "Walking the pages this way visits every project exactly once.",
    pointer(LIST, "get"),
)
def page_walk_is_complete(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """Once per run: a walk in small pages visits the same projects as one in the largest
    pages, none twice."""
    if not is_list(case) or not first_time(run, "page_walk_is_complete"):
        return None
    reference = _reference_listing(run, case)
    walked, complete = _walked_ids("page_walk_is_complete", walk(run, case, WALK_PAGE_SIZE))
    _compare_walks("page_walk_is_complete", reference, walked, complete)
    return True


@promise(
    "walk-stable-under-create",
    "projects",
    "A project created during a walk does not make the walk repeat or skip any of the others.",
    pointer(LIST, "get"),
    writes=True,
)
def page_walk_survives_concurrent_create(run: PromiseRun, response: Any, case: Any) -> bool | None:
    """Once per run, writes allowed: a project created after the first page of a walk does not
    make the rest of the walk repeat or skip projects; the project is deleted afterwards."""
    if not is_list(case):
        return None
    if not first_time(run, "page_walk_survives_concurrent_create"):
        return None
    reference = _reference_listing(run, case)
    extra: list[str] = []

    def create() -> None:
        reply = send(run, case, "POST", LIST, body={"name": "contract-concurrent-create"})
        if reply.status != 201:
            raise broken("page_walk_survives_concurrent_create", f"creating a project answered {reply.status}")
        extra.append(str(reply.body["id"]))

    try:
        walked, complete = _walked_ids(
            "page_walk_survives_concurrent_create", walk(run, case, WALK_PAGE_SIZE, after_first_page=create)
        )
        _compare_walks("page_walk_survives_concurrent_create", reference, walked, complete)
    finally:
        for project_id in extra:
            send(run, case, "DELETE", ONE, project_id=project_id)
    return True
