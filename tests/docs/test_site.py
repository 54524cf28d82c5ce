"""The documentation site (`make docs`): it builds with no warning, holds every guide, every
module's reference and the spec's reference, and a reader in Chromium can follow every
internal link without meeting a broken page, a broken anchor or a request that leaves
127.0.0.1. The spec's reference draws every operation opened from disk as well as served.
Screenshots of the home page and of the client guide land in build/.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
import yaml

from tests.docs.conftest import BuiltSite
from tests.support.browser import LAUNCH_ARGS, chromium
from tests.support.loopback import files, loopback_server
from tools.packaging.docs_site import PACKAGES, module_names
from tools.paths import ROOT
from tools.spec import load, operations

# The site build (mkdocs, about 10 s) and Chromium walking it: whole-tool runs, in make e2e.
pytestmark = pytest.mark.e2e

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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
    script = (docs_site.path / "spec" / "openapi.js").read_text(encoding="utf-8")
    assignment = "window.CALYPTIA_CLOUD_SPEC = "
    assert assignment in script
    assert '<script src="openapi.js"></script>' in page
    # The embedded spec is openapi.yaml's data, whole (JSON is YAML, so the loader reads it back).
    embedded = yaml.safe_load(script.split(assignment, 1)[1].rstrip().removesuffix(";"))
    assert embedded == load(ROOT / "openapi.yaml")


@pytest.fixture
def served(docs_site: BuiltSite) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """The built site on a loopback port, and every (path, status) it answered."""
    with loopback_server(files(docs_site.path)) as server:
        yield f"{server.url}/", server.answered


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def watch(page: Page, base: str, problems: list[str]) -> None:
    """Record a script error, a console error and any request that leaves the served site."""
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda r: None if r.url.startswith((base, "data:", "blob:")) else problems.append(f"left: {r.url}"),
    )


def test_every_internal_link_leads_to_a_page_and_anchor_in_chromium(
    browser: Browser, docs_site: BuiltSite, served: tuple[str, list[tuple[str, int]]]
) -> None:
    """From the home page, every internal link, followed, to a page that exists and an id on it.

    Scripts are off for the walk: the links and ids are in the HTML MkDocs writes, and the
    theme's search would otherwise rebuild its index on each of some 60 pages. The next test
    renders the pages with scripts on.
    """
    base, statuses = served
    problems: list[str] = []
    visited: dict[str, set[str]] = {}  # page URL -> the ids on it
    links: dict[str, set[str]] = {}  # link target (with fragment) -> pages linking to it
    queue = [base + "index.html"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    watch(page, base, problems)
    while queue:
        url = queue.pop()
        if url in visited:
            continue
        response = page.goto(url, wait_until="domcontentloaded") if url.endswith(".html") else page.request.get(url)
        if response is None or not response.ok:
            problems.append(f"{url}: {response.status if response else 'no response'}")
        if not url.endswith(".html"):  # the spec's YAML: fetched, not displayed
            visited[url] = set()
            continue
        visited[url] = set(page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)"))
        for href in page.eval_on_selector_all("a[href]", "nodes => nodes.map(n => n.href)"):
            target, _ = urldefrag(href)
            if href.startswith(base):
                links.setdefault(href, set()).add(url)
                if target not in visited:
                    queue.append(target)
            elif urlsplit(href).scheme not in ("http", "https", "mailto"):
                problems.append(f"{url}: a link of unknown kind {href}")
    context.close()
    for href, sources in sorted(links.items()):
        target, fragment = urldefrag(href)
        if fragment and target.endswith(".html") and unquote(fragment) not in visited.get(target, set()):
            problems.append(f"broken anchor {href.removeprefix(base)} (from {len(sources)} page(s))")
    problems += [f"{path}: {status}" for path, status in statuses if status >= 400]
    pages = {base + path.relative_to(docs_site.path).as_posix() for path in docs_site.path.rglob("*.html")}
    assert pages - {base + "404.html"} <= visited.keys(), "pages no link leads to"
    assert len(visited) > 50
    assert problems == [], "\n".join(problems)


def test_a_reader_sees_the_pages_render_and_search_in_chromium(
    browser: Browser, served: tuple[str, list[tuple[str, int]]]
) -> None:
    """With scripts on: the search finds a guide's section, Swagger UI renders the spec from the
    site's own files, and no page logs an error or sends a request off 127.0.0.1."""
    base, statuses = served
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    watch(page, base, problems)
    for path in ("index.html", "client.html", "reference/calyptia_mock/pytest_plugin.html", "changelog.html"):
        response = page.goto(base + path, wait_until="load")
        assert response is not None
        assert response.ok, path
        page.locator("article h1").first.wait_for()
        if path in SCREENSHOTS:
            SCREENSHOTS[path].parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS[path]))
    page.goto(base + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed key by key, as a reader does: the theme reads the query on keyup (and when its index
    # becomes ready), so fill(), which sends only an input event, is lost once the index is ready.
    page.locator("input.md-search__input").press_sequentially("Retry-After")
    page.locator(".md-search-result__item").first.wait_for()
    assert "Retry" in page.locator(".md-search-result").inner_text()
    page.goto(base + "spec/index.html", wait_until="load")
    page.locator(".information-container .title").filter(has_text="Calyptia Cloud Projects API").wait_for()
    page.locator("#operations-projects-projects").wait_for()
    assert page.locator("button.try-out__btn").count() == 0  # read-only: no "Try it out"
    page.close()
    problems += [f"{path}: {status}" for path, status in statuses if status >= 400]
    assert problems == [], "\n".join(problems)
    for shot in SCREENSHOTS.values():
        assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_the_spec_reference_draws_every_operation_from_disk_and_served_in_chromium(
    browser: Browser, docs_site: BuiltSite, scheme: str
) -> None:
    """The README says to open build/site/index.html: from `file://` a page may not fetch the
    spec beside it, so the page carries it (spec/openapi.js). Opened either way, Swagger UI
    draws each operation of openapi.yaml (its tag's section, operationId, method, path and
    summary, read from the spec) and nothing fails to load or leaves the site."""
    spec = load(ROOT / "openapi.yaml")
    with contextlib.ExitStack() as stack:
        if scheme == "http":
            server = stack.enter_context(loopback_server(files(docs_site.path)))
            base, statuses = f"{server.url}/", server.answered
        else:
            base, statuses = docs_site.path.as_uri() + "/", []
        assert base.startswith(f"{scheme}://")
        problems: list[str] = []
        page = browser.new_page()
        watch(page, base, problems)
        page.goto(base + "spec/index.html", wait_until="load")
        # The spec's title, or Swagger UI's error box: a page that cannot read the spec fails at once.
        page.locator(".information-container .title, .errors-wrapper").first.wait_for()
        assert "Failed to load" not in page.locator("body").inner_text(), page.locator("body").inner_text()
        assert spec["info"]["title"] in page.locator(".information-container .title").inner_text()
        drawn = list(operations(spec))
        assert len(drawn) >= 5
        for path, method, operation in drawn:
            block = page.locator(f'[id="operations-{operation["tags"][0]}-{operation["operationId"]}"]')
            block.wait_for()
            assert block.locator(".opblock-summary-method").inner_text().lower() == method
            assert block.locator(".opblock-summary-path").get_attribute("data-path") == path
            assert block.locator(".opblock-summary-description").inner_text() == operation["summary"]
        assert spec["info"]["version"] in page.locator(".information-container").inner_text()
        page.close()
    problems += [f"{path}: {status}" for path, status in statuses if status >= 400]
    assert problems == [], "\n".join(problems)
