"""The one boundary between audiocast and mutagen, which has no type hints: every call that
builds or opens a mutagen object goes through a typed function here (mypy lets only this module
make untyped calls)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, Literal

from mutagen import id3
from mutagen.flac import FLAC, Picture
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

Container = Literal["mp3", "wave", "flac", "opus", "vorbis", "mp4"]
_OPENERS: dict[str, Any] = {
    "mp3": MP3, "wave": WAVE, "flac": FLAC, "opus": OggOpus, "vorbis": OggVorbis, "mp4": MP4,
}  # fmt: skip


def open_as(container: Container, path: Path) -> Any:
    """``path`` opened as ``container``; mutagen raises unless the file really is one."""
    return _OPENERS[container](path)


def id3_frame(name: str, **fields: Any) -> id3.Frame:
    """The ID3 frame ``name`` (``TIT2``, ``CHAP``...) with ``fields``."""
    frame: id3.Frame = getattr(id3, name)(**fields)
    return frame


def id3_pictures(tags: id3.ID3) -> list[Any]:
    """The APIC frames of an ID3 tag, in file order."""
    pictures: list[Any] = tags.getall("APIC")
    return pictures


def cover_picture(data: bytes, mime: str) -> Picture:
    """A FLAC/Vorbis front-cover picture block."""
    picture = Picture()
    picture.type = id3.PictureType.COVER_FRONT
    picture.mime = mime
    picture.desc = "Cover"
    picture.data = data
    return picture


def picture_base64(picture: Picture) -> str:
    """``picture`` as the value of an Ogg ``METADATA_BLOCK_PICTURE`` comment."""
    return base64.b64encode(picture.write()).decode()


def picture_from_base64(text: str) -> Picture:
    """An Ogg ``METADATA_BLOCK_PICTURE`` comment's picture; raises for a damaged one."""
    return Picture(base64.b64decode(text))


def mp4_cover(data: bytes, mime: str) -> MP4Cover:
    fmt = MP4Cover.FORMAT_PNG if mime == "image/png" else MP4Cover.FORMAT_JPEG
    return MP4Cover(data, imageformat=fmt)


def mp4_freeform(text: str) -> MP4FreeForm:
    """An MP4 ``----`` freeform value holding UTF-8 text."""
    return MP4FreeForm(text.encode("utf-8"))


def mp4_cover_mime(cover: MP4Cover) -> str:
    return "image/png" if cover.imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"


class ChapterOrderedID3(id3.ID3):
    """ID3 that writes CHAP frames in time order.

    mutagen orders frames by size, and ffmpeg (and players that ignore CTOC) list chapters in
    file order, so a long title would move its chapter down the list. Only the order of the
    CHAP frames among themselves changes; every other frame keeps mutagen's place for it.
    """

    def __init__(self) -> None:
        super().__init__()

    def _write(self, config: Any) -> bytearray:
        data = bytes(super()._write(config))
        frames: list[bytes] = []
        offset = 0
        while offset + 10 <= len(data):
            raw = data[offset + 4 : offset + 8]
            if config.v2_version == 4:
                size = (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]
            else:
                size = int.from_bytes(raw, "big")
            frames.append(data[offset : offset + 10 + size])
            offset += 10 + size
        if offset != len(data):  # not the layout we expect: keep mutagen's order
            return bytearray(data)
        slots = [i for i, f in enumerate(frames) if f[:4] == b"CHAP"]

        def start_ms(frame: bytes) -> int:
            body = frame[10:]
            at = body.index(b"\0") + 1
            return int.from_bytes(body[at : at + 4], "big")

        ordered = sorted((frames[i] for i in slots), key=start_ms)
        for i, frame in zip(slots, ordered, strict=True):
            frames[i] = frame
        return bytearray().join(frames)
