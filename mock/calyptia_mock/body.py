"""Read a JSON request body defensively, before anything else looks at it.

The checks run cheapest first and each has its own documented status: a body that is not
`application/json` is 415; one over the limit is 413, found from Content-Length or while
streaming, so a liar cannot make the mock buffer more than the limit; invalid UTF-8,
malformed JSON and pathologically deep nesting are 400. openapi-core then validates the
parsed value against the spec.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request

from calyptia_mock.errors import INVALID_BODY, ApiError

__all__ = ["MAX_BODY_BYTES", "MAX_NESTING", "read_json_body"]

MAX_BODY_BYTES = 1_048_576  # documented in openapi.yaml (413)
MAX_NESTING = 64  # far deeper than any valid body; stops recursion bombs cheaply


async def read_json_body(request: Request) -> tuple[bytes, Any]:
    """Return the raw body and its parsed JSON value, or raise the documented ApiError."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(415, "unsupported media type", "send the body as application/json")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, INVALID_BODY, f"the body is not valid UTF-8 (byte {exc.start})") from None
    if text.count("[") + text.count("{") > MAX_NESTING and _nesting(text) > MAX_NESTING:
        raise ApiError(400, INVALID_BODY, f"JSON nested deeper than {MAX_NESTING} levels")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except ValueError as exc:
        raise ApiError(400, INVALID_BODY, str(exc)) from None
    return raw, value


def _too_large() -> ApiError:
    return ApiError(413, "request body too large", f"the limit is {MAX_BODY_BYTES} bytes")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    """`1e400` is valid JSON, but Python reads it as infinity, which no JSON response can carry:
    stored in settings it would break every later read of the project."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is out of range for a number")
    return value


def _nesting(text: str) -> int:
    """Deepest bracket nesting outside strings: a cheap scan, so json.loads never recurses far."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
