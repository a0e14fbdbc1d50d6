"""The same script, settings and engine give the same audio, bit for bit, whatever ran before it
in the process and however many workers share the clips."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from conftest import TWO_SPEAKERS, ffmpeg, run_cli

from audiocast.model import VoiceProfile
from audiocast.synth.pyttsx3_backend import Pyttsx3Synthesizer

VOICE = VoiceProfile(name="t", voice_id="en-us+f3", rate=170)
OTHER = VoiceProfile(name="u", voice_id="en+m3", rate=190, pitch=30)


def samples(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


@pytest.fixture(scope="module")
def synth() -> Pyttsx3Synthesizer:
    return Pyttsx3Synthesizer()


def test_a_clip_does_not_depend_on_what_the_engine_spoke_before(
    synth: Pyttsx3Synthesizer, tmp_path: Path
) -> None:
    line = "Whispers, hisses and a long breath: she said so softly."
    synth.synthesize(line, VOICE, tmp_path / "first.wav")
    # Other voices, other rates, other lengths in between: eSpeak NG's flutter, phase and noise
    # state all move on.
    synth.synthesize("Something else entirely, at another pace.", OTHER, tmp_path / "x.wav")
    synth.synthesize("Ssss. Shhh. Fff.", VOICE, tmp_path / "y.wav", rate_scale=1.3)
    synth.synthesize(line, VOICE, tmp_path / "again.wav")
    assert samples(tmp_path / "first.wav") == samples(tmp_path / "again.wav")
    assert "fresh state per clip" in synth.version()


def pcm(path: Path) -> bytes:
    done = ffmpeg("-v", "error", "-i", path, "-f", "s16le", "-")
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_renders_with_different_job_counts_are_bit_identical(tmp_path: Path) -> None:
    script = tmp_path / "s.txt"
    # Enough turns that the workers' histories differ from the single process's.
    extra = "\nLee Park: And basil?\n\nMira Chen: Basil sulks in the cold, so wait for summer.\n"
    script.write_text(TWO_SPEAKERS + extra, "utf-8")
    decoded = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.flac"
        done = run_cli(
            "render", script, "-o", out, "--jobs", jobs, "--cache-dir", tmp_path / f"c{jobs}",
            "--no-sidecars", "-q", timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        decoded.append(pcm(out))
    assert len(decoded[0]) > 44_100 * 2 * 5  # real speech, not an empty file
    assert decoded[0] == decoded[1]
