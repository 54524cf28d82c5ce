"""The command line: `python -m tools.spec_diff [BASE]` (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

import yaml

from tools.generation.overlay import OverlayError
from tools.paths import ROOT
from tools.spec_diff.changes import CLASSES, MissingBaseError, Report, SpecDiffError
from tools.spec_diff.git import effective_spec, effective_spec_at, find_base, release_version
from tools.spec_diff.report import changelog_section, format_report
from tools.spec_diff.smart_diff import compare
from tools.spec_diff.version import VersionCheck, check_version, version_of

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.spec_diff",
        description="Classify the changes to the effective spec (openapi.yaml + overlays) since a git ref.",
    )
    parser.add_argument(
        "base",
        metavar="BASE",
        nargs="?",
        help="the git ref to compare the working tree with (default: the last release: the latest release tag "
        "v<MAJOR.MINOR.PATCH> in HEAD's history, else the last `Release X.Y.Z` commit, else the commit where "
        "info.version last changed with its CHANGELOG.md entry; a shallow clone is deepened to find it)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check-version", action="store_true", help="enforce the info.version rule; exit 1 if broken")
    mode.add_argument("--changelog", action="store_true", help="print a draft CHANGELOG.md section")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--skip-missing-base", action="store_true", help="exit 0 when BASE or its spec does not exist")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git work tree (default: this checkout)")
    args = parser.parse_args(argv)
    if args.base is None:
        try:
            base = find_base(args.repo)
        except (SpecDiffError, subprocess.SubprocessError) as exc:
            print(f"spec_diff: no base: {exc}", file=sys.stderr)
            return 2
        args.base = base.ref
        print(f"spec_diff: base: {base}", file=sys.stderr)
    try:
        before = effective_spec_at(args.base, args.repo)
        after = effective_spec(args.repo)
        report = compare(before, after)
        _warn_if_the_tag_disagrees(args.base, version_of(before))
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


def _warn_if_the_tag_disagrees(base: str, version: str) -> None:
    """A release tag names the version it released; say so when its spec says otherwise."""
    if release_version(base) is not None and base != f"v{version}":
        print(f"spec_diff: warning: release tag {base} has info.version {version!r}", file=sys.stderr)
