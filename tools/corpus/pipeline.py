"""One spec through both sides: the bare generator, then ours, its import and `mypy --strict`.

Every stage is a subprocess with a timeout (tools.corpus.stages.run), so a spec that hangs or
crashes a stage is a row with a cause, never the end of the run. The scratch folder is the
caller's, and is deleted by the caller once the row is recorded.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tools import spec as spec_tools
from tools.corpus import causes, stages
from tools.corpus.rows import Bare, Ours, Row
from tools.generation import generator_output

MESSAGES_KEPT = 5


def spec_facts(spec: Path) -> tuple[str, int]:
    """The spec's `openapi` version and its number of operations (read as JSON: it is JSON)."""
    try:
        document: Any = json.loads(spec.read_text(encoding="utf-8"))
    except ValueError:
        return "unreadable", 0
    if not isinstance(document, dict):
        return "unreadable", 0
    return str(document.get("openapi")), sum(1 for _ in spec_tools.operations(document))


def bare(spec: Path, scratch: Path, timeout: float) -> Bare:
    """The pinned generator with default settings, as anyone would first run it."""
    output = scratch / "bare"
    argv = [str(stages.VENV_BIN / "openapi-python-client"), "generate", "--path", str(spec)]
    argv += ["--meta", "pdm", "--output-path", str(output), "--overwrite"]
    started = time.perf_counter()
    done = stages.run(argv, cwd=scratch, pythonpath="", timeout=timeout)
    seconds = round(time.perf_counter() - started, 2)
    found = generator_output.problems(done.stderr)
    return Bare(
        exit=done.returncode,
        seconds=seconds,
        skipped=generator_output.skipped(found),
        messages=[str(problem) for problem in found[:MESSAGES_KEPT]],
        root="timeout" if stages.timed_out(done) else causes.generator(done.stderr),
    )


def endpoint_modules(output: Path) -> int:
    """The endpoint modules under `<package>/api/<tag>/`, each name once (an operation listed
    under two tags gets a module in each folder)."""
    api = output / stages.PACKAGE / "api"
    return len({module.stem for module in api.glob("*/*.py") if module.name != "__init__.py"})


def check(spec: Path, relative: str, scratch: Path, *, timeout: float, mypy_cache: Path) -> Row:
    """Every stage on `spec`, in `scratch`; the row says how far it got and, if short, why."""
    scratch.mkdir(parents=True, exist_ok=True)
    openapi, operations = spec_facts(spec)
    bare_side = bare(spec, scratch, timeout)
    output = scratch / "ours"
    started = time.perf_counter()
    done = stages.generate(spec, output, timeout=timeout)
    seconds = round(time.perf_counter() - started, 2)
    stderr_lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    ours = Ours(
        exit=done.returncode,
        seconds=seconds,
        traceback=stages.TRACEBACK in done.stderr + done.stdout,
        error=_shortened(stderr_lines[-1] if stderr_lines else "(no output)") if done.returncode else None,
    )
    row = Row(relative, spec.stat().st_size, openapi, operations, bare_side, ours)
    if stages.timed_out(done):
        row.cause = "timeout: generation"
        return row
    if done.returncode != 0:
        row.cause = causes.ours(done.stderr, done.stdout)
        return row
    ours.endpoints = endpoint_modules(output)
    _judge_package(row, output, timeout=timeout, mypy_cache=mypy_cache)
    return row


def _shortened(line: str, longest: int = 400) -> str:
    return line if len(line) <= longest else line[: longest - 1] + "…"


def _judge_package(row: Row, output: Path, *, timeout: float, mypy_cache: Path) -> None:
    imported = stages.import_all(output, timeout=timeout)
    row.imports = imported.returncode == 0
    if not row.imports:
        row.cause = (
            "timeout: import" if stages.timed_out(imported) else f"import: {causes.python_error(imported.stderr)}"
        )
        return
    checked = stages.mypy(output, cache_dir=mypy_cache, timeout=timeout)
    if stages.timed_out(checked):
        row.cause = "timeout: mypy"
        return
    errors = stages.mypy_errors(checked)
    row.mypy_errors = len(errors) if errors or checked.returncode == 0 else 1
    if row.mypy_errors:
        row.cause = f"mypy: {causes.mypy(errors, checked.stdout + checked.stderr)}"
        return
    if row.ours.endpoints < row.operations:
        row.cause = "incomplete: operations without an endpoint module"
        return
    row.complete = True
