"""The issue's walkthrough as a user writes it, for `make install-check`: it must type-check
under `mypy --strict` against the installed package, each `reveal_type` must show the type
in its `# revealed:` comment, and it must run against the mock.

Run: CALYPTIA_CLOUD_URL=http://127.0.0.1:5000 CALYPTIA_CLOUD_TOKEN=<token> python first_calls.py
"""

from __future__ import annotations

import asyncio
from typing import reveal_type

import httpx
from calyptia_cloud_client import AsyncCalyptiaCloud, CalyptiaCloud, errors, models


def main() -> None:
    # token from CALYPTIA_CLOUD_TOKEN, base URL from CALYPTIA_CLOUD_URL; a header on every request
    client = CalyptiaCloud(default_headers={"X-Tenant": "blue", "User-Agent": "first-calls/1.0"})
    reveal_type(client)  # revealed: calyptia_cloud_client.api.CalyptiaCloud
    created = client.projects.create(name="edge")
    reveal_type(created)  # revealed: calyptia_cloud_client.models.created_project.CreatedProject
    project = client.projects.get(created.id, extra_headers={"X-Trace-Id": "t-1"}, timeout=5.0)
    reveal_type(project)  # revealed: calyptia_cloud_client.models.project.Project
    client.projects.update(created.id, name="edge-2", v3_enabled=True)
    for p in client.projects.list(name="edge-2", extra_query={"last": 50}):
        reveal_type(p)  # revealed: calyptia_cloud_client.models.project.Project
    raw = client.projects.with_raw_response.get(created.id)
    reveal_type(raw)  # revealed: calyptia_cloud_client.types.APIResponse[calyptia_cloud_client.models.project.Project]
    reveal_type(raw.status_code)  # revealed: int
    quiet = client.with_options(max_retries=0, timeout=2.0, default_headers={"X-Tenant": "green"})
    reveal_type(quiet)  # revealed: calyptia_cloud_client.api.CalyptiaCloud
    deleted = client.projects.delete(created.id)
    reveal_type(deleted)  # revealed: calyptia_cloud_client.models.deleted.Deleted
    try:
        quiet.projects.get(created.id)
    except errors.NotFoundError as exc:
        reveal_type(exc.error)  # revealed: str | None
    assert isinstance(project, models.Project)
    client.close()


async def amain() -> int:
    async with AsyncCalyptiaCloud() as aclient:
        reveal_type(aclient)  # revealed: calyptia_cloud_client.api.AsyncCalyptiaCloud
        names = [p.name async for p in aclient.projects.list()]
        reveal_type(names)  # revealed: list[str]
        page = await aclient.projects.with_raw_response.list(last=5, timeout=httpx.Timeout(5.0, connect=1.0))
        reveal_type(page.parsed)  # revealed: list[calyptia_cloud_client.models.project.Project]
    return len(names)


if __name__ == "__main__":
    main()
    print("async listed", asyncio.run(amain()), "projects")
