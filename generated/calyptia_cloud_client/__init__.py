"""A client library for accessing Calyptia Cloud Projects API.

Start with `CalyptiaCloud` (or `AsyncCalyptiaCloud`), one attribute per tag of the spec
(`projects`), one method per operation::

    from calyptia_cloud_client import CalyptiaCloud

    client = CalyptiaCloud()  # token and base URL from the environment
    client.projects  # the methods: help(client.projects)

`errors` holds the exception hierarchy, `models` the request and response types, and
`api.<tag>.<operation>` the low-level functions the client is built on.
"""

from . import errors, models
from .api import AsyncCalyptiaCloud, CalyptiaCloud
from .client import AuthenticatedClient
from .types import UNSET, APIResponse, Response, Unset

__all__ = (
    "APIResponse",
    "AsyncCalyptiaCloud",
    "AuthenticatedClient",
    "CalyptiaCloud",
    "Response",
    "UNSET",
    "Unset",
    "errors",
    "models",
)
