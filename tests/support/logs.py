"""Catching a server's log in-process. uvicorn's loggers do not propagate to the root logger
(so pytest's caplog misses them): a handler goes on each named logger directly."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["attached"]


@contextmanager
def attached(handler: logging.Handler, names: tuple[str, ...], level: int) -> Iterator[None]:
    """`handler` on each logger of `names`, each at `level`, until the block ends; then the
    loggers are as they were."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, level_before in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level_before)
