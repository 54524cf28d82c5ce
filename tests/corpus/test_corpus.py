"""Spec-first for any spec (issue 27): every spec of tests/fixtures/specs/ generates through our
pipeline, imports, passes `mypy --strict`, and every model round-trips an example and refuses a
value of the wrong type with the package's own errors.ResponseValueError.

A spec that fails today for a known reason is a strict xfail whose `raises` is
KnownFailureError: it holds only while the spec fails at that stage with that text, so the case
turns red both when the fix lands (XPASS) and when the spec starts failing some other way.
The figures go to build/corpus/report.md (tests/corpus/corpus.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import corpus
from tests.corpus.corpus import KnownFailure, KnownFailureError, Result

# Every spec of the corpus goes through today; an entry here (spec file name -> KnownFailure)
# records one that does not yet, and why, as a strict xfail.
KNOWN_FAILURES: dict[str, KnownFailure] = {}


def case(path: Path) -> object:
    known = KNOWN_FAILURES.get(path.name)
    if known is None:
        return pytest.param(path, id=path.name)
    mark = pytest.mark.xfail(strict=True, raises=KnownFailureError, reason=known.reason)
    return pytest.param(path, id=path.name, marks=mark)


def test_every_known_failure_names_a_corpus_spec() -> None:
    """A stale entry would hide nothing, but would mislead whoever reads the table."""
    assert set(KNOWN_FAILURES) <= {path.name for path in corpus.spec_files()}


def test_every_spec_records_its_source_and_licence() -> None:
    sources = (corpus.SPECS / "SOURCES.md").read_text(encoding="utf-8")
    for path in corpus.spec_files():
        assert f"`{path.name}`" in sources, path.name


@pytest.mark.e2e
@pytest.mark.parametrize("spec", [case(path) for path in corpus.spec_files()])
def test_spec_generates_imports_type_checks_and_its_models_round_trip(spec: Path, tmp_path: Path) -> None:
    openapi, operations = corpus.operations_of(spec)
    result = Result(spec.name, openapi, operations)
    output = tmp_path / "pkg"
    try:
        generated = corpus.generate(spec, output, result)
        _stage(spec, "generate", generated.returncode, generated.stderr + generated.stdout, result.generation)
        imported = corpus.import_all(output, result)
        _stage(spec, "import", imported.returncode, imported.stderr, result.imports)
        checked = corpus.mypy(output, result)
        _stage(spec, "mypy", checked.returncode, checked.stdout + checked.stderr, result.mypy)
        corpus.check_models(output, output.with_suffix(".generator.json"), result)
        failed = 1 if result.findings or result.models.startswith("failed") else 0
        _stage(spec, "models", failed, result.models, "; ".join([result.models, *result.findings[:3]]))
    finally:
        corpus.save(result)
    assert result.operations > 0


def _stage(spec: Path, stage: str, returncode: int, output: str, summary: str) -> None:
    """Raise when a stage failed: KnownFailureError when it is the spec's known failure."""
    if returncode == 0:
        return
    known = KNOWN_FAILURES.get(spec.name)
    if known is not None and known.stage == stage and known.needle in output:
        raise KnownFailureError(f"{spec.name}: {stage}: {summary}")
    raise AssertionError(f"{spec.name}: {stage} failed: {summary}")
