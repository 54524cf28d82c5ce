"""The documentation site (`make docs`): it builds with no warning, holds every guide, every
module's reference and the spec's reference, and a reader in Chromium can follow every
internal link without meeting a broken page, a broken anchor or a request that leaves
127.0.0.1. Screenshots of the home page and of the client guide land in build/.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from tests.browser import LAUNCH_ARGS, chromium
from tests.docs.blocks import ROOT
from tests.docs.conftest import BuiltSite
from tools.docs_site import PACKAGES, module_names

SCREENSHOTS = {
    "index.html": ROOT / "build" / "docs-site-home.png",
    "client.html": ROOT / "build" / "docs-site-client.png",
}
GUIDES = ["client", "mock", "contract", "maintaining", "internals"]


def test_the_site_builds_with_no_warning(docs_site: BuiltSite) -> None:
    assert "WARNING" not in docs_site.output
    for page in ["index", *GUIDES, "changelog", "benchmarks", "reliability"]:
        assert (docs_site.path / f"{page}.html").is_file(), page
    home = (docs_site.path / "index.html").read_text(encoding="utf-8")
    assert "Your first call" in home
    assert 'href="client.html"' in home  # README's docs/client.md, as a site link


def test_the_reference_has_a_page_per_module(docs_site: BuiltSite) -> None:
    for package in PACKAGES:
        for module in module_names(package):
            page = docs_site.path / "reference" / (module.replace(".", "/") + ".html")
            assert page.is_file(), module
    projects = (docs_site.path / "reference/calyptia_cloud_client/api/projects.html").read_text(encoding="utf-8")
    assert "Only projects whose name is exactly this string" in projects  # the spec's parameter description
    top = (docs_site.path / "reference/calyptia_cloud_client.html").read_text(encoding="utf-8")
    assert "CalyptiaCloud" in top
    plugin = (docs_site.path / "reference/calyptia_mock/pytest_plugin.html").read_text(encoding="utf-8")
    assert "inject_fault" in plugin


def test_the_spec_reference_is_one_offline_page(docs_site: BuiltSite) -> None:
    page = (docs_site.path / "spec" / "index.html").read_text(encoding="utf-8")
    assert "//" not in page.replace("<!DOCTYPE", "")  # every script, style and link is a relative path
    for asset in ("assets/swagger-ui-bundle.js", "assets/swagger-ui.css", "init.js"):
        assert (docs_site.path / "spec" / asset).stat().st_size > 100, asset
    assert "supportedSubmitMethods: []" in (docs_site.path / "spec" / "init.js").read_text(encoding="utf-8")
    assert (docs_site.path / "spec" / "openapi.yaml").read_bytes() == (ROOT / "openapi.yaml").read_bytes()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    statuses: list[tuple[str, int]]

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        self.statuses.append((self.path, int(code)))


@pytest.fixture
def served(docs_site: BuiltSite) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """The built site on a loopback port, and every (path, status) it answered."""
    statuses: list[tuple[str, int]] = []
    handler = functools.partial(type("Handler", (QuietHandler,), {"statuses": statuses}), directory=str(docs_site.path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", statuses
    finally:
        server.shutdown()
        server.server_close()


def test_a_reader_follows_every_internal_link_in_chromium(
    docs_site: BuiltSite, served: tuple[str, list[tuple[str, int]]]
) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base, statuses = served
    problems: list[str] = []
    visited: dict[str, set[str]] = {}  # page URL -> the ids on it
    links: dict[str, set[str]] = {}  # link target (with fragment) -> pages linking to it
    queue = [base + "index.html"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "request",
                lambda r: None if r.url.startswith((base, "data:", "blob:")) else problems.append(f"left: {r.url}"),
            )
            while queue:
                url = queue.pop()
                if url in visited:
                    continue
                if not url.endswith((".html", "/")):  # the spec's YAML: fetched, not displayed
                    fetched = page.request.get(url)
                    if not fetched.ok:
                        problems.append(f"{url}: {fetched.status}")
                    visited[url] = set()
                    continue
                response = page.goto(url, wait_until="load")
                if response is None or not response.ok:
                    problems.append(f"{url}: {response.status if response else 'no response'}")
                if url.endswith("spec/index.html"):  # Swagger UI renders the spec, read from the site
                    title = page.locator(".information-container .title")
                    title.filter(has_text="Calyptia Cloud Projects API").wait_for()
                    page.locator("#operations-projects-projects").wait_for()
                visited[url] = set(page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)"))
                for href in page.eval_on_selector_all("a[href]", "nodes => nodes.map(n => n.href)"):
                    target, _ = urldefrag(href)
                    if href.startswith(base):
                        links.setdefault(href, set()).add(url)
                        if target not in visited:
                            queue.append(target)
                    elif urlsplit(href).scheme not in ("http", "https", "mailto"):
                        problems.append(f"{url}: a link of unknown kind {href}")
                shot = SCREENSHOTS.get(url.removeprefix(base))
                if shot is not None:
                    shot.parent.mkdir(exist_ok=True)
                    page.screenshot(path=str(shot), full_page=False)
        finally:
            browser.close()
    for href, sources in sorted(links.items()):
        target, fragment = urldefrag(href)
        if fragment.startswith("/"):  # Swagger UI's deep links (#/projects/projects): routes, not ids
            continue
        if fragment and target.endswith(".html") and unquote(fragment) not in visited.get(target, set()):
            problems.append(f"broken anchor {href.removeprefix(base)} (from {len(sources)} page(s))")
    problems += [f"{path}: {status}" for path, status in statuses if status >= 400]
    pages = {base + path.relative_to(docs_site.path).as_posix() for path in docs_site.path.rglob("*.html")}
    assert pages - {base + "404.html"} <= visited.keys(), "pages no link leads to"
    assert all(base + page in visited for page in ("index.html", "spec/index.html", "changelog.html"))
    assert problems == [], "\n".join(problems)
    for shot in SCREENSHOTS.values():
        assert shot.stat().st_size > 10_000
