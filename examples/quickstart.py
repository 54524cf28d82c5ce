"""Call each of the five Projects operations with the generated client.

Run it against the local mock (`make mock`, then this file) or, with care, the live API:

    CALYPTIA_CLOUD_URL=http://127.0.0.1:5000 CALYPTIA_CLOUD_TOKEN=<token> python examples/quickstart.py
"""

from __future__ import annotations

import os

from calyptia_cloud_client import AuthenticatedClient
from calyptia_cloud_client.api.projects import (
    create_project,
    delete_project,
    get_project,
    list_projects,
    update_project,
)
from calyptia_cloud_client.models import CreatedProject, CreateProject, Deleted, Error, Project, UpdateProject


def main() -> None:
    client = AuthenticatedClient(
        base_url=os.environ.get("CALYPTIA_CLOUD_URL", "http://127.0.0.1:5000"),
        token=os.environ["CALYPTIA_CLOUD_TOKEN"],
    )
    with client:
        # Create: 201 with the new ID, the project token and the creator's membership.
        created = create_project.sync(client=client, body=CreateProject(name="quickstart"))
        if not isinstance(created, CreatedProject):
            raise SystemExit(f"create failed: {created}")
        print("created", created.id, "roles:", created.membership.roles)

        # Get: documented errors come back as `Error`, not as exceptions.
        project = get_project.sync(created.id, client=client)
        assert isinstance(project, Project), project
        print("got", project.name, "members:", project.members_count)

        # Update answers 204 with no body, so only the *_detailed call style exists.
        response = update_project.sync_detailed(created.id, client=client, body=UpdateProject(name="quickstart-2"))
        print("update status", response.status_code)

        # List one page; the next page's URL is in the Link header of the detailed response.
        page = list_projects.sync_detailed(client=client, last=10)
        if isinstance(page.parsed, list):
            print("listed", [p.name for p in page.parsed], "next:", page.headers.get("Link"))

        # Delete: only the creator may.
        deleted = delete_project.sync(created.id, client=client)
        if isinstance(deleted, Error):
            raise SystemExit(f"delete failed: {deleted.error}")
        assert isinstance(deleted, Deleted)
        print("deleted", deleted.deleted, "at", deleted.deleted_at)


if __name__ == "__main__":
    main()
