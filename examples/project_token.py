"""Read and rename a project with its own project token instead of a user token.

`createProject` returns the project's token once; `get` and `update` accept it (the spec's
`projectToken` scheme). Other operations answer 401 to a project token alone.

    CALYPTIA_CLOUD_URL=http://127.0.0.1:5000 CALYPTIA_CLOUD_TOKEN=demo-token python examples/project_token.py
"""

from __future__ import annotations

from calyptia_cloud_client import CalyptiaCloud, errors


def main() -> None:
    with CalyptiaCloud() as owner:
        created = owner.projects.create(name="token-demo")
        # token="" so the environment's user token is not used: only the project token is sent.
        with CalyptiaCloud(token="", project_token=created.token, base_url=owner.base_url) as by_token:
            print("read with its token:", by_token.projects.get(created.id).name)
            by_token.projects.update(created.id, name="token-demo-2")
            try:
                by_token.projects.delete(created.id)
            except errors.AuthenticationError as exc:
                print("delete needs a user token:", exc.status_code, exc.error)
        owner.projects.delete(created.id)


if __name__ == "__main__":
    main()
