"""The version rule: any change to the effective spec needs a greater info.version (semver),
and a breaking change a greater MAJOR, since info.version is the generated package's version."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from tools.spec_diff.changes import Report, Spec

__all__ = ["SEMVER", "VersionCheck", "check_version", "parse_version", "version_of"]

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """MAJOR.MINOR.PATCH as numbers, or None for anything else."""
    match = SEMVER.match(text)
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


@dataclass(frozen=True)
class VersionCheck:
    """The rule's verdict, with the two versions it compared."""

    ok: bool
    message: str
    before: str
    after: str


def version_of(spec: Spec) -> str:
    """info.version, or "" when there is none."""
    info = spec.get("info") or {}
    return str(info.get("version", ""))


def _without_version(spec: Spec) -> Spec:
    stripped = copy.deepcopy(spec)
    if isinstance(stripped.get("info"), dict):
        stripped["info"].pop("version", None)
    return stripped


def check_version(before: Spec, after: Spec, report: Report) -> VersionCheck:
    """Any change to the effective spec needs a greater info.version; a breaking one a greater MAJOR."""
    old, new = version_of(before), version_of(after)
    changed = _without_version(before) != _without_version(after)
    if not changed and old == new:
        return VersionCheck(True, f"the effective spec is unchanged (info.version {new})", old, new)
    old_v, new_v = parse_version(old), parse_version(new)
    if new_v is None or old_v is None:
        bad = new if new_v is None else old
        return VersionCheck(False, f"info.version {bad!r} is not MAJOR.MINOR.PATCH", old, new)
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
