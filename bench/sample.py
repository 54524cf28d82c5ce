"""Fixed projects shaped exactly like the mock's answers (membership and nested user included).

The bare Starlette app serves them and the in-process client figures parse them, so every
parser sees the same fields, UUIDs and timestamps as it would from the mock.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

USER_ID = "40c0a1d4-f8f6-4c34-9514-eab6298adc8d"
_NAMESPACE = uuid.UUID("6f1f5c1e-2f43-4c55-9d2a-0d6c1b9e7a10")


def project(index: int) -> dict[str, Any]:
    """Project number `index`, with the demo user's creator membership, as the mock lists it."""
    project_id = str(uuid.uuid5(_NAMESPACE, f"project-{index}"))
    created = f"2026-11-28T04:{index // 60 % 60:02d}:{index % 60:02d}.{index % 1_000_000:06d}Z"
    return {
        "id": project_id,
        "name": f"bench-{index:06d}",
        "membersCount": 1,
        "agentsCount": 0,
        "aggregatorsCount": 0,
        "createdAt": created,
        "v3Enabled": False,
        "settings": {},
        "membership": {
            "id": str(uuid.uuid5(_NAMESPACE, f"membership-{index}")),
            "userID": USER_ID,
            "projectID": project_id,
            "roles": ["creator"],
            "permissions": ["create:*", "read:*", "update:*", "delete:*"],
            "createdAt": created,
            "user": {
                "id": USER_ID,
                "email": "demo@example.com",
                "name": "Demo User",
                "avatarURL": None,
                "createdAt": "2026-11-28T04:00:00.000000Z",
                "updatedAt": "2026-11-28T04:00:00.000000Z",
            },
        },
    }


def page(count: int) -> list[dict[str, Any]]:
    """`count` projects, newest first, as one list response."""
    return [project(index) for index in range(count, 0, -1)]


def page_bytes(count: int) -> bytes:
    """The page as the mock sends it: compact JSON (Starlette's JSONResponse separators)."""
    return json.dumps(page(count), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
