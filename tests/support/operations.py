"""The spec's operations, for the tests that are about every one of them.

A test that enumerates operations takes them from here, read from the spec, never from a list
of its own: then a maintainer who adds an operation (docs/maintaining.md, "Adding an
operation") edits no test. Such a test carries the `operations` marker, so that
`pytest -m operations` runs every one of them (tests/tools/test_maintainer_loop.py does, after
adding an operation to a scratch copy).

Each operation has three names:

- `operation_id`: openapi.yaml's, which the mock uses (handlers, faults, the request log, the
  contract run's coverage and drift report);
- `effective_id`: after the overlays (overlays/10-python-operation-ids.yaml renames some):
  the generated low-level module is named after it (`module`);
- `dotted`: the client's `resource.method` (`projects.list`), by the rule of
  calyptia_mock.operation_names, which the mock's fault names share.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import yaml
from calyptia_mock.operation_names import UNTAGGED, method_names

from tests.support.spec_examples import load_spec, operations
from tools.paths import OVERLAYS, ROOT, SPEC

__all__ = ["SpecOperation", "effective_spec", "spec_operations"]

PACKAGE = "calyptia_cloud_client"


@dataclass(frozen=True)
class SpecOperation:
    """One operation of openapi.yaml, with the names the mock and the client give it.

    The names the generator gives (`effective_id`, `module`) are worked out when first read:
    they need the overlays and the generator's naming, which `make compat`'s environments (the
    packages and pytest only) do not have, while the mock's tests there need the rest."""

    path: str
    http_method: str  # lower case, as the spec writes it
    operation_id: str  # openapi.yaml's
    tag: str  # its first tag
    resource: str  # the client's attribute for the tag (`projects`)
    method: str  # the resource's method (`list`)

    @property
    def dotted(self) -> str:
        """`resource.method`: the client's name, which the mock's faults take too."""
        return f"{self.resource}.{self.method}"

    @property
    def effective_id(self) -> str:
        """The operationId with the overlays applied."""
        return str(effective_spec()["paths"][self.path][self.http_method]["operationId"])

    @property
    def module(self) -> str:
        """The generated low-level module (`calyptia_cloud_client.api.projects.list_projects`)."""
        from openapi_python_client.strings import PythonIdentifier

        package = PythonIdentifier(self.tag, prefix="tag")
        return f"{PACKAGE}.api.{package}.{PythonIdentifier(self.effective_id, prefix=_field_prefix())}"

    def describe(self) -> str:
        return f"{self.operation_id} ({self.http_method.upper()} {self.path})"

    def spec(self) -> dict[str, Any]:
        """The operation as openapi.yaml describes it."""
        operation: dict[str, Any] = load_spec()["paths"][self.path][self.http_method]
        return operation


@functools.cache
def effective_spec() -> dict[str, Any]:
    """openapi.yaml with overlays/*.yaml applied, as `make generate` applies them."""
    from tools.generation.overlay import apply_overlay_files

    spec: dict[str, Any] = apply_overlay_files(SPEC, sorted(OVERLAYS.glob("*.yaml")))
    return spec


@functools.cache
def _field_prefix() -> str:
    settings = yaml.safe_load((ROOT / "generator_config.yml").read_text(encoding="utf-8")) or {}
    return str(settings.get("field_prefix", "field_"))


@functools.cache
def spec_operations() -> tuple[SpecOperation, ...]:
    """Every operation of openapi.yaml, in the order it is written, named as the mock names
    them (the same as the client: test_plugin checks that the two agree)."""
    named = {(entry.path, entry.http_method): entry for entry in method_names(load_spec())}
    found = []
    for path, http_method, operation in operations():
        entry = named[path, http_method]
        found.append(
            SpecOperation(
                path=path,
                http_method=http_method,
                operation_id=operation["operationId"],
                tag=str((operation.get("tags") or [UNTAGGED])[0]),
                resource=entry.resource,
                method=entry.method,
            )
        )
    return tuple(found)
