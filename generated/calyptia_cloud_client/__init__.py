"""A client library for accessing Calyptia Cloud Projects API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
