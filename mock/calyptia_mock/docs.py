"""The interactive docs at `/docs`: Swagger UI, served offline from the swagger-ui-bundle package.

The page loads nothing from elsewhere, and its Content-Security-Policy says so: scripts and
styles from this origin only, no inline script, API calls to this origin only. The spec the
UI shows lists this mock as its only server, so "Try it out" never reaches the live service.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

__all__ = ["CONTENT_SECURITY_POLICY", "docs_routes"]

# Nothing inline at all: Swagger UI needs only its own files, data: images for its icons, and
# fetch to this origin (the spec, and "Try it out"). The browser test fails on any violation.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_PAGE = files("calyptia_mock") / "docs_page"


def _docs_spec(spec: Mapping[str, Any]) -> bytes:
    """The spec with this mock (`/`, resolved against the page's origin) as its only server."""
    servers = [{"url": "/", "description": "This mock"}]
    return json.dumps({**spec, "servers": servers}, ensure_ascii=False, default=str).encode("utf-8")


def docs_routes(spec: Mapping[str, Any]) -> list[BaseRoute]:
    headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff"}
    page = (_PAGE / "index.html").read_bytes()
    script = (_PAGE / "init.js").read_bytes()
    spec_json = _docs_spec(spec)

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers=headers)

    async def init_js(request: Request) -> Response:
        return Response(script, media_type="text/javascript", headers=headers)

    async def docs_spec(request: Request) -> Response:
        return Response(spec_json, media_type="application/json", headers=headers)

    return [
        Route("/docs", index, methods=["GET"]),
        Route("/docs/init.js", init_js, methods=["GET"]),
        Route("/docs/openapi.json", docs_spec, methods=["GET"]),
        Mount("/docs/assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets"),
    ]
