"""Credentials never reach a file: each is logged as a keyed label, the same for the same value.

The exchange log (build/contract/exchanges.jsonl) holds every request of a run and every
answer, and with them the run's user token and each project token the service gave out.
Before an exchange is written, and before the model reads one, every credential in it is
replaced by `secret:<HMAC-SHA256 of the value, 16 hex digits>` under a random key made for
the run and passed to `st run` in its environment only. The model compares labels as it
would compare tokens; whoever reads the log learns nothing of a token, not even enough to
test a guess without the key.

What counts as a credential: the values of `Authorization` (after its scheme),
`Proxy-Authorization`, `Cookie` and `Set-Cookie`, of every header whose name says token,
key, secret or password (`X-Project-Token`), and of JSON fields whose names say so (the
`token` of a created project), in request and response bodies alike.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import replace
from typing import Any

from tools.contract.model.exchange import Exchange

__all__ = ["LABEL", "Redactor"]

LABEL = re.compile(r"^secret:[0-9a-f]{16}$")
_SECRET_NAME = re.compile(r"token|secret|password|passwd|api[-_]?key|credential", re.IGNORECASE)
_WHOLE = frozenset({"proxy-authorization", "cookie", "set-cookie"})


class Redactor:
    """Labels credentials under one run's key."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key if key is not None else secrets.token_bytes(32)

    @classmethod
    def from_hex(cls, key: str) -> Redactor:
        return cls(bytes.fromhex(key))

    def label(self, value: str) -> str:
        if LABEL.match(value):
            return value
        digest = hmac.new(self.key, value.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()
        return f"secret:{digest[:16]}"

    def header(self, name: str, value: str) -> str:
        lowered = name.lower()
        if lowered == "authorization":
            scheme, space, credential = value.partition(" ")
            return f"{scheme}{space}{self.label(credential)}" if space else self.label(value)
        if lowered in _WHOLE or _SECRET_NAME.search(lowered):
            return self.label(value)
        return value

    def json(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: self.label(item) if isinstance(item, str) and _SECRET_NAME.search(str(key)) else self.json(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.json(item) for item in value]
        return value

    def body(self, raw: bytes) -> bytes:
        """A JSON body with its credential fields labelled; any other body as it was."""
        if not raw or raw.lstrip()[:1] not in (b"{", b"["):
            return raw
        try:
            value = json.loads(raw)
        except ValueError:
            return raw
        redacted = self.json(value)
        return raw if redacted == value else json.dumps(redacted, ensure_ascii=False).encode("utf-8")

    def exchange(self, exchange: Exchange) -> Exchange:
        return replace(
            exchange,
            headers={name: self.header(name, value) for name, value in exchange.headers.items()},
            body=self.body(exchange.body),
            response_headers={name: self.header(name, value) for name, value in exchange.response_headers.items()},
            response_body=self.body(exchange.response_body),
            _parsed={},
        )
