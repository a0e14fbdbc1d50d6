"""Episode tags and chapters inside the audio file, with mutagen, for each container we write.

MP3: ID3v2.4 text frames, cover art, and chapters as CHAP frames under one top-level, ordered
CTOC (the ID3 chapter addendum that Apple Podcasts, Overcast and ffmpeg read). Ogg Vorbis/Opus
and FLAC: Vorbis comments, a picture block, and chapters as ``CHAPTERxxx``/``CHAPTERxxxNAME``
comments (the de facto Vorbis convention). M4A: iTunes atoms and ``covr``; mutagen cannot write
MP4 chapter tracks, so chapters there live only in the chapters JSON. WAV: an ID3 chunk.

Tags are written in place into the path given (the pipeline renames the file afterwards).
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutagen
from mutagen import id3
from mutagen.flac import FLAC, Picture
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from ..errors import AudioError, InputError
from ..model import Chapter, Script
from .chapters import chapter_ends


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
        )


@dataclass(frozen=True)
class Cover:
    data: bytes
    mime: str


def read_cover(path: Path) -> Cover:
    """The cover image's bytes and MIME type from its magic bytes (JPEG or PNG only)."""
    try:
        data = Path(path).read_bytes()
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


# ID3 TLAN wants ISO 639-2; the few languages eSpeak speaks best, the rest passed through.
_ISO639_2 = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por",
    "sv": "swe", "da": "dan", "no": "nor", "fi": "fin", "pl": "pol", "cs": "ces", "ru": "rus",
    "ja": "jpn", "zh": "zho", "ko": "kor", "ar": "ara", "hi": "hin", "tr": "tur", "el": "ell",
}  # fmt: skip


def _lang3(language: str) -> str:
    base = language.lower().replace("_", "-").split("-")[0]
    return _ISO639_2.get(base, base)


def write_tags(path: Path, tags: EpisodeTags, chapters: Sequence[Chapter] = ()) -> None:
    """Write ``tags`` and ``chapters`` into the audio file at ``path`` (format from its suffix).

    Replaces any tags the file had. Raises ``InputError`` for a bad cover and ``AudioError``
    when the file cannot be parsed as its suffix says.
    """
    path = Path(path)
    cover = read_cover(tags.cover) if tags.cover is not None else None
    suffix = path.suffix.lower()
    try:
        if suffix == ".mp3":
            _write_id3(path, tags, chapters, cover, wave=False)
        elif suffix == ".wav":
            _write_id3(path, tags, chapters, cover, wave=True)
        elif suffix in (".ogg", ".oga", ".opus", ".flac"):
            _write_vorbis(path, tags, chapters, cover)
        elif suffix in (".m4a", ".mp4", ".m4b", ".aac"):
            _write_mp4(path, tags, cover)
        else:
            raise AudioError(f"cannot tag {suffix or 'suffix-less'} files", path=path)
    except mutagen.MutagenError as exc:
        raise AudioError(f"cannot write tags: {exc}", path=path) from None


def _id3_frames(
    tags: EpisodeTags, chapters: Sequence[Chapter], cover: Cover | None, duration: float | None
) -> list[id3.Frame]:
    utf8 = id3.Encoding.UTF8
    frames: list[id3.Frame] = []

    def text(frame: type[id3.Frame], value: str | None) -> None:
        if value:
            frames.append(frame(encoding=utf8, text=[value]))

    text(id3.TIT2, tags.title)
    text(id3.TALB, tags.show)
    # Podcast apps show the artist as the show's name; the script's author is its text writer.
    text(id3.TPE1, tags.show or tags.author)
    text(id3.TPE2, tags.show or tags.author)
    text(id3.TEXT, tags.author)
    text(id3.TDRC, tags.date)
    text(id3.TLAN, _lang3(tags.language) if tags.language else None)
    text(id3.TCON, "Podcast")
    text(id3.TDES, tags.description)
    if tags.description:
        frames.append(id3.COMM(encoding=utf8, lang="eng", desc="", text=[tags.description]))
    if tags.comment:
        frames.append(id3.COMM(encoding=utf8, lang="eng", desc="comment", text=[tags.comment]))
    # iTunes' podcast flag: harmless elsewhere, makes iTunes/Music file it as a podcast.
    frames.append(id3.PCST(value=1))
    if tags.explicit:
        frames.append(id3.TXXX(encoding=utf8, desc="ITUNESADVISORY", text=["1"]))
    if cover:
        frames.append(
            id3.APIC(
                encoding=utf8, mime=cover.mime, type=id3.PictureType.COVER_FRONT, desc="Cover",
                data=cover.data,
            )
        )  # fmt: skip
    ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, chapter, end in zip(
        ids, chapters, chapter_ends(chapters, duration), strict=True
    ):
        frames.append(
            id3.CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(end * 1000),
                # 0xFFFFFFFF: "no byte offset", so players seek by time.
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[id3.TIT2(encoding=utf8, text=[chapter.title])],
            )
        )
    if ids:
        frames.append(
            id3.CTOC(
                element_id="toc",
                flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[id3.TIT2(encoding=utf8, text=["Chapters"])],
            )
        )
    return frames


def _write_id3(
    path: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: Cover | None,
    *,
    wave: bool,
) -> None:
    container: Any
    if wave:
        container = WAVE(path)
        if container.tags is None:
            container.add_tags()
        frames = container.tags
        frames.clear()
    else:
        MP3(path)  # raises (HeaderNotFoundError) unless the file really is MPEG audio
        frames = _ChapterOrderedID3()
    # The last chapter ends with the audio (CHAP needs an end time).
    for frame in _id3_frames(tags, chapters, cover, duration_of(path)):
        frames.add(frame)
    if wave:
        container.save(v2_version=4)
    else:
        # A fresh tag replaces whatever the encoder wrote (ffmpeg's own TSSE and the like).
        frames.save(path, v2_version=4, v1=id3.ID3v1SaveOptions.REMOVE)


class _ChapterOrderedID3(id3.ID3):
    """ID3 that writes CHAP frames in time order.

    mutagen orders frames by size, and ffmpeg (and players that ignore CTOC) list chapters in
    file order, so a long title would move its chapter down the list. Only the order of the
    CHAP frames among themselves changes; every other frame keeps mutagen's place for it.
    """

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
    if suffix == ".flac":
        audio = FLAC(path)
    elif suffix == ".opus":
        audio = OggOpus(path)
    else:
        audio = OggVorbis(path)
    if audio.tags is None:
        audio.add_tags()
    audio.tags.clear()
    fields = {
        "TITLE": tags.title,
        "ALBUM": tags.show,
        "ARTIST": tags.show or tags.author,
        "ALBUMARTIST": tags.show or tags.author,
        "LYRICIST": tags.author,
        "DATE": tags.date,
        "DESCRIPTION": tags.description,
        "LANGUAGE": tags.language,
        "GENRE": "Podcast",
        "COMMENT": tags.comment,
    }
    for key, value in fields.items():
        if value:
            audio.tags[key] = [value]
    if tags.explicit:
        audio.tags["ITUNESADVISORY"] = ["1"]
    for i, chapter in enumerate(chapters, 1):
        audio.tags[f"CHAPTER{i:03d}"] = [_chapter_time(chapter.start)]
        audio.tags[f"CHAPTER{i:03d}NAME"] = [chapter.title]
    if cover:
        picture = Picture()
        picture.type = id3.PictureType.COVER_FRONT
        picture.mime = cover.mime
        picture.desc = "Cover"
        picture.data = cover.data
        if suffix == ".flac":
            audio.clear_pictures()
            audio.add_picture(picture)
        else:
            audio.tags["METADATA_BLOCK_PICTURE"] = [base64.b64encode(picture.write()).decode()]
    audio.save()


def _write_mp4(path: Path, tags: EpisodeTags, cover: Cover | None) -> None:
    audio: Any = MP4(path)
    if audio.tags is None:
        audio.add_tags()
    audio.tags.clear()
    fields = {
        "\xa9nam": tags.title,
        "\xa9alb": tags.show,
        "\xa9ART": tags.show or tags.author,
        "aART": tags.show or tags.author,
        "\xa9wrt": tags.author,
        "\xa9day": tags.date,
        "desc": tags.description,
        "ldes": tags.description,
        "\xa9cmt": tags.comment,
    }
    for key, value in fields.items():
        if value:
            audio.tags[key] = [value]
    audio.tags["\xa9gen"] = ["Podcast"]
    audio.tags["pcst"] = True
    audio.tags["rtng"] = [1 if tags.explicit else 0]
    if cover:
        fmt = MP4Cover.FORMAT_PNG if cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        audio.tags["covr"] = [MP4Cover(cover.data, imageformat=fmt)]
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
    if audio is None or audio.tags is None:
        return []
    tags = audio.tags
    if isinstance(tags, id3.ID3):
        chaps = {f.element_id: f for f in tags.getall("CHAP")}
        order = [cid for toc in tags.getall("CTOC") for cid in toc.child_element_ids]
        order += sorted((c for c in chaps if c not in order), key=lambda c: chaps[c].start_time)
        out = []
        for cid in order:
            if cid not in chaps:
                continue
            frame = chaps[cid]
            titles = [str(f) for f in frame.sub_frames.getall("TIT2")]
            out.append(
                Chapter(
                    frame.start_time / 1000, titles[0] if titles else cid, frame.end_time / 1000
                )
            )
        return out
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
        pictures = tags.getall("APIC")
        return Cover(bytes(pictures[0].data), pictures[0].mime) if pictures else None
    if isinstance(audio, MP4):
        if tags is None or "covr" not in tags:
            return None
        covr = tags["covr"][0]
        png = covr.imageformat == MP4Cover.FORMAT_PNG
        return Cover(bytes(covr), "image/png" if png else "image/jpeg")
    found = list(getattr(audio, "pictures", []))
    for b64 in (tags.get("metadata_block_picture", []) if tags is not None else []) or []:
        with contextlib.suppress(ValueError, mutagen.MutagenError):
            found.append(Picture(base64.b64decode(b64)))
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
        names = {
            "TIT2": "title", "TALB": "show", "TPE1": "artist", "TEXT": "author", "TDRC": "date",
            "TDES": "description", "TLAN": "language", "TCON": "genre",
        }  # fmt: skip
        for frame_id, key in names.items():
            frame = tags.get(frame_id)
            if frame is not None and frame.text:
                out[key] = str(frame.text[0])
        for comm in tags.getall("COMM"):
            key = "comment" if comm.desc == "comment" else "description"
            out.setdefault(key, str(comm.text[0]) if comm.text else "")
        advisory = tags.getall("TXXX:ITUNESADVISORY")
        out["explicit"] = bool(advisory and str(advisory[0].text[0]) == "1")
        pictures = tags.getall("APIC")
        if pictures:
            out["cover"] = {"mime": pictures[0].mime, "bytes": len(pictures[0].data)}
    elif isinstance(audio, MP4) and tags is not None:
        names = {
            "\xa9nam": "title", "\xa9alb": "show", "\xa9ART": "artist", "\xa9wrt": "author",
            "\xa9day": "date",
            "desc": "description", "\xa9gen": "genre", "\xa9cmt": "comment",
        }  # fmt: skip
        for atom, key in names.items():
            if atom in tags:
                out[key] = _first(tags[atom])
        out["explicit"] = bool(tags.get("rtng", [0])[0] == 1)
        if "covr" in tags:
            covr = tags["covr"][0]
            mime = "image/png" if covr.imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"
            out["cover"] = {"mime": mime, "bytes": len(bytes(covr))}
    elif tags is not None:
        names = {
            "title": "title", "album": "show", "artist": "artist", "lyricist": "author",
            "date": "date",
            "description": "description", "language": "language", "genre": "genre",
            "comment": "comment",
        }  # fmt: skip
        for field, key in names.items():
            value = tags.get(field)
            if value:
                out[key] = _first(value)
        out["explicit"] = _first(tags.get("itunesadvisory")) == "1"
        pictures = list(getattr(audio, "pictures", []))
        for b64 in tags.get("metadata_block_picture", []) or []:
            # Another tagger's damaged picture is not worth failing `info` or a feed over.
            with contextlib.suppress(ValueError, mutagen.MutagenError):
                pictures.append(Picture(base64.b64decode(b64)))
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
