"""What openapi-python-client says it left out, read from its stderr.

After its banner ("Warning(s) encountered while generating..." or "Error(s) encountered...") the
generator (0.29) prints one block per problem: a header line, a blank line, a detail (possibly
several lines), and often the offending part of the spec as indented JSON. The headers name
the piece: `WARNING parsing GET /path within tag.` (the endpoint is generated without a
response or body; with ` Endpoint will not be generated.` it is dropped), `Unable to parse
schema <ref>` and `Unable to process schema <ref>:` (the schema is dropped, and every endpoint
or model using it loses that part: "Could not find reference in parsed models or enums"),
and a few generator-wide errors (`ruff failed`, `Failed to parse OpenAPI document`).
An endpoint listed under several tags is reported once per tag; each piece counts once here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BANNERS = ("Warning(s) encountered while generating", "Error(s) encountered while generating")
# The closing line after every block.
CLOSING = "If you believe this was a mistake"
ENDPOINT = re.compile(
    r"^WARNING parsing (?P<method>[A-Z]+) (?P<path>\S+) within .*?\.(?P<dropped> Endpoint will not be generated\.)?$"
)
SCHEMA = re.compile(r"^Unable to (?:parse|process) schema (?P<ref>\S+?):?$")
# Headers of the generator's other errors; the generic ParseError headers are also what a
# schema's detail starts with, so they are headers only where no detail is awaited.
GENERIC = re.compile(
    r"^(?:Unable to generate the client|Failed to parse OpenAPI document|Invalid (?:JSON|YAML) from provided source"
    r"|Could not get OpenAPI document|Skipping Integration|\S+ failed$|Unable to parse this part of your OpenAPI"
    r" document|Problem creating a (?:Property|Parameter))"
)

# The generator prints some names as the repr of its UntrustedString (a status code, a reference).
UNPRINTABLE = re.compile(r"<openapi_python_client\.[\w.]+ object at 0x[0-9a-f]+>")
# What the generator puts before a schema's detail (its ParseError's header, then the detail).
DETAIL_PREFIX = re.compile(r"^(?:Unable to parse this part of your OpenAPI document|Problem creating a \w+):\s*:?\s*")

# Kinds, most causal first: a dropped schema is why endpoints and models lose their references.
KINDS = ("error", "schema", "endpoint", "endpoint part")


@dataclass(frozen=True)
class Problem:
    """One block of the generator's report: what kind of piece, which one, and why."""

    kind: str  # one of KINDS
    subject: str  # "GET /path", a schema's reference, or the header of a generator-wide error
    detail: str  # the detail's first line ("" when there is none)

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}: {self.detail}" if self.detail else f"{self.kind} {self.subject}"


def problems(stderr: str) -> list[Problem]:
    """Every problem the generator reported, in its order, each piece once."""
    found: list[Problem] = []
    started = False
    pending: tuple[str, str] | None = None  # (kind, subject) awaiting its detail
    for raw in stderr.splitlines():
        line = raw.strip()
        if not started:
            started = line.startswith(BANNERS)
            continue
        if not line:
            continue
        if line.startswith(CLOSING):
            break
        header = _header(line, detail_awaited=pending is not None)
        if header is not None:
            if pending is not None:
                found.append(Problem(*pending, ""))
            pending = header
        elif pending is not None:
            found.append(Problem(*pending, "" if line.startswith(("{", "[")) else _detail(line)))
            pending = None
    if pending is not None:
        found.append(Problem(*pending, ""))
    return list(dict.fromkeys(found))


def _header(line: str, *, detail_awaited: bool) -> tuple[str, str] | None:
    endpoint = ENDPOINT.match(line)
    if endpoint:
        kind = "endpoint" if endpoint["dropped"] else "endpoint part"
        return kind, f"{endpoint['method']} {endpoint['path']}"
    schema = SCHEMA.match(line)
    if schema:
        return "schema", schema["ref"]
    if not detail_awaited and GENERIC.match(line):
        return "error", line.rstrip(":").rstrip()
    return None


def _detail(line: str) -> str:
    return DETAIL_PREFIX.sub("", UNPRINTABLE.sub("<?>", line))


def skipped(found: list[Problem]) -> int:
    """How many pieces (endpoints, schemas) the generator left out or cut short, each once."""
    return len({(problem.kind, problem.subject) for problem in found if problem.kind != "error"})


def root(found: list[Problem]) -> Problem | None:
    """The problem most likely to explain the others: the first of the most causal kind."""
    for kind in KINDS:
        for problem in found:
            if problem.kind == kind:
                return problem
    return None
