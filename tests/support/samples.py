"""A project as the service sends it, for tests that script a server's answers by hand."""

from __future__ import annotations

from typing import Any
from uuid import UUID

__all__ = ["PROJECT", "PROJECT_ID"]

PROJECT_ID = UUID("123e4567-e89b-12d3-a456-426614174000")
PROJECT: dict[str, Any] = {
    "id": str(PROJECT_ID),
    "name": "p",
    "membersCount": 1,
    "agentsCount": 0,
    "aggregatorsCount": 0,
    "createdAt": "2025-01-22T21:00:39.147Z",
}
