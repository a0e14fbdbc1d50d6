"""Podcasting 2.0 chapters JSON (``application/json+chapters``) beside the episode."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..atomic import write_text_atomic
from ..model import Chapter


def chapter_ends(chapters: Sequence[Chapter], duration: float | None = None) -> list[float]:
    """Each chapter's end: as given, else the next chapter's start, else ``duration``.

    The last chapter without an end and no ``duration`` ends where it starts (a point).
    """
    ends: list[float] = []
    for i, chapter in enumerate(chapters):
        if chapter.end is not None:
            ends.append(chapter.end)
        elif i + 1 < len(chapters):
            ends.append(chapters[i + 1].start)
        else:
            ends.append(duration if duration is not None else chapter.start)
    return ends


def chapters_json(
    chapters: Sequence[Chapter], title: str | None = None, duration: float | None = None
) -> dict[str, Any]:
    """The chapters document: ``{"version": "1.2.0", "chapters": [{startTime, endTime, title}]}``.

    Times are seconds rounded to milliseconds; ``title`` (the episode's) is added when given.
    """
    items = [
        {"startTime": round(c.start, 3), "endTime": round(end, 3), "title": c.title}
        for c, end in zip(chapters, chapter_ends(chapters, duration), strict=True)
    ]
    doc: dict[str, Any] = {"version": "1.2.0"}
    if title:
        doc["title"] = title
    doc["chapters"] = items
    return doc


def chapters_text(
    chapters: Sequence[Chapter], title: str | None = None, duration: float | None = None
) -> str:
    """:func:`chapters_json` as the file holds it: indented JSON, non-ASCII escaped."""
    return json.dumps(chapters_json(chapters, title, duration), indent=2) + "\n"


def chapters_path(audio: Path) -> Path:
    """``episode.mp3`` -> ``episode.chapters.json``."""
    audio = Path(audio)
    return audio.with_name(audio.stem + ".chapters.json")


def write_chapters_json(
    path: Path,
    chapters: Sequence[Chapter],
    title: str | None = None,
    duration: float | None = None,
) -> None:
    """Write :func:`chapters_text` to ``path`` atomically."""
    write_text_atomic(Path(path), chapters_text(chapters, title, duration))
