"""A user's script for `make install-check`: create a project, then print, log and raise through
every call style (resource, raw view, low-level; sync and async). Nothing it printed or logged
may show the created project's token or the user's own, or it exits 1 naming where.

Run: CALYPTIA_CLOUD_URL=http://127.0.0.1:5000 CALYPTIA_CLOUD_TOKEN=<token> python no_secrets.py
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
import traceback
from uuid import uuid4

from calyptia_cloud_client import AsyncCalyptiaCloud, AuthenticatedClient, CalyptiaCloud, errors
from calyptia_cloud_client.api.projects import create_project, get_project, list_projects
from calyptia_cloud_client.models import CreateProject

shown = io.StringIO()


def show(*things: object) -> None:
    """Print each thing as a user would: repr, str and an f-string."""
    for thing in things:
        print(repr(thing), str(thing), f"{thing}", f"{thing!r}", file=shown)


def raised(call: object) -> None:
    """Show the error a call raises, with its traceback, as a user's log would."""
    try:
        if callable(call):
            call()
    except errors.APIError as error:
        show(error, getattr(error, "response", None), getattr(error, "body", None))
        print("".join(traceback.format_exception(error)), file=shown)


def main() -> None:
    client = CalyptiaCloud()
    low = AuthenticatedClient(base_url=os.environ["CALYPTIA_CLOUD_URL"], token=os.environ["CALYPTIA_CLOUD_TOKEN"])
    created = client.projects.create(name="secret-holder")
    raw = client.projects.with_raw_response.create(name="secret-holder-raw")
    detailed = create_project.sync_detailed(client=low, body=CreateProject(name="low-level"))
    low_raw = create_project.sync_raw(client=low, body=CreateProject(name="low-level-raw"))
    show(client, client.projects, client.projects.with_raw_response, created, raw, raw.parsed, detailed, low_raw)
    show(
        list(client.projects.list()), client.projects.with_raw_response.list(), list_projects.sync_detailed(client=low)
    )
    by_token = CalyptiaCloud(token="", project_token=created.token)
    by_project = get_project.sync_detailed(created.id, client=low, x_project_token=created.token)
    show(by_token, by_token.projects.get(created.id), by_project, low)
    raised(lambda: list(by_token.projects.list()))  # a project token where a user token is needed
    raised(lambda: client.projects.get(uuid4()))
    raised(lambda: CalyptiaCloud(token="wrong-token").projects.create(name="x"))
    secrets.extend([created.token, raw.parsed.token])

    async def async_styles() -> None:
        async with AsyncCalyptiaCloud() as aclient:
            made = await aclient.projects.create(name="async-secret")
            made_raw = await aclient.projects.with_raw_response.create(name="async-secret-raw")
            show(aclient, made, made_raw, [p async for p in aclient.projects.list()])
            secrets.extend([made.token, made_raw.parsed.token])
            try:
                await aclient.projects.get(uuid4())
            except errors.APIError as error:
                show(error)

    asyncio.run(async_styles())
    client.close()
    low.get_httpx_client().close()


secrets: list[str] = [os.environ["CALYPTIA_CLOUD_TOKEN"]]

if __name__ == "__main__":
    os.environ["CALYPTIA_CLOUD_LOG"] = "debug"
    handler = logging.StreamHandler(shown)
    logging.getLogger("calyptia_cloud_client").addHandler(handler)
    logging.getLogger("calyptia_cloud_client").setLevel(logging.DEBUG)
    main()
    text = shown.getvalue()
    found = [secret for secret in secrets if secret in text]
    if found or len(text) < 2000:
        lines = [line for line in text.splitlines() if any(secret in line for secret in found)]
        print(f"a secret shows in what was printed or logged ({len(text)} characters):", *lines[:5], sep="\n")
        sys.exit(1)
    print(f"printed and logged {len(text):,} characters through every call style: no token among them")
