"""Classify what changed in the effective spec since a git ref, and hold info.version to it.

`python -m tools.spec_diff [BASE]` builds the effective spec (openapi.yaml + overlays/) of the
working tree and of BASE, has the pinned api-smart-diff (npm) classify every change as
breaking, non-breaking, deprecated, annotation or unclassified, and prints one line per
change and a summary. Exit 0: nothing breaking; 1: something breaking (or, with
--check-version, the version rule fails); 2: usage or tool error.

BASE defaults to the last release, found without needing tags (`git.find_base`): the latest
release tag (`v<info.version>`, the highest that HEAD contains); else the last `Release X.Y.Z`
commit (`make release` makes it); else the commit where info.version last changed, with its
CHANGELOG.md entry; HEAD~1 only when the history holds no release at all. A shallow clone is
deepened first when it hides them; the run prints which base it used and why.

- `--json`: the same, machine-readable.
- `--check-version`: if the effective spec changed, info.version must be greater (semver);
  if a change is breaking, its MAJOR must be greater.
- `--changelog`: a draft CHANGELOG.md section for the maintainer to edit and paste.
- `--skip-missing-base`: a BASE that does not exist (first commit, shallow clone) or has no
  openapi.yaml is a skip with a message and exit 0, not an error.

One job per module:
- `changes`: the classified change and the report (the data every other module passes);
- `git`: the effective spec of the work tree or of a commit, and the last release (the base);
- `smart_diff`: runs api-smart-diff (`api_smart_diff.mjs`) on pairs of specs;
- `corrections`: where its verdicts are wrong for a generated client, and better wording;
- `version`: the semver rule;
- `report`: the text report and the CHANGELOG draft;
- `cli`: the command line;
- `upstream`: `make upstream-diff` (`python -m tools.spec_diff.upstream`): our spec against the
  vendor's published one, through the same classification.
"""

from __future__ import annotations

from tools.spec_diff.changes import CLASSES, Change, MissingBaseError, Report, SpecDiffError
from tools.spec_diff.cli import main
from tools.spec_diff.git import (
    FALLBACK_BASE,
    Base,
    default_base,
    effective_spec,
    effective_spec_at,
    find_base,
    latest_release_tag,
)
from tools.spec_diff.report import changelog_section, format_report
from tools.spec_diff.smart_diff import classify, compare
from tools.spec_diff.version import VersionCheck, check_version

__all__ = [
    "CLASSES",
    "FALLBACK_BASE",
    "Base",
    "Change",
    "MissingBaseError",
    "Report",
    "SpecDiffError",
    "VersionCheck",
    "changelog_section",
    "check_version",
    "classify",
    "compare",
    "default_base",
    "effective_spec",
    "effective_spec_at",
    "find_base",
    "format_report",
    "latest_release_tag",
    "main",
]
