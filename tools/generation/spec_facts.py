"""What the templates need from the spec that the generator's template context does not give.

openapi-python-client hands the templates each endpoint's parameters and responses, but of its
`security` only whether it needs a client at all, and nothing of the paths as a whole. The
client needs both: a 401 names the credentials the operation accepts (errors.AuthenticationError),
and the client refuses a `base_url` that repeats the prefix every path starts with
(`https://host/v1` makes every request go to `/v1/v1/...`). `spec_facts_template` writes them as
Jinja variables for `templates_for`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def credential_header(scheme: Mapping[str, Any]) -> str | None:
    """The header (lower case) a security scheme's credential travels in; None for one sent
    elsewhere (a query or cookie apiKey) or of an unknown type."""
    kind = scheme.get("type")
    if kind in ("http", "oauth2", "openIdConnect"):
        return "authorization"
    if kind == "apiKey" and scheme.get("in") == "header" and isinstance(scheme.get("name"), str):
        return str(scheme["name"]).lower()
    return None


def accepted_credentials(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> list[str]:
    """The credential headers an operation's `security` (else the document's) accepts, in the
    order the spec lists them, each once."""
    requirements = operation.get("security", spec.get("security")) or []
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    headers: list[str] = []
    for requirement in requirements:
        for name in requirement if isinstance(requirement, Mapping) else ():
            header = credential_header(schemes.get(name) or {})
            if header is not None and header not in headers:
                headers.append(header)
    return headers


def path_prefix(spec: Mapping[str, Any]) -> str:
    """The leading segments every operation's path shares (`/v1` of `/v1/projects` and
    `/v1/users`), up to the first templated one; "" when they share none."""
    paths = [str(path) for path, item in (spec.get("paths") or {}).items() if _has_operation(item)]
    if not paths:
        return ""
    split = [[segment for segment in path.split("/") if segment] for path in paths]
    shared: list[str] = []
    for segments in zip(*split, strict=False):
        if len(set(segments)) != 1 or "{" in segments[0]:
            break
        shared.append(segments[0])
    return "".join(f"/{segment}" for segment in shared)


def _has_operation(item: object) -> bool:
    return isinstance(item, Mapping) and any(isinstance(item.get(method), Mapping) for method in HTTP_METHODS)


def spec_facts_template(
    spec: Mapping[str, Any],
    dotted_names: Mapping[str, str],
    credentials: Mapping[str, list[str]],
    left_out: list[dict[str, str]] | None = None,
) -> str:
    """`spec_facts.jinja`: `operation_names` (`projects.list`) and `operation_credentials` (the
    headers), both by the endpoint's name in the templates, `path_prefix`, and `left_out` (the
    operations generator_config.yml leaves out, with why), as Jinja `set` statements."""
    return (
        "{#- Written by tools/generation/spec_facts.py: what the generator's context lacks, each\n"
        "    operation's name on the client and the credential headers it accepts (by endpoint\n"
        "    name), and the paths' prefix. -#}\n"
        f"{{% set operation_names = {json.dumps(dict(dotted_names), ensure_ascii=True)} %}}\n"
        f"{{% set operation_credentials = {json.dumps(dict(credentials), ensure_ascii=True)} %}}\n"
        f"{{% set path_prefix = {json.dumps(path_prefix(spec), ensure_ascii=True)} %}}\n"
        f"{{% set left_out = {json.dumps(left_out or [], ensure_ascii=True)} %}}\n"
    )
