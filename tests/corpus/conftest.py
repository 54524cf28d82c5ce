"""Print the corpus report's table after a run that wrote it (on the xdist controller too)."""

from __future__ import annotations

import time

import pytest

from tests.corpus.corpus import REPORT

_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT.exists() and REPORT.stat().st_mtime >= _STARTED:
        terminalreporter.section("spec corpus (build/corpus/report.md)")
        for line in REPORT.read_text(encoding="utf-8").splitlines():
            if line.startswith("| ") and not line.startswith("| ---"):
                terminalreporter.write_line(line)
