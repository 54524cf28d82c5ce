"""`make docs`: pdoc writes a page per module, the low-level layer included, and the
resource methods' pages carry the spec's parameter descriptions."""

from __future__ import annotations

from pathlib import Path

from tools.docs import build, package_modules


def test_the_reference_covers_every_module(tmp_path: Path) -> None:
    index = build(tmp_path / "docs")
    assert index.is_file()
    pages = {path.relative_to(tmp_path / "docs").as_posix() for path in (tmp_path / "docs").rglob("*.html")}
    for module in package_modules():
        assert module.replace(".", "/") + ".html" in pages, module
    projects = (tmp_path / "docs" / "calyptia_cloud_client" / "api" / "projects.html").read_text(encoding="utf-8")
    assert "Only projects whose name is exactly this string" in projects
    top = (tmp_path / "docs" / "calyptia_cloud_client.html").read_text(encoding="utf-8")
    assert "CalyptiaCloud" in top
