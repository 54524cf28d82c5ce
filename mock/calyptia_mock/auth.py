"""Who is calling: a user's bearer token, or a project's own token.

Tokens are looked up by their SHA-256 hash and the stored hash is compared with
`hmac.compare_digest`, so neither the lookup nor the comparison reveals, through timing,
how much of a guessed token was right. The store remembers a bearer token's user by that
hash until users or tokens change (Store.user_by_token). Tokens are never logged or echoed.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from calyptia_mock.errors import UNAUTHENTICATED, ApiError
from calyptia_mock.store import Store, User

__all__ = ["Caller", "authenticate"]


@dataclass(frozen=True, slots=True)
class Caller:
    """Exactly one of `user` (a bearer token) or `project_id` (a project token) is set."""

    user: User | None = None
    project_id: str | None = None


def authenticate(request: Request, store: Store, *, accept_project_token: bool) -> Caller:
    """Identify the caller or raise 401. A bearer token wins when both are sent."""
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and token:
            user = store.user_by_token(token)
            if user is not None:
                return Caller(user=user)
        raise ApiError(401, UNAUTHENTICATED)
    project_token = request.headers.get("x-project-token")
    if accept_project_token and project_token:
        project_id = store.project_id_by_token(project_token)
        if project_id is not None:
            return Caller(project_id=project_id)
    raise ApiError(401, UNAUTHENTICATED)
