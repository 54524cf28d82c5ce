"""The write guard of a live contract run: which requests may change the account under test.

A live run with CONTRACT_WRITES=1 may change only what it created itself. The rule, decided
from the resolved method and URL of the request about to go out, matched against the path
templates of the spec the run tests (no list of today's operations):

- GET, HEAD and OPTIONS change nothing and pass, unless a method-override header
  (`X-HTTP-Method-Override` and kin) or a `_method` query parameter names another method:
  then that one is decided.
- POST to a collection (a template without parameters, such as `/v1/projects`) creates a
  resource and passes; the resource it creates goes into the run's ledger (`created_root`).
- Any other request must bind a resource the run created. A path's *resource root* is the
  path up to and including its first parameter: `/v1/projects/{projectID}/members/{x}`
  is guarded by `/v1/projects/<projectID>`, so settings, members and any sub-resource count
  as changes to the project. The request passes only if its root is in the ledger.
- Everything else is refused: other methods on a collection (a DELETE of a whole collection),
  paths that match no template, paths a server may normalise into another resource (see
  `_ambiguous`), and URLs outside the base URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["SAFE_METHODS", "PathTemplate", "Verdict", "WriteGuard"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Frameworks that honour these run e.g. a GET as the DELETE they name.
METHOD_OVERRIDE_HEADERS = ("x-http-method-override", "x-http-method", "x-method-override")
_PARAMETER = re.compile(r"^\{[^{}]+\}$")


@dataclass(frozen=True)
class PathTemplate:
    """One path of the spec, split into literal segments and `{parameter}` placeholders."""

    text: str
    segments: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> PathTemplate:
        return cls(text, tuple(text.strip("/").split("/")))

    @property
    def root_length(self) -> int | None:
        """Segments up to and including the first parameter; None for a collection."""
        for index, segment in enumerate(self.segments):
            if _PARAMETER.match(segment):
                return index + 1
        return None

    def matches(self, segments: tuple[str, ...]) -> bool:
        return len(segments) == len(self.segments) and all(
            _PARAMETER.match(expected) is not None or expected == actual
            for expected, actual in zip(self.segments, segments, strict=True)
        )


@dataclass(frozen=True)
class Verdict:
    """Whether a request may be sent, and why; `root` is the resource it would change."""

    allowed: bool
    reason: str
    root: str | None = None


class WriteGuard:
    """Decides, per request, whether a write-mode run may send it (see the module docstring)."""

    def __init__(self, paths: Iterable[str], base_url: str, ledger: Iterable[str] = ()) -> None:
        self.templates = tuple(PathTemplate.parse(path) for path in paths)
        base = urlsplit(base_url)
        self._origin = (base.scheme.lower(), base.netloc.lower())
        self._prefix = tuple(segment for segment in base.path.split("/") if segment)
        self.ledger: set[str] = set(ledger)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], base_url: str, ledger: Iterable[str] = ()) -> WriteGuard:
        return cls(spec.get("paths") or {}, base_url, ledger)

    def verdict(self, method: str, url: str, headers: Mapping[str, str] | None = None) -> Verdict:
        method = _effective_method(method, url, headers or {})
        if method in SAFE_METHODS:
            return Verdict(True, "reads change nothing")
        segments = self._api_segments(url)
        if segments is None:
            return Verdict(False, "outside the API's base URL, or a path a server may normalise")
        template = next((template for template in self.templates if template.matches(segments)), None)
        if template is None:
            return Verdict(False, "matches no path of the spec")
        length = template.root_length
        if length is None:
            if method == "POST":
                return Verdict(True, "creates a resource in a collection")
            return Verdict(False, f"{method} on a whole collection")
        root = "/" + "/".join(segments[:length])
        if root in self.ledger:
            return Verdict(True, "changes a resource this run created", root)
        return Verdict(False, "changes a resource this run did not create", root)

    def created_root(self, method: str, url: str, status: int, body: Any) -> str | None:
        """The resource a response created: a 201 to POST on a collection whose items have a
        template `<collection>/{id}`, with the new `id` in the body."""
        if method.upper() != "POST" or status != 201 or not isinstance(body, dict):
            return None
        segments = self._api_segments(url)
        identifier = body.get("id")
        if segments is None or not isinstance(identifier, str) or not identifier or "/" in identifier:
            return None
        root = (*segments, identifier)
        if not any(self._is_collection(template, segments) for template in self.templates):
            return None
        if not any(template.root_length == len(root) and template.matches(root) for template in self.templates):
            return None
        return "/" + "/".join(root)

    @staticmethod
    def _is_collection(template: PathTemplate, segments: tuple[str, ...]) -> bool:
        return template.root_length is None and template.matches(segments)

    def _api_segments(self, url: str) -> tuple[str, ...] | None:
        """The decoded path segments after the base URL's path, or None if the URL is elsewhere
        or its path is ambiguous."""
        parts = urlsplit(url)
        if parts.scheme and (parts.scheme.lower(), parts.netloc.lower()) != self._origin:
            return None
        raw = parts.path.split("/")
        if raw[0] != "" or len(raw) < 2:
            return None
        decoded = tuple(unquote(segment) for segment in raw[1:])
        if any(_ambiguous(segment) for segment in decoded):
            return None
        if decoded[: len(self._prefix)] != self._prefix:
            return None
        return decoded[len(self._prefix) :]


def _ambiguous(segment: str) -> bool:
    """A segment some server may read as a separator or a step up the path: empty, `.`, `..`,
    `..;x` (Tomcat drops `;` parameters), one holding `/` or `\\`, or one still encoded
    (a server that decodes twice)."""
    return segment.split(";", 1)[0] in ("", ".", "..") or any(char in segment for char in "/\\%")


def _effective_method(method: str, url: str, headers: Mapping[str, str]) -> str:
    """The method a server may act on: a method-override header or `_method` query parameter
    counts as the method, whichever is not safe."""
    claimed = [method]
    claimed += [str(value) for name, value in headers.items() if name.lower() in METHOD_OVERRIDE_HEADERS]
    claimed += parse_qs(urlsplit(url).query, keep_blank_values=True).get("_method", [])
    unsafe = [name.strip().upper() for name in claimed if name.strip().upper() not in SAFE_METHODS]
    return unsafe[0] if unsafe else method.upper()
