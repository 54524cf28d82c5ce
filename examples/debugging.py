"""Seeing what the client does: its log, a header on every request, one call's own options,
and an error that says what to fix.

Run it against the local mock (`calyptia-mock`, then this file) or, with care, the live API:

    CALYPTIA_CLOUD_URL=http://127.0.0.1:5000 CALYPTIA_CLOUD_TOKEN=demo-token python examples/debugging.py

Setting CALYPTIA_CLOUD_LOG=debug instead prints the same log, with headers, to stderr without
any logging code.
"""

from __future__ import annotations

import logging
import os
import sys
from uuid import UUID

from calyptia_cloud_client import CalyptiaCloud, errors


def main() -> None:
    # The client logs on the standard `logging` module, under its package's name: one INFO line
    # per attempt and per retry; DEBUG adds the headers, credentials and cookies redacted.
    logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("calyptia_cloud_client").setLevel(logging.INFO)

    # A header every request carries (a tenant or tracing header); a User-Agent given here
    # goes before the client's own.
    with CalyptiaCloud(default_headers={"User-Agent": "debugging-example/1.0"}) as client:
        # One call's own header, query value and timeout: sent with each retry and each page;
        # the timeout bounds the whole call, waits between retries included.
        for project in client.projects.list(last=5, extra_headers={"X-Trace-Id": "example-1"}, timeout=10.0):
            print("listed", project.name)

    # A wrong token: the message names the credential sent and where it came from, never its value.
    wrong = CalyptiaCloud(token="not-a-valid-token", base_url=os.environ.get("CALYPTIA_CLOUD_URL"), max_retries=0)
    try:
        wrong.projects.get(UUID("00000000-0000-4000-8000-000000000000"))
    except errors.AuthenticationError as exc:
        print("refused:", exc)
    finally:
        wrong.close()


if __name__ == "__main__":
    main()
