"""Following the API's pages: the `before` cursor of each `Link: rel="next"` header, refusing a
walk that would loop or could not go on, for the `iterate` / `aiterate` call styles."""

from __future__ import annotations

import httpx

from . import errors


def next_cursor(response: httpx.Response, followed: set[str]) -> str | None:
    """The `before` cursor of the RFC 8288 `Link: <...>; rel="next"` header; None on the last page.

    A cursor already followed would make the walk loop forever, and a next link without a
    cursor cannot be followed: both raise PaginationError instead of ending the walk early.
    `followed` is the walk's own record; the cursor returned is added to it.
    """
    next_link = response.links.get("next")
    if next_link is None:
        return None
    try:
        cursor: str | None = httpx.URL(next_link.get("url", "")).params.get("before")
    except (httpx.InvalidURL, ValueError) as exc:
        raise errors.PaginationError(response, f"the next link is not a URL ({type(exc).__name__})") from exc
    if not cursor:
        raise errors.PaginationError(response, "the next link carries no before cursor")
    if cursor in followed:
        raise errors.PaginationError(response, "the next link repeats a cursor already followed")
    followed.add(cursor)
    return cursor
