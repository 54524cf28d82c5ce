"""The maintainer's loops of docs/maintaining.md, once each, in a scratch copy:

- "The maintainer's loop": the service (here: the mock) starts sending a new property -> the
  contract run's drift report names it -> the property goes into openapi.yaml -> `make diff`
  classifies the change -> the regenerated client model has the field -> the drift report is
  empty again;
- "Adding an operation": a second resource goes into openapi.yaml -> the mock's check and the
  contract run's coverage name each new operation -> a handler written as the guide says is
  registered -> the contract run covers all ten operations, and the client has the resource.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.generation.regenerate import generate_into
from tools.paths import ROOT

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


WIDGETS = ROOT / "tests" / "fixtures" / "maintainer_loop"
WIDGET_OPERATIONS = ["projectWidgets", "createWidget", "widget", "updateWidget", "deleteWidget"]


def _add_widgets_to_the_spec(scratch: Path) -> Path:
    """The resource into openapi.yaml, and into the mock's packaged copy (what `make generate` does)."""
    spec_path = scratch / "openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    addition = yaml.safe_load((WIDGETS / "widgets_paths.yaml").read_text(encoding="utf-8"))
    spec["paths"].update(addition["paths"])
    spec["components"]["schemas"].update(addition["schemas"])
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    spec_path.write_text(text, encoding="utf-8")
    (scratch / "mock" / "calyptia_mock" / "openapi.yaml").write_text(text, encoding="utf-8")
    return spec_path


def _register_the_widgets_handlers(scratch: Path) -> None:
    package = scratch / "mock" / "calyptia_mock"
    shutil.copy2(WIDGETS / "widgets.py", package / "widgets.py")
    handlers = package / "handlers.py"
    text = handlers.read_text(encoding="utf-8")
    registered = text.replace("{**projects.HANDLERS}", "{**projects.HANDLERS, **widgets.HANDLERS}")
    registered = registered.replace(
        "from calyptia_mock import projects\n", "from calyptia_mock import projects, widgets\n"
    )
    assert registered != text, "handlers.py no longer registers HANDLERS the way the guide says"
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
    _register_the_widgets_handlers(scratch)
    rechecked = subprocess.run(check, cwd=scratch, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert rechecked.returncode == 0, rechecked.stderr
    after = _run_contract(scratch, tmp_path / "after")
    assert after.returncode == 0, after.stdout[-4000:] + after.stderr[-2000:]
    coverage = json.loads((tmp_path / "after" / "coverage.json").read_text(encoding="utf-8"))
    assert {row["operation"]: row["verdict"] for row in coverage} == dict.fromkeys(
        ["projects", "createProject", "project", "updateProject", "deleteProject", *WIDGET_OPERATIONS], "covered"
    )

    # 3. The client has the resource, named by the convention.
    generated = tmp_path / "generated"
    generate_into(generated, spec=spec)
    resource = (generated / "calyptia_cloud_client" / "api" / "widgets" / "__init__.py").read_text(encoding="utf-8")
    for method in ("list", "create", "get", "update", "delete"):
        assert f"    def {method}(" in resource, method
