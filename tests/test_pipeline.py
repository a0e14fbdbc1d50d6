"""``render()`` end to end with the real engine: one small episode, checked as a listener's app
and a podcast host would check it (decode, tags, chapters, captions, loudness)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import mutagen
import numpy as np
import pytest
import srt
import webvtt
from conftest import TWO_SPEAKERS, decode, decode_errors, ffmpeg
from mutagen.id3 import ID3

from audiocast.mixdown import MUSIC_LEAD
from audiocast.parse import load_script
from audiocast.pipeline import RenderOptions, RenderResult, render

RATE = 44_100


@pytest.fixture(scope="module")
def cover(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("art") / "cover.png"
    done = ffmpeg(
        "-v", "error", "-f", "lavfi", "-i", "color=c=teal:s=16x16", "-frames:v", "1", path
    )
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def episode(
    tmp_path_factory: pytest.TempPathFactory, cover: Path, session_cache: Path
) -> RenderResult:
    folder = tmp_path_factory.mktemp("episode")
    script = folder / "gardens.txt"
    script.write_text(TWO_SPEAKERS.replace("---\nLee", f"cover: {cover}\n---\nLee"), "utf-8")
    return render(script, RenderOptions(output=folder / "ep.mp3", cache_dir=session_cache))


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from the bundled ffmpeg's own meter summary."""
    done = ffmpeg("-i", path, "-filter:a", "ebur128=peak=true", "-f", "null", "-")
    summary = done.stderr.decode().rsplit("Summary:", 1)[1]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def test_mp3_is_44k_mono_and_decodes_cleanly(episode: RenderResult) -> None:
    info = mutagen.File(episode.path).info
    assert (info.sample_rate, info.channels) == (RATE, 1)
    assert decode_errors(episode.path) == ""
    assert episode.size == episode.path.stat().st_size


def test_duration_matches_the_decoded_audio(episode: RenderResult) -> None:
    seconds = decode(episode.path).size / RATE
    assert abs(seconds - episode.duration) < 0.1


def test_id3_tags_read_back(episode: RenderResult, cover: Path) -> None:
    tags = ID3(episode.path)
    assert str(tags["TIT2"]) == "Pocket Gardens"
    assert str(tags["TALB"]) == "Small Things"
    assert str(tags["TPE1"]) in {"Lee Park", "Small Things"}
    assert str(tags["TDRC"]).startswith("2026-01-05")
    descriptions = [str(f) for f in tags.getall("COMM")] + [str(f) for f in tags.getall("TDES")]
    assert any("window boxes" in d for d in descriptions)
    (picture,) = tags.getall("APIC")
    assert picture.data == cover.read_bytes()


def test_two_speakers_two_voices_and_narration_by_the_narrator(episode: RenderResult) -> None:
    voices = episode.casting.voices
    assert voices["Lee Park"].voice_id != voices["Mira Chen"].voice_id
    assert episode.casting.narrator.name == "narrator"
    audio = decode(episode.path)

    def pitch(speaker: str) -> float:
        """Median F0 (autocorrelation over voiced 40 ms frames) of the speaker's cues."""
        parts = [audio[int(c.start * RATE) : int(c.end * RATE)] for c in episode.cues]
        chosen = np.concatenate(
            [p for p, c in zip(parts, episode.cues, strict=True) if c.speaker == speaker]
        )
        f0 = []
        n = int(0.04 * RATE)
        lo, hi = RATE // 400, RATE // 70
        for i in range(0, chosen.size - n, n):
            frame = chosen[i : i + n].astype(np.float64)
            if rms(frame) < 0.02:
                continue
            ac = np.correlate(frame, frame, "full")[n - 1 :]
            f0.append(RATE / (lo + int(np.argmax(ac[lo:hi]))))
        return float(np.median(f0))

    host, guest = pitch("Lee Park"), pitch("Mira Chen")
    assert abs(host - guest) / min(host, guest) > 0.25, (host, guest)


def test_loudness_is_mastered(episode: RenderResult) -> None:
    integrated, peak = ebur128(episode.path)
    assert abs(integrated - -16.0) <= 1.0, integrated
    assert peak <= -1.0


@pytest.mark.parametrize("target", [-19.0, None])
def test_loudness_target_and_no_master(
    tmp_path: Path, session_cache: Path, target: float | None
) -> None:
    script = tmp_path / "s.txt"
    script.write_text(TWO_SPEAKERS, "utf-8")
    out = tmp_path / "ep.mp3"
    options = RenderOptions(
        output=out,
        cache_dir=session_cache,
        master=target is not None,
        loudness=target if target is not None else -16.0,
        sidecars=False,
    )
    result = render(script, options)
    integrated, peak = ebur128(out)
    if target is not None:
        assert abs(integrated - target) <= 1.0 and peak <= -1.0
        assert abs(result.loudness.integrated - integrated) < 0.3  # type: ignore[operator]
    else:
        # eSpeak NG writes speech near -20 LUFS; left alone, the episode stays well below -16.
        assert integrated < -18.0
        assert result.loudness.gain == 0.0


def test_chapters_intro_questions_outro_in_id3_ffmpeg_and_json(episode: RenderResult) -> None:
    titles = [c.title for c in episode.chapters]
    assert titles == [
        "Intro",
        "Why grow herbs on a window sill?",
        "Which one should I start with?",
        "Outro",
    ]
    tags = ID3(episode.path)
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == titles
    assert len(tags.getall("CTOC")) == 1
    listed = ffmpeg("-i", episode.path, "-f", "ffmetadata", "-").stdout.decode()
    assert listed.count("[CHAPTER]") == len(titles)
    for title in titles:
        assert f"title={title}" in listed
    data = json.loads(episode.path.with_suffix(".chapters.json").read_text("utf-8"))
    assert data["version"] == "1.2.0"
    assert [c["title"] for c in data["chapters"]] == titles
    starts = [c["startTime"] for c in data["chapters"]]
    assert starts == sorted(starts) and starts[0] == 0


def test_intro_speech_starts_after_the_music_lead_in(episode: RenderResult) -> None:
    first = episode.cues[0]
    assert first.speaker == "Narrator" and "Small Things" in first.text
    assert first.start >= MUSIC_LEAD - 0.01
    audio = decode(episode.path)
    assert rms(audio[: int(MUSIC_LEAD * RATE)]) > 0.005  # the sting plays before it


def test_every_vtt_cue_starts_on_speech(episode: RenderResult) -> None:
    audio = decode(episode.path)
    cues = list(webvtt.read(str(episode.path.with_suffix(".vtt"))))
    assert len(cues) == len(episode.captions)
    sentence_starts = {round(c.start, 3) for c in episode.cues}
    for cue in cues:
        h, m, sec = cue.start.split(":")  # start_in_seconds drops the milliseconds
        seconds = int(h) * 3600 + int(m) * 60 + float(sec)
        if round(seconds, 3) not in sentence_starts:
            continue  # the later part of a sentence split to fit two lines starts mid-speech
        start = round(seconds * RATE)
        after = rms(audio[start : start + int(0.05 * RATE)])
        before = rms(audio[max(0, start - int(0.1 * RATE)) : start])
        assert after > 3 * before or before < 0.002 < after, (cue.text, before, after)
        assert "<v " in cue.raw_text


def test_srt_and_transcript_json_match_the_cues(episode: RenderResult) -> None:
    subs = list(srt.parse(episode.path.with_suffix(".srt").read_text("utf-8")))
    assert len(subs) == len(episode.captions)
    data = json.loads(episode.path.with_suffix(".transcript.json").read_text("utf-8"))
    assert [s["body"] for s in data["segments"]] == [c.text for c in episode.cues]


def test_transcript_words_are_the_script_words(episode: RenderResult) -> None:
    script = load_script(episode.path.parent / "gardens.txt")
    said = [w for s in script.turns for w in s.text.split()]
    heard = [w for c in episode.cues if c.speaker != "Narrator" for w in c.text.split()]
    assert heard == said


def test_sidecars_are_listed_and_no_temp_files_remain(episode: RenderResult) -> None:
    names = sorted(p.name for p in episode.sidecars)
    assert names == ["ep.chapters.json", "ep.srt", "ep.transcript.json", "ep.vtt"]
    assert not [p for p in episode.path.parent.iterdir() if p.name.startswith(".")]


def test_long_turn_is_split_into_cues_at_sentence_ends(tmp_path: Path) -> None:
    sentences = [
        "The first saplings went in on a cold morning in March.",
        "By June the volunteers had stopped counting the weeds they pulled.",
        "A year later the plot was cooler than the road beside it.",
    ]
    script = tmp_path / "long.txt"
    script.write_text("Ana: " + " ".join(sentences) + "\n", "utf-8")
    result = render(
        script,
        RenderOptions(output=tmp_path / "long.mp3", use_intro=False, use_outro=False),
    )
    assert len(result.cues) >= 2
    for cue in result.cues:
        assert cue.text.endswith(".")
    assert " ".join(c.text for c in result.cues) == " ".join(sentences)
