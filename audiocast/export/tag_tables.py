"""What each container calls every episode field: one table per container, read and written.

A row names the container's tag, the key :func:`~.tags.read_tags` reports it under (``None``
for a tag only written, such as the album artist) and the value written from the
:class:`~.tags.EpisodeTags` (``None`` to write nothing). mutagen has no type hints; this module
and the two tag modules are the only ones that touch it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tags import EpisodeTags

GENRE = "Podcast"


def _lang3(tags: EpisodeTags) -> str | None:
    """ID3 TLAN wants ISO 639-2 (``deu`` for ``de-AT``)."""
    from ..language import alpha3

    return alpha3(tags.language) if tags.language else None


def _artist(tags: EpisodeTags) -> str | None:
    # Podcast apps show the artist as the show's name; the script's author is its text writer.
    return tags.show or tags.author


@dataclass(frozen=True)
class Row:
    tag: str
    key: str | None
    """The ``read_tags`` key; ``None`` for a tag that is written but not read back."""
    value: Callable[[EpisodeTags], str | None]


ID3_TEXT = (
    Row("TIT2", "title", lambda t: t.title),
    Row("TALB", "show", lambda t: t.show),
    Row("TPE1", "artist", _artist),
    Row("TPE2", None, _artist),
    Row("TEXT", "author", lambda t: t.author),
    Row("TDRC", "date", lambda t: t.date),
    Row("TLAN", "language", _lang3),
    Row("TCON", "genre", lambda t: GENRE),
    Row("TDES", "description", lambda t: t.description),
)
"""ID3v2.4 text frames (MP3 and WAV); comments, cover and chapters are frames of their own."""

VORBIS = (
    Row("TITLE", "title", lambda t: t.title),
    Row("ALBUM", "show", lambda t: t.show),
    Row("ARTIST", "artist", _artist),
    Row("ALBUMARTIST", None, _artist),
    Row("LYRICIST", "author", lambda t: t.author),
    Row("DATE", "date", lambda t: t.date),
    Row("DESCRIPTION", "description", lambda t: t.description),
    Row("LANGUAGE", "language", lambda t: t.language),
    Row("GENRE", "genre", lambda t: GENRE),
    Row("COMMENT", "comment", lambda t: t.comment),
)
"""Vorbis comments (Ogg Vorbis, Opus, FLAC); names are case-insensitive when read."""

MP4 = (
    Row("\xa9nam", "title", lambda t: t.title),
    Row("\xa9alb", "show", lambda t: t.show),
    Row("\xa9ART", "artist", _artist),
    Row("aART", None, _artist),
    Row("\xa9wrt", "author", lambda t: t.author),
    Row("\xa9day", "date", lambda t: t.date),
    Row("desc", "description", lambda t: t.description),
    Row("ldes", None, lambda t: t.description),
    Row("\xa9cmt", "comment", lambda t: t.comment),
    Row("\xa9gen", "genre", lambda t: GENRE),
)
"""iTunes atoms (M4A); the podcast flag, rating and cover are set apart."""
