"""What a person reads: one line per change for a review, or a draft CHANGELOG.md section."""

from __future__ import annotations

from collections.abc import Iterable

from tools.spec_diff.changes import Report, Spec
from tools.spec_diff.version import version_of

__all__ = ["changelog_section", "format_report"]


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
    lines = [f"## {version_of(after)}", ""]
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
