"""Tags, cover art and chapters written into real encoded files, read back by mutagen and ffmpeg."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from export_fixtures import encode, ffmetadata, jpeg_bytes, png_bytes, tone
from mutagen.id3 import ID3, CTOCFlags
from mutagen.oggvorbis import OggVorbis

from audiocast.errors import AudioError, InputError
from audiocast.export.tags import EpisodeTags, read_chapters, read_tags, write_tags
from audiocast.model import Chapter

CHAPTERS = (
    Chapter(0.0, "Intro"),
    # A long title makes a bigger frame: mutagen would file it after the shorter ones.
    Chapter(1.0, "The interview, in which a great many things are asked and answered"),
    Chapter(2.25, "Outro"),
)


@pytest.fixture
def cover(tmp_path: Path) -> Path:
    path = tmp_path / "cover.png"
    path.write_bytes(png_bytes())
    return path


def _tags(cover: Path | None) -> EpisodeTags:
    return EpisodeTags(
        title="Episode 7: Solder",
        show="The Workshop",
        author="Ada Byron",
        date="2026-11-25",
        description="Flux, fumes & fine pitch.",
        cover=cover,
        language="en",
        explicit=True,
        comment="Made with audiocast",
    )


def test_mp3_gets_id3v24_frames_and_chapters(tmp_path: Path, cover: Path) -> None:
    mp3 = encode(tone(3.0), tmp_path / "ep.mp3")
    write_tags(mp3, _tags(cover), CHAPTERS)

    id3 = ID3(mp3)
    assert id3.version[:2] == (2, 4)
    assert str(id3["TIT2"]) == "Episode 7: Solder"
    assert str(id3["TALB"]) == "The Workshop"
    # Issue 3: the show is the album and the artist; the author is the text writer.
    assert str(id3["TPE1"]) == "The Workshop"
    assert str(id3["TEXT"]) == "Ada Byron"
    assert str(id3["TDRC"]) == "2026-11-25"
    assert str(id3["TCON"]) == "Podcast"
    assert str(id3["TLAN"]) == "eng"
    assert id3.getall("APIC")[0].mime == "image/png"
    assert id3.getall("APIC")[0].data == png_bytes()

    (toc,) = id3.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    chaps = {c.element_id: c for c in id3.getall("CHAP")}
    assert chaps["chp1"].start_time == 1000 and chaps["chp1"].end_time == 2250
    assert str(chaps["chp1"].sub_frames["TIT2"]) == CHAPTERS[1].title
    # The last chapter ends with the audio.
    assert chaps["chp2"].end_time == pytest.approx(3000, abs=60)


def test_ffmpeg_lists_the_mp3_chapters_in_order(tmp_path: Path, cover: Path) -> None:
    mp3 = encode(tone(3.0), tmp_path / "ep.mp3")
    write_tags(mp3, _tags(cover), CHAPTERS)
    meta = ffmetadata(mp3)
    titles = re.findall(r"\[CHAPTER\][^\[]*?title=([^\n]*)", meta)
    assert titles == [c.title for c in CHAPTERS]
    starts = [int(s) for s in re.findall(r"START=(\d+)", meta)]
    # ffmpeg shifts chapter times back by the encoder delay it trims (about 25 ms).
    assert starts == pytest.approx([max(0, c.start * 1000 - 25) for c in CHAPTERS], abs=30)
    assert "title=Episode 7: Solder" in meta


def test_tags_read_back_for_info(tmp_path: Path, cover: Path) -> None:
    mp3 = encode(tone(3.0), tmp_path / "ep.mp3")
    write_tags(mp3, _tags(cover), CHAPTERS)
    tags = read_tags(mp3)
    assert tags["title"] == "Episode 7: Solder"
    assert tags["description"] == "Flux, fumes & fine pitch."
    assert tags["explicit"] is True
    assert tags["cover"] == {"mime": "image/png", "bytes": len(png_bytes())}
    assert [c["title"] for c in tags["chapters"]] == [c.title for c in CHAPTERS]
    assert [c.start for c in read_chapters(mp3)] == [c.start for c in CHAPTERS]


def test_rewriting_replaces_old_tags(tmp_path: Path, cover: Path) -> None:
    mp3 = encode(tone(2.0), tmp_path / "ep.mp3")
    write_tags(mp3, _tags(cover), CHAPTERS)
    write_tags(mp3, EpisodeTags(title="Renamed"), ())
    tags = read_tags(mp3)
    assert tags["title"] == "Renamed"
    assert "cover" not in tags and tags["chapters"] == []


def test_jpeg_cover_is_detected_by_its_bytes(tmp_path: Path) -> None:
    cover = tmp_path / "art.png"  # a misleading suffix: the bytes decide
    cover.write_bytes(jpeg_bytes(tmp_path))
    mp3 = encode(tone(1.0), tmp_path / "ep.mp3")
    write_tags(mp3, EpisodeTags(title="x", cover=cover))
    assert ID3(mp3).getall("APIC")[0].mime == "image/jpeg"


@pytest.mark.parametrize("content", [None, b"GIF89a not supported", b""])
def test_bad_cover_is_an_input_error_naming_the_file(tmp_path: Path, content: bytes | None) -> None:
    cover = tmp_path / "cover.gif"
    if content is not None:
        cover.write_bytes(content)
    mp3 = encode(tone(1.0), tmp_path / "ep.mp3")
    with pytest.raises(InputError) as info:
        write_tags(mp3, EpisodeTags(title="x", cover=cover))
    assert str(cover) in str(info.value)


@pytest.mark.parametrize("suffix", [".ogg", ".opus", ".flac", ".m4a", ".wav"])
def test_other_containers_round_trip(tmp_path: Path, cover: Path, suffix: str) -> None:
    audio = encode(tone(3.0), tmp_path / f"ep{suffix}")
    write_tags(audio, _tags(cover), CHAPTERS)
    tags = read_tags(audio)
    assert tags["title"] == "Episode 7: Solder"
    assert tags["show"] == "The Workshop"
    assert tags["author"] == "Ada Byron"
    assert tags["artist"] == "The Workshop"
    assert tags["date"] == "2026-11-25"
    assert tags["explicit"] is True
    assert tags["cover"]["mime"] == "image/png"
    # M4A too: ffmpeg muxes its chapter track (mutagen cannot).
    assert [c["start"] for c in tags["chapters"]] == [c.start for c in CHAPTERS]
    listed = ffmetadata(audio).replace("TITLE=", "title=")
    if suffix == ".wav":
        # ffmpeg 5.1 reads a WAV's id3 chunk for its chapters only (newer ones read the tags
        # too): what holds for every ffmpeg is that it finds that chunk.
        assert "title=The interview" in listed
    elif suffix not in (".ogg", ".opus"):  # ffmpeg files Ogg comments under the stream
        assert "title=Episode 7: Solder" in listed


def test_vorbis_chapters_are_listed_by_ffmpeg(tmp_path: Path) -> None:
    audio = encode(tone(3.0), tmp_path / "ep.ogg")
    write_tags(audio, EpisodeTags(title="x"), CHAPTERS)
    titles = re.findall(r"\[CHAPTER\][^\[]*?title=([^\n]*)", ffmetadata(audio))
    assert titles == [c.title for c in CHAPTERS]


def test_a_file_that_is_not_audio_is_an_audio_error(tmp_path: Path) -> None:
    fake = tmp_path / "ep.mp3"
    fake.write_bytes(b"\x00" * 64)
    with pytest.raises(AudioError):
        write_tags(fake, EpisodeTags(title="x"), CHAPTERS)


@pytest.mark.parametrize("damaged", ["!!not base64", "QUJDRA=="])
def test_a_damaged_vorbis_picture_from_another_tagger_is_skipped(
    tmp_path: Path, cover: Path, damaged: str
) -> None:
    audio = encode(tone(1.0), tmp_path / "ep.ogg")
    write_tags(audio, EpisodeTags(title="Pictures", cover=cover))
    ogg = OggVorbis(audio)
    ogg["METADATA_BLOCK_PICTURE"] = [damaged, *ogg["METADATA_BLOCK_PICTURE"]]
    ogg.save()
    tags = read_tags(audio)
    assert tags["title"] == "Pictures"
    assert tags["cover"] == {"mime": "image/png", "bytes": len(png_bytes())}  # the good one
