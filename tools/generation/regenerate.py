"""Regenerate the client package, or check that the committed one is current.

One script serves `make generate` and `make check`, so the drift check can never build
the package differently from the real regeneration:

1. apply `overlays/` to `openapi.yaml`, writing the effective spec to `build/openapi.yaml`;
2. make the generator's input of it (`build/openapi.generator.json`): without the operations
   generator_config.yml's `left_out` lists (tools/generation/left_out.py), rewritten where the
   generator cannot read it (tools/generation/normalize.py; what changed, by pointer, goes
   to `build/openapi.normalized.txt`), each parameter's description copied into its schema
   (the generator reads only the schema's: its bug #1411), and each description written
   beside a property's `$ref` put where the generator reads it;
3. run the pinned openapi-python-client on it, in this process (tools/generation/generator.py),
   with the templates of `templates/` and the two this spec's names make, then copy the plain
   Python modules of `templates/runtime/` into the package as they are;
4. compile and import every module of the package (tools/generation/verify.py): what does not
   import is refused, naming the operation or schema it came from, never left behind exit 0;
5. `generate` replaces `generated/` with the result; `check` compares the two trees byte
   for byte and prints a unified diff of whatever differs. `into OUTPUT --spec SPEC` writes
   the package of any spec into a folder of its own (`make corpus` runs it on public specs).

Every refusal is one line on stderr, `label: message`, naming the operation or schema (its
JSON pointer), why, and the way out: an overlay, or an entry of `left_out`.

The same goes for what the mock package takes from the repository: its packaged copy of the
spec (`mock/calyptia_mock/openapi.yaml`, package data, so an installed mock needs no checkout),
its version (`mock/pyproject.toml`: the `info.version` of the spec it serves) and its LICENSE:
`generate` writes them, `check` fails when one differs. The client package gets the LICENSE
too, beside the generator's output.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from calyptia_mock.operation_names import UNTAGGED, MethodNameError, Named, method_names
from openapi_python_client.parser.openapi import generate_operation_id
from openapi_python_client.schema.untrusted_string import UntrustedString
from openapi_python_client.strings import ClassName, PythonIdentifier

from tools.generation.generator import GeneratorRefusedError, run_generator
from tools.generation.left_out import LeftOutError, leave_out
from tools.generation.normalize import normalize
from tools.generation.overlay import OverlayError, apply_overlay_files, dump_spec
from tools.generation.spec_facts import accepted_credentials, spec_facts_template
from tools.generation.verify import GeneratedCodeError, verify_package
from tools.paths import OVERLAYS, ROOT, SPEC
from tools.spec import SpecDataError, SpecReadError, mappings, resolve_ref

EFFECTIVE_SPEC = ROOT / "build" / "openapi.yaml"
CONFIG = ROOT / "generator_config.yml"
TEMPLATES = ROOT / "templates"
# Plain Python modules copied into the package as they are: the runtime code that does not
# vary with the spec (templates/runtime/__init__.py says why it is not Jinja).
RUNTIME = TEMPLATES / "runtime"
GENERATED = ROOT / "generated"
PACKAGED_SPEC = ROOT / "mock" / "calyptia_mock" / "openapi.yaml"
MOCK_PYPROJECT = ROOT / "mock" / "pyproject.toml"
LICENSE = ROOT / "LICENSE"
# The first `version = "..."` line of a pyproject.toml: [project] comes first in ours.
PROJECT_VERSION = re.compile(r'^version = "[^"]*"$', re.MULTILINE)


def effective_spec(spec: Path = SPEC) -> dict[str, Any]:
    """The spec with the overlays applied in file-name order."""
    effective: dict[str, Any] = apply_overlay_files(spec, sorted(OVERLAYS.glob("*.yaml")))
    return effective


def write_effective_spec(spec: Path = SPEC, destination: Path = EFFECTIVE_SPEC) -> Path:
    """Apply the overlays in file-name order and write the effective spec."""
    return _write(effective_spec(spec), destination)


def _write(document: dict[str, Any], destination: Path) -> Path:
    write_if_changed(destination, dump_spec(document).encode("utf-8"))
    return destination


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write `content` to `path` unless it holds those bytes already, so an unchanged file keeps
    its timestamp: make then sees nothing new (mock/pyproject.toml is what the venv's stamp
    depends on: rewriting it rebuilt the venv after every regeneration). True if written."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def sync_tree(source: Path, destination: Path) -> list[Path]:
    """Make `destination` hold exactly `source`'s files (caches aside), writing only those that
    differ and deleting those `source` lacks; the paths written or deleted."""
    changed = [
        destination / relative
        for relative in sorted(_files(source))
        if write_if_changed(destination / relative, (source / relative).read_bytes())
    ]
    for relative in sorted(_files(destination) - _files(source)):
        (destination / relative).unlink()
        changed.append(destination / relative)
    for folder in sorted((path for path in destination.rglob("*") if path.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed


def describe_parameter_schemas(spec: dict[str, Any]) -> dict[str, Any]:
    """Give each parameter's inline schema the parameter's description, where it has none.

    The generator documents a parameter with its schema's description and drops the
    parameter's own (openapi-python-client #1411), so without this every `Args:` entry of a
    query, path or header parameter would be blank. Changed in place and returned.
    """
    operations = [op for item in spec.get("paths", {}).values() for op in item.values() if isinstance(op, dict)]
    path_items = list(spec.get("paths", {}).values())
    components = list(spec.get("components", {}).get("parameters", {}).values())
    declared = [p for owner in operations + path_items for p in owner.get("parameters", []) if isinstance(p, dict)]
    for parameter in declared + components:
        schema = parameter.get("schema")
        if isinstance(schema, dict) and "$ref" not in schema and "description" in parameter:
            schema.setdefault("description", parameter["description"])
    return spec


# A referenced schema of these types, without enum, const or sub-schemas, becomes no Python
# class: the generator maps it to a builtin, so an inline copy generates the same code.
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})


def describe_ref_properties(spec: dict[str, Any]) -> dict[str, Any]:
    """Make a description beside a property's `$ref` the one the generator documents.

    In OpenAPI 3.1 a `description` beside `$ref` overrides the referenced schema's, but the
    generator documents the property with the referenced schema's own description (so
    `CreateProject.name` read as `ProjectName`'s). A reference to a scalar schema is replaced
    by a copy of that schema carrying the property's description: the same generated type.
    A reference to a model or enum stays: a copy would be a second class; the attribute's
    docstring reads the field's own description from the model's schema instead
    (templates/model.py.jinja). Changed in place and returned.
    """
    for owner in _schemas_with_properties(spec):
        for name, field in owner["properties"].items():
            if not (isinstance(field, dict) and "$ref" in field and "description" in field):
                continue
            target = resolve_ref(spec, field)
            if _generates_no_class(target):
                owner["properties"][name] = {**copy.deepcopy(target), "description": field["description"]}
    return spec


def generator_input(spec: dict[str, Any]) -> dict[str, Any]:
    """The effective spec as the generator must read it to document every field and parameter."""
    return describe_ref_properties(describe_parameter_schemas(spec))


def _generates_no_class(schema: dict[str, Any]) -> bool:
    compound = {"$ref", "enum", "const", "allOf", "anyOf", "oneOf", "properties"}
    return schema.get("type") in SCALAR_TYPES and not compound & schema.keys()


def generate_into(output: Path, spec: Path = SPEC, settings: Mapping[str, Any] | None = None) -> None:
    """Run the generator on the effective spec, writing a complete package to `output`.

    `settings` are generator settings laid over generator_config.yml (a spec's own, such as
    the class and content-type overrides openapi-python-client's own test specs are made for);
    the package name, post-hooks and docstring style stay ours unless they name them."""
    prepared = prepare_generation(output, spec, settings)
    run_generator(prepared.input_file, prepared.settings, TEMPLATES, prepared.templates, output)
    package = output / package_name()
    document = prepared.document
    refuse_marked(package, document)
    refuse_missing(package, document, prepared.prefix)
    copy_runtime(package)
    shutil.copyfile(LICENSE, output / "LICENSE")
    verify_package(
        package, lambda module, function: describe_module(document, prepared.prefix, package, module, function)
    )


def describe_module(document: dict[str, Any], prefix: str, package: Path, module: Path, function: str | None) -> str:
    """What a generated module (and a function in it) was generated from, for a refusal."""
    parts = module.relative_to(package).with_suffix("").parts
    names = {(entry.resource, entry.method): entry for entry in method_names(document)}
    by_endpoint = {_generators_name(entry, prefix): entry for entry in names.values()}
    if parts[:1] == ("api",) and len(parts) == 3 and parts[2] == "__init__" and function:
        entry = names.get((parts[1], function))
        if entry is not None:
            return f"the operation {entry.describe()}"
    if parts[:1] == ("api",) and len(parts) == 3 and parts[2] in by_endpoint:
        return f"the operation {by_endpoint[parts[2]].describe()}"
    if parts[:1] == ("models",) and len(parts) == 2:
        classes = re.findall(r"^class (\w+)", module.read_text(encoding="utf-8"), re.MULTILINE)
        pointer = next((p for name in classes if (p := _schema_pointer(document, name))), None)
        return f"the schema {pointer}" if pointer else f"the model module models/{parts[1]}.py"
    return f"the module {'/'.join(parts)}.py"


@dataclass
class Prepared:
    """What the generator is given: its input file, the document in it, its settings, and the
    spec's own templates (method_names.jinja, spec_facts.jinja) by name."""

    input_file: Path
    document: dict[str, Any]
    settings: dict[str, Any]
    templates: dict[str, str]

    @property
    def prefix(self) -> str:
        """The generator's `field_prefix`: what it puts before a name that is no identifier."""
        return field_prefix(self.settings)


def field_prefix(settings: Mapping[str, Any]) -> str:
    """The `field_prefix` of generator settings, or the generator's default."""
    return str(settings.get("field_prefix", "field_"))


def prepare_generation(output: Path, spec: Path, settings: Mapping[str, Any] | None) -> Prepared:
    """Everything before the generator runs (make bench times it): the effective spec written,
    the generator's input (normalized, without what left_out lists), its settings, its templates."""
    effective = effective_spec(spec)
    written = _write(effective, EFFECTIVE_SPEC if spec == SPEC else output.with_suffix(".yaml"))
    # JSON, not YAML: the generator reads a .json file with json.loads, a YAML one with
    # ruamel's loader, which takes 1.25 s on the vendor's description. The document written is
    # not read back: generator_input changes a copy in memory.
    input_file = written.with_suffix(".generator.json")
    merged = {**generator_settings(), **(settings or {})}
    left_out = leave_out(effective, merged.pop("left_out", None))
    given = merged.get("content_type_overrides") or {}
    normalized = normalize(left_out.document, field_prefix(merged), given)
    document = generator_input(normalized.document)
    input_file.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # What the normalization rewrote, by pointer: the generator's input differs from the spec there.
    written.with_suffix(".normalized.txt").write_text("".join(f"{c}\n" for c in normalized.changes), encoding="utf-8")
    if normalized.content_type_overrides:
        merged["content_type_overrides"] = normalized.content_type_overrides
    templates = spec_templates(document, merged, left_out.entries)
    return Prepared(input_file, document, merged, templates)


class UncheckedKindError(Exception):
    """A property kind templates/checked_parse.jinja has no check for: its value would go unchecked."""


# The line checked_parse.jinja writes for a kind it does not know (a Jinja template cannot raise).
UNCHECKED = re.compile(r"# checked_parse\.jinja cannot check (?P<kind>\w+) at (?P<where>.+)$", re.MULTILINE)


class OptionClashError(Exception):
    """A parameter or body field has the name of a per-call option every method takes."""


# The line endpoint_init.py.jinja writes before a method one of whose names is a per-call option's.
OPTION_CLASH = re.compile(r"# per-call option clash: (?P<name>\w+) in (?P<operation>\w+)$", re.MULTILINE)


def refuse_marked(package: Path, spec: dict[str, Any]) -> None:
    """Raise UncheckedKindError, naming the schema's JSON pointer, for the first property the
    templates marked as one they cannot check; OptionClashError for the first operation whose
    parameter or body field would take a per-call option's name (a method cannot take both)."""
    for module in sorted(package.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        clash = OPTION_CLASH.search(text)
        if clash:
            raise OptionClashError(
                f"the operation {clash['operation']} has a parameter named {clash['name']}, the name of the"
                " per-call options every low-level function takes: an overlay can rename it"
            )
        found = UNCHECKED.search(text)
        if found:
            where = found["where"]
            if not where.startswith("#"):  # Model.field (Model.* for a map's values)
                model, _, field = where.partition(".")
                where = _field_pointer(spec, model, field) or f"the field {field} of the generated model {model}"
            raise UncheckedKindError(
                f"{where}: templates/checked_parse.jinja has no check for this property kind"
                f" ({found['kind']}); its value would go unchecked"
            )


# Where a document holds example data, which may look like a schema but is none.
EXAMPLE_KEYS = frozenset({"example", "examples"})


def _schemas_with_properties(spec: Any) -> Iterator[dict[str, Any]]:
    """Every schema with `properties`; examples are data, not schemas."""
    return (node for _, node in mappings(spec, skip=EXAMPLE_KEYS) if isinstance(node.get("properties"), dict))


def _field_pointer(spec: dict[str, Any], model: str, field: str) -> str | None:
    """The pointer of a component schema's property (or map values) by its generated class name."""
    schema = _schema_pointer(spec, model)
    step = "additionalProperties" if field == "*" else f"properties/{_escaped(field)}"
    return f"{schema}/{step}" if schema else None


def _schema_pointer(spec: dict[str, Any], model: str) -> str | None:
    """The pointer of the component schema the generator names `model`."""
    for key, schema in spec.get("components", {}).get("schemas", {}).items():
        title = schema.get("title") if isinstance(schema, dict) else None
        if model in {ClassName(str(key), ""), ClassName(str(title or key), "")}:
            return f"#/components/schemas/{_escaped(str(key))}"
    return None


def _escaped(step: str) -> str:
    """One step of a JSON pointer (RFC 6901)."""
    return step.replace("~", "~0").replace("/", "~1")


def generator_settings(config: Path = CONFIG) -> dict[str, Any]:
    """generator_config.yml's settings."""
    settings: dict[str, Any] = yaml.safe_load(config.read_text(encoding="utf-8"))
    return settings


def spec_templates(
    spec: dict[str, Any], settings: Mapping[str, Any], left_out: list[dict[str, str]] | None = None
) -> dict[str, str]:
    """The templates made for `spec`, by name, beside those of templates/: `method_names.jinja`,
    each operation's method name by the rule the mock names faults by
    (calyptia_mock.operation_names), keyed by the endpoint's name as the generator makes it of
    the operationId, and `spec_facts.jinja` (tools.generation.spec_facts). Raises
    MethodNameError when two operations would take one name, or when a tag's resource is not
    the package the generator makes of it."""
    names = method_names(spec)
    for entry in names:
        operation = spec["paths"][entry.path][entry.http_method]
        tag = str((operation.get("tags") or [UNTAGGED])[0])
        generators = str(PythonIdentifier(tag, prefix="tag"))
        if generators != entry.resource:
            raise MethodNameError(
                f"the tag {tag!r} is `{entry.resource}` to the mock but `{generators}` to the generator"
            )
    prefix = field_prefix(settings)
    table = {_generators_name(entry, prefix): entry.method for entry in names}
    dotted = {_generators_name(entry, prefix): entry.dotted for entry in names}
    credentials = {
        _generators_name(entry, prefix): accepted_credentials(spec, spec["paths"][entry.path][entry.http_method])
        for entry in names
    }
    return {
        "method_names.jinja": (
            "{#- Written by tools/generation/regenerate.py (calyptia_mock.operation_names): each operation's\n"
            "    method name on its resource, keyed by the endpoint's name. -#}\n"
            f"{{% set method_names = {json.dumps(table, ensure_ascii=True)} %}}\n"
        ),
        "spec_facts.jinja": spec_facts_template(spec, dotted, credentials, left_out or []),
    }


class MissingOperationError(Exception):
    """An operation of the generator's input has no module in the package: the generator dropped it."""


def refuse_missing(package: Path, spec: dict[str, Any], prefix: str) -> None:
    """Raise MissingOperationError, naming them, for operations the generator wrote no module for:
    it warns about what it cannot read, but not about every piece it leaves out."""
    written = {module.stem for module in package.glob("api/*/*.py") if module.name != "__init__.py"}
    missing = [entry.describe() for entry in method_names(spec) if _generators_name(entry, prefix) not in written]
    if missing:
        raise MissingOperationError(
            f"the generator wrote no module for {', '.join(missing[:5])}"
            + (f" (and {len(missing) - 5} more)" if len(missing) > 5 else "")
            + ": an overlay can rewrite it, or generator_config.yml's left_out list it with the reason"
        )


def _generators_name(entry: Named, prefix: str) -> str:
    """The endpoint's `name` in the templates: its operationId as a Python identifier, or one the
    generator makes of the method and path (generate_operation_id)."""
    if entry.operation_id:
        return str(PythonIdentifier(entry.operation_id, prefix=prefix))
    return str(generate_operation_id(path=UntrustedString(entry.path), method=entry.http_method, prefix=prefix))


def package_name(config: Path = CONFIG) -> str:
    """The generated package's import name, as generator_config.yml sets it."""
    return str(yaml.safe_load(config.read_text(encoding="utf-8"))["package_name_override"])


def copy_runtime(package: Path, runtime: Path = RUNTIME) -> list[Path]:
    """Copy the runtime modules into the generated package, replacing the generator's own of the
    same name; the folder's `__init__.py` documents the folder and is not copied."""
    copied = []
    for module in sorted(runtime.glob("*.py")):
        if module.name != "__init__.py":
            copied.append(Path(shutil.copyfile(module, package / module.name)))
    return copied


def spec_version(spec: Path = SPEC) -> str:
    """`info.version` of a spec file."""
    return str(yaml.safe_load(spec.read_text(encoding="utf-8"))["info"]["version"])


def with_version(pyproject: str, version: str) -> str:
    """A pyproject.toml's text with its project version set."""
    updated, count = PROJECT_VERSION.subn(f'version = "{version}"', pyproject, count=1)
    if count != 1:
        raise ValueError('no `version = "..."` line in the pyproject.toml')
    return updated


def mock_files(spec: Path = SPEC) -> list[tuple[str, Path, bytes]]:
    """What `generate` writes into mock/ (name, where, content): the packaged spec, the version
    it serves, the LICENSE."""
    pyproject = with_version(MOCK_PYPROJECT.read_text(encoding="utf-8"), spec_version(spec))
    return [
        ("mock/calyptia_mock/openapi.yaml", PACKAGED_SPEC, spec.read_bytes()),
        ("mock/pyproject.toml", MOCK_PYPROJECT, pyproject.encode("utf-8")),
        ("mock/LICENSE", MOCK_PYPROJECT.parent / "LICENSE", LICENSE.read_bytes()),
    ]


# Caches that Python, mypy and ruff write beside code, and pdm-backend's build folder that
# `make dist` leaves in generated/: never committed, never drift.
CACHE_DIRS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".pdm-build"})


def _files(root: Path) -> set[Path]:
    return {
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and not CACHE_DIRS.intersection(path.relative_to(root).parts)
    }


def tree_diff(expected: Path, actual: Path) -> list[str]:
    """Unified diff lines between two folders, caches aside; empty when they are byte-identical."""
    expected_files = _files(expected)
    actual_files = _files(actual)
    lines: list[str] = []
    for relative in sorted(expected_files | actual_files):
        lines += file_diff(expected / relative, actual / relative, f"generated/{relative}", f"regenerated/{relative}")
    return lines


def file_diff(old: Path, new: Path, old_name: str, new_name: str) -> list[str]:
    """Unified diff lines between two files (a missing one is empty); empty when byte-identical."""
    old_bytes = old.read_bytes() if old.is_file() else None
    new_bytes = new.read_bytes() if new.is_file() else None
    if old_bytes == new_bytes:
        return []
    old_text = (old_bytes or b"").decode("utf-8", "replace").splitlines(keepends=True)
    new_text = (new_bytes or b"").decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(
        difflib.unified_diff(
            old_text,
            new_text,
            old_name if old_bytes is not None else "/dev/null",
            new_name if new_bytes is not None else "/dev/null",
        )
    )
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


# What generation refuses, each with the word its message starts with.
REFUSALS: dict[type[Exception], str] = {
    OverlayError: "overlay",
    SpecDataError: "spec",
    SpecReadError: "spec",
    LeftOutError: "left out",
    GeneratorRefusedError: "generator",
    GeneratedCodeError: "generated code",
    MissingOperationError: "missing operation",
    MethodNameError: "method names",
    UncheckedKindError: "checked parse",
    OptionClashError: "per-call options",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["generate", "check", "spec", "into"], help="what to do")
    parser.add_argument("output", nargs="?", type=Path, help="into: the folder to write the package into")
    parser.add_argument("--spec", type=Path, default=SPEC, help="into: the spec to generate from (openapi.yaml)")
    parser.add_argument("--settings", type=Path, help="into: generator settings laid over generator_config.yml")
    args = parser.parse_args(argv)
    if (args.action == "into") != (args.output is not None):
        parser.error("an output folder goes with `into`, and only with it")
    try:
        if args.action == "spec":
            print(write_effective_spec().relative_to(ROOT))
            return 0
        if args.action == "into":
            settings = yaml.safe_load(args.settings.read_text(encoding="utf-8")) if args.settings else None
            generate_into(args.output, spec=args.spec, settings=settings)
            print(f"{args.output}: generated from {args.spec}")
            return 0
        with tempfile.TemporaryDirectory(prefix="regenerate-") as scratch:
            fresh = Path(scratch) / "generated"
            generate_into(fresh)
            if args.action == "generate":
                changed = sync_tree(fresh, GENERATED)
                changed += [path for _, path, content in mock_files() if write_if_changed(path, content)]
                print(
                    "generated/ and the mock's packaged spec, version and LICENSE regenerated from openapi.yaml"
                    f" ({len(changed)} file{'' if len(changed) == 1 else 's'} changed)"
                )
                return 0
            diff = tree_diff(GENERATED, fresh)
            for name, path, content in mock_files():
                expected = Path(scratch) / name
                expected.parent.mkdir(parents=True, exist_ok=True)
                expected.write_bytes(content)
                diff += file_diff(path, expected, name, f"regenerated/{name}")
    except tuple(REFUSALS) as exc:
        label = next(label for kind, label in REFUSALS.items() if isinstance(exc, kind))
        print(f"{label}: {exc}", file=sys.stderr)
        return 1
    if diff:
        sys.stdout.writelines(diff)
        message = "generated/ or the mock's spec, version or LICENSE is out of date with openapi.yaml"
        print(f"\n{message}: run `make generate` and commit.", file=sys.stderr)
        return 1
    print("generated/ and the mock's packaged spec, version and LICENSE match openapi.yaml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
