"""YAML front matter: a ``---`` block at the very top of any text script."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..settings import key_lines, load_yaml

_CLOSE = re.compile(r"^(?:---|\.\.\.)\s*$")


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    """Key -> file line."""
    body_start: int = 0
    """Index (0-based) of the first body line in the file's lines."""


def split_front_matter(lines: list[str], path: str | Path) -> FrontMatter:
    """Find and parse the front matter at the top of ``lines`` (a file split on ``\\n``).

    Returns an empty FrontMatter (body_start 0) when the file has none. Invalid YAML, or a
    block that is not a mapping, raises InputError with the file line.
    """
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter()
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        raise InputError(
            "front matter opened with '---' is never closed",
            path=path,
            line=1,
            hint="end the metadata block with a '---' line",
        )
    text = "\n".join(lines[1:end])
    data, node = load_yaml(text, path, "YAML front matter", first_line=2)
    if data is None:
        return FrontMatter(body_start=end + 1)
    if not isinstance(data, dict):
        raise InputError(
            "front matter must be 'key: value' lines",
            path=path,
            line=2,
            hint="write e.g. 'title: My episode'",
        )
    return FrontMatter({str(k): v for k, v in data.items()}, key_lines(node, 2), end + 1)
