"""One HTTP exchange as the model reads it, whichever library sent it."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlsplit

__all__ = ["BODY_KEPT", "NOT_JSON", "Exchange"]

# Request bodies are logged up to this size; a larger one keeps its length (for the 413 rule)
# and its first bytes, which is all the model needs of it.
BODY_KEPT = 64 * 1024


class _NotJson:
    def __repr__(self) -> str:
        return "<not JSON>"


NOT_JSON: Any = _NotJson()


@dataclass(frozen=True)
class Exchange:
    """A request (method, path, raw query, headers, body) and the response it got."""

    method: str
    path: str
    raw_query: str
    headers: Mapping[str, str]  # names in lower case
    body: bytes
    status: int
    response_headers: Mapping[str, str]  # names in lower case
    response_body: bytes
    body_size: int = -1  # the request body's full length, when `body` was cut to BODY_KEPT (in the log)
    origin: str = ""  # who sent it: "schemathesis", "model", "seed"
    _parsed: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def size(self) -> int:
        return self.body_size if self.body_size >= 0 else len(self.body)

    @property
    def query(self) -> list[tuple[str, str]]:
        """The query's pairs as a server decodes them (`+` is a space; a name without `=`
        has the value ""), every one kept, in order: the model judges repeats itself."""
        return [
            (unquote_plus(name), unquote_plus(value))
            for name, _, value in (item.partition("=") for item in self.raw_query.split("&") if item)
        ]

    def line(self) -> str:
        """`GET /v1/projects?last=3`: how a report names the request."""
        return f"{self.method} {self.path}{'?' + self.raw_query if self.raw_query else ''}"

    def response_json(self) -> Any:
        """The response body parsed as JSON, or NOT_JSON."""
        if "json" not in self._parsed:
            try:
                self._parsed["json"] = json.loads(self.response_body) if self.response_body else NOT_JSON
            except ValueError:
                self._parsed["json"] = NOT_JSON
        return self._parsed["json"]

    # -- the run's log of exchanges (one JSON line each) ------------------------------------

    def to_record(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "method": self.method,
            "path": self.path,
            "query": self.raw_query,
            "headers": dict(self.headers),
            "body": base64.b64encode(self.body[:BODY_KEPT]).decode("ascii"),
            "body_size": self.size,
            "status": self.status,
            "response_headers": dict(self.response_headers),
            "response_body": base64.b64encode(self.response_body).decode("ascii"),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Exchange:
        return cls(
            method=str(record["method"]),
            path=str(record["path"]),
            raw_query=str(record["query"]),
            headers=dict(record["headers"]),
            body=base64.b64decode(record["body"]),
            status=int(record["status"]),
            response_headers=dict(record["response_headers"]),
            response_body=base64.b64decode(record["response_body"]),
            body_size=int(record["body_size"]),
            origin=str(record.get("origin", "")),
        )

    @classmethod
    def of(
        cls,
        method: str,
        url: str,
        headers: Mapping[str, Any],
        body: bytes | str | None,
        status: int,
        response_headers: Mapping[str, Any],
        response_body: bytes,
        origin: str,
    ) -> Exchange:
        """From the parts any HTTP library has: the full URL, headers, bodies."""
        parts = urlsplit(url)
        raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        return cls(
            method=method.upper(),
            path=parts.path or "/",
            raw_query=parts.query,
            headers=_lower(headers),
            body=raw,
            status=status,
            response_headers=_lower(response_headers),
            response_body=response_body,
            body_size=len(raw),
            origin=origin,
        )


def _lower(headers: Mapping[str, Any]) -> dict[str, str]:
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        key = (name.decode("latin-1") if isinstance(name, bytes) else str(name)).lower()
        lowered[key] = f"{lowered[key]}, {text}" if key in lowered else text
    return lowered
