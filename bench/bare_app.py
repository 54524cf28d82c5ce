"""The framework's ceiling: Starlette answering fixed JSON, with no auth, database or validation.

Same routes and the same response bodies' shape as the mock (one project; a list of 100),
serialized per request by JSONResponse as the mock's handlers do, so the gap between the
two is what the mock does beyond Starlette + uvicorn.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.sample import page, project

_PROJECT = project(1)
_PAGE = page(100)


async def get_project(request: Request) -> Response:
    return JSONResponse(_PROJECT)


async def list_projects(request: Request) -> Response:
    return JSONResponse(_PAGE)


app = Starlette(
    routes=[
        Route("/v1/projects", list_projects, methods=["GET"]),
        Route("/v1/projects/{project_id}", get_project, methods=["GET"]),
    ]
)
