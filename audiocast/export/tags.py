"""Episode tags and chapters inside the audio file, with mutagen, for each container we write.

MP3: ID3v2.4 text frames, cover art, and chapters as CHAP frames under one top-level, ordered
CTOC (the ID3 chapter addendum that Apple Podcasts, Overcast and ffmpeg read). Ogg Vorbis/Opus
and FLAC: Vorbis comments, a picture block, and chapters as ``CHAPTERxxx``/``CHAPTERxxxNAME``
comments (the de facto Vorbis convention). M4A: iTunes atoms and ``covr``; mutagen cannot write
MP4 chapter tracks, so chapters there live only in the chapters JSON. WAV: an ID3 chunk.

Tags are written in place into the path given (the pipeline renames the file afterwards).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mutagen
from mutagen import id3
from mutagen.mp4 import MP4

from ..bounded import COVER_LIMIT, read_bounded
from ..errors import AudioError, InputError
from ..model import Chapter, Script
from .id3tags import read_id3, read_id3_chapters, write_id3
from .marker import FEED_KEYS, MARKER, MP4_MARKER, marker_text, read_marker
from .mp4chapters import mux_chapters, read_mp4_chapters
from .mutagen_io import (
    cover_picture,
    id3_pictures,
    mp4_cover,
    mp4_cover_mime,
    mp4_freeform,
    open_as,
    picture_base64,
    picture_from_base64,
)
from .tag_tables import MP4 as MP4_ATOMS
from .tag_tables import VORBIS, Row


@dataclass(frozen=True)
class EpisodeTags:
    title: str | None = None
    show: str | None = None
    author: str | None = None
    """The episode's artist; the show's name stands in when missing."""
    date: str | None = None
    """ISO date (``2026-11-25``) or year."""
    description: str | None = None
    cover: Path | None = None
    """A JPEG or PNG file; anything else is an ``InputError``."""
    language: str | None = None
    """ISO 639 code as the script gives it (``en``); ID3 gets the 3-letter form when known."""
    explicit: bool = False
    comment: str | None = None
    """A free comment, such as "Made with audiocast"."""
    feed: Mapping[str, Any] = field(default_factory=dict)
    """What the feed needs and no standard tag holds (``episode``, ``season``,
    ``episode_type``, ``link``, ``content``, ``guid``), stored as JSON under the ``AUDIOCAST``
    tag, whose presence also marks the file as an audiocast episode."""

    @classmethod
    def from_script(cls, script: Script) -> EpisodeTags:
        """The tags a script's front matter gives its episode."""
        meta = script.metadata
        return cls(
            title=script.title or "Untitled episode",
            show=meta.show,
            author=meta.author,
            date=meta.date,
            description=meta.description,
            cover=script.resolve(meta.cover) if meta.cover else None,
            language=meta.language,
            explicit=meta.explicit,
            feed={k: meta.extra[k] for k in FEED_KEYS if meta.extra.get(k) is not None},
        )


@dataclass(frozen=True)
class Cover:
    data: bytes
    mime: str


def read_cover(path: Path) -> Cover:
    """The cover image's bytes and MIME type from its magic bytes (JPEG or PNG only)."""
    try:
        data = read_bounded(Path(path), COVER_LIMIT, "cover image")
    except FileNotFoundError:
        raise InputError(
            "cover image not found", path=path, hint="fix the cover: path in the script"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read cover image: {exc.strerror}", path=path) from None
    if data.startswith(b"\xff\xd8\xff"):
        return Cover(data, "image/jpeg")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Cover(data, "image/png")
    raise InputError(
        "cover is not a JPEG or PNG image", path=path, hint="podcast apps accept JPEG or PNG"
    )


def write_tags(path: Path, tags: EpisodeTags, chapters: Sequence[Chapter] = ()) -> None:
    """Write ``tags`` and ``chapters`` into the audio file at ``path`` (format from its suffix).

    Replaces any tags the file had. Raises ``InputError`` for a bad cover and ``AudioError``
    when the file cannot be parsed as its suffix says.
    """
    path = Path(path)
    cover = read_cover(tags.cover) if tags.cover is not None else None
    suffix = path.suffix.lower()
    try:
        if suffix in (".mp3", ".wav"):
            write_id3(
                path, tags, chapters, cover, wave=suffix == ".wav", duration=duration_of(path)
            )
        elif suffix in (".ogg", ".oga", ".opus", ".flac"):
            _write_vorbis(path, tags, chapters, cover)
        elif suffix in (".m4a", ".mp4", ".m4b", ".aac"):
            if suffix != ".aac":  # a raw ADTS stream has no container to hold chapters
                mux_chapters(path, chapters, duration_of(path))
            _write_mp4(path, tags, cover)
        else:
            raise AudioError(f"cannot tag {suffix or 'suffix-less'} files", path=path)
    except mutagen.MutagenError as exc:
        raise AudioError(f"cannot write tags: {exc}", path=path) from None


def _fill(container: Any, table: Sequence[Row], tags: EpisodeTags) -> None:
    """Set every tag of ``table`` that has a value for ``tags``."""
    for row in table:
        value = row.value(tags)
        if value:
            container[row.tag] = [value]


def _chapter_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _write_vorbis(
    path: Path, tags: EpisodeTags, chapters: Sequence[Chapter], cover: Cover | None
) -> None:
    suffix = path.suffix.lower()
    audio: Any
    audio = open_as(
        "flac" if suffix == ".flac" else "opus" if suffix == ".opus" else "vorbis", path
    )
    if audio.tags is None:
        audio.add_tags()
    audio.tags.clear()
    _fill(audio.tags, VORBIS, tags)
    if tags.explicit:
        audio.tags["ITUNESADVISORY"] = ["1"]
    audio.tags[MARKER] = [marker_text(tags.feed)]
    for i, chapter in enumerate(chapters, 1):
        audio.tags[f"CHAPTER{i:03d}"] = [_chapter_time(chapter.start)]
        audio.tags[f"CHAPTER{i:03d}NAME"] = [chapter.title]
    if cover:
        picture = cover_picture(cover.data, cover.mime)
        if suffix == ".flac":
            audio.clear_pictures()
            audio.add_picture(picture)
        else:
            audio.tags["METADATA_BLOCK_PICTURE"] = [picture_base64(picture)]
    audio.save()


def _write_mp4(path: Path, tags: EpisodeTags, cover: Cover | None) -> None:
    audio: Any = open_as("mp4", path)
    if audio.tags is None:
        audio.add_tags()
    audio.tags.clear()
    _fill(audio.tags, MP4_ATOMS, tags)
    audio.tags["pcst"] = True
    audio.tags[MP4_MARKER] = [mp4_freeform(marker_text(tags.feed))]
    audio.tags["rtng"] = [1 if tags.explicit else 0]
    if cover:
        audio.tags["covr"] = [mp4_cover(cover.data, cover.mime)]
    audio.save()


def _first(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    return str(value)


def read_chapters(path: Path) -> list[Chapter]:
    """Chapters stored in the file: ID3 CHAP frames (in CTOC order) or Vorbis CHAPTERxxx."""
    path = Path(path)
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as exc:
        raise AudioError(f"cannot read tags: {exc}", path=path) from None
    if isinstance(audio, MP4):
        return read_mp4_chapters(path)
    if audio is None or audio.tags is None:
        return []
    tags = audio.tags
    if isinstance(tags, id3.ID3):
        return read_id3_chapters(tags)
    if hasattr(tags, "keys") and not isinstance(audio, MP4):
        found: list[Chapter] = []
        i = 1
        while f"CHAPTER{i:03d}" in tags:
            start = _parse_chapter_time(_first(tags[f"CHAPTER{i:03d}"]) or "0")
            name = _first(tags.get(f"CHAPTER{i:03d}NAME")) or f"Chapter {i}"
            found.append(Chapter(start, name))
            i += 1
        return found
    return []


def _parse_chapter_time(text: str) -> float:
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def read_embedded_cover(path: Path) -> Cover | None:
    """The cover art stored in the file (the first picture), or ``None`` when it has none."""
    path = Path(path)
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as exc:
        raise AudioError(f"cannot read tags: {exc}", path=path) from None
    tags = getattr(audio, "tags", None)
    if isinstance(tags, id3.ID3):
        pictures = id3_pictures(tags)
        return Cover(bytes(pictures[0].data), pictures[0].mime) if pictures else None
    if isinstance(audio, MP4):
        if tags is None or "covr" not in tags:
            return None
        covr = tags["covr"][0]
        return Cover(bytes(covr), mp4_cover_mime(covr))
    found = list(getattr(audio, "pictures", []))
    for b64 in (tags.get("metadata_block_picture", []) if tags is not None else []) or []:
        with contextlib.suppress(ValueError, mutagen.MutagenError):
            found.append(picture_from_base64(b64))
    return Cover(bytes(found[0].data), found[0].mime) if found else None


def read_tags(path: Path) -> dict[str, Any]:
    """The file's tags as plain values: title, show, author, date, description, language,
    genre, comment, explicit, cover (``{"mime", "bytes"}``), chapters (list of dicts).

    Keys whose tag is absent are left out; ``chapters`` is always present.
    """
    path = Path(path)
    try:
        audio = mutagen.File(path)
    except mutagen.MutagenError as exc:
        raise AudioError(f"cannot read tags: {exc}", path=path) from None
    if audio is None:
        raise AudioError("not an audio file mutagen can read", path=path)
    out: dict[str, Any] = {}
    tags = audio.tags
    if isinstance(tags, id3.ID3):
        out.update(read_id3(tags))
    elif isinstance(audio, MP4) and tags is not None:
        for row in MP4_ATOMS:
            if row.key and row.tag in tags:
                out[row.key] = _first(tags[row.tag])
        out["explicit"] = bool(tags.get("rtng", [0])[0] == 1)
        if MP4_MARKER in tags:
            out["audiocast"] = read_marker(bytes(tags[MP4_MARKER][0]).decode("utf-8", "replace"))
        if "covr" in tags:
            covr = tags["covr"][0]
            out["cover"] = {"mime": mp4_cover_mime(covr), "bytes": len(bytes(covr))}
    elif tags is not None:
        for row in VORBIS:
            value = tags.get(row.tag.lower()) if row.key else None
            if row.key and value:
                out[row.key] = _first(value)
        out["explicit"] = _first(tags.get("itunesadvisory")) == "1"
        marker = _first(tags.get(MARKER.lower()))
        if marker is not None:
            out["audiocast"] = read_marker(marker)
        pictures = list(getattr(audio, "pictures", []))
        for b64 in tags.get("metadata_block_picture", []) or []:
            # Another tagger's damaged picture is not worth failing `info` or a feed over.
            with contextlib.suppress(ValueError, mutagen.MutagenError):
                pictures.append(picture_from_base64(b64))
        if pictures:
            out["cover"] = {"mime": pictures[0].mime, "bytes": len(pictures[0].data)}
    out["chapters"] = [
        {"start": c.start, "end": c.end, "title": c.title} for c in read_chapters(path)
    ]
    return out


def duration_of(path: Path) -> float | None:
    """The duration mutagen reads from the file's headers, in seconds (``None`` if unknown)."""
    try:
        audio = mutagen.File(Path(path))
    except mutagen.MutagenError:
        return None
    info = getattr(audio, "info", None)
    length = getattr(info, "length", None)
    return float(length) if length else None
