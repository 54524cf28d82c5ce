"""openapi-python-client, run in this process, as `generate --meta pdm --overwrite --fail-on-warning`.

Its command line costs a second interpreter that imports the generator again (about 1.1 s of a
small spec's 2 s), and it compiles every Jinja template on each run (0.7 s): both are start-up
costs, paid again for every spec. Here the generator runs where its modules are imported
already, our templates are read where they are (no copy, so their paths stay the same from run
to run) and their compiled code is kept in build/jinja-cache/, which Jinja checks against each
template's source. The post-hooks run with the pinned ruff beside this interpreter, by path,
without a shell.

A warning fails the run as --fail-on-warning does: GeneratorRefusedError names the operation
or schema the generator could not read (tools/generation/generator_output.py reads the same
report the command line prints, so `make corpus` and `make generate` name failures alike).
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import openapi_python_client
from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError

from tools.generation.generator_output import problems, root
from tools.paths import BUILD

__all__ = ["GeneratorRefusedError", "run_generator"]

# Compiled templates, per generator and Jinja version: the compiled code depends on both.
JINJA_CACHE = BUILD / "jinja-cache" / f"opc-{openapi_python_client.__version__}-jinja2-{jinja2.__version__}"
BANNER = "Warning(s) encountered while generating. Client was generated, but some pieces may be missing"


class GeneratorRefusedError(Exception):
    """The generator could not read a piece of the spec (or a post-hook failed): the message names
    the operation or schema, why, and the way out."""

    def __init__(self, report: str) -> None:
        found = problems(report)
        cause = root(found)
        if cause is not None:
            others = len({(problem.kind, problem.subject) for problem in found}) - 1
            more = f" (and {others} more piece{'s' * (others != 1)})" if others else ""
            said = f"it cannot read the {cause}{more}"
        else:
            lines = [line for line in report.splitlines() if line.strip() and line != BANNER]
            said = " | ".join(lines[:3]) or "it failed without saying why"
        super().__init__(
            f"{said}. The way out: an overlay (overlays/) that rewrites or removes it, or an entry"
            " of generator_config.yml's left_out naming the operation and why it is left out"
        )
        self.problems = found


def report(errors: Sequence[GeneratorError]) -> str:
    """The errors as the generator's command line prints them (without colours or the JSON)."""
    blocks = [f"{error.header}\n\n{error.detail}\n" if error.detail else f"{error.header}\n" for error in errors]
    return f"{BANNER}\n\n" + "\n".join(blocks)


def run_generator(
    input_file: Path, settings: Mapping[str, Any], templates: Path, spec_templates: Mapping[str, str], output: Path
) -> None:
    """Generate the package from `input_file` (JSON) into `output`, with `settings` (the generator's
    config file's keys), our `templates` folder and the spec's own templates (by name)."""
    config = Config.from_sources(ConfigFile(**settings), MetaType.PDM, input_file, "utf-8", True, output)
    hooks, config.post_hooks = config.post_hooks, []
    try:
        _build(input_file, config, templates, spec_templates)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # The generator raises, rather than reports, on some specs (an enum whose values give one
        # member name twice: ValueError): a refusal, not a traceback.
        said = f"{type(exc).__name__}: {exc}"
        raise GeneratorRefusedError(f"{BANNER}\n\nUnable to generate the client\n\n{said}\n") from None
    for hook in hooks:
        _run_hook(hook, output)


def _build(input_file: Path, config: Config, templates: Path, spec_templates: Mapping[str, str]) -> None:
    openapi = GeneratorData.from_dict(json.loads(input_file.read_bytes()), config=config)
    if not isinstance(openapi, GeneratorData):
        raise GeneratorRefusedError(report([openapi]))
    project = Project(openapi=openapi, config=config, custom_template_path=templates)
    project.env.loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader(dict(spec_templates)),
            jinja2.FileSystemLoader(str(templates)),
            jinja2.PackageLoader("openapi_python_client"),
        ]
    )
    JINJA_CACHE.mkdir(parents=True, exist_ok=True)
    project.env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(JINJA_CACHE))
    with contextlib.redirect_stdout(io.StringIO()):  # "Generating <output>"
        errors = project.build()
    if errors:
        raise GeneratorRefusedError(report(errors))


def _run_hook(hook: str, output: Path) -> None:
    """One post-hook, with the tool beside this interpreter (the pinned ruff) when it is there."""
    argv = shlex.split(hook)
    beside = Path(sys.executable).parent / argv[0]
    command = [str(beside) if beside.exists() else argv[0], *argv[1:]]
    done = subprocess.run(command, cwd=output, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise GeneratorRefusedError(f"{BANNER}\n\n{argv[0]} failed\n\n{said}\n")
