"""Captions and chapters JSON against golden files (regenerate: AUDIOCAST_REGEN_GOLDEN=1)."""

from __future__ import annotations

import html
import io
import itertools
import json
import os
from pathlib import Path

import pytest
import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from audiocast.export.captions import to_srt, to_transcript_json, to_vtt, write_captions
from audiocast.export.chapters import chapters_json, chapters_path, write_chapters_json
from audiocast.model import CaptionCue, Chapter

GOLDEN = Path(__file__).parent / "golden"

CUES = (
    CaptionCue(0.0, 2.48, "Welcome back to the workshop.", "Ada Byron"),
    CaptionCue(2.48, 5.1, "Today we talk about solder & <flux>.", "Ada Byron"),
    CaptionCue(5.6, 7.25, "Thanks for having me.\nIt's a pleasure.", "Grace"),
    CaptionCue(7.5, 9.0, "(a door closes)", None),
    CaptionCue(3725.0, 3727.5, "Goodbye!", "Ada Byron"),
)

CHAPTERS = (
    Chapter(0.0, "Intro"),
    Chapter(5.6, "Why solder?"),
    Chapter(60.25, "Outro", end=70.0),
)


def _golden(name: str, text: str) -> str:
    path = GOLDEN / name
    if os.environ.get("AUDIOCAST_REGEN_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def test_vtt_matches_golden() -> None:
    text = to_vtt(CUES)
    assert text == _golden("captions.vtt", text)


def test_srt_matches_golden() -> None:
    text = to_srt(CUES)
    assert text == _golden("captions.srt", text)


def test_transcript_json_matches_golden() -> None:
    text = json.dumps(to_transcript_json(CUES), ensure_ascii=False, indent=2) + "\n"
    assert text == _golden("captions.transcript.json", text)


def test_chapters_json_matches_golden() -> None:
    text = json.dumps(chapters_json(CHAPTERS, "Solder", 75.0), indent=2) + "\n"
    assert text == _golden("chapters.json", text)


def test_vtt_escapes_markup_and_keeps_voices() -> None:
    text = to_vtt(CUES)
    assert text.startswith("WEBVTT\n\n")
    assert "<v Ada Byron>Today we talk about solder &amp; &lt;flux&gt;.</v>" in text
    assert "01:02:05.000 --> 01:02:07.500" in text
    # A cue's lines (the caption layout's) are kept, but never a blank line (it ends the cue).
    assert "<v Grace>Thanks for having me.\nIt's a pleasure.</v>" in text


def test_srt_names_the_speaker_once_per_turn() -> None:
    blocks = to_srt(CUES).strip().split("\n\n")
    assert blocks[0].splitlines()[2] == "Ada Byron: Welcome back to the workshop."
    assert blocks[1].splitlines()[2] == "Today we talk about solder & <flux>."
    assert blocks[2].splitlines()[2].startswith("Grace: ")
    assert blocks[3].splitlines()[2] == "(a door closes)"
    assert blocks[4].splitlines()[1] == "01:02:05,000 --> 01:02:07,500"
    assert blocks[4].splitlines()[2] == "Ada Byron: Goodbye!"


def test_write_captions_writes_three_sidecars(tmp_path: Path) -> None:
    paths = write_captions(tmp_path / "episode", CUES)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "episode.srt",
        "episode.transcript.json",
        "episode.vtt",
    ]
    assert paths["vtt"].read_text(encoding="utf-8") == to_vtt(CUES)
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert doc["version"] == "1.0.0"
    assert [s["startTime"] for s in doc["segments"]] == [c.start for c in CUES]
    assert "speaker" not in doc["segments"][3]


def test_chapter_ends_default_to_the_next_start(tmp_path: Path) -> None:
    dest = chapters_path(tmp_path / "episode.mp3")
    assert dest.name == "episode.chapters.json"
    write_chapters_json(dest, CHAPTERS[:2], duration=42.0)
    doc = json.loads(dest.read_text(encoding="utf-8"))
    assert doc == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0.0, "endTime": 5.6, "title": "Intro"},
            {"startTime": 5.6, "endTime": 42.0, "title": "Why solder?"},
        ],
    }


@pytest.mark.parametrize("seconds", [0.0, 0.0004, 59.9996, 3599.9995, 86399.999])
def test_timestamps_never_roll_over_wrongly(seconds: float) -> None:
    stamp = to_vtt([CaptionCue(seconds, seconds + 1, "x")]).splitlines()[3].split(" --> ")[0]
    h, m, s = stamp.split(":")
    assert float(h) * 3600 + float(m) * 60 + float(s) == pytest.approx(seconds, abs=0.001)
    assert int(m) < 60 and float(s) < 60


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n&<>"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.split())
_speaker = st.none() | st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x2FF) | st.just(" "),
    min_size=1,
    max_size=12,
).filter(lambda t: t.strip())


@st.composite
def _cues(draw: st.DrawFn) -> list[CaptionCue]:
    times = sorted(draw(st.lists(st.integers(0, 10_000_000), min_size=2, max_size=12)))
    return [
        CaptionCue(a / 1000, b / 1000, draw(_text), draw(_speaker))
        for a, b in itertools.pairwise(times)
    ]


def _seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@given(_cues())
@settings(max_examples=60, deadline=None)
def test_vtt_and_srt_parse_back_with_independent_parsers(cues: list[CaptionCue]) -> None:
    parsed = webvtt.from_buffer(io.StringIO(to_vtt(cues))).captions
    assert len(parsed) == len(cues)
    for cue, cap in zip(cues, parsed, strict=True):
        assert _seconds(cap.start) == pytest.approx(cue.start)
        assert _seconds(cap.end) == pytest.approx(cue.end)
        assert " ".join(html.unescape(cap.text).split()) == " ".join(cue.text.split())
        assert cap.voice == (" ".join(cue.speaker.split()) if cue.speaker else None)
    subs = list(srt.parse(to_srt(cues)))
    assert [s.start.total_seconds() for s in subs] == pytest.approx([c.start for c in cues])
    assert [s.end.total_seconds() for s in subs] == pytest.approx([c.end for c in cues])
    for cue, sub in zip(cues, subs, strict=True):
        assert " ".join(sub.content.split()).endswith(" ".join(cue.text.split()))
