"""What the spec says about a request before any project is looked at: which operation it
is, who its credentials name, and what makes it invalid (400, 413, 415).

Read from the spec (paths, parameters and their schemas, request body schemas, security)
and from what its descriptions say in words: integers in ASCII decimal digits, a query
parameter not defined or given twice is `invalid query parameter`, an unusable `before` is
`decode cursor`, a bad project ID `invalid project ID`, a body over the limit 413 and one
not sent as `application/json` 415.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal
from urllib.parse import unquote

from jsonschema_rs import Draft202012Validator

from tools.contract.model.exchange import Exchange
from tools.contract.model.predict import Outcome, error_outcome
from tools.spec import operations, resolve_ref

__all__ = ["Caller", "Credentials", "RequestRules", "Route", "Routes", "credentials", "parse_body"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_DIGITS = re.compile(r"^[0-9]+$")
_LIMIT = re.compile(r"([0-9][0-9,]*) bytes")
INVALID_QUERY = "invalid query parameter"
CURSOR_MESSAGES = ("decode cursor", INVALID_QUERY)


@dataclass(frozen=True)
class Route:
    """A request matched to an operation of the spec."""

    method: str  # the operation's method (GET for a HEAD)
    template: str
    operation: Mapping[str, Any]
    path_values: Mapping[str, str]
    spec: Mapping[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.operation.get("operationId") or f"{self.method} {self.template}")

    def parameters(self, where: str) -> dict[str, Mapping[str, Any]]:
        item = self.spec["paths"][self.template]
        found: dict[str, Mapping[str, Any]] = {}
        for owner in (item, self.operation):
            for parameter in owner.get("parameters") or []:
                resolved = resolve_ref(self.spec, parameter)
                if resolved.get("in") == where:
                    found[str(resolved["name"])] = resolved
        return found


@dataclass(frozen=True)
class Routes:
    """The spec's paths, to match a request's method and path with."""

    spec: Mapping[str, Any]

    @cached_property
    def _templates(self) -> list[tuple[str, re.Pattern[str], list[str]]]:
        compiled = []
        for template in self.spec.get("paths") or {}:
            names = re.findall(r"\{([^{}]+)\}", template)
            pattern = "^" + re.sub(r"\\\{[^{}]+\\\}", "([^/]+)", re.escape(template)) + "$"
            compiled.append((template, re.compile(pattern), names))
        return compiled

    def methods(self, template: str) -> set[str]:
        """What the Allow header of a 405 lists: the path's methods, and HEAD wherever GET is."""
        item = self.spec["paths"][template]
        methods = {method.upper() for method in item if method in METHODS}
        return methods | ({"HEAD"} if "GET" in methods else set())

    def template(self, path: str) -> tuple[str, dict[str, str]] | None:
        for template, pattern, names in self._templates:
            match = pattern.match(path)
            if match is not None:
                return template, {name: unquote(value) for name, value in zip(names, match.groups(), strict=True)}
        return None

    def route(self, method: str, template: str, values: Mapping[str, str]) -> Route | None:
        looked_up = "get" if method == "HEAD" else method.lower()
        operation = self.spec["paths"][template].get(looked_up)
        if not isinstance(operation, Mapping):
            return None
        return Route(looked_up.upper(), template, operation, values, self.spec)

    def operation_ids(self) -> list[str]:
        return [str(op.get("operationId") or f"{m.upper()} {p}") for p, m, op in operations(self.spec)]


# -- credentials ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """Who a credential names: one of the run's users (by their token), or one project (by
    its project token)."""

    kind: Literal["user", "project"]
    project_id: str | None = None
    user: str = ""  # the user's token


@dataclass(frozen=True)
class Credentials:
    callers: tuple[Caller, ...]
    may_fail: bool  # 401 is allowed as well (or, with no caller, the only answer)
    stale_project_token: bool = False  # the token of a project the run deleted


def _schemes(route: Route) -> set[str]:
    """The kinds of credential the operation accepts: `bearer` (a user token) and `apiKey`
    (a project token, in its header)."""
    requirements = route.operation.get("security", route.spec.get("security")) or []
    schemes = (route.spec.get("components") or {}).get("securitySchemes") or {}
    kinds = set()
    for requirement in requirements:
        for name in requirement:
            scheme = schemes.get(name) or {}
            if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                kinds.add("bearer")
            elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                kinds.add(f"apiKey:{str(scheme['name']).lower()}")
    return kinds


def credentials(
    exchange: Exchange,
    route: Route,
    user_tokens: Collection[str],
    project_tokens: Mapping[str, str],
    deleted_tokens: set[str],
) -> Credentials:
    """Who the request's credentials may name. `project_tokens` maps the tokens the run was
    given to their projects."""
    kinds = _schemes(route)
    callers: list[Caller] = []
    may_fail = False
    authorization = exchange.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme == "Bearer" and token in user_tokens and "bearer" in kinds:
            callers.append(Caller("user", user=token))
        elif scheme.lower() == "bearer" and token.strip() in user_tokens and "bearer" in kinds:
            callers.append(Caller("user", user=token.strip()))  # a spelling HTTP allows; the spec does not say
            may_fail = True
    stale = False
    for kind in kinds:
        if not kind.startswith("apiKey:"):
            continue
        value = exchange.headers.get(kind.removeprefix("apiKey:"))
        if value is None:
            continue
        if value in project_tokens:
            if authorization is not None and not callers:
                may_fail = True  # a bad bearer token beside it: which one counts is open
            if not callers or authorization is None:
                callers.append(Caller("project", project_tokens[value]))
        elif value in deleted_tokens:
            stale = True
    if not callers:
        may_fail = True
    return Credentials(tuple(callers), may_fail, stale)


# -- invalid requests -----------------------------------------------------------------------


class RequestRules:
    """The 400, 413 and 415 answers a request earns, read from the spec."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self._validators: dict[str, Draft202012Validator] = {}

    def body_limit_of(self, path: str, method: str) -> int | None:
        operation = (self.spec["paths"].get(path) or {}).get(method)
        if not isinstance(operation, Mapping):
            return None
        return self.body_limit(Route(method.upper(), path, operation, {}, self.spec))

    def body_limit(self, route: Route) -> int | None:
        """The body limit the operation's 413 response states (`1,048,576 bytes`)."""
        response = (route.operation.get("responses") or {}).get("413")
        if response is None:
            return None
        match = _LIMIT.search(str(resolve_ref(self.spec, response).get("description", "")))
        return int(match.group(1).replace(",", "")) if match else None

    def errors(self, exchange: Exchange, route: Route) -> tuple[list[Outcome], bool]:
        """Every error answer the request earns, and whether its path parameters are valid
        (a project can be looked up)."""
        found = self._query_errors(exchange, route)
        path_ok = True
        for name, parameter in route.parameters("path").items():
            value = route.path_values.get(name, "")
            if self._value_problem(value, parameter.get("schema") or {}, "string") is not None:
                found.append(error_outcome(400, f"{route.operation_id}: {name} is not valid", "invalid project ID"))
                path_ok = False
        if "requestBody" in route.operation and exchange.method != "HEAD":
            found += self._body_errors(exchange, route)
        return found, path_ok

    def _query_errors(self, exchange: Exchange, route: Route) -> list[Outcome]:
        defined = route.parameters("query")
        pairs = exchange.query
        names = [name for name, _ in pairs]
        found = []
        for name, value in pairs:
            if name not in defined:
                found.append(
                    error_outcome(400, f"{route.operation_id}: a query parameter it does not define", INVALID_QUERY)
                )
            elif names.count(name) > 1:
                rule = f"{route.operation_id}: query parameter {name!r} given more than once"
                found.append(error_outcome(400, rule, INVALID_QUERY))
            else:
                schema = resolve_ref(self.spec, defined[name].get("schema") or {})
                problem = self._value_problem(value, schema, str(schema.get("type", "string")))
                if problem is not None:
                    messages = CURSOR_MESSAGES if name == "before" else (INVALID_QUERY,)
                    found.append(
                        error_outcome(
                            400, f"{route.operation_id}: query parameter {name!r} breaks its schema", *messages
                        )
                    )
        return found

    @staticmethod
    def _value_problem(value: str, schema: Mapping[str, Any], kind: str) -> str | None:
        """Why a parameter's text breaks its schema, or None."""
        if kind == "integer":
            if not _DIGITS.match(value):  # the spec: ASCII decimal digits
                return f"{value!r} is not written in decimal digits"
            number = int(value)
            if "minimum" in schema and number < schema["minimum"]:
                return f"{number} is below {schema['minimum']}"
            if "maximum" in schema and number > schema["maximum"]:
                return f"{number} is above {schema['maximum']}"
            return None
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"shorter than {schema['minLength']}"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"longer than {schema['maxLength']}"
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            return "does not match the pattern"
        return None

    def _body_errors(self, exchange: Exchange, route: Route) -> list[Outcome]:
        rule = f"{route.operation_id}: body"
        found = []
        limit = self.body_limit(route)
        if limit is not None and exchange.size > limit:
            found.append(error_outcome(413, f"{rule} is over the limit", "request body too large"))
        media = exchange.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json":
            found.append(error_outcome(415, f"{rule} is not sent as application/json", "unsupported media type"))
            if not exchange.body:
                found.append(error_outcome(400, f"{rule} is empty"))
            return found
        if limit is not None and exchange.size > limit:
            return found
        body = parse_body(exchange)
        if body is _INVALID:
            found.append(error_outcome(400, f"{rule} is not JSON", "invalid request body"))
            return found
        problems = list(self._validator(route).iter_errors(body))
        if problems:
            paths = {str(problem.instance_path[0]) if problem.instance_path else "" for problem in problems}
            messages = ("invalid project name",) if paths == {"name"} else ()
            found.append(error_outcome(400, f"{rule} breaks its schema", *messages))
        return found

    def _validator(self, route: Route) -> Draft202012Validator:
        """The body's JSON schema, with the spec's components beside it so that its local
        `$ref`s resolve."""
        key = route.operation_id
        if key not in self._validators:
            content = resolve_ref(self.spec, route.operation["requestBody"]).get("content") or {}
            if "application/json" not in content:
                raise LookupError(f"{key}: the model reads only application/json request bodies")
            schema: dict[str, Any] = {"allOf": [content["application/json"].get("schema") or {}]}
            schema["components"] = self.spec.get("components") or {}
            self._validators[key] = Draft202012Validator(schema)
        return self._validators[key]


_INVALID: Any = object()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_body(exchange: Exchange) -> Any:
    """The request body as strict JSON (no NaN or Infinity), or _INVALID."""
    try:
        return json.loads(exchange.body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        return _INVALID
