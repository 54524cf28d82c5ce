"""MkDocs hooks for the documentation site (`make docs`): the pages that live outside docs/.

The site is built from the repository as it is, with nothing copied by hand:
- README.md becomes the home page, and CHANGELOG.md, BENCHMARKS.md and RELIABILITY.md pages
  of their own, read from the top of the repository (each file has one home: where GitHub
  and a checkout show it);
- one API reference page per module of `calyptia_cloud_client` and `calyptia_mock`, each a
  mkdocstrings directive, listed in the navigation; found by walking the source folders;
- the spec's reference, `spec/index.html` (in docs/): Swagger UI, from the files of the
  `swagger-ui-bundle-v2` package the mock serves its own `/docs` from, copied beside the page,
  so nothing loads from elsewhere. The page reads the spec from `spec/openapi.js`, openapi.yaml
  as a script (a browser refuses to fetch a file beside a page opened from disk, but runs its
  scripts), so it renders from `file://` as well as over HTTP; `spec/openapi.yaml` stays, to
  download.

A relative link written for GitHub (`docs/client.md` in README, `../README.md` in a guide)
is rewritten to the page it is on the site; a link to another file of the repository
(`examples/`) becomes its text, since the site does not carry the source tree.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File as MkDocsFile
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from swagger_ui_bundle import swagger_ui_path

# MkDocs loads this hook by its file path, without the repository on sys.path, so it cannot
# import tools.paths (`make docs` failed on a fresh clone): the one module that finds the
# checkout itself.
ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi.yaml"

# Repository file -> its page on the site.
ROOT_PAGES = {
    "README.md": "index.md",
    "CHANGELOG.md": "changelog.md",
    "BENCHMARKS.md": "benchmarks.md",
    "RELIABILITY.md": "reliability.md",
}
PACKAGES = {"calyptia_cloud_client": ROOT / "generated", "calyptia_mock": ROOT / "mock"}
# What docs/spec/index.html loads from the swagger-ui-bundle-v2 package.
SWAGGER_UI_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
# The global docs/spec/init.js hands Swagger UI as its `spec:`.
SPEC_GLOBAL = "CALYPTIA_CLOUD_SPEC"
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


def module_names(package: str) -> list[str]:
    """The package and every module below it, sorted, `__main__` aside (a script, not an API)."""
    base = PACKAGES[package]
    names = []
    for path in sorted((base / package).rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return sorted(names)


def reference_page(module: str) -> str:
    return "reference/" + module.replace(".", "/") + ".md"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append the API reference, one entry per module, to the navigation."""
    reference = [{package: [{name: reference_page(name)} for name in module_names(package)]} for package in PACKAGES]
    nav = config.nav or []
    nav.append({"API reference": reference})
    config.nav = nav
    return config


def spec_script(spec_text: str) -> str:
    """openapi.yaml as a script that sets SPEC_GLOBAL: the page's spec, readable from `file://`.

    JSON is a JavaScript expression; ASCII-only, so the script reads the same whatever charset a
    browser assumes for a file opened from disk. A value JSON has no spelling for (a YAML date,
    say) fails the build rather than reaching the page changed.
    """
    document = json.dumps(yaml.safe_load(spec_text), ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    header = "// openapi.yaml, written by tools/packaging/docs_site.py for docs/spec/init.js\n"
    return f"{header}window.{SPEC_GLOBAL} = {document};\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for source, page in ROOT_PAGES.items():
        files.append(MkDocsFile.generated(config, page, abs_src_path=str(ROOT / source)))
    for package in PACKAGES:
        for name in module_names(package):
            files.append(MkDocsFile.generated(config, reference_page(name), content=f"# `{name}`\n\n::: {name}\n"))
    files.append(MkDocsFile.generated(config, "spec/openapi.yaml", abs_src_path=str(SPEC)))
    files.append(MkDocsFile.generated(config, "spec/openapi.js", content=spec_script(SPEC.read_text(encoding="utf-8"))))
    for asset in SWAGGER_UI_ASSETS:
        files.append(MkDocsFile.generated(config, f"spec/assets/{asset}", abs_src_path=f"{swagger_ui_path}/{asset}"))
    return files


def repo_path(page: Page) -> str:
    """Where the page's markdown lives in the repository, as a POSIX path."""
    uri = page.file.src_uri
    for source, site in ROOT_PAGES.items():
        if uri == site:
            return source
    return f"docs/{uri}"


def site_target(target: str, source: str) -> str | None:
    """The site's link for a relative repository link from `source`; None for a file the site lacks."""
    path, _, anchor = target.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    site = ROOT_PAGES.get(resolved)
    if site is None and resolved.startswith("docs/"):
        site = resolved.removeprefix("docs/")
    if site is None and resolved == "openapi.yaml":
        site = "spec/openapi.yaml"
    if site is None:
        return None if (ROOT / resolved).exists() else target  # a missing file stays, for --strict to name
    here = posixpath.dirname(source.removeprefix("docs/")) if source.startswith("docs/") else ""
    relative = posixpath.relpath(site, here or ".")
    return relative + (f"#{anchor}" if anchor else "")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = repo_path(page)
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines(keepends=True):
        if FENCE.match(line.lstrip()):
            fenced = not fenced
        out.append(line if fenced else LINK.sub(lambda match: rewrite(match, source), line))
    return "".join(out)


def rewrite(match: re.Match[str], source: str) -> str:
    target = match["target"]
    if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
        return match[0]
    site = site_target(target, source)
    return match["text"] if site is None else f"[{match['text']}]({site})"
