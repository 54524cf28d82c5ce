"""tests/support/browser.py: a browser test that cannot run skips on a developer's machine and fails in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import browser


@pytest.mark.parametrize(("value", "ci"), [("true", True), ("1", True), ("yes", True), ("", False), ("false", False)])
def test_ci_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, ci: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert browser.in_ci() is ci


def test_outside_ci_a_missing_browser_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        browser.cannot_run("chromium is not installed (apt-get install chromium)")


def test_in_ci_a_missing_browser_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(browser, "DEBIAN_CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        browser.chromium()
