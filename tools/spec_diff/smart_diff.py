"""Run the pinned api-smart-diff (npm) on pairs of effective specs, and correct its verdicts."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tools.paths import ROOT
from tools.spec_diff.changes import Report, Spec, SpecDiffError
from tools.spec_diff.corrections import correct

__all__ = ["classify", "compare"]

NODE_SCRIPT = Path(__file__).resolve().parent / "api_smart_diff.mjs"


def classify(pairs: Sequence[tuple[Spec, Spec]]) -> list[Report]:
    """Compare each (before, after) pair; one Node process for all, since it starts slowly."""
    if not pairs:
        return []
    node = shutil.which("node")
    if node is None:
        raise SpecDiffError("node is not on PATH; api-smart-diff needs Node.js")
    if not (ROOT / "node_modules" / "api-smart-diff" / "package.json").is_file():
        raise SpecDiffError("api-smart-diff is not installed: run `npm ci` (make does it)")
    payload = json.dumps([[before, after] for before, after in pairs], default=str)
    result = subprocess.run(
        [node, str(NODE_SCRIPT)], input=payload.encode(), capture_output=True, cwd=ROOT, check=False, timeout=300
    )
    if result.returncode != 0:
        raise SpecDiffError(f"api-smart-diff failed (exit {result.returncode}): {result.stderr.decode().strip()}")
    raw: list[list[dict[str, Any]]] = json.loads(result.stdout)
    return [correct(before, after, diffs) for (before, after), diffs in zip(pairs, raw, strict=True)]


def compare(before: Spec, after: Spec) -> Report:
    """The corrected, classified changes from `before` to `after`."""
    return classify([(before, after)])[0]
