"""M4A episodes carry chapters a player reads: muxed by ffmpeg, read back by ffmpeg and ffprobe."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from export_fixtures import encode, tone

from audiocast.export.mp4chapters import ffmetadata
from audiocast.export.tags import EpisodeTags, read_chapters, read_tags, write_tags
from audiocast.model import Chapter

CHAPTERS = [
    Chapter(0.0, "Intro", 1.0),
    Chapter(1.0, "Dr. Okafor; what = shade?", 2.5),
    Chapter(2.5, "Outro", 3.0),
]


@pytest.fixture
def m4a(tmp_path: Path) -> Path:
    path = encode(tone(3.0), tmp_path / "ep.m4a")
    write_tags(path, EpisodeTags(title="Shade", show="The Bench"), CHAPTERS)
    return path


def test_chapters_and_tags_survive_together(m4a: Path) -> None:
    found = read_chapters(m4a)
    assert [(round(c.start, 3), c.title, round(c.end or 0, 3)) for c in found] == [
        (c.start, c.title, c.end) for c in CHAPTERS
    ]
    tags = read_tags(m4a)
    assert tags["title"] == "Shade" and tags["show"] == "The Bench"
    assert [c["title"] for c in tags["chapters"]] == [c.title for c in CHAPTERS]


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="no system ffprobe")
def test_ffprobe_lists_the_chapters(m4a: Path) -> None:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(m4a)],
        capture_output=True,
        text=True,
        check=True,
    )
    chapters = json.loads(done.stdout)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == [c.title for c in CHAPTERS]
    assert [float(c["start_time"]) for c in chapters] == [0.0, 1.0, 2.5]


def test_ffmetadata_escapes_its_special_characters() -> None:
    text = ffmetadata([Chapter(0.0, "a=b;c#d\\e")], 1.0)
    assert "title=a\\=b\\;c\\#d\\\\e" in text and text.startswith(";FFMETADATA1\n")
