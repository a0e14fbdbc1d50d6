"""The episodes audiocast rendered into a folder: their audio, sidecars, tags and artwork."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..atomic import atomic_path
from ..errors import InputError
from ..language import from_stored
from .chapters import chapters_path
from .tags import duration_of, read_embedded_cover, read_tags

AUDIO_TYPES: Mapping[str, str] = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
}
"""Episode audio the feed picks up, by suffix, and its enclosure MIME type."""

TRANSCRIPTS: tuple[tuple[str, str], ...] = (
    (".vtt", "text/vtt"),
    (".srt", "application/x-subrip"),
    (".transcript.json", "application/json"),
)


@dataclass(frozen=True)
class Episode:
    """One rendered episode found in the folder."""

    audio: Path
    size: int
    mime: str
    title: str
    description: str
    published: datetime
    duration: float | None
    chapters: Path | None
    transcripts: tuple[tuple[Path, str], ...]
    explicit: bool
    details: Mapping[str, Any] = field(default_factory=dict)
    """From the ``AUDIOCAST`` tag: ``episode``, ``season``, ``episode_type``, ``link``,
    ``content``, ``guid`` as the script's front matter gave them."""
    cover: Path | None = None
    """The episode's artwork beside it (``NAME.jpg``/``.png``, or extracted from the file)."""
    language: str | None = None
    """The episode's language tag, as its transcripts' ``language`` attribute."""


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:  # a year-month-day prefix, such as "2026-11-25 morning"
        return datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
    except ValueError:
        return None


def _published(value: str | None, audio: Path) -> datetime:
    """The date tag (midnight UTC for a bare date), else the file's modification time."""
    parsed = _parse_date(value) if value else None
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(audio.stat().st_mtime, tz=timezone.utc).replace(microsecond=0)


def find_episodes(folder: Path) -> list[Episode]:
    """Every audiocast episode in ``folder`` (not recursive), oldest first.

    Only files audiocast rendered (they carry its ``AUDIOCAST`` tag) are episodes: a jingle or
    a stray recording in the folder is not. Several formats of one episode (``ep.mp3`` and
    ``ep.m4a``) are one episode, its audio the first format of ``AUDIO_TYPES``. Hidden files
    (such as an atomic write in progress) are skipped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder of episodes", path=folder)
    found: list[Episode] = []
    order = list(AUDIO_TYPES)
    candidates = sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in AUDIO_TYPES),
        key=lambda p: (p.stem, order.index(p.suffix.lower())),
    )
    seen: set[str] = set()
    for audio in candidates:
        mime = AUDIO_TYPES[audio.suffix.lower()]
        if audio.stem in seen or audio.name.startswith(".") or not audio.is_file():
            continue
        tags = read_tags(audio)
        if "audiocast" not in tags:
            continue
        seen.add(audio.stem)
        base = audio.with_suffix("")
        transcripts = tuple(
            (base.with_name(base.name + ext), kind)
            for ext, kind in TRANSCRIPTS
            if base.with_name(base.name + ext).is_file()
        )
        chapters = chapters_path(audio)
        found.append(
            Episode(
                audio=audio,
                size=audio.stat().st_size,
                mime=mime,
                title=tags.get("title") or audio.stem,
                description=tags.get("description") or tags.get("title") or audio.stem,
                published=_published(tags.get("date"), audio),
                duration=duration_of(audio),
                chapters=chapters if chapters.is_file() else None,
                transcripts=transcripts,
                explicit=bool(tags.get("explicit")),
                details=tags["audiocast"],
                cover=episode_cover(audio),
                language=from_stored(tags["language"]) if tags.get("language") else None,
            )
        )
    found.sort(key=lambda e: (e.published, e.audio.name))
    return found


def episode_cover(audio: Path) -> Path | None:
    """The episode's artwork as a file beside it: ``NAME.jpg``/``.png`` if there, else the cover
    embedded in the audio, written out once as ``NAME.cover.jpg``/``.png`` (feeds link images
    by URL)."""
    for suffix in (".jpg", ".jpeg", ".png", ".cover.jpg", ".cover.png"):
        candidate = audio.with_name(audio.stem + suffix)
        if candidate.is_file():
            return candidate
    cover = read_embedded_cover(audio)
    if cover is None:
        return None
    out = audio.with_name(
        audio.stem + (".cover.png" if cover.mime == "image/png" else ".cover.jpg")
    )
    with atomic_path(out) as tmp:
        tmp.write_bytes(cover.data)
    return out


__all__ = ["AUDIO_TYPES", "TRANSCRIPTS", "Episode", "episode_cover", "find_episodes"]
