"""The async client: create a few projects concurrently, then walk every page.

CALYPTIA_CLOUD_URL=http://127.0.0.1:5000 CALYPTIA_CLOUD_TOKEN=demo-token python examples/async_walk.py
"""

from __future__ import annotations

import asyncio

from calyptia_cloud_client import AsyncCalyptiaCloud


async def main() -> None:
    async with AsyncCalyptiaCloud(max_retries=3) as client:
        created = await asyncio.gather(*(client.projects.create(name=f"async-{i}") for i in range(3)))
        names = [project.name async for project in client.projects.list(last=2)]
        print("walked", len(names), "projects, two per page:", names)
        await asyncio.gather(*(client.projects.delete(project.id) for project in created))


if __name__ == "__main__":
    asyncio.run(main())
