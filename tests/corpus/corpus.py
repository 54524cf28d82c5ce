"""The spec corpus: what each spec in tests/fixtures/specs/ is, how far it gets, and the report.

Each stage runs the way a maintainer would: `generate_into` (our overlays, config and
templates, as `make generate` with openapi.yaml replaced), importing every module, `mypy
--strict` on the package, and tests/corpus/check_models.py on every model. Each runs in a
subprocess: the package under test is also named `calyptia_cloud_client`, which this process
has imported from generated/. The first three are tools.corpus.stages, which `make corpus`
runs on the public directory's specs too. The figures of each spec go to build/corpus/results/<spec>.json
and all of them into build/corpus/report.md, whichever xdist worker ran it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tools import spec as spec_tools
from tools.corpus import stages
from tools.corpus.stages import PACKAGE, TOOLS_PATH, error_summary, run
from tools.paths import BUILD, ROOT

SPECS = ROOT / "tests" / "fixtures" / "specs"
REPORT_DIR = BUILD / "corpus"
RESULTS = REPORT_DIR / "results"
REPORT = REPORT_DIR / "report.md"
# Generator settings a spec is written for, laid over generator_config.yml (the generator's
# own test specs come with the overrides they exercise).
SETTINGS = {
    "opc-baseline-3.0.json": "opc-end-to-end.config.yml",
    "opc-baseline-3.1.yaml": "opc-end-to-end.config.yml",
}


class KnownFailureError(AssertionError):
    """The spec failed exactly as its KnownFailure says: the case's strict xfail holds."""


@dataclass(frozen=True)
class KnownFailure:
    """Where a spec is expected to fail today, and the text that identifies the failure."""

    stage: str  # generate, import, mypy or models
    needle: str  # appears in that stage's output
    reason: str  # the xfail reason: what fails, and whose work fixes it


@dataclass
class Result:
    """One spec's figures, as the report shows them."""

    spec: str
    openapi: str
    operations: int
    modules: int = 0
    generation_s: float = 0.0
    generation: str = "not run"
    imports: str = "not run"
    mypy: str = "not run"
    models: str = "not run"
    findings: list[str] = field(default_factory=list)


def operations_of(path: Path) -> tuple[str, int]:
    """The spec's `openapi` version and its number of operations."""
    document = spec_tools.load(path)
    return str(document.get("openapi")), sum(1 for _ in spec_tools.operations(document))


def generate(spec: Path, output: Path, result: Result) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    done = stages.generate(spec, output, SPECS / SETTINGS[spec.name] if spec.name in SETTINGS else None)
    result.generation_s = round(time.perf_counter() - started, 1)
    result.generation = "ok" if done.returncode == 0 else f"failed: {error_summary(done.stderr + done.stdout)}"
    result.modules = sum(1 for _ in (output / PACKAGE).rglob("*.py")) if done.returncode == 0 else 0
    return done


def import_all(output: Path, result: Result) -> subprocess.CompletedProcess[str]:
    done = stages.import_all(output)
    result.imports = (
        f"ok ({done.stdout.strip()} modules)" if done.returncode == 0 else f"failed: {error_summary(done.stderr)}"
    )
    return done


def mypy(output: Path, result: Result, *files: Path) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` on the package (and `files`), outside the repository's own settings."""
    done = stages.mypy(output, *files)
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else done.stderr.strip()
    errors = stages.mypy_errors(done)
    result.mypy = summary if done.returncode == 0 else " | ".join([summary, *errors[:3]])
    return done


def check_models(output: Path, generator_input: Path, result: Result) -> list[dict[str, str]]:
    argv = [sys.executable, "-m", "tests.corpus.check_models", str(generator_input), PACKAGE]
    done = run(argv, cwd=ROOT, pythonpath=os.pathsep.join([str(output), TOOLS_PATH]))
    if done.returncode != 0:
        result.models = f"failed: {error_summary(done.stderr)}"
        return []
    models: list[dict[str, str]] = json.loads(done.stdout)["models"]
    bad = [m for m in models if m["round_trip"] != "ok" or not m["wrong_type"].startswith(("ok", "no typed"))]
    typed = sum(1 for m in models if m["wrong_type"].startswith("ok"))
    spec_examples = sum(1 for m in models if m["example"] == "spec")
    result.models = (
        f"{len(models) - len(bad)}/{len(models)} ok (examples: {spec_examples} from the spec, "
        f"{len(models) - spec_examples} synthesized; wrong type raises ResponseValueError in {typed}, "
        f"{len(models) - typed - len(bad)} have no typed field)"
    )
    result.findings += [f"{m['model']}: round trip {m['round_trip']}; wrong type {m['wrong_type']}" for m in bad]
    return models


def save(result: Result) -> None:
    """Write this spec's result and rebuild the report from every result so far."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    scratch = RESULTS / f".{result.spec}.{os.getpid()}.tmp"
    scratch.write_text(json.dumps(asdict(result), indent=1), encoding="utf-8")
    scratch.replace(RESULTS / f"{result.spec}.json")
    write_report()


def write_report() -> str:
    results = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(RESULTS.glob("*.json"))]
    lines = [
        "# Spec corpus report",
        "",
        "Written by tests/corpus/test_corpus.py (`make e2e`): each spec of tests/fixtures/specs/ "
        "through `generate_into`, imports, `mypy --strict` and every model's round trip.",
        "",
        "| spec | OpenAPI | operations | modules | generation s | generation | imports | mypy --strict | models |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        cells = [r["spec"], r["openapi"], r["operations"], r["modules"], r["generation_s"]]
        cells += [r["generation"], r["imports"], r["mypy"], r["models"]]
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    for r in results:
        if r["findings"]:
            lines += ["", f"## {r['spec']}: findings", "", *(f"- {finding}" for finding in r["findings"])]
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text, encoding="utf-8")
    return text


def spec_files() -> list[Path]:
    return sorted(
        path
        for path in SPECS.iterdir()
        if path.suffix in (".yaml", ".yml", ".json") and not path.name.endswith(".config.yml")
    )
