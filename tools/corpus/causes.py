"""A failure's cause as a group name: the same kind of failure in two specs reads the same.

The report groups failures by cause, so the names a message carries (schemas, tags, paths,
content types, numbers) are stripped: "the tag 'oAuth2' is `o_auth2` to the mock" and "the
tag 'Destiny2' is `destiny2` to the mock" are one cause. Where the generator refused, the cause
is its root problem (tools.generation.generator_output.root), not our wrapper's last line, which
only repeats the command.
"""

from __future__ import annotations

import re

from tools.corpus.stages import TRACEBACK
from tools.generation import generator_output

QUOTED = re.compile(r"(['\"`])(?:(?!\1).)*\1")
REF = re.compile(r"#/\S*")
PATH = re.compile(r"(?<![\w<>/*])/[^\s,;:)]*")
MEDIA_TYPE = re.compile(r"(?<![\w<])(?:[\w.+-]+|\*)/(?:[\w.+-]+|\*)")
TYPES = re.compile(r"<type>(?:, <type>)+")
NUMBER = re.compile(r"\b0x[0-9a-f]+\b|\b\d+(?:\.\d+)?\b")
# snake_case, camelCase and CamelCase words (not exception names): identifiers a message names
# unquoted; OpenAPI's keywords and the generator's own words stay.
IDENTIFIER = re.compile(
    r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z][a-z0-9]*[A-Z]\w*\b"
    r"|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b(?<!Error)(?<!Exception)(?<!Warning)"
)
KEPT = frozenset(
    {"allOf", "anyOf", "oneOf", "additionalProperties", "operationId", "requestBody", "readOnly", "writeOnly"}
    | {"content_type", "status_code"}
)
SOURCE_FILE = re.compile(r"[\w./-]+\.pyi?\b(?::\d+)?")
RESPONSE = re.compile(r"^Cannot parse response for status code \S+ \((?P<why>.*)\), response will be omitted.*$")
LONGEST = 120


def normalise(text: str) -> str:
    """`text` with its names stripped: quoted, references, paths, media types, numbers, identifiers."""
    text = RESPONSE.sub(r"response omitted: \g<why>", text.strip())
    text = QUOTED.sub("<name>", text)
    text = SOURCE_FILE.sub("<file>", text)
    text = REF.sub("<ref>", text)
    text = PATH.sub("<path>", text)
    text = TYPES.sub("<type>", MEDIA_TYPE.sub("<type>", text))
    text = NUMBER.sub("N", text)
    text = IDENTIFIER.sub(lambda found: found[0] if found[0] in KEPT else "<name>", text)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def generator(stderr: str) -> str | None:
    """The cause of a generator run's failure: its root problem's kind and normalised detail."""
    found = generator_output.root(generator_output.problems(stderr))
    if found is None:
        return None
    return f"generator: {found.kind}: {normalise(found.detail or found.subject)}"


# Our refusals print `label: message` on stderr (tools.generation.regenerate's REFUSALS); a
# message may list several findings (`; `) and go on with the way out, the same for all: the
# cause is the first finding of the first sentence.
REFUSAL = re.compile(r"^(?P<label>[a-z][a-z -]*[a-z]): (?P<message>.+)$")
FIRST_FINDING = re.compile(r"^(?P<first>.*?)(?:; |\.\s+[A-Z]|\.?$)")
# The generator's refusal (tools/generation/generator.py): `it cannot read the <kind> <subject>:
# <reason> (and N more pieces)`, the kind schema, endpoint, endpoint part or error.
CANNOT_GENERATE = re.compile(
    r"^it cannot read the (?P<kind>schema|endpoint part|endpoint|error) \S+(?: \S+)?: (?P<reason>.*?)"
    r"(?: \(and \d+ more pieces?\))?$"
)
GENERATOR_FAILED = re.compile(r"^generator failed \(exit (?P<exit>-?\d+)\)")


def ours(stderr: str, stdout: str = "") -> str:
    """The cause of our pipeline's failure, from what it printed."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else "(no output)"
    if TRACEBACK in stderr + stdout:
        return f"traceback: {normalise(last)}"
    failed = GENERATOR_FAILED.match(last)
    if failed:
        return generator(stderr) or f"generator failed (exit {failed['exit']}), no warning printed"
    refusal = REFUSAL.match(last)
    if refusal is None:
        return f"ours: {normalise(last)}"
    first = FIRST_FINDING.match(refusal["message"])
    message = first["first"] if first else refusal["message"]
    cannot = CANNOT_GENERATE.match(message)
    if cannot:
        kind = "operation" if cannot["kind"].startswith("endpoint") else cannot["kind"]
        return f"{refusal['label']}: {kind}: {normalise(cannot['reason'])}"
    return f"{refusal['label']}: {normalise(message)}"


def python_error(stderr: str) -> str:
    """The exception a failed import ended with, names stripped."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return normalise(lines[-1] if lines else "(no output)")


def mypy(errors: list[str], output: str) -> str:
    """The first mypy error's message and code (else mypy's last line), names stripped."""
    if errors:
        return normalise(errors[0].split(": error: ", 1)[-1])
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return normalise(lines[-1] if lines else "(no output)")
