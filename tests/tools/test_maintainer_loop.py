"""The maintainer's loops of docs/maintaining.md, once each, in a scratch copy:

- "The maintainer's loop": the service (here: the mock) starts sending a new property -> the
  contract run's drift report names it -> the property goes into openapi.yaml -> `make diff`
  classifies the change -> the regenerated client model has the field -> the drift report is
  empty again;
- "Adding an operation": a second resource goes into openapi.yaml -> the mock's check and the
  contract run's coverage name each new operation -> a handler written as the guide says is
  registered -> the contract run covers every operation, and the client has the resource;
- "Adding an operation", every step: the vendor's members list goes into a whole copy of the
  repository (spec, handler module, store read, registration, declared upstream differences,
  tests/fixtures/maintainer_loop/members.*) -> `make`, every test marked `operations`
  (`pytest -m operations`) and `make upstream-diff STRICT=1` pass, no test edited.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.generation.regenerate import generate_into
from tools.paths import ROOT
from tools.spec import operations

pytestmark = pytest.mark.e2e  # a whole tool as a subprocess: `make e2e`

COPIED = ("openapi.yaml", "overlays", "mock", "tools", "tests/fixtures", "schemathesis.toml")
NEW_PROPERTY = """        fleetsCount:
          type: integer
          minimum: 0
          description: How many fleets the project has.
"""


def _scratch_copy(tmp_path: Path) -> Path:
    scratch = tmp_path / "repo"
    for name in COPIED:
        source, target = ROOT / name, scratch / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (scratch / "node_modules").symlink_to(ROOT / "node_modules")
    git = ["git", "-C", str(scratch), "-c", "user.name=loop", "-c", "user.email=loop@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "before the service changed"], check=True)
    return scratch


def _service_sends_fleets_count(scratch: Path) -> None:
    """Add `fleetsCount` wherever the mock builds a project (beside `aggregatorsCount`): in a
    Python dict, or in the SQL json_object() with which SQLite builds a project's JSON (store.py)."""
    changed = 0
    for source in (scratch / "mock").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        new = re.sub(r'^(\s*)("aggregatorsCount": [^\n]+,)$', r'\1\2\n\1"fleetsCount": 0,', text, flags=re.M)
        new = re.sub(r"('aggregatorsCount', [\w.]+,)", r"\1 'fleetsCount', 0,", new)
        if new != text:
            source.write_text(new, encoding="utf-8")
            changed += 1
    assert changed, "the scenario found no place where the mock builds a project"


def _run_contract(scratch: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONTRACT_EXAMPLES": "2", "CONTRACT_OUT": str(out)}
    for name in ("CALYPTIA_CLOUD_URL", "CALYPTIA_CLOUD_TOKEN", "CONTRACT_STRICT_DRIFT", "PYTHONPATH"):
        env.pop(name, None)
    command = [sys.executable, "-m", "tools.contract"]
    return subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=300, check=False)


def _contract(scratch: Path, out: Path) -> dict[str, object]:
    result = _run_contract(scratch, out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    report: dict[str, object] = json.loads((out / "drift.json").read_text(encoding="utf-8"))
    return report


def test_a_new_property_goes_from_drift_report_to_generated_model(tmp_path: Path) -> None:
    scratch = _scratch_copy(tmp_path)
    _service_sends_fleets_count(scratch)

    drift = _contract(scratch, tmp_path / "before")
    assert [(item["kind"], item["element"], item["name"]) for item in drift["drift"]] == [  # type: ignore[attr-defined]
        ("property", "Project", "fleetsCount")
    ]

    spec = scratch / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    # Project's properties: insert before its v3Enabled (the first one after "    Project:").
    project_properties = text.index("        v3Enabled:\n", text.index("    Project:\n"))
    spec.write_text(text[:project_properties] + NEW_PROPERTY + text[project_properties:], encoding="utf-8")

    diff = subprocess.run(
        [sys.executable, "-m", "tools.spec_diff", "--json", "HEAD"],
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert diff.returncode == 0, diff.stderr  # nothing breaking
    changes = json.loads(diff.stdout)["changes"]
    added = [change for change in changes if change["path"][-2:] == ["properties", "fleetsCount"]]
    assert added, changes
    assert {change["type"] for change in added} == {"non-breaking"}
    assert {change["action"] for change in added} == {"add"}

    generated = tmp_path / "generated"
    generate_into(generated, spec=spec)
    model = (generated / "calyptia_cloud_client" / "models" / "project.py").read_text(encoding="utf-8")
    assert "fleets_count: int | Unset" in model
    assert '"fleetsCount"' in model

    assert _contract(scratch, tmp_path / "after")["drift"] == []


FIXTURES = ROOT / "tests" / "fixtures" / "maintainer_loop"
WIDGET_OPERATIONS = ["projectWidgets", "createWidget", "widget", "updateWidget", "deleteWidget"]


def _add_widgets_to_the_spec(scratch: Path) -> Path:
    """The resource into openapi.yaml, and into the mock's packaged copy (what `make generate` does)."""
    spec_path = scratch / "openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    addition = yaml.safe_load((FIXTURES / "widgets_paths.yaml").read_text(encoding="utf-8"))
    spec["paths"].update(addition["paths"])
    spec["components"]["schemas"].update(addition["schemas"])
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    spec_path.write_text(text, encoding="utf-8")
    (scratch / "mock" / "calyptia_mock" / "openapi.yaml").write_text(text, encoding="utf-8")
    return spec_path


def _register_handlers(scratch: Path, module: str) -> None:
    """Copy the fixture's handler module into the scratch mock and register its HANDLERS in
    calyptia_mock/handlers.py, as the guide says: imported beside projects, merged into HANDLERS."""
    package = scratch / "mock" / "calyptia_mock"
    shutil.copy2(FIXTURES / f"{module}.py", package / f"{module}.py")
    handlers = package / "handlers.py"
    text = handlers.read_text(encoding="utf-8")
    registered = re.sub(
        r"^(HANDLERS: Mapping\[str, Handler\] = \{.*)\}$",
        rf"\1, **{module}.HANDLERS}}",
        text,
        count=1,
        flags=re.M,
    )
    registered = re.sub(
        r"^from calyptia_mock import (.+)$",
        lambda found: "from calyptia_mock import " + ", ".join(sorted([*found[1].split(", "), module])),
        registered,
        count=1,
        flags=re.M,
    )
    assert registered.count(f"**{module}.HANDLERS") == 1, (
        "handlers.py no longer registers HANDLERS the way the guide says"
    )
    assert re.search(rf"^from calyptia_mock import .*\b{module}\b", registered, flags=re.M), "nor imports them so"
    handlers.write_text(registered, encoding="utf-8")


def test_a_new_resource_is_named_until_a_handler_serves_it(tmp_path: Path) -> None:
    scratch = _scratch_copy(tmp_path)
    spec = _add_widgets_to_the_spec(scratch)

    # 1. `make lint`'s check names each new operation; so does the contract run's coverage.
    env = {**os.environ, "PYTHONPATH": str(scratch / "mock")}
    check = [sys.executable, "-m", "calyptia_mock", "--check", "--spec", str(spec)]
    checked = subprocess.run(check, cwd=scratch, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert checked.returncode == 1
    assert [op for op in WIDGET_OPERATIONS if f"not implemented by the mock: {op} (" in checked.stderr] == (
        WIDGET_OPERATIONS
    )
    before = _run_contract(scratch, tmp_path / "before")
    assert before.returncode != 0
    for operation in WIDGET_OPERATIONS:
        assert re.search(rf"contract: coverage: {operation} \(.*\): NOT COVERED: .*501", before.stdout), operation

    # 2. The handler, registered; the check passes and the run covers all ten operations.
    _register_handlers(scratch, "widgets")
    rechecked = subprocess.run(check, cwd=scratch, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert rechecked.returncode == 0, rechecked.stderr
    after = _run_contract(scratch, tmp_path / "after")
    assert after.returncode == 0, after.stdout[-4000:] + after.stderr[-2000:]
    coverage = json.loads((tmp_path / "after" / "coverage.json").read_text(encoding="utf-8"))
    every = [
        operation["operationId"] for _, _, operation in operations(yaml.safe_load(spec.read_text(encoding="utf-8")))
    ]
    assert WIDGET_OPERATIONS[0] in every
    assert {row["operation"]: row["verdict"] for row in coverage} == dict.fromkeys(every, "covered")

    # 3. The client has the resource, named by the convention.
    generated = tmp_path / "generated"
    generate_into(generated, spec=spec)
    resource = (generated / "calyptia_cloud_client" / "api" / "widgets" / "__init__.py").read_text(encoding="utf-8")
    for method in ("list", "create", "get", "update", "delete"):
        assert f"    def {method}(" in resource, method


# --- Adding an operation, every step, then the whole loop -------------------------------------

# What `make` would rebuild before its first target: a stamp older than requirements.txt or
# mock/pyproject.toml (which `make generate` writes) makes it reinstall .venv, which the scratch
# copy shares with this checkout. The scratch must never touch them: they are assumed up to date.
SHARED_STAMPS = (".venv/.installed-from-requirements", "node_modules/.installed-from-lock")
VENDOR = ROOT.parent / "shared" / "vendor" / "calyptia-api" / "spec" / "open-api.yml"


def _whole_copy(tmp_path: Path) -> Path:
    """The checkout's files as they stand (tracked, and untracked but not ignored), sharing its
    .venv and node_modules; its mypy caches are copied, so that `make lint` checks only what changed."""
    scratch = tmp_path / "repo"
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    )
    for name in sorted(set(listed.stdout.decode().split("\0")) - {""}):
        source = ROOT / name
        if source.is_file():
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for shared in (".venv", "node_modules"):
        (scratch / shared).symlink_to(ROOT / shared)
    for cache in (".mypy_cache", "build/mypy-generated"):
        if (ROOT / cache).is_dir():
            shutil.copytree(ROOT / cache, scratch / cache)
    return scratch


def _block(text: str, key: str) -> str:
    """The lines under a top-level key of a YAML text, as written (to paste them elsewhere)."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"{key}:\n") + 1
    end = next((i for i in range(start, len(lines)) if lines[i][:1] not in ("", " ", "\n")), len(lines))
    return "".join(lines[start:end])


def _add_the_members_operation(scratch: Path) -> dict[str, Any]:
    """Every step of docs/maintaining.md's "Adding an operation", from the fixture members.*:
    the spec (its tag and path), the handler module, the store read, the registration, the
    declared differences from the vendor's description."""
    written = (FIXTURES / "members.yaml").read_text(encoding="utf-8")
    members = yaml.safe_load(written)
    spec = scratch / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    described = set(yaml.safe_load(text)["paths"]) & set(members["paths"])
    assert not described, f"openapi.yaml describes {described} already: give the loop an operation it lacks"
    tag = f"  - name: {members['tag']['name']}\n    description: {members['tag']['description']}\n"
    text, tagged = re.subn(r"^tags:\n", "tags:\n" + tag, text, count=1, flags=re.M)
    paths = _block(written, "paths")  # as written: at the depth of openapi.yaml's paths
    text, pathed = re.subn(r"^components:\n", lambda _: paths + "components:\n", text, count=1, flags=re.M)
    assert (tagged, pathed) == (1, 1), "openapi.yaml has no top-level tags or components where the loop expects them"
    spec.write_text(text, encoding="utf-8")

    _register_handlers(scratch, "members")
    handler = scratch / "mock" / "calyptia_mock" / "members.py"
    # In the mock's package its own imports are first-party: sorted as a maintainer's ruff sorts them.
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "ruff"), "check", "--quiet", "--fix", "--select", "I", str(handler)], check=True
    )

    store = scratch / "mock" / "calyptia_mock" / "store.py"
    text = store.read_text(encoding="utf-8")
    anchor = "\n    def reset(self) -> None:\n"
    assert anchor in text, "Store has no reset() to insert the read before"
    store.write_text(text.replace(anchor, members["store"] + anchor, 1), encoding="utf-8")

    declared = scratch / "openapi.upstream-differences.yaml"
    with declared.open("a", encoding="utf-8") as appended:
        appended.write("\n  # --- the members list (tests/fixtures/maintainer_loop/members.yaml)\n")
        appended.write(_block(written, "differences"))  # as written: a list at the same depth
    operation: dict[str, Any] = members["paths"]["/v1/projects/{projectID}/members"]["get"]
    return operation


def _step(scratch: Path, command: list[str], timings: dict[str, float], name: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(scratch / "mock")}  # the scratch's mock, for calyptia-mock --check
    for variable in (
        "CALYPTIA_CLOUD_URL",
        "CALYPTIA_CLOUD_TOKEN",
        "CONTRACT_STRICT_DRIFT",
        "CONTRACT_OUT",
        "MAKEFLAGS",
    ):
        env.pop(variable, None)
    started = time.monotonic()
    done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=900, check=False)
    timings[name] = time.monotonic() - started
    assert done.returncode == 0, f"{name} failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_an_operation_added_as_the_guide_says_leaves_make_the_operation_tests_and_upstream_diff_green(
    tmp_path: Path,
) -> None:
    scratch = _whole_copy(tmp_path)
    operation = _add_the_members_operation(scratch)
    make = ["make", *(f"--assume-old={stamp}" for stamp in SHARED_STAMPS)]
    timings: dict[str, float] = {}

    built = _step(scratch, make, timings, "make")
    count = len(list(operations(yaml.safe_load((scratch / "openapi.yaml").read_text(encoding="utf-8")))))
    assert f"calyptia-mock: {count} of {count} operations implemented" in built, built[-3000:]
    assert f"contract: coverage: {count} operations: {count} covered (" in built, built[-3000:]
    resource = (scratch / "generated" / "calyptia_cloud_client" / "api" / "members" / "__init__.py").read_text(
        encoding="utf-8"
    )
    assert "    def list(" in resource
    assert operation["summary"] in resource

    # Every test that enumerates operations, the new one among them; no test was edited.
    pytest_command = [sys.executable, "-m", "pytest", "-m", "operations", "-v", f"--basetemp={tmp_path / 'pytest'}"]
    tested = _step(scratch, pytest_command, timings, "pytest -m operations")
    assert re.search(r"PASSED .*\[members\.list", tested), tested[-3000:]
    assert re.search(r"= \d+ passed", tested), tested[-2000:]

    upstream = VENDOR if VENDOR.is_file() else scratch / "tests" / "fixtures" / "upstream" / "open-api.yml"
    diffed = _step(scratch, [*make, "upstream-diff", "STRICT=1", f"UPSTREAM={upstream}"], timings, "make upstream-diff")
    assert "0 upstream-only, 0 ours-only, 0 different, " in diffed
    print("maintainer loop timings: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
