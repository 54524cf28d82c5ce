"""Each of the five Projects operations through `CalyptiaCloud`.

Run it against the local mock (`make mock`, then this file) or, with care, the live API:

    CALYPTIA_CLOUD_URL=http://127.0.0.1:5000 CALYPTIA_CLOUD_TOKEN=demo-token python examples/quickstart.py
"""

from __future__ import annotations

from calyptia_cloud_client import CalyptiaCloud, errors


def main() -> None:
    # The token comes from CALYPTIA_CLOUD_TOKEN and the base URL from CALYPTIA_CLOUD_URL
    # (default: the production server). Every failure raises an errors.APIError subclass.
    with CalyptiaCloud() as client:
        # Create: the body's fields are keyword arguments. The result carries the new ID, the
        # project's own token (shown only here) and the creator's membership.
        created = client.projects.create(name="quickstart", v3_enabled=False)
        print("created", created.id, "roles:", created.membership.roles)

        # Get one project by ID.
        project = client.projects.get(created.id)
        print("got", project.name, "members:", project.members_count)

        # Update: only the fields given are sent; 204, so it returns None.
        client.projects.update(created.id, name="quickstart-2", set_settings={"gpt": True})

        # List: an iterator over every project, fetching pages of `last` as it goes.
        for listed in client.projects.list(last=10, name="quickstart-2"):
            print("listed", listed.name, listed.settings.to_dict() if listed.settings else {})

        # The whole response, when the status or headers matter.
        page = client.projects.with_raw_response.list(last=1)
        print("status", page.status_code, "next page:", page.headers.get("Link"), "items:", len(page.parsed))

        # Delete: only the creator may. Reading it afterwards raises NotFoundError.
        deleted = client.projects.delete(created.id)
        print("deleted", deleted.deleted, "at", deleted.deleted_at)
        try:
            client.with_options(max_retries=0).projects.get(created.id)
        except errors.NotFoundError as exc:
            print("gone:", exc.status_code, exc.error)


if __name__ == "__main__":
    main()
