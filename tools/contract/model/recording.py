"""The log of a run's exchanges: written inside `st run` at the transport, read back by the
runner, which replays it through the model after the run, in the order it was sent. Every
credential in it is a label (secrets.py), never the value."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tools.contract.model.exchange import Exchange
from tools.contract.model.secrets import Redactor

__all__ = ["ExchangeLog", "read_exchanges"]


class ExchangeLog:
    """An exchange observer for the transport: appends each exchange as one JSON line."""

    def __init__(self, path: Path, redactor: Redactor) -> None:
        self.path = path
        self.redactor = redactor

    def __call__(self, request: Any, response: Any) -> None:
        """`request` and `response` are a `requests.PreparedRequest` and `requests.Response`."""
        exchange = Exchange.of(
            str(request.method),
            str(request.url),
            dict(request.headers),
            request.body if isinstance(request.body, (bytes, str)) else None,
            int(response.status_code),
            dict(response.headers),
            bytes(response.content or b""),
            "schemathesis",
        )
        exchange = self.redactor.exchange(exchange)  # no credential reaches the file
        with self.path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(exchange.to_record()) + "\n")


def read_exchanges(path: Path) -> Iterator[Exchange]:
    """The logged exchanges, in order; a line cut short by a killed run is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as log:
        for line in log:
            try:
                yield Exchange.from_record(json.loads(line))
            except (ValueError, KeyError):
                continue
