"""`/docs`: Swagger UI, served offline under a strict CSP, and a person's "Try it out" in Chromium.

Playwright drives Debian's /usr/bin/chromium (it never downloads a browser; tests/support/browser.py
skips without it, and fails under CI). The browser can
resolve no host but loopback, and the test fails on any request that leaves the mock, any
console error (a CSP violation is one) and any page error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from calyptia_mock.docs import CONTENT_SECURITY_POLICY
from calyptia_mock.server import MockOptions, RunningMock, serving

from tests.support.browser import LAUNCH_ARGS, chromium
from tests.support.http import loopback
from tools.paths import ROOT

SCREENSHOT = ROOT / "build" / "docs-try-it-out.png"


@pytest.fixture(scope="module")
def mock() -> Iterator[RunningMock]:
    with serving(MockOptions()) as running:
        yield running


def test_docs_page_and_assets_are_local_with_a_strict_csp(mock: RunningMock) -> None:
    page = loopback().get(f"{mock.url}/docs")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY  # no inline script, no other origin
    assert "http" not in page.text.replace(mock.url, "")  # every asset is a path on this origin
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/init.js"):
        response = loopback().get(f"{mock.url}{asset}")
        assert response.status_code == 200, asset
        assert len(response.content) > 100, asset
    spec = loopback().get(f"{mock.url}/docs/openapi.json").json()
    assert spec["servers"] == [{"url": "/", "description": "This mock"}]  # "Try it out" calls this mock
    assert loopback().get(f"{mock.url}/openapi.json").json()["servers"][0]["url"] == "https://cloud-api.calyptia.com"
    missing = loopback().get(f"{mock.url}/docs/assets/nope.js")
    assert (missing.status_code, missing.json()) == (404, {"error": "not found"})


@pytest.mark.e2e  # Chromium driving the page (about 8 s)
def test_a_person_authorizes_and_lists_projects_in_chromium(mock: RunningMock, tmp_path: Path) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "request",
                lambda r: None if r.url.startswith((mock.url, "data:")) else problems.append(f"left the mock: {r.url}"),
            )
            # 1. open /docs
            page.goto(f"{mock.url}/docs")
            page.locator(".information-container .title").filter(has_text="Calyptia Cloud Projects API").wait_for()
            # 2. authorize with the demo token
            page.locator("button.authorize").first.click()
            bearer = page.locator(".auth-container").filter(has_text="bearerAuth")
            bearer.locator("input").fill(mock.token or "")
            bearer.locator("button.authorize").click()
            page.locator(".modal-ux button.btn-done").first.click()
            # 3. execute GET /v1/projects
            operation = page.locator("#operations-projects-projects")
            operation.locator(".opblock-summary").click()
            operation.locator("button.try-out__btn").click()
            # Swagger UI pre-fills each parameter with the spec's example; a first page has no cursor.
            operation.locator('tr[data-param-name="before"] input').fill("")
            operation.locator('tr[data-param-name="name"] input').fill("")
            operation.locator("button.execute").click()
            # 4. the rendered 200 shows the `default` project
            live = operation.locator(".live-responses-table .response")
            live.first.wait_for()
            curl = operation.locator(".curl-command").inner_text()
            assert live.locator(".response-col_status").first.inner_text().strip() == "200", (curl, live.inner_text())
            body = live.locator(".response-col_description .microlight, .response-col_description pre").first
            assert '"name": "default"' in body.inner_text()
            assert f"{mock.url}/v1/projects" in curl
            assert "Authorization: Bearer demo-token" in curl
            # 5. a screenshot under build/
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert problems == []
    assert SCREENSHOT.stat().st_size > 10_000
