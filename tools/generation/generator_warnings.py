"""The generator's warnings as (what, why) pairs, for a refusal that names the operation or schema.

openapi-python-client prints each warning on stderr as a block: a header naming the operation
(`WARNING parsing GET /pets within pets.`) or the schema (`Unable to process schema
/components/schemas/Pet:`), a line saying why, and the offending JSON. Under `--fail-on-warning`
it then exits 1, and all a caller of `subprocess.run` would see is that exit status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["GeneratorWarning", "parse_warnings"]

_OPERATION = re.compile(
    r"^WARNING parsing (?P<method>[A-Z]+) (?P<path>\S+) within \S+?\.(?P<skipped> Endpoint will not be generated\.)?$"
)
_SCHEMA = re.compile(r"^Unable to process schema (?P<pointer>/\S+?):?$")
# The generator formats an UntrustedString with its repr: the value is not in its output.
_UNTRUSTED = re.compile(r"<openapi_python_client\.schema\.untrusted_string\.UntrustedString object at 0x[0-9a-f]+>")


@dataclass(frozen=True)
class GeneratorWarning:
    """One warning: the operation (`GET /pets`) or schema pointer it is about, and why."""

    subject: str
    reason: str
    is_schema: bool

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason}"


def parse_warnings(output: str) -> list[GeneratorWarning]:
    """Every warning block in the generator's output, schemas first: an unreadable schema makes
    every operation that uses it fail too ("Could not find reference"), so it is the cause."""
    found: list[GeneratorWarning] = []
    subject: str | None = None
    is_schema = False
    for line in output.splitlines():
        operation = _OPERATION.match(line)
        schema = _SCHEMA.match(line)
        if operation or schema:
            subject = f"{operation['method']} {operation['path']}" if operation else f"#{schema['pointer']}"  # type: ignore[index]
            is_schema = schema is not None
            continue
        text = line.strip()
        if subject is None or not text or text[0] in '{}[]"' or text.startswith("Failure to process schema"):
            continue
        found.append(GeneratorWarning(subject, _UNTRUSTED.sub("?", text), is_schema))
        subject = None
    return sorted(found, key=lambda warning: not warning.is_schema)
