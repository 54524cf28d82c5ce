"""Classify what changed in the effective spec since a git ref, and hold info.version to it.

`python -m tools.spec_diff BASE` builds the effective spec (openapi.yaml + overlays/) of the
working tree and of BASE, has the pinned api-smart-diff (npm, run by tools/spec_diff.mjs)
classify every change as breaking, non-breaking, deprecated, annotation or unclassified,
and prints one line per change and a summary. Exit 0: nothing breaking; 1: something
breaking (or, with --check-version, the version rule fails); 2: usage or tool error.

- `--json`: the same, machine-readable.
- `--check-version`: if the effective spec changed, info.version must be greater (semver);
  if a change is breaking, its MAJOR must be greater.
- `--changelog`: a draft CHANGELOG.md section for the maintainer to edit and paste.
- `--skip-missing-base`: a BASE that does not exist (first commit, shallow clone) or has no
  openapi.yaml is a skip with a message and exit 0, not an error.

api-smart-diff's verdicts are kept, with three corrections, so that the verdict can be
trusted for the generated package:
1. Entries under components/ for a component that paths use are not listed: api-smart-diff
   classifies them as if every schema were a request body (adding a required field to a
   response schema is "breaking" there), and lists the same change again, classified in
   context, under every operation that uses the component.
2. A replaced `type` in a response schema is breaking unless the new types are a subset of
   the old: api-smart-diff flips its request rule for responses, making any replaced type
   non-breaking there (integer -> string, or string -> [string, null]).
3. A changed operationId is breaking: in the effective spec it names the generated module
   and function, which api-smart-diff counts as an annotation.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.overlay import OverlayError, apply_overlay_files

__all__ = [
    "CLASSES",
    "Change",
    "Report",
    "SpecDiffError",
    "changelog_section",
    "check_version",
    "classify",
    "compare",
    "effective_spec",
    "effective_spec_at",
    "main",
]

ROOT = Path(__file__).resolve().parent.parent
NODE_SCRIPT = ROOT / "tools" / "spec_diff.mjs"
SPEC_FILE = "openapi.yaml"
OVERLAYS_DIR = "overlays"
CLASSES = ("breaking", "non-breaking", "deprecated", "annotation", "unclassified")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PAST = {"add": "Added", "remove": "Removed", "replace": "Replaced", "rename": "Renamed"}
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Spec = dict[str, Any]
PathPart = str | int


class SpecDiffError(Exception):
    """A usage or tool failure (exit 2), as opposed to a finding about the spec."""


class MissingBaseError(SpecDiffError):
    """BASE is not a commit, or has no openapi.yaml: there is nothing to compare with."""


@dataclass(frozen=True)
class Change:
    """One classified change; `note` says why this tool overrode api-smart-diff's class."""

    type: str
    action: str
    path: tuple[PathPart, ...]
    description: str
    before: Any = None
    after: Any = None
    note: str = ""

    @property
    def location(self) -> str:
        """The changed node as a JSONPath (RFC 9535), the notation of the overlays' targets."""
        parts = ["$"]
        for part in self.path:
            if isinstance(part, int):
                parts.append(f"[{part}]")
            elif IDENTIFIER.match(part):
                parts.append(f".{part}")
            else:
                parts.append("['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']")
        return "".join(parts)

    @property
    def operation(self) -> str:
        """`GET /v1/projects` for a change inside an operation, the path for one on a path item."""
        if len(self.path) < 2 or self.path[0] != "paths":
            return ""
        if len(self.path) > 2 and self.path[2] in METHODS:
            return f"{str(self.path[2]).upper()} {self.path[1]}"
        return str(self.path[1])

    @property
    def summary(self) -> str:
        """The description, prefixed with the operation it is about."""
        return f"{self.operation}: {self.description}" if self.operation else self.description

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.type,
            "action": self.action,
            "path": list(self.path),
            "location": self.location,
            "operation": self.operation,
            "description": self.description,
        }
        for key in ("before", "after", "note"):
            if getattr(self, key) not in (None, ""):
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class Report:
    """The changes between two effective specs, after this tool's corrections."""

    changes: list[Change]
    hidden_component_entries: int = 0

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.type == "breaking"]

    def summary_line(self) -> str:
        counts = Counter(change.type for change in self.changes)
        return ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in CLASSES)


# --- effective specs ------------------------------------------------------------------------


def effective_spec(root: Path) -> Spec:
    """openapi.yaml with overlays/*.yaml applied in file-name order, as tools.regenerate does."""
    spec = apply_overlay_files(root / SPEC_FILE, sorted((root / OVERLAYS_DIR).glob("*.yaml")))
    if not isinstance(spec, dict):
        raise SpecDiffError(f"{root / SPEC_FILE}: not an OpenAPI document")
    return spec


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)


def effective_spec_at(ref: str, repo: Path = ROOT) -> Spec:
    """The effective spec of a commit: its openapi.yaml and overlays/, read with git show."""
    if ref.startswith("-"):
        raise SpecDiffError(f"BASE must be a git ref, got {ref!r}")
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise MissingBaseError(f"BASE {ref!r} is not a commit of {repo} (a first commit? a shallow clone?)")
    sha = commit.stdout.decode().strip()
    listing = _git(repo, "ls-tree", "-z", "--name-only", sha, "--", SPEC_FILE, f"{OVERLAYS_DIR}/")
    if listing.returncode != 0:
        raise SpecDiffError(f"git ls-tree {ref}: {listing.stderr.decode().strip()}")
    names = [name for name in listing.stdout.decode().split("\0") if name]
    if SPEC_FILE not in names:
        raise MissingBaseError(f"BASE {ref!r} has no {SPEC_FILE}")
    with tempfile.TemporaryDirectory(prefix="spec-diff-") as scratch:
        tree = Path(scratch)
        (tree / OVERLAYS_DIR).mkdir()
        for name in names:
            shown = _git(repo, "show", f"{sha}:{name}")
            if shown.returncode != 0:
                raise SpecDiffError(f"git show {ref}:{name}: {shown.stderr.decode().strip()}")
            (tree / name).write_bytes(shown.stdout)
        return effective_spec(tree)


# --- classification -------------------------------------------------------------------------


def classify(pairs: Sequence[tuple[Spec, Spec]]) -> list[Report]:
    """Compare each (before, after) pair; one Node process for all, since it starts slowly."""
    if not pairs:
        return []
    node = shutil.which("node")
    if node is None:
        raise SpecDiffError("node is not on PATH; api-smart-diff needs Node.js")
    if not (ROOT / "node_modules" / "api-smart-diff" / "package.json").is_file():
        raise SpecDiffError("api-smart-diff is not installed: run `npm ci` (make does it)")
    payload = json.dumps([[before, after] for before, after in pairs], default=str)
    result = subprocess.run(
        [node, str(NODE_SCRIPT)], input=payload.encode(), capture_output=True, cwd=ROOT, check=False, timeout=300
    )
    if result.returncode != 0:
        raise SpecDiffError(f"api-smart-diff failed (exit {result.returncode}): {result.stderr.decode().strip()}")
    raw: list[list[dict[str, Any]]] = json.loads(result.stdout)
    return [_correct(before, after, diffs) for (before, after), diffs in zip(pairs, raw, strict=True)]


def compare(before: Spec, after: Spec) -> Report:
    """The corrected, classified changes from `before` to `after`."""
    return classify([(before, after)])[0]


def _correct(before: Spec, after: Spec, diffs: list[dict[str, Any]]) -> Report:
    used = _used_components(before) | _used_components(after)
    changes: list[Change] = []
    hidden = 0
    for diff in diffs:
        path = tuple(diff["path"])
        if len(path) > 3 and path[0] == "components" and (path[1], path[2]) in used:
            hidden += 1
            continue
        change = Change(
            type=diff["type"],
            action=diff["action"],
            path=path,
            description="",
            before=diff.get("before"),
            after=diff.get("after"),
        )
        change = _override(change)
        changes.append(_describe(change, diff.get("description", "")))
    return Report(changes, hidden)


def _used_components(spec: Spec) -> set[tuple[str, str]]:
    """(section, name) of every component reached by a local $ref from outside components/."""
    components = spec.get("components") or {}
    outside = {key: value for key, value in spec.items() if key != "components"}
    pending = list(_refs(outside))
    used: set[tuple[str, str]] = set()
    while pending:
        parts = pending.pop().removeprefix("#/").split("/")
        if len(parts) < 3 or parts[0] != "components":
            continue
        key = (parts[1], parts[2].replace("~1", "/").replace("~0", "~"))
        if key in used:
            continue
        used.add(key)
        pending.extend(_refs((components.get(key[0]) or {}).get(key[1])))
    return used


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _override(change: Change) -> Change:
    """Corrections 2 and 3 of the module docstring."""
    path = change.path
    if change.type == "breaking":
        return change
    if len(path) == 4 and path[0] == "paths" and path[2] in METHODS and path[3] == "operationId":
        return _reclassified(change, "operationId names the generated module and function")
    if _replaces_response_type(change):
        return _reclassified(change, "a response field of another type breaks the code that reads it")
    return change


def _replaces_response_type(change: Change) -> bool:
    """A response schema's `type` (or one of its types) replaced by one the old did not allow."""
    path = change.path
    if change.action != "replace" or "responses" not in path or "schema" not in path:
        return False
    keyword_at = -1 if path[-1] == "type" else -2 if len(path) > 2 and path[-2] == "type" else 0
    if not keyword_at or path[keyword_at - 1] == "properties":  # a property named `type`
        return False
    old, new = _types(change.before), _types(change.after)
    return old is None or new is None or not new <= old


def _reclassified(change: Change, note: str) -> Change:
    return Change("breaking", change.action, change.path, change.description, change.before, change.after, note)


def _types(value: Any) -> set[str] | None:
    """A schema's `type` as a set, with integer inside number (every integer is a number)."""
    types = {value} if isinstance(value, str) else set(value) if isinstance(value, list) else None
    if types is not None and "number" in types:
        types.add("integer")
    return types


def _describe(change: Change, text: str) -> Change:
    """api-smart-diff leaves some descriptions empty, and words a change met again through a
    second $ref as `annotation (key)` whatever its class: name the schema node instead."""
    text = text.strip()
    subject = f"`{_schema_subject(change.path)}`"
    value = change.before if change.action == "remove" else change.after
    if len(change.path) > 1 and change.path[-2] == "properties":
        subject = f"property `{change.path[-1]}`"
    elif len(change.path) > 1 and change.path[-2] == "required" and isinstance(value, str):
        subject = f"required status of `{value}`"
    if not text or text.startswith("in "):
        text = f"[{PAST.get(change.action, change.action)}] {subject} {text}".strip()
    elif change.type != "annotation":
        text = re.sub(r"\bannotation \([^)]*\)", lambda _: subject, text, count=1)
    if change.note:
        text += f" (spec_diff: {change.note})"
    return Change(change.type, change.action, change.path, text, change.before, change.after, change.note)


def _schema_subject(path: tuple[PathPart, ...]) -> str:
    """The path below the nearest schema, else below the operation, dotted, for a description."""
    start = 3 if len(path) > 3 and path[0] == "paths" and path[2] in METHODS else 0
    for index in range(len(path) - 1, start - 1, -1):
        if path[index] == "schema":
            start = index + 1
            break
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in path[start:]]
    return "".join(parts).lstrip(".") or str(path[-1])


# --- the version rule -----------------------------------------------------------------------


@dataclass(frozen=True)
class VersionCheck:
    ok: bool
    message: str
    before: str
    after: str


def _version(spec: Spec) -> str:
    info = spec.get("info") or {}
    return str(info.get("version", ""))


def _without_version(spec: Spec) -> Spec:
    stripped = copy.deepcopy(spec)
    if isinstance(stripped.get("info"), dict):
        stripped["info"].pop("version", None)
    return stripped


def check_version(before: Spec, after: Spec, report: Report) -> VersionCheck:
    """Any change to the effective spec needs a greater info.version; a breaking one a greater MAJOR."""
    old, new = _version(before), _version(after)
    changed = _without_version(before) != _without_version(after)
    if not changed and old == new:
        return VersionCheck(True, f"the effective spec is unchanged (info.version {new})", old, new)
    old_match, new_match = SEMVER.match(old), SEMVER.match(new)
    if new_match is None or old_match is None:
        bad = new if new_match is None else old
        return VersionCheck(False, f"info.version {bad!r} is not MAJOR.MINOR.PATCH", old, new)
    old_v = tuple(int(part) for part in old_match.groups())
    new_v = tuple(int(part) for part in new_match.groups())
    breaking = len(report.breaking)
    major = f"{old_v[0] + 1}.0.0"
    if new_v <= old_v:
        if not changed:
            return VersionCheck(False, f"info.version went down from {old} to {new}", old, new)
        need = major if breaking else f"{old_v[0]}.{old_v[1]}.{old_v[2] + 1} or {old_v[0]}.{old_v[1] + 1}.0"
        why = f"{breaking} breaking, {len(report.changes) - breaking} other change(s)"
        message = f"the effective spec changed ({why}) but info.version is {new}, not above {old}: use {need}"
        return VersionCheck(False, message, old, new)
    if breaking and new_v[0] <= old_v[0]:
        message = f"{breaking} breaking change(s) need a MAJOR bump: info.version {old} -> {new}; use {major}"
        return VersionCheck(False, message, old, new)
    kind = "breaking" if breaking else "no breaking"
    return VersionCheck(True, f"info.version {old} -> {new}, {kind} changes", old, new)


# --- output ---------------------------------------------------------------------------------


def format_report(report: Report, base: str) -> str:
    """One line per change (class, what, where), then the counts."""
    if not report.changes:
        return f"No changes in the effective spec since {base}.\n"
    lines = [f"{change.type:<13} {change.summary}  at {change.location}" for change in report.changes]
    lines.append("")
    lines.append(f"Since {base}: {report.summary_line()}.")
    if report.hidden_component_entries:
        lines.append(
            f"({report.hidden_component_entries} entries under components/ not listed: "
            "each change is listed, classified in context, where the component is used.)"
        )
    return "\n".join(lines) + "\n"


def changelog_section(after: Spec, report: Report, base: str) -> str:
    """A draft `## <version>` section of CHANGELOG.md: the maintainer edits it into prose."""
    lines = [f"## {_version(after)}", ""]
    if not report.changes:
        return "\n".join([*lines, f"No change to the API since {base}.", ""])
    headings = {
        "breaking": "### Breaking changes",
        "non-breaking": "### Non-breaking changes",
        "deprecated": "### Deprecated",
        "unclassified": "### Unclassified (review by hand)",
    }
    for kind, heading in headings.items():
        bullets = _unique(change.summary for change in report.changes if change.type == kind)
        if bullets:
            lines += [heading, "", *(f"- {bullet}" for bullet in bullets), ""]
    annotations = sum(1 for change in report.changes if change.type == "annotation")
    if annotations:
        lines += ["### Documentation", "", f"- {annotations} change(s) to descriptions, examples and metadata.", ""]
    return "\n".join(lines)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- command line ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.spec_diff",
        description="Classify the changes to the effective spec (openapi.yaml + overlays) since a git ref.",
    )
    parser.add_argument("base", metavar="BASE", help="the git ref to compare the working tree with, e.g. HEAD~1")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check-version", action="store_true", help="enforce the info.version rule; exit 1 if broken")
    mode.add_argument("--changelog", action="store_true", help="print a draft CHANGELOG.md section")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--skip-missing-base", action="store_true", help="exit 0 when BASE or its spec does not exist")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git work tree (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        before = effective_spec_at(args.base, args.repo)
        after = effective_spec(args.repo)
        report = compare(before, after)
    except MissingBaseError as exc:
        if args.skip_missing_base:
            print(f"spec_diff: skipped: {exc}; nothing to compare with.")
            return 0
        print(f"spec_diff: {exc}", file=sys.stderr)
        return 2
    except (SpecDiffError, OverlayError, OSError, subprocess.SubprocessError, ValueError, yaml.YAMLError) as exc:
        print(f"spec_diff: {exc}", file=sys.stderr)
        return 2
    except Exception:  # exit 1 would read as "breaking changes": a crash is a tool error
        traceback.print_exc()
        return 2
    if args.check_version:
        return _print_check(check_version(before, after, report), report, args.base, args.json)
    if args.changelog:
        print(changelog_section(after, report, args.base), end="")
        return 0
    if args.json:
        data = {
            "base": args.base,
            "changes": [change.to_json() for change in report.changes],
            "summary": {kind: sum(1 for change in report.changes if change.type == kind) for kind in CLASSES},
            "hidden_component_entries": report.hidden_component_entries,
        }
        print(json.dumps(data, indent=2))
    else:
        print(format_report(report, args.base), end="")
    return 1 if report.breaking else 0


def _print_check(result: VersionCheck, report: Report, base: str, as_json: bool) -> int:
    if as_json:
        data = {"ok": result.ok, "message": result.message, "before": result.before, "after": result.after}
        data["breaking"] = [change.to_json() for change in report.breaking]
        print(json.dumps(data, indent=2))
    elif result.ok:
        print(f"spec_diff: version rule ok since {base}: {result.message}")
    else:
        for change in report.breaking:
            print(f"breaking      {change.summary}  at {change.location}", file=sys.stderr)
        print(f"spec_diff: version rule broken since {base}: {result.message}", file=sys.stderr)
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
