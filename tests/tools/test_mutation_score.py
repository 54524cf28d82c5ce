"""The mutation-score harness (tools/mutation/): naming, sampling, the reviewed equivalent
file, the score, and a real mutant applied to a copy, never to mock/.

All but the last test run in well under a second; the last runs two contract runs (e2e).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tools.mutation import equivalent, mutants, runner, score, survivors
from tools.mutation.equivalent import EquivalentFileError
from tools.mutation.mutants import Mutant
from tools.mutation.score import Outcome, Result

AUTH = "calyptia_mock/auth.py"
AUTH_SOURCE = (mutants.MOCK_PACKAGE / AUTH).read_text(encoding="utf-8")

CODE = """from __future__ import annotations


def pick(items: list[int] | None, *, limit: int = 3) -> int | None:
    total: int | None = None
    if items is not None and len(items) > limit:
        total = items[0] | items[1]
    return total
"""


def fake(index: int, *, module: str = "m.py", line: int | None = None) -> Mutant:
    return Mutant(module, "core/AddNot", index, line or index + 1, 4, f"line {index}", 0, None, False)


def of(found: list[Mutant], operator: str, text: str) -> Mutant:
    (mutant,) = [mutant for mutant in found if mutant.operator == operator and mutant.text == text]
    return mutant


# --- naming ------------------------------------------------------------------------------


def test_a_mutant_is_named_by_what_an_unrelated_edit_leaves_alone() -> None:
    before = mutants.module_mutants("m.py", CODE)
    after = mutants.module_mutants("m.py", CODE.replace("\n\ndef pick", "\nimport os\n\n\ndef pick"))
    assert [mutant.key for mutant in before] == [mutant.key for mutant in after]
    assert {mutant.line + 2 for mutant in before} == {mutant.line for mutant in after}


def test_mutants_of_the_same_operator_on_lines_with_the_same_text_are_told_apart() -> None:
    found = mutants.module_mutants("m.py", "def f(a):\n    return a + 1\n\n\ndef g(a):\n    return a + 1\n")
    twins = [mutant for mutant in found if mutant.operator == "core/ReplaceBinaryOperator_Add_Sub"]
    assert [(mutant.line, mutant.nth, mutant.definition) for mutant in twins] == [(2, 0, "f"), (6, 1, "g")]
    assert len({mutant.key for mutant in found}) == len(found)


def test_annotations_are_marked_only_where_they_are_never_evaluated() -> None:
    found = mutants.module_mutants("m.py", CODE)
    marked = {(mutant.line, mutant.column) for mutant in found if mutant.annotation}
    # The parameter's and the return's `|` (Cosmic Ray itself leaves a variable's annotation
    # alone), not the `|` of the expression.
    assert marked == {(4, 26), (4, 60)}
    assert not of(found, "core/ReplaceBinaryOperator_BitOr_Add", "total = items[0] | items[1]").annotation
    evaluated = mutants.module_mutants("m.py", CODE.replace("from __future__ import annotations\n", ""))
    assert not any(mutant.annotation for mutant in evaluated)


# --- applying ----------------------------------------------------------------------------


def test_applying_makes_exactly_the_enumerated_change() -> None:
    found = mutants.module_mutants("m.py", CODE)
    mutant = of(found, "core/ReplaceComparisonOperator_Gt_GtE", "if items is not None and len(items) > limit:")
    mutated = mutants.apply(mutant, CODE)
    assert mutants.changed_text(CODE, mutated) == "if items is not None and len(items) >= limit:"
    assert mutants.diff("m.py", CODE, mutated).startswith("--- a/m.py\n+++ b/m.py\n")
    assert mutants.compiles(mutated, "m.py")


def test_a_mutant_of_a_changed_source_is_refused() -> None:
    mutant = of(
        mutants.module_mutants("m.py", CODE),
        "core/ReplaceComparisonOperator_Gt_GtE",
        "if items is not None and len(items) > limit:",
    )
    with pytest.raises(mutants.MutationError, match="no mutation"):
        mutants.apply(mutant, "x = 1\n")
    moved = "\n".join(["x = 1 > 2", *CODE.splitlines()])  # occurrence 0 is now another line
    with pytest.raises(mutants.MutationError, match=r"changed lines \[1\], not 6"):
        mutants.apply(mutant, moved)


def test_a_mutation_that_is_a_syntax_error_is_found_invalid() -> None:
    bare_star = of(mutants.module_mutants("m.py", CODE), "core/ReplaceBinaryOperator_Mul_Add", CODE.splitlines()[3])
    assert not mutants.compiles(mutants.apply(bare_star, CODE), "m.py")  # def pick(items, +, limit=3)


def test_a_real_mutant_changes_the_copy_and_not_mock(tmp_path: Path) -> None:
    original = (mutants.MOCK_PACKAGE / AUTH).read_bytes()
    mutant = of(
        mutants.module_mutants(AUTH, AUTH_SOURCE),
        "core/ReplaceComparisonOperator_IsNot_Is",
        "if authorization is not None:",
    )
    mutated = mutants.apply(mutant, AUTH_SOURCE)
    package = mutants.mutated_package(mutant, mutated, mutants.MOCK_PACKAGE, tmp_path / "package")
    copy = package / AUTH
    assert copy.read_text(encoding="utf-8") == mutated
    assert "if authorization is None:" in mutated
    assert (mutants.MOCK_PACKAGE / AUTH).read_bytes() == original
    assert hashlib.sha256(copy.read_bytes()).digest() != hashlib.sha256(original).digest()
    assert not list((copy.parent / "__pycache__").glob("auth.*.pyc")), "the copy would run the original's bytecode"
    assert (package / "calyptia_mock" / "store.py").read_bytes() == (
        mutants.MOCK_PACKAGE / "calyptia_mock" / "store.py"
    ).read_bytes()


# --- sampling ----------------------------------------------------------------------------


def test_a_sample_is_fixed_by_its_seed() -> None:
    population = [fake(index) for index in range(200)]
    chosen = mutants.sample(population, 20, seed=36)
    assert len(chosen) == 20
    assert chosen == mutants.sample(list(reversed(population)), 20, seed=36)
    assert chosen != mutants.sample(population, 20, seed=37)
    assert chosen == sorted(chosen, key=lambda mutant: mutant.position)


def test_a_sample_does_not_move_when_lines_shift() -> None:
    population = [fake(index) for index in range(200)]
    shifted = [fake(index, line=index + 40) for index in range(200)]
    assert [mutant.key for mutant in mutants.sample(population, 15, seed=1)] == [
        mutant.key for mutant in mutants.sample(shifted, 15, seed=1)
    ]


def test_a_mutant_more_or_less_changes_a_sample_by_at_most_that_one() -> None:
    population = [fake(index) for index in range(200)]
    chosen = {mutant.key for mutant in mutants.sample(population, 30, seed=36)}
    for changed in (population[:-1], [*population, fake(500)]):
        assert len(chosen - {mutant.key for mutant in mutants.sample(changed, 30, seed=36)}) <= 1


def test_a_sample_takes_only_what_it_accepts_and_at_most_everything() -> None:
    population = [fake(index) for index in range(30)]
    odd = mutants.sample(population, 10, seed=5, accept=lambda mutant: mutant.occurrence % 2 == 1)
    assert len(odd) == 10
    assert all(mutant.occurrence % 2 for mutant in odd)
    assert len(mutants.sample(population, 100, seed=5)) == 30


# --- the reviewed equivalent file --------------------------------------------------------


def entry(**fields: Any) -> dict[str, Any]:
    return {"module": "m.py", "operator": "core/AddNot", "line": "line 3", "reason": "a log line", **fields}


def test_the_reviewed_file_parses() -> None:
    reviewed = equivalent.load()
    assert "annotations" in reviewed.rules
    assert all(entry.reason for entry in reviewed.entries)


def test_listed_mutants_and_rules_are_equivalent_and_unmatched_entries_stale() -> None:
    annotated = Mutant("m.py", "core/ReplaceBinaryOperator_BitOr_Add", 0, 9, 0, "x: int | None", 0, None, True)
    population = [fake(index) for index in range(5)] + [annotated]
    reviewed = equivalent.parse(
        {
            "rules": {"annotations": "never evaluated"},
            "mutants": [entry(), entry(line="gone", reason="was a docstring"), entry(line="line 4", nth=1)],
        }
    )
    classified = equivalent.classify(population, reviewed)
    assert [(mutant.text, reason) for mutant, reason in classified.equivalent] == [
        ("line 3", "a log line"),
        ("x: int | None", "rule annotations: never evaluated"),
    ]
    assert [mutant.text for mutant in classified.to_run] == ["line 0", "line 1", "line 2", "line 4"]
    assert classified.stale == ["m.py core/AddNot `gone`", "m.py core/AddNot `line 4` #1"]


def test_a_rule_that_matches_nothing_is_stale() -> None:
    classified = equivalent.classify([fake(0)], equivalent.parse({"rules": {"annotations": "never evaluated"}}))
    assert classified.stale == ["rule annotations"]


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"mutants": [entry(reason=" ")]}, "non-empty"),
        ({"mutants": [{"module": "m.py", "operator": "core/AddNot", "line": "x"}]}, "missing reason"),
        ({"mutants": [entry(why="typo")]}, "expected the fields"),
        ({"mutants": [entry(), entry()]}, "listed twice"),
        ({"mutants": [entry(nth=-1)]}, "whole number"),
        ({"rules": {"docstrings": "text"}}, "unknown rule"),
        ({"rules": {"annotations": ""}}, "needs its reason"),
        ({"equivalents": []}, "`rules` and `mutants` only"),
    ],
)
def test_what_the_reviewed_file_cannot_vouch_for_is_refused(document: dict[str, Any], complaint: str) -> None:
    with pytest.raises(EquivalentFileError, match=complaint):
        equivalent.parse(document)


# --- the score ---------------------------------------------------------------------------


def results(**counts: int) -> list[Result]:
    made: list[Result] = []
    for outcome, count in counts.items():
        made += [Result(fake(len(made) + index), Outcome(outcome)) for index in range(count)]
    return made


def test_the_score_is_killed_over_the_non_equivalent_with_timeouts_killed_and_invalid_left_out() -> None:
    counts = score.tally(results(killed=80, timeout=10, survived=10, equivalent=25, invalid=7))
    assert (counts.total, counts.killed, counts.timeout, counts.survived, counts.equivalent) == (125, 90, 10, 10, 25)
    assert counts.invalid == 7
    assert counts.judged == 100
    assert counts.score == pytest.approx(0.90)
    assert counts.passed()
    assert counts.by_module["m.py"] == {
        "mutants": 125,
        "killed": 90,
        "timeout": 10,
        "survived": 10,
        "equivalent": 25,
        "invalid": 7,
    }


def test_below_the_threshold_or_with_nothing_judged_fails() -> None:
    assert not score.tally(results(killed=89, survived=11)).passed()
    nothing = score.tally(results(equivalent=3))
    assert nothing.score is None
    assert not nothing.passed()


def test_the_reports_name_every_survivor_with_its_diff(tmp_path: Path) -> None:
    survivor = Result(fake(1), Outcome.SURVIVED, 12.5, "not line 1", "--- a/m.py\n+++ b/m.py\n-line 1\n+not line 1\n")
    everything = [*results(killed=3), survivor, Result(fake(9), Outcome.EQUIVALENT, reason="a log line")]
    text = score.markdown(everything, ["m.py core/AddNot `gone`"], {"mode": "full"})
    assert "**Score: 75.0%** of 4 non-equivalent mutants killed" in text
    assert "### m.py:2 core/AddNot" in text
    assert "+not line 1" in text
    assert "m.py core/AddNot `gone`" in text
    assert "a log line" in text
    document = score.report_json(everything, [], {"mode": "full"}, tmp_path / "report.json")
    assert document["totals"]["score"] == 0.75
    assert not document["passed"]
    assert score.result_line(survivor) == "m.py:2 core/AddNot: `line 1` -> `not line 1`: survived (12.5 s)"


# --- the runs ----------------------------------------------------------------------------


def test_a_mutant_run_is_never_a_live_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CALYPTIA_CLOUD_URL", "CALYPTIA_CLOUD_TOKEN", "CONTRACT_WRITES", "CONTRACT_PHASES"):
        monkeypatch.setenv(name, "set by the caller")
    env = runner.Contract(examples=7).environment(tmp_path)
    assert not [name for name in env if name.startswith(("CALYPTIA_CLOUD_", "CONTRACT_WRITES", "CONTRACT_PHASES"))]
    assert (env["CONTRACT_OUT"], env["CONTRACT_EXAMPLES"]) == (str(tmp_path), "7")
    assert runner.Contract().command(tmp_path)[-2:] == ["--mock-package", str(tmp_path)]


def test_what_caught_a_mutant_is_read_from_the_contract_run(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text(
        "  ❌ ST901 Custom check failed: `page_walk_is_complete`: 1\n  ❌ Undocumented status code: 3\nthe end\n",
        encoding="utf-8",
    )
    assert runner.caught_by(log) == ("page_walk_is_complete", "Undocumented status code")
    log.write_text("Traceback\nRuntimeError: the mock did not start\n", encoding="utf-8")
    assert runner.caught_by(log) == ("RuntimeError: the mock did not start",)


def test_a_failed_phase_kills_and_a_run_past_its_timeout_is_a_hang_and_killed() -> None:
    assert runner._FAILED_PHASE.match(" ❌  Examples (in 1.01s)")
    assert runner._FAILED_PHASE.match(" ❌  Stateful (in 12.5s)")
    assert not runner._FAILED_PHASE.match(" ✅  Coverage (in 3.64s)")
    assert not runner._FAILED_PHASE.match("  ❌ ST901 Custom check failed: `update_reads_back`: 1")
    assert runner.judge(runner.RunOutcome(None, 8.0, failed_phase="Examples")) is Outcome.KILLED
    assert runner.judge(runner.RunOutcome(None, 60.0)) is Outcome.TIMEOUT
    assert runner.judge(runner.RunOutcome(0, 15.0)) is Outcome.SURVIVED
    assert runner.judge(runner.RunOutcome(1, 15.0)) is Outcome.KILLED


@pytest.mark.e2e  # two contract runs: 74 s on a busy 2-core machine
def test_the_contract_run_passes_the_copy_and_kills_a_real_mutant(tmp_path: Path) -> None:
    contract = runner.Contract(timeout=300)
    assert runner.run_unmutated(contract, tmp_path / "unmutated.log").returncode == 0
    mutant = of(
        mutants.module_mutants(AUTH, AUTH_SOURCE),
        "core/ReplaceComparisonOperator_IsNot_Is",
        "if authorization is not None:",
    )
    result = runner.run_mutant(mutant, {AUTH: AUTH_SOURCE}, contract, tmp_path / "mutant.log")
    assert result.outcome is Outcome.KILLED, Path(result.log).read_text(encoding="utf-8")[-3000:]


def test_a_rescore_moves_newly_reviewed_survivors_out_of_the_score(tmp_path: Path) -> None:
    earlier = [*results(killed=8), Result(fake(20), Outcome.SURVIVED, 20.0), Result(fake(21), Outcome.SURVIVED, 20.0)]
    report = tmp_path / "report.json"
    score.report_json(earlier, [], {"mode": "full", "seconds": 100.0}, report)
    reviewed = tmp_path / "equivalent.yaml"
    known = tmp_path / "survivors.yaml"

    def rescore(*lines: str) -> tuple[int, dict[str, Any]]:
        entries = "".join(
            f"  - {{module: m.py, operator: core/AddNot, line: {line}, reason: a log line}}\n" for line in lines
        )
        reviewed.write_text(f"mutants:\n{entries}" if entries else "mutants: []\n", encoding="utf-8")
        status = runner.main(["--rescore", str(report), "--equivalent", str(reviewed), "--survivors", str(known)])
        return status, json.loads((tmp_path / "report-rescored.json").read_text(encoding="utf-8"))["totals"]

    status, totals = rescore("line 20")
    assert (status, totals["killed"], totals["survived"], totals["equivalent"]) == (1, 8, 1, 1)  # 8 of 9: 88.9%
    assert survivors.load(known) == {fake(21).key}
    status, totals = rescore("line 20", "line 21")
    assert (status, totals["survived"], totals["equivalent"], totals["score"]) == (0, 0, 2, 1.0)
    status, _ = rescore("line 20", "line 21", "gone")
    assert status == 1  # a stale entry


def test_a_sample_fails_on_a_new_survivor_and_tolerates_the_known_ones(tmp_path: Path) -> None:
    known = tmp_path / "survivors.yaml"
    survivors.write([Result(fake(20), Outcome.SURVIVED, change="not line 20")], "last full run: test", known)
    assert survivors.load(known) == {fake(20).key}
    reviewed = tmp_path / "equivalent.yaml"
    reviewed.write_text("mutants: []\n", encoding="utf-8")

    def judged(*survived: int) -> int:
        sample = [*results(killed=3), *(Result(fake(index), Outcome.SURVIVED) for index in survived)]
        report = tmp_path / "sample-report.json"
        score.report_json(sample, [], {"mode": "sample", "seconds": 10.0}, report)
        return runner.main(["--rescore", str(report), "--equivalent", str(reviewed), "--survivors", str(known)])

    assert judged(20) == 0  # 75%, but the one survivor is a known one
    assert judged(20, 21) == 1
    assert survivors.load(known) == {fake(20).key}, "a sample never rewrites the known survivors"


def test_a_rerun_of_the_survivors_runs_only_them_and_keeps_the_other_verdicts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    population = [fake(index) for index in range(6)]
    earlier = [*(Result(mutant, Outcome.KILLED, 9.0) for mutant in population[:4])]
    earlier += [Result(population[4], Outcome.SURVIVED, 20.0), Result(population[5], Outcome.SURVIVED, 20.0)]
    report = tmp_path / "report.json"
    score.report_json(earlier, [], {"mode": "full", "seconds": 100.0}, report)
    reviewed = tmp_path / "equivalent.yaml"
    reviewed.write_text("mutants: []\n", encoding="utf-8")
    ran: list[Mutant] = []

    def run_all(chosen: list[Mutant], *args: object) -> list[Result]:
        ran.extend(chosen)
        return [Result(chosen[0], Outcome.KILLED, 8.0), Result(chosen[1], Outcome.SURVIVED, 21.0)]

    monkeypatch.setattr(mutants, "enumerate_mutants", lambda: (population, {}))
    monkeypatch.setattr(runner, "run_unmutated", lambda contract, log: runner.RunOutcome(0, 15.0))
    monkeypatch.setattr(runner, "run_all", run_all)
    known = tmp_path / "survivors.yaml"
    arguments = ["--rerun-survivors", str(report), "--out", str(tmp_path / "out")]
    status = runner.main([*arguments, "--equivalent", str(reviewed), "--survivors", str(known)])
    assert ran == population[4:]
    totals = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["totals"]
    assert (status, totals["killed"], totals["survived"]) == (1, 5, 1)  # 5 of 6: below 90%
    assert survivors.load(known) == {population[5].key}
