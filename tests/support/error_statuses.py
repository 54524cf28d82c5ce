"""Which typed error each documented error status raises: one table for every test that checks it."""

from __future__ import annotations

from calyptia_cloud_client import errors

STATUS_ERRORS: list[tuple[int, type[errors.APIStatusError]]] = [
    (400, errors.BadRequestError),
    (401, errors.AuthenticationError),
    (403, errors.PermissionDeniedError),
    (404, errors.NotFoundError),
    (409, errors.ConflictError),
    (429, errors.RateLimitError),
    (500, errors.InternalServerError),
]
