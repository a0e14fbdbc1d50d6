"""ID3v2.4 for MP3 and WAV: text frames from the table, comments, cover, CHAP/CTOC chapters."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mutagen import id3

from ..model import Chapter
from .chapters import chapter_ends
from .marker import MARKER, marker_text, read_marker
from .mutagen_io import ChapterOrderedID3, id3_frame, open_as
from .tag_tables import ID3_TEXT

if TYPE_CHECKING:
    from .tags import Cover, EpisodeTags


def id3_frames(
    tags: EpisodeTags, chapters: Sequence[Chapter], cover: Cover | None, duration: float | None
) -> list[id3.Frame]:
    utf8 = id3.Encoding.UTF8
    frames: list[id3.Frame] = []

    def text(frame: str, value: str | None) -> None:
        if value:
            frames.append(id3_frame(frame, encoding=utf8, text=[value]))

    for row in ID3_TEXT:
        text(row.tag, row.value(tags))
    if tags.description:
        frames.append(
            id3_frame("COMM", encoding=utf8, lang="eng", desc="", text=[tags.description])
        )
    if tags.comment:
        frames.append(
            id3_frame("COMM", encoding=utf8, lang="eng", desc="comment", text=[tags.comment])
        )
    # iTunes' podcast flag: harmless elsewhere, makes iTunes/Music file it as a podcast.
    frames.append(id3_frame("PCST", value=1))
    frames.append(id3_frame("TXXX", encoding=utf8, desc=MARKER, text=[marker_text(tags.feed)]))
    if tags.explicit:
        frames.append(id3_frame("TXXX", encoding=utf8, desc="ITUNESADVISORY", text=["1"]))
    if cover:
        frames.append(
            id3_frame("APIC",
                encoding=utf8, mime=cover.mime, type=id3.PictureType.COVER_FRONT, desc="Cover",
                data=cover.data,
            )
        )  # fmt: skip
    ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, chapter, end in zip(
        ids, chapters, chapter_ends(chapters, duration), strict=True
    ):
        frames.append(
            id3_frame(
                "CHAP",
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(end * 1000),
                # 0xFFFFFFFF: "no byte offset", so players seek by time.
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[id3_frame("TIT2", encoding=utf8, text=[chapter.title])],
            )
        )
    if ids:
        frames.append(
            id3_frame(
                "CTOC",
                element_id="toc",
                flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[id3_frame("TIT2", encoding=utf8, text=["Chapters"])],
            )
        )
    return frames


def write_id3(
    path: Path,
    tags: EpisodeTags,
    chapters: Sequence[Chapter],
    cover: Cover | None,
    *,
    wave: bool,
    duration: float | None,
) -> None:
    """Replace the ID3 tag of the MP3 (or WAV, ``wave``) at ``path``; the last chapter ends at
    ``duration``."""
    container: Any
    if wave:
        container = open_as("wave", path)
        if container.tags is None:
            container.add_tags()
        frames = container.tags
        frames.clear()
    else:
        open_as("mp3", path)  # raises (HeaderNotFoundError) unless the file really is MPEG audio
        frames = ChapterOrderedID3()
    # The last chapter ends with the audio (CHAP needs an end time).
    for frame in id3_frames(tags, chapters, cover, duration):
        frames.add(frame)
    if wave:
        container.save(v2_version=4)
    else:
        # A fresh tag replaces whatever the encoder wrote (ffmpeg's own TSSE and the like).
        frames.save(path, v2_version=4, v1=id3.ID3v1SaveOptions.REMOVE)


def read_id3(tags: Any) -> dict[str, Any]:
    """The ``read_tags`` values of an ID3 tag (``mutagen.id3.ID3``)."""
    out: dict[str, Any] = {}
    for row in ID3_TEXT:
        frame = tags.get(row.tag) if row.key else None
        if frame is not None and frame.text:
            out[str(row.key)] = str(frame.text[0])
    for comm in tags.getall("COMM"):
        key = "comment" if comm.desc == "comment" else "description"
        out.setdefault(key, str(comm.text[0]) if comm.text else "")
    advisory = tags.getall("TXXX:ITUNESADVISORY")
    out["explicit"] = bool(advisory and str(advisory[0].text[0]) == "1")
    marker = tags.getall(f"TXXX:{MARKER}")
    if marker:
        out["audiocast"] = read_marker(str(marker[0].text[0]))
    pictures = tags.getall("APIC")
    if pictures:
        out["cover"] = {"mime": pictures[0].mime, "bytes": len(pictures[0].data)}
    return out


def read_id3_chapters(tags: Any) -> list[Chapter]:
    """CHAP frames of an ID3 tag, in CTOC order (the rest after, by start)."""
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
            Chapter(frame.start_time / 1000, titles[0] if titles else cid, frame.end_time / 1000)
        )
    return out
