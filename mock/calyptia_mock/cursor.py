"""Opaque, tamper-evident pagination cursors.

A cursor names a position in one user's listing: the `seq` of the last project on the
page (projects are listed newest first, and `seq` grows with every create). It is signed
with a per-database secret, so a forged, truncated or re-encoded cursor is rejected as
"decode cursor" rather than silently moving the listing somewhere unexpected. Even a
valid cursor only positions the keyset query; it never selects whose projects are read.

Cursors are URL-safe base64 without padding, so they sit in a `Link` URL unescaped.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

__all__ = ["CursorCodec", "CursorError"]

_MAC_BYTES = 12
_VERSION = b"1"


class CursorError(ValueError):
    """The cursor was not made by this database."""


class CursorCodec:
    """Encodes and decodes cursors with one secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, seq: int) -> str:
        payload = _VERSION + b":" + str(seq).encode("ascii")
        return base64.urlsafe_b64encode(payload + self._mac(payload)).rstrip(b"=").decode("ascii")

    def decode(self, cursor: str) -> int:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (binascii.Error, ValueError) as exc:
            raise CursorError("not base64") from exc
        # Re-encoding must give the same text: rejects non-canonical spellings of a cursor.
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != cursor:
            raise CursorError("not canonical")
        payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if len(raw) <= _MAC_BYTES or not hmac.compare_digest(mac, self._mac(payload)):
            raise CursorError("bad signature")
        version, _, seq = payload.partition(b":")
        if version != _VERSION or not seq.isdigit():
            raise CursorError("bad payload")
        return int(seq)
