"""Cursors round-trip, and anything this database did not sign is refused."""

from __future__ import annotations

import base64

import pytest
from calyptia_mock.cursor import CursorCodec, CursorError

CODEC = CursorCodec(b"k" * 32)


@pytest.mark.parametrize("seq", [0, 1, 41, 2**53])
def test_round_trip(seq: int) -> None:
    cursor = CODEC.encode(seq)
    assert CODEC.decode(cursor) == seq
    assert "=" not in cursor
    assert (
        base64.urlsafe_b64encode(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))).rstrip(b"=").decode()
        == cursor
    )


def _forge(payload: bytes, mac: bytes = b"\0" * 12) -> str:
    return base64.urlsafe_b64encode(payload + mac).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("", id="empty"),
        pytest.param("not base64!", id="not-base64"),
        pytest.param("a", id="impossible-length"),
        pytest.param(CODEC.encode(7)[:-3], id="truncated"),
        pytest.param(CODEC.encode(7) + "=", id="re-encoded-with-padding"),
        pytest.param(CODEC.encode(7).replace("-", "+").replace("_", "/"), id="re-encoded-standard-alphabet"),
        pytest.param(_forge(b"1:3"), id="forged-mac"),
        pytest.param(CursorCodec(b"other secret").encode(7), id="other-database"),
        pytest.param(_forge(b"1:-3"), id="negative"),
    ],
)
def test_refused(cursor: str) -> None:
    assert cursor != CODEC.encode(7), "each case must differ from the genuine cursor"
    with pytest.raises(CursorError):
        CODEC.decode(cursor)


def test_a_flipped_character_is_refused() -> None:
    cursor = CODEC.encode(12345)
    for index in range(len(cursor)):
        flipped = cursor[:index] + ("A" if cursor[index] != "A" else "B") + cursor[index + 1 :]
        with pytest.raises(CursorError):
            CODEC.decode(flipped)
