"""Which layout a script is written in: by file extension first, then by its content."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

Layout = Literal["yaml", "webvtt", "srt", "markdown", "text"]

_SRT_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2},\d{1,3}\s*-->")
_YAML_SEGMENTS = re.compile(r"^(?:segments|script|turns):\s*$", re.MULTILINE)
_MD_SIGNS = re.compile(r"^(?:\*\*[^*\n]{1,80}\*\*|#{1,6} |__[^_\n]{1,80}__)|\\[\[\]*_]", re.M)


def detect_layout(lines: list[str], source: Path | None = None) -> Layout:
    """The layout of a script given its lines (front matter already removed)."""
    suffix = source.suffix.lower() if source else ""
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".vtt":
        return "webvtt"
    if suffix == ".srt":
        return "srt"
    if suffix in (".md", ".markdown"):
        return "markdown"
    head = [ln for ln in lines[:20] if ln.strip()]
    if head and head[0].lstrip("\ufeff").startswith("WEBVTT"):
        return "webvtt"
    if len(head) >= 2 and head[0].strip().isdigit() and _SRT_TIMING.match(head[1]):
        return "srt"
    sample = "\n".join(lines[:400])
    if _YAML_SEGMENTS.search(sample) and not sample.lstrip().startswith("---"):
        return "yaml"
    if len(_MD_SIGNS.findall(sample)) >= 2:
        return "markdown"
    return "text"
