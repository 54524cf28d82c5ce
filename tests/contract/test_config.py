"""The run's one configuration (tools/contract/config.py): built once from the command line and
the environment, the command line first; a bad value is a usage error (exit 2) before anything
starts; no module of tools/contract reads the environment or installs a hook when imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tools.contract.config import MOCK_EXAMPLES, MOCK_TOKEN, PHASES, RunConfig, build, build_soak
from tools.contract.runner import main, st_command, write_methods
from tools.paths import BUILD, ROOT, SPEC
from tools.spec import load

LIVE = {"CALYPTIA_CLOUD_URL": "https://cloud.example.com/", "CALYPTIA_CLOUD_TOKEN": "secret"}


def test_defaults_against_the_mock() -> None:
    config = build([], {})
    assert (config.live, config.writes, config.examples, config.phases) == (False, True, MOCK_EXAMPLES, PHASES)
    assert (config.rate_limit, config.max_time, config.max_requests) == (None, None, 0)
    assert config.out == (BUILD / "contract").resolve()
    assert config.mock_package == (ROOT / "mock").resolve()
    assert config.run_token == MOCK_TOKEN
    assert config.model is True


def test_defaults_live_are_read_only_and_bounded() -> None:
    config = build([], LIVE)
    assert config.url == "https://cloud.example.com"
    assert (config.live, config.guarded, config.writes) == (True, True, False)
    assert config.phases == ("examples", "coverage", "fuzzing"), "a read-only run has no stateful phase"
    assert (config.examples, config.rate_limit, config.max_time, config.max_requests) == (20, "5/s", 600.0, 1000)
    assert config.run_token == "secret"


def test_every_variable_is_read() -> None:
    environ = {
        **LIVE,
        "CONTRACT_WRITES": "1",
        "CONTRACT_EXAMPLES": "7",
        "CONTRACT_PHASES": "stateful,examples",
        "CONTRACT_RATE_LIMIT": "100/m",
        "CONTRACT_MAX_TIME": "30",
        "CONTRACT_MAX_REQUESTS": "15",
        "CONTRACT_OUT": "/tmp/contract-out",
        "CONTRACT_STRICT_DRIFT": "1",
        "CONTRACT_DRIFT_IGNORE_HEADERS": "x-cdn, via-edge",
        "CONTRACT_WALK_MAX_PAGES": "3",
    }
    config = build([], environ)
    assert config.writes
    assert config.strict_drift
    assert (config.examples, config.phases, config.rate_limit) == (7, ("stateful", "examples"), "100/m")
    assert (config.max_time, config.max_requests, config.walk_max_pages) == (30.0, 15, 3)
    assert config.out == Path("/tmp/contract-out")
    assert config.drift_ignore_headers == ("x-cdn", "via-edge")


def test_the_command_line_wins_over_the_environment(tmp_path: Path) -> None:
    environ = {**LIVE, "CONTRACT_WRITES": "1", "CONTRACT_EXAMPLES": "7", "CONTRACT_OUT": "/elsewhere"}
    argv = ["--no-writes", "--examples", "3", "--out", str(tmp_path), "--phases", "examples", "--no-model"]
    config = build(argv, environ)
    assert (config.writes, config.examples, config.out, config.phases, config.model) == (
        False,
        3,
        tmp_path,
        ("examples",),
        False,
    )
    assert build(["--url", "http://127.0.0.1:9"], {"CALYPTIA_CLOUD_TOKEN": "t"}).url == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("argv", "environ", "message"),
    [
        ([], {"CONTRACT_EXAMPLES": "many"}, "CONTRACT_EXAMPLES='many': must be a whole number >= 1"),
        (["--examples", "0"], {}, "--examples='0': must be a whole number >= 1"),
        ([], {"CONTRACT_PHASES": "examples,fuzz"}, "CONTRACT_PHASES='examples,fuzz': must be a comma-separated"),
        ([], {**LIVE, "CONTRACT_RATE_LIMIT": "5"}, "CONTRACT_RATE_LIMIT='5': must be N/s, N/m, N/h or N/d"),
        ([], {**LIVE, "CONTRACT_MAX_TIME": "-1"}, "CONTRACT_MAX_TIME='-1': must be a number of seconds > 0"),
        ([], {"CONTRACT_MAX_REQUESTS": "-5"}, "CONTRACT_MAX_REQUESTS='-5': must be a whole number >= 0"),
        ([], {**LIVE, "CONTRACT_WRITES": "yes"}, "CONTRACT_WRITES='yes': must be 1 (on) or 0 or empty (off)"),
        ([], {"CONTRACT_STRICT_DRIFT": "true"}, "CONTRACT_STRICT_DRIFT='true': must be 1"),
        ([], {"CALYPTIA_CLOUD_URL": "https://x.example"}, "set both CALYPTIA_CLOUD_URL (or --url) and"),
        ([], {"CALYPTIA_CLOUD_TOKEN": "t"}, "set both CALYPTIA_CLOUD_URL (or --url) and"),
        ([], {**LIVE, "CALYPTIA_CLOUD_URL": "cloud.example.com"}, "is not an http:// or https:// URL"),
        ([], {**LIVE, "CONTRACT_PHASES": "stateful"}, "a read-only live run has no stateful phase"),
        (["--mock-package", "/"], {}, "--mock-package /: no calyptia_mock/ folder in it"),
        (["--no-such-option"], {}, "unrecognized arguments: --no-such-option"),
    ],
)
def test_a_bad_value_is_a_usage_error(
    argv: list[str], environ: dict[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build(argv, environ)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("usage: python -m tools.contract")
    assert message in error


def test_a_bad_value_stops_the_run_before_anything_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m tools.contract` exits 2, having started no mock and written nothing."""
    with pytest.raises(SystemExit) as stopped:
        main([], {"CONTRACT_EXAMPLES": "many", "CONTRACT_OUT": str(tmp_path / "out")})
    assert stopped.value.code == 2
    assert "CONTRACT_EXAMPLES='many': must be a whole number >= 1" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_help_lists_every_option_with_its_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        build(["--help"], {})
    assert stopped.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("usage: python -m tools.contract")
    for option in ("--url", "--writes", "--examples", "--phases", "--rate-limit", "--max-time", "--max-requests"):
        assert option in text
    for variable in ("CALYPTIA_CLOUD_TOKEN", "CONTRACT_WRITES=1", "CONTRACT_EXAMPLES", "CONTRACT_STRICT_DRIFT=1"):
        assert variable in text
    assert "--mock-package DIR" in text
    assert "--no-model" in text


def test_the_file_for_st_round_trips_without_the_token(tmp_path: Path) -> None:
    config = build(["--writes", "--out", str(tmp_path)], {**LIVE, "CALYPTIA_CLOUD_TOKEN": "very-secret"})
    path = config.write()
    assert path == tmp_path / "run-config.json"
    assert "very-secret" not in path.read_text(encoding="utf-8")
    assert "very-secret" not in repr(config)
    assert RunConfig.read(path, token="very-secret") == config
    assert json.loads(path.read_text(encoding="utf-8"))["writes"] is True


def test_a_read_only_live_command_filters_only_the_methods_the_spec_has(tmp_path: Path) -> None:
    """No "Unmatched filters" warning from st: PUT is excluded only when an operation has it."""
    assert write_methods(load(SPEC)) == ["POST", "DELETE", "PATCH"]
    command = st_command(build(["--out", str(tmp_path)], LIVE), "https://cloud.example.com")
    excluded = [command[index + 1] for index, word in enumerate(command) if word == "--exclude-method"]
    assert excluded == ["POST", "DELETE", "PATCH"]
    assert command[command.index("--phases") + 1] == "examples,coverage,fuzzing"
    assert "--phases" not in st_command(build(["--out", str(tmp_path)], {}), "http://127.0.0.1:1")


def test_the_soak_settings(tmp_path: Path) -> None:
    soak = build_soak({"SOAK_EXAMPLES": "2", "SOAK_SECONDS": "1.5", "SOAK_OUT": str(tmp_path)})
    assert (soak.examples, soak.seconds, soak.clients, soak.out) == (2, 1.5, 8, tmp_path)
    with pytest.raises(SystemExit) as stopped:
        build_soak({"SOAK_CLIENTS": "none"})
    assert stopped.value.code == 2


# Imports every module of tools/contract but the one st loads to install the hooks, with an
# environment in which any CONTRACT_, CALYPTIA_, SOAK_ or SCHEMATHESIS_HOOKS variable read
# fails; then reports what was installed: schemathesis hooks, checks, CLI handlers, the transport.
POISONED_IMPORT = """
import importlib, json, os, pkgutil, sys

class Poisoned(dict):
    WATCHED = ("CONTRACT_", "CALYPTIA_", "SOAK_", "SCHEMATHESIS_HOOKS")
    def _check(self, key):
        if isinstance(key, str) and key.startswith(self.WATCHED):
            raise RuntimeError(f"read {key} at import")
    def __getitem__(self, key):
        self._check(key)
        return super().__getitem__(key)
    def get(self, key, default=None):
        self._check(key)
        return super().get(key, default)
    def __contains__(self, key):
        self._check(key)
        return super().__contains__(key)

import requests.adapters, schemathesis
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.cli.ext.handlers import CUSTOM_HANDLERS
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
load_all_checks()
send, checks = requests.adapters.HTTPAdapter.send, set(CHECKS.get_all_names())
os.environ = Poisoned(os.environ)
import tools.contract
names = sorted(
    module.name for module in pkgutil.walk_packages(tools.contract.__path__, "tools.contract.")
    if module.name != "tools.contract.st_hooks" and not module.name.endswith("__main__")
)
for name in names:
    importlib.import_module(name)
print(json.dumps({
    "modules": names,
    "hooks": {name: len(hooks) for name, hooks in GLOBAL_HOOK_DISPATCHER.get_all().items() if hooks},
    "checks": sorted(set(CHECKS.get_all_names()) - checks),
    "handlers": len(CUSTOM_HANDLERS),
    "transport": requests.adapters.HTTPAdapter.send is send,
}))
"""


def test_importing_tools_contract_reads_no_environment_and_installs_nothing() -> None:
    env = {
        **os.environ,
        "CONTRACT_GUARD": "1",
        "CONTRACT_MAX_REQUESTS": "not-a-number",
        "CONTRACT_RUN_CONFIG": "/nonexistent/run-config.json",
        "CALYPTIA_CLOUD_URL": "https://poisoned.example",
    }
    result = subprocess.run(
        [sys.executable, "-c", POISONED_IMPORT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert {"tools.contract.hooks", "tools.contract.runner", "tools.contract.drift.recorder"} <= set(report["modules"])
    assert report["hooks"] == {}
    assert report["checks"] == []
    assert report["handlers"] == 0
    assert report["transport"] is True


def test_install_registers_every_hook_and_uninstall_takes_them_back(tmp_path: Path) -> None:
    """What `st run`'s process gets (tools.contract.st_hooks: install), undone by uninstall."""
    import requests.adapters
    from schemathesis.checks import CHECKS
    from schemathesis.cli.ext.handlers import CUSTOM_HANDLERS
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

    from tools.contract.hooks import install
    from tools.contract.promises import PROMISES

    send, checks, handlers = requests.adapters.HTTPAdapter.send, set(CHECKS.get_all_names()), len(CUSTOM_HANDLERS)
    seen: list[str] = []
    installation = install(build(["--out", str(tmp_path)], LIVE))
    try:
        installation.add_observer(lambda request, response: seen.append(str(request.url)))
        hooks = {name for name, registered in GLOBAL_HOOK_DISPATCHER.get_all().items() if registered}
        assert {"after_load_schema", "before_call", "after_call", "filter_case", "before_add_examples"} <= hooks
        assert set(CHECKS.get_all_names()) - checks == {"next_page_link_resolves", *PROMISES}
        assert len(CUSTOM_HANDLERS) == handlers + 1
        assert requests.adapters.HTTPAdapter.send is not send
        # The run's traffic count first, the reference model's exchange log when st_hooks gives
        # install its key, then the one added here, last.
        assert installation.observers[0] == installation.facts.observe
        assert installation.observers[-1].__qualname__.endswith("<lambda>")
    finally:
        installation.uninstall()
    assert requests.adapters.HTTPAdapter.send is send
    assert set(CHECKS.get_all_names()) == checks
    assert len(CUSTOM_HANDLERS) == handlers


def _recording(seen: list[tuple[str, str, int]]) -> Callable[[Any, Any], None]:
    def observe(request: Any, response: Any) -> None:
        seen.append((str(request.method), str(request.url), response.status_code))

    return observe


def test_the_one_transport_observes_every_exchange_and_guards_only_a_guarded_run(tmp_path: Path) -> None:
    """Mock and live alike, every exchange reaches the observers (PreparedRequest, Response); the
    write guard refuses a write only when the configuration says the run is guarded."""
    import requests

    from tests.support.loopback import loopback_server
    from tools.contract.hooks import WriteRefusedError, install

    with loopback_server() as server:
        for environ, guarded in (({}, False), ({"CALYPTIA_CLOUD_URL": server.url, "CALYPTIA_CLOUD_TOKEN": "t"}, True)):
            seen: list[tuple[str, str, int]] = []
            installation = install(build(["--out", str(tmp_path), "--no-model"], environ))
            installation.add_observer(_recording(seen))
            try:
                assert requests.get(f"{server.url}/v1/projects", timeout=5).status_code == 200
                if guarded:
                    with pytest.raises(WriteRefusedError, match="not sent"):
                        requests.delete(f"{server.url}/v1/projects/theirs", timeout=5)
                else:
                    assert requests.delete(f"{server.url}/v1/projects/theirs", timeout=5).status_code == 200
            finally:
                installation.uninstall()
            sent = [("GET", f"{server.url}/v1/projects", 200)]
            assert seen == (sent if guarded else [*sent, ("DELETE", f"{server.url}/v1/projects/theirs", 200)])
    assert [request.method for request in server.requests] == ["GET", "DELETE", "GET"]
