"""`make corpus`: draw the sample, run each spec two at a time, write the JSON and the report.

`--rows FILE` rebuilds the report from a corpus.json without generating anything; `--check`
exits 1, after writing the report, when any of issue 37's Done-when conditions fails on the
rows (tools.corpus.report.failed_conditions), printing which.
"""

from __future__ import annotations

import argparse
import json
import queue
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from tools.corpus import directory, pipeline, report
from tools.corpus.rows import Row
from tools.paths import BUILD, ROOT

WORK = BUILD / "corpus" / "work"
MYPY_CACHES = BUILD / "corpus" / "mypy-cache"


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=37, help="the sample's seed (CORPUS_SEED)")
    parser.add_argument("--n", type=int, default=200, help="how many specs (CORPUS_N)")
    parser.add_argument(
        "--max-kb", type=int, default=512, help="sample among specs of at most this size (CORPUS_MAX_KB)"
    )
    parser.add_argument("--report", type=Path, default=ROOT / "CORPUS.md", help="the Markdown report (CORPUS_REPORT)")
    parser.add_argument("--json", type=Path, default=BUILD / "corpus" / "corpus.json", help="every row")
    parser.add_argument("--jobs", type=int, default=2, help="specs at a time (one per core)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a stage may take before it is killed")
    parser.add_argument("--rows", type=Path, help="rebuild the report from this corpus.json; generate nothing")
    parser.add_argument("--check", action="store_true", help="exit 1 when a Done-when condition fails")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.rows is not None:
        sample, rows = load(args.rows)
    else:
        try:
            sample, rows = run(args)
        except (directory.DirectoryMissingError, ValueError) as exc:
            print(f"corpus: {exc}", file=sys.stderr)
            return 2
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report.markdown(rows, sample), encoding="utf-8")
    print(f"corpus: wrote {_shown(args.report)}" + ("" if args.rows else f" and {_shown(args.json)}"))
    failed = report.failed_conditions(rows)
    for condition in failed:
        print(f"corpus: fails: {condition}", file=sys.stderr)
    return 1 if args.check and failed else 0


def run(args: argparse.Namespace) -> tuple[report.Sample, list[Row]]:
    api = directory.api_folder()
    files = directory.sample(directory.candidates(api, args.max_kb * 1024), args.seed, args.n)
    command = f"make corpus CORPUS_N={args.n} CORPUS_SEED={args.seed} CORPUS_MAX_KB={args.max_kb}"
    sample = report.Sample(f"{directory.PACKAGE_NAME} {directory.version()}", args.seed, args.n, args.max_kb, command)
    shutil.rmtree(WORK, ignore_errors=True)
    caches: queue.Queue[Path] = queue.Queue()
    for worker in range(args.jobs):
        caches.put(MYPY_CACHES / str(worker))

    def one(index: int, relative: str) -> Row:
        scratch = WORK / f"{index:03d}"
        cache = caches.get()
        try:
            return pipeline.check(api / relative, relative, scratch, timeout=args.timeout, mypy_cache=cache)
        finally:
            caches.put(cache)
            shutil.rmtree(scratch, ignore_errors=True)

    print(f"corpus: {len(files)} specs of {sample.directory}, seed {args.seed}, at most {args.max_kb} KB each")
    started = time.perf_counter()
    rows: dict[int, Row] = {}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(one, index, relative): index for index, relative in enumerate(files)}
        for future in as_completed(futures):
            rows[futures[future]] = row = future.result()
            print(f"[{len(rows)}/{len(files)} {time.perf_counter() - started:.0f}s] {_line(row)}", flush=True)
            save(args.json, sample, [rows[index] for index in sorted(rows)])
    return sample, [rows[index] for index in sorted(rows)]


def save(path: Path, sample: report.Sample, rows: list[Row]) -> None:
    """Write the rows so far (a long run can be read, or its report rebuilt, before it ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {**vars(sample), "rows": [row.as_json() for row in rows]}
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    scratch.replace(path)


def load(path: Path) -> tuple[report.Sample, list[Row]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [Row.from_json(row) for row in data.pop("rows")]
    return report.Sample(**data), rows


def _line(row: Row) -> str:
    bare = "failed" if row.bare.exit else f"{row.bare.skipped} skipped" if row.bare.skipped else "clean"
    ours = "complete" if row.complete else row.cause
    return f"{row.path}: bare {bare} {row.bare.seconds:.1f}s; ours {row.ours.seconds:.1f}s {ours}"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


if __name__ == "__main__":
    raise SystemExit(main())
