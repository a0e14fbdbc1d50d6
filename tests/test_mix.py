"""Mixing primitives: silence, joining, trimming, the sting, ducking, decoding and gain."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ffmpeg

from audiocast.errors import InputError
from audiocast.master import apply_gain
from audiocast.mix import decode_file, duck_under, join, silence, sting, trim_silence
from audiocast.model import SAMPLE_RATE, Gaps


def tone(seconds: float, freq: float = 300.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_default_gaps_leave_more_room_at_a_change_of_speaker() -> None:
    # The defaults are a promise to users: the table in docs/production.md, key for key.
    doc = (Path(__file__).parents[1] / "docs" / "production.md").read_text("utf-8")
    table = {k: float(v) for k, v in re.findall(r"^ *\| `(\w+)` \| ([\d.]+) \|", doc, re.M)}
    assert table == dataclasses.asdict(Gaps())
    assert table["speaker_change"] > table["paragraph"] > table["sentence"]


def test_silence_and_join() -> None:
    assert silence(0.5).size == SAMPLE_RATE // 2 and not silence(0.5).any()
    assert silence(-1).size == 0
    a, b = tone(0.1), tone(0.2, 500)
    joined = join([a, silence(0.05), b])
    assert joined.dtype == np.float32
    assert np.array_equal(joined, np.concatenate([a, silence(0.05), b]))
    assert join([]).size == 0


def test_trim_silence_keeps_the_words_and_a_little_air() -> None:
    speech = tone(0.5)
    padded = join([silence(0.4), speech, silence(0.6)])
    trimmed = trim_silence(padded, keep=0.03)
    assert speech.size <= trimmed.size <= speech.size + round(0.08 * SAMPLE_RATE)
    assert rms(trimmed) > rms(padded)
    assert trim_silence(silence(1.0)).size == 0


def test_sting_is_short_audible_and_unclipped() -> None:
    music = sting(2.4)
    assert abs(music.size / SAMPLE_RATE - 2.4) < 0.01
    assert 0.01 < np.max(np.abs(music)) < 1.0


def test_duck_under_lowers_the_music_under_the_speech_only() -> None:
    music = np.full(SAMPLE_RATE * 6, 0.1, dtype=np.float32)
    speech = tone(2.0, amp=0.2)
    mixed = duck_under(music, speech, start=1.5, duck_db=-20.0, ramp=0.25, tail=1.0)
    assert mixed.size == round(4.5 * SAMPLE_RATE)
    before = mixed[:SAMPLE_RATE]
    assert np.allclose(before, 0.1)
    middle = slice(round(2.0 * SAMPLE_RATE), round(3.0 * SAMPLE_RATE))
    residual = mixed[middle] - speech[round(0.5 * SAMPLE_RATE) : round(1.5 * SAMPLE_RATE)]
    assert np.allclose(residual, 0.01, atol=1e-4)  # -20 dB of 0.1
    assert abs(mixed[-1]) < 1e-3  # faded out at the end of the tail


def test_level_is_a_gain_in_db() -> None:
    x = tone(0.1)
    assert np.allclose(apply_gain(x, 6.0206), 2 * x, atol=1e-5)
    assert np.allclose(apply_gain(x, 0.0), x)


def test_decode_file_reads_wav_at_the_mix_rate(tmp_path: Path) -> None:
    path = tmp_path / "beep.wav"
    made = ffmpeg("-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=1.5:r=22050", path)
    assert made.returncode == 0
    audio = decode_file(path)
    assert abs(audio.size / SAMPLE_RATE - 1.5) < 0.01
    assert rms(audio) > 0.05


@pytest.mark.parametrize("kind", ["missing", "corrupt", "directory"])
def test_decode_file_errors_name_the_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "intro.mp3"
    if kind == "corrupt":
        path.write_bytes(bytes(range(256)) * 20)
    elif kind == "directory":
        path.mkdir()
    with pytest.raises(InputError) as err:
        decode_file(path)
    assert str(path) in str(err.value)
