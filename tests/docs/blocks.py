"""The fenced code blocks of README.md and of every guide in docs/, for the tests that run them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tools.paths import ROOT

FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
# What a block's language may be; each is checked by tests/docs/test_code_blocks.py.
LANGUAGES = {"python", "sh", "json", "text", ""}


@dataclass(frozen=True)
class Block:
    path: str  # relative to the repository
    line: int  # where the fence opens, 1-based
    lang: str
    code: str

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"


def documents() -> list[Path]:
    """README.md and the guides: every Markdown file the site is built from, CHANGELOG aside."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(lang: str | None = None) -> list[Block]:
    found = []
    for document in documents():
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            block = Block(
                path=document.relative_to(ROOT).as_posix(),
                line=text.count("\n", 0, match.start()) + 1,
                lang=match["lang"],
                code=match["code"],
            )
            if lang is None or block.lang == lang:
                found.append(block)
    return found
