"""`make upstream-diff UPSTREAM=<file or URL>`: our spec against the vendor's published one.

The vendor publishes an OpenAPI description of the whole Calyptia Cloud API. This compares
the part of it that we describe (our paths, our methods) with our effective spec
(openapi.yaml + overlays), and sorts every difference into one of:

- `upstream-only`: upstream has it, we lack it (an operation, parameter, property, enum
  value, status, constraint): a candidate for openapi.yaml;
- `ours-only`: we have it, upstream lacks it;
- `different`: both have it, with other values;
- `declared`: a deliberate difference, listed with its reason in
  openapi.upstream-differences.yaml beside openapi.yaml (the vendor's own mistakes that we
  fix, our overlays' names). A declaration that matches nothing any more is reported as
  `stale`, so the file cannot rot.

Differences of wording only (descriptions, summaries, examples, tags) are counted, and
listed with --all. The comparison is api-smart-diff's, through `tools.spec_diff.classify`,
as for `make diff`; this module only makes the two documents comparable and classifies the
result. Making them comparable means: load the vendor's file as published (its unquoted
integer response codes become strings), resolve every `$ref` (the two name their
components differently), restate its OpenAPI 3.0 `nullable` as a 3.1 `type` list, and name
security schemes by what they are on the wire (`http bearer`) instead of by their names.

A cut-down copy of the vendor's file (tests/fixtures/upstream/, for a clone without the
vendor's checkout) says so with a top-level `x-cut-down` (why it was cut): it holds only some
operations, so only those are compared. Our operations it does not hold are listed as left
out, not as ours-only, and a declaration whose `at` names one of them is not checked for
staleness: the comparison with the whole file checks it.

Exit 0 when the comparison ran (the report is information); with --strict, 1 when some
difference is not declared or a declaration is stale. 2 on a usage or tool error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from tools.generation.overlay import OverlayError
from tools.paths import ROOT
from tools.spec import METHODS, pointer_parts
from tools.spec_diff.changes import Change, SpecDiffError
from tools.spec_diff.git import effective_spec
from tools.spec_diff.smart_diff import classify

DECLARED = ROOT / "openapi.upstream-differences.yaml"
CLASSES = ("upstream-only", "ours-only", "different", "declared", "stale")
ACTION_CLASS = {"remove": "upstream-only", "add": "ours-only", "replace": "different", "rename": "different"}
MAX_REF_DEPTH = 64
CUT_DOWN = "x-cut-down"  # on a cut-down copy of the vendor's file: why it holds only some operations

Spec = dict[str, Any]


class UpstreamError(Exception):
    """The upstream document or the declarations cannot be read (exit 2)."""


# --- loading --------------------------------------------------------------------------------


def load_document(source: str) -> Spec:
    """A YAML or JSON document from a file path or an http(s) URL, as published."""
    if source.startswith(("http://", "https://")):
        try:
            response = httpx.get(source, timeout=30, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise UpstreamError(f"cannot fetch {source}: {exc}") from exc
        text = response.text
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise UpstreamError(f"cannot read {source}: {exc.strerror}") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UpstreamError(f"{source}: not YAML or JSON: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise UpstreamError(f"{source}: not an OpenAPI document (no `paths`)")
    return document


def string_keys(node: Any) -> Any:
    """Every mapping key as a string: `200:` unquoted is the integer 200 in YAML."""
    if isinstance(node, dict):
        return {str(key): string_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [string_keys(item) for item in node]
    return node


def resolve_all(spec: Mapping[str, Any], node: Any, depth: int = 0) -> Any:
    """A copy of `node` with every local `$ref` replaced by what it names (siblings of the
    `$ref`, which OpenAPI 3.1 allows, are kept over the target's)."""
    if depth > MAX_REF_DEPTH:
        raise UpstreamError("a $ref cycle, or $refs nested too deep, to inline")
    if isinstance(node, list):
        return [resolve_all(spec, item, depth) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#/"):
            raise UpstreamError(f"only local $refs are supported, not {ref!r}")
        target: Any = spec
        for key in pointer_parts(ref):
            if not isinstance(target, dict) or key not in target:
                raise UpstreamError(f"$ref {ref!r} names nothing")
            target = target[key]
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        resolved = resolve_all(spec, target, depth + 1)
        return {**resolved, **resolve_all(spec, siblings, depth)} if isinstance(resolved, dict) else resolved
    return {key: resolve_all(spec, value, depth) for key, value in node.items()}


def nullable_as_type(node: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` as 3.1's `type: [T, 'null']`, everywhere."""
    if isinstance(node, list):
        return [nullable_as_type(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: nullable_as_type(value) for key, value in node.items()}
    if result.pop("nullable", False) is True and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    return result


def _scheme_name(scheme: Mapping[str, Any]) -> str:
    """A security scheme by what it is on the wire: `http bearer`, `apiKey header X-Project-Token`."""
    kind = str(scheme.get("type", "?"))
    if kind == "http":
        return f"http {str(scheme.get('scheme', '')).lower()}"
    if kind == "apiKey":
        return f"apiKey {scheme.get('in', '')} {scheme.get('name', '')}"
    return kind


def comparable(spec: Spec, paths: Iterable[str], methods: Mapping[str, set[str]]) -> Spec:
    """`spec` cut down to `paths` and their `methods`, $refs resolved, security by wire name;
    components dropped: after resolution everything they held is in place."""
    spec = nullable_as_type(string_keys(spec))
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}

    def security(requirements: Any) -> Any:
        if not isinstance(requirements, list):
            return requirements
        return [
            {_scheme_name(resolve_all(spec, schemes.get(name, {}))): scopes for name, scopes in item.items()}
            for item in requirements
            if isinstance(item, dict)
        ]

    kept: dict[str, Any] = {}
    for path in paths:
        item = (spec.get("paths") or {}).get(path)
        if not isinstance(item, dict):
            continue
        item = resolve_all(spec, item)
        kept[path] = {
            key: value for key, value in item.items() if key not in METHODS or key in methods.get(path, set())
        }
        for method in methods.get(path, set()) & item.keys():
            operation = dict(kept[path][method])
            operation["security"] = security(operation.get("security", spec.get("security")))
            kept[path][method] = operation
    return {"openapi": "3.1.0", "info": {"title": "compared", "version": "0"}, "paths": kept}


def restrict_like(upstream: Spec, ours: Spec) -> tuple[Spec, Spec]:
    """Both documents restricted to our paths and methods, made comparable."""
    paths = list(ours.get("paths") or {})
    methods = {path: {key for key in (item or {}) if key in METHODS} for path, item in ours["paths"].items()}
    upstream_methods = {
        path: {key for key in ((upstream.get("paths") or {}).get(path) or {}) if key in METHODS} for path in paths
    }
    union = {path: methods[path] | upstream_methods[path] for path in paths}
    return comparable(upstream, paths, union), comparable(ours, paths, union)


Operation = tuple[str, str]  # (path, method)


def held_operations(upstream: Spec) -> set[Operation] | None:
    """The operations a cut-down copy (`x-cut-down`) holds; None for the whole description."""
    if not upstream.get(CUT_DOWN):
        return None
    return {
        (str(path), str(method))
        for path, item in (upstream.get("paths") or {}).items()
        if isinstance(item, dict)
        for method in item
        if method in METHODS
    }


def cut_down_like(ours: Spec, held: set[Operation]) -> tuple[Spec, list[Operation]]:
    """`ours` with only the operations in `held` (a path left with none is dropped), and the
    operations left out."""
    paths: dict[str, Any] = {}
    left_out: list[Operation] = []
    for path, item in (ours.get("paths") or {}).items():
        kept = {key: value for key, value in item.items() if key not in METHODS or (path, key) in held}
        left_out += [(path, key) for key in item if key in METHODS and (path, key) not in held]
        if any(key in METHODS for key in kept):
            paths[path] = kept
    return {**ours, "paths": paths}, left_out


# --- declarations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    """A deliberate difference: `at` is a difference's JSONPath location, where `*` stands
    for any run of characters (and nothing else is special: `[` and `?` are literal)."""

    at: str
    reason: str
    change: str = ""

    def matches(self, change: Change) -> bool:
        pattern = ".*".join(re.escape(part) for part in self.at.split("*"))
        return re.fullmatch(pattern, change.location) is not None and self.change in ("", change.action)


def load_declarations(path: Path = DECLARED) -> list[Declaration]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UpstreamError(f"{path}: {exc}") from exc
    items = (document or {}).get("differences") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise UpstreamError(f"{path}: expected a mapping with a `differences` list")
    declarations = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("at") or not str(item.get("reason", "")).strip():
            raise UpstreamError(f"{path}: differences[{index}] needs `at` (a location glob) and a `reason`")
        change = str(item.get("change", ""))
        if change and change not in ACTION_CLASS:
            raise UpstreamError(f"{path}: differences[{index}].change must be one of {sorted(ACTION_CLASS)}")
        declarations.append(Declaration(str(item["at"]), " ".join(str(item["reason"]).split()), change))
    return declarations


_DECLARED_PLACE = re.compile(r"\$\.paths\['([^'*]*)'\](?:\.([a-z]+)(?=[.\[]|$))?")


def names_an_operation_not_held(declaration: Declaration, held: set[Operation]) -> bool:
    """Whether the declaration's `at` spells out a path (and method) that `held` lacks."""
    place = _DECLARED_PLACE.match(declaration.at)
    if place is None:
        return False
    path, method = place.group(1), place.group(2)
    if method in METHODS:
        return (path, method) not in held
    return not any(held_path == path for held_path, _ in held)


# --- classification -------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    kind: str
    change: Change
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        data = {"class": self.kind, **self.change.to_json()}
        data.pop("type", None)
        data.pop("note", None)
        if self.reason:
            data["reason"] = self.reason
        return data


def schema_subject(change: Change) -> tuple[str, str]:
    """(what, where): inside a schema, the schema path (`membership.properties.roles`) and the
    body it is in (`GET /v1/projects response 200`); otherwise the location and ''. With
    $refs resolved, one difference in a shared schema shows in every body that uses it: the
    report lists it once, with every place."""
    path = change.path
    if "schema" not in path or path[:1] != ("paths",) or len(path) < 4:
        return change.location, ""
    at = path.index("schema")
    inner = path[at + 1 :]
    if inner[:1] == ("items",) and "responses" in path[:at]:
        inner = inner[1:]  # a list's items: the place says which response, and that it is a list
    tail = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in inner).lstrip(".")
    body = "request body" if "requestBody" in path[:at] else f"response {path[4]}" if "responses" in path[:at] else ""
    if "parameters" in path[:at]:
        body = f"parameter {path[path.index('parameters') + 1]}"
    return tail or "(the whole schema)", f"{change.operation} {body}".strip()


@dataclass(frozen=True)
class Group:
    """One difference, with every place it shows in."""

    kind: str
    what: str
    change: Change
    reason: str
    places: tuple[str, ...]


@dataclass(frozen=True)
class UpstreamReport:
    differences: list[Difference]
    wording: list[Change]
    stale: list[Declaration]
    left_out: list[Operation] = field(default_factory=list)  # ours, not held by a cut-down copy

    def groups(self) -> list[Group]:
        grouped: dict[tuple[str, ...], list[Difference]] = {}
        for item in self.differences:
            what, _ = schema_subject(item.change)
            change = item.change
            key = (item.kind, change.action, what, json.dumps(change.before), json.dumps(change.after), item.reason)
            grouped.setdefault(key, []).append(item)
        return [
            Group(first.kind, key[2], first.change, first.reason, tuple(schema_subject(i.change)[1] for i in items))
            for key, items in grouped.items()
            for first in items[:1]
        ]

    def counts(self) -> dict[str, int]:
        counts = Counter(group.kind for group in self.groups())
        return {**{kind: counts.get(kind, 0) for kind in CLASSES[:-1]}, "stale": len(self.stale)}

    @property
    def ok(self) -> bool:
        return not self.stale and all(difference.kind == "declared" for difference in self.differences)


WORDING = frozenset({"description", "summary", "title", "example", "examples", "tags", "externalDocs"})


def _is_wording(change: Change) -> bool:
    """Text for people: api-smart-diff's annotations, except operationId (it names generated
    code), and examples, which it counts as changes."""
    last = change.path[-1] if change.path else ""
    if change.type == "annotation":
        return last != "operationId"
    return last in WORDING or (len(change.path) > 1 and change.path[-2] in ("examples", "tags"))


def compare_with_upstream(upstream: Spec, ours: Spec, declarations: Sequence[Declaration]) -> UpstreamReport:
    """Every difference from upstream to ours, classified; declarations matched and checked.
    Against a cut-down copy, only the operations it holds (see the module's docstring)."""
    held = held_operations(upstream)
    left_out: list[Operation] = []
    if held is not None:
        ours, left_out = cut_down_like(ours, held)
    before, after = restrict_like(upstream, ours)
    (report,) = classify([(before, after)])
    used: set[Declaration] = set()
    differences: list[Difference] = []
    wording: list[Change] = []
    for change in report.changes:
        if _is_wording(change):
            wording.append(change)
            continue
        # The most specific declaration wins: the longest pattern that matches.
        matching = [item for item in declarations if item.matches(change)]
        declaration = max(matching, key=lambda item: len(item.at.replace("*", "")), default=None)
        if declaration is not None:
            used.add(declaration)
            differences.append(Difference("declared", change, declaration.reason))
        else:
            differences.append(Difference(ACTION_CLASS.get(change.action, "different"), change))
    order = {kind: index for index, kind in enumerate(CLASSES)}
    differences.sort(key=lambda item: (order[item.kind], item.change.location))
    stale = [
        item
        for item in declarations
        if item not in used and not (held is not None and names_an_operation_not_held(item, held))
    ]
    return UpstreamReport(differences, wording, stale, left_out)


# --- output ---------------------------------------------------------------------------------

HEADINGS = {
    "upstream-only": "Upstream has, we lack (describe it in openapi.yaml, or declare why not)",
    "ours-only": "We have, upstream lacks (declare why, or drop it)",
    "different": "Both have, with other values (declare why, or follow upstream)",
    "declared": "Declared deliberate differences (openapi.upstream-differences.yaml)",
}


def _value(change: Change) -> str:
    if change.action == "replace":
        return f": upstream {json.dumps(change.before)}, ours {json.dumps(change.after)}"
    value = change.before if change.action == "remove" else change.after
    return f" = {json.dumps(value)}" if value is not None else ""


def format_report(report: UpstreamReport, source: str, show_all: bool = False) -> str:
    lines = [f"Upstream: {source}", ""]
    groups = report.groups()
    for kind, heading in HEADINGS.items():
        items = [group for group in groups if group.kind == kind]
        if not items:
            continue
        lines.append(f"{heading}: {len(items)}")
        for group in items:
            lines.append(f"  {group.what}{_value(group.change)}")
            places = [place for place in group.places if place]
            if places:
                lines.append(f"      in {'; '.join(places)}")
            if group.reason:
                lines.append(f"      because: {group.reason}")
        lines.append("")
    if report.stale:
        lines.append(f"Stale declarations, matching no difference any more (remove them): {len(report.stale)}")
        lines += [f"  {item.at}" + (f" [{item.change}]" if item.change else "") for item in report.stale]
        lines.append("")
    if report.left_out:
        lines.append(
            f"Not compared, as this cut-down copy ({CUT_DOWN}) does not hold them: {len(report.left_out)} "
            "of our operations (compare with the whole description to check them and their declarations)"
        )
        lines += [f"  {method.upper()} {path}" for path, method in report.left_out]
        lines.append("")
    lines.append(f"Wording only (descriptions, summaries, examples, tags): {len(report.wording)}")
    if show_all:
        lines += [f"  {change.location}" for change in report.wording]
    counts = report.counts()
    lines.append("")
    summary = ", ".join(f"{counts[kind]} {kind}" for kind in CLASSES)
    lines.append(f"Summary: {summary}, {len(report.wording)} wording")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.spec_diff.upstream",
        description="Compare our effective spec with the vendor's published OpenAPI description, for our paths.",
    )
    parser.add_argument("upstream", metavar="UPSTREAM", help="the vendor's description: a file path or an http(s) URL")
    parser.add_argument("--declared", type=Path, default=DECLARED, help="the declared differences file")
    parser.add_argument("--spec-root", type=Path, default=ROOT, help="where openapi.yaml and overlays/ are")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--all", action="store_true", help="also list the differences of wording")
    parser.add_argument("--strict", action="store_true", help="exit 1 on anything undeclared or a stale declaration")
    args = parser.parse_args(argv)
    try:
        upstream = load_document(args.upstream)
        ours = effective_spec(args.spec_root)
        report = compare_with_upstream(upstream, ours, load_declarations(args.declared))
    except (UpstreamError, SpecDiffError, OverlayError, OSError) as exc:
        print(f"upstream_diff: {exc}", file=sys.stderr)
        return 2
    if args.json:
        data = {
            "upstream": args.upstream,
            "summary": {**report.counts(), "wording": len(report.wording)},
            "differences": [item.to_json() for item in report.differences],
            "stale": [{"at": item.at, "change": item.change, "reason": item.reason} for item in report.stale],
            "wording": [change.location for change in report.wording],
            "left_out": [f"{method.upper()} {path}" for path, method in report.left_out],
        }
        print(json.dumps(data, indent=2))
    else:
        print(format_report(report, args.upstream, args.all), end="")
    return 1 if args.strict and not report.ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
