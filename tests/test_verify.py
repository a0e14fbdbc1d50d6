"""Clip verification on crafted WAV files: each defect is named, good clips pass."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from audiocast.errors import EngineError
from audiocast.synth.verify import ClipDefect, duration_band, expected_seconds, verify_wav

RATE = 22_050
TEXT = "The ferry leaves at noon from the north pier."  # 9 words: about 3 s at 175 wpm


def tone(seconds: float, amplitude: float = 0.3, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * 32767 * np.sin(2 * np.pi * 220 * t)).astype("<i2")


def write_wav(path: Path, data: np.ndarray, channels: int = 1, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    return path


def defect(path: Path, text: str = TEXT, rate_wpm: float = 175) -> ClipDefect:
    with pytest.raises(ClipDefect) as err:
        verify_wav(path, text, rate_wpm)
    assert isinstance(err.value, EngineError)
    assert str(path) in str(err.value)
    return err.value


def test_a_good_clip_passes(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "good.wav", tone(3.0))
    clip = verify_wav(path, TEXT, 175)
    assert (clip.path, clip.sample_rate, clip.frames) == (path, RATE, 3 * RATE)
    assert clip.duration == pytest.approx(3.0)


def test_other_sample_rates_pass(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "hi.wav", tone(3.0, rate=48_000), rate=48_000)
    assert verify_wav(path, TEXT, 175).sample_rate == 48_000


def test_missing(tmp_path: Path) -> None:
    assert defect(tmp_path / "nope.wav").reason == "missing"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    assert defect(path).reason == "empty"


def test_wav_without_frames(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "noframes.wav", np.zeros(0, dtype="<i2"))
    assert defect(path).reason == "empty"


def test_not_a_wav(tmp_path: Path) -> None:
    path = tmp_path / "junk.wav"
    path.write_bytes(b"ID3\x04" + bytes(range(256)) * 10)
    assert defect(path).reason == "invalid"


def test_stereo_is_not_a_clip(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "stereo.wav", np.repeat(tone(3.0), 2), channels=2)
    assert defect(path).reason == "invalid"


def test_samples_cut_off(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "cut.wav", tone(3.0))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20_000])
    err = defect(path)
    assert err.reason == "truncated"
    assert "bytes of audio" in err.message


def test_header_not_yet_finalised(tmp_path: Path) -> None:
    """A writer still at work: the sizes in the header are 0 but samples follow."""
    path = write_wav(tmp_path / "open.wav", tone(3.0))
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 4, 36)
    struct.pack_into("<I", data, 40, 0)
    path.write_bytes(bytes(data))
    assert defect(path).reason == "truncated"


def test_header_cut_short(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "stub.wav", tone(3.0))
    path.write_bytes(path.read_bytes()[:30])
    assert defect(path).reason == "truncated"


def test_silent(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "silent.wav", np.zeros(3 * RATE, dtype="<i2"))
    assert defect(path).reason == "silent"


def test_near_silent_noise_is_silent(tmp_path: Path) -> None:
    noise = np.random.default_rng(1).integers(-8, 8, 3 * RATE).astype("<i2")  # about -72 dBFS
    assert defect(write_wav(tmp_path / "hiss.wav", noise)).reason == "silent"


def test_quiet_speech_level_is_not_silent(tmp_path: Path) -> None:
    verify_wav(write_wav(tmp_path / "quiet.wav", tone(3.0, amplitude=0.01)), TEXT, 175)


def test_too_short_for_its_text(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "short.wav", tone(0.3))
    err = defect(path, TEXT * 3)
    assert err.reason == "too-short"


def test_too_long_for_its_text(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "long.wav", tone(12.0))
    assert defect(path, "Yes.").reason == "too-long"


def test_a_short_reply_with_engine_padding_passes(tmp_path: Path) -> None:
    verify_wav(write_wav(tmp_path / "ok.wav", tone(0.9)), "OK.", 175)


def test_band_follows_rate_and_length() -> None:
    assert expected_seconds(TEXT, 175) == pytest.approx(9 * 60 / 175, rel=0.1)
    assert expected_seconds(TEXT, 90) > expected_seconds(TEXT, 180)
    low, high = duration_band(TEXT, 175)
    assert low < expected_seconds(TEXT, 175) < high
    # Long words count for more than one: a spelled-out number takes time to say.
    assert expected_seconds("seventeenhundredandninetyfour", 175) > expected_seconds("yes", 175)
