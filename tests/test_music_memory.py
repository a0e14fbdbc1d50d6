"""Long intro and outro music costs memory in proportion to what is used (issue 13).

An intro with words holds a few seconds of its music, so only those are decoded; music that
plays to its end (an outro, an intro without words) is streamed in blocks. Renders use the
``fake`` engine; the memory test measures a real CLI subprocess's peak RSS.
"""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from audiocast import mixdown
from audiocast.mix import MUSIC_BLOCK_SECONDS, decode_file, music_blocks
from audiocast.model import SAMPLE_RATE, Bumper
from audiocast.pipeline import RenderOptions, render

SCRIPT = "---\ntitle: Music\n---\nAna: The first turn is short.\n\nBen: So is the second.\n"


def _music(path: Path, seconds: float, rate: int = 8000) -> Path:
    """A quiet two-tone hum, ``seconds`` long, as a 16-bit mono WAV at ``rate``."""
    t = np.arange(round(seconds * rate)) / rate
    samples = 0.2 * np.sin(2 * np.pi * 220 * t) + 0.1 * np.sin(2 * np.pi * 331 * t)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def _options(tmp_path: Path, fake_voices: Path, **kw: object) -> RenderOptions:
    return RenderOptions(
        output=tmp_path / "ep.wav",
        engine="fake",
        voices_dirs=(fake_voices,),
        jobs=1,
        sidecars=False,
        page=False,
        **kw,  # type: ignore[arg-type]
    )


def test_music_blocks_stop_where_asked_and_stay_small(tmp_path: Path) -> None:
    path = _music(tmp_path / "long.wav", 75.0)
    blocks = list(music_blocks(path))
    assert abs(sum(b.size for b in blocks) / SAMPLE_RATE - 75.0) < 0.05
    assert max(b.size for b in blocks) <= MUSIC_BLOCK_SECONDS * SAMPLE_RATE + 1
    assert abs(decode_file(path, 4.5).size / SAMPLE_RATE - 4.5) < 0.01


def test_an_intro_with_words_decodes_only_the_music_it_holds(
    tmp_path: Path, fake_voices: Path, write_script, monkeypatch: pytest.MonkeyPatch
) -> None:
    music = _music(tmp_path / "ten-minutes.wav", 600.0)
    decoded: list[int] = []
    real = mixdown.decode_file

    def spy(path: Path, seconds: float | None = None) -> np.ndarray:
        out = real(path, seconds)
        decoded.append(out.size)
        return out

    monkeypatch.setattr(mixdown, "decode_file", spy)
    intro = Bumper(audio=str(music), text="Welcome to the show.")
    result = render(write_script(SCRIPT), _options(tmp_path, fake_voices, intro=intro))
    assert decoded, "the intro music was never decoded"
    # The lead-in, the words, the handover and the fade: seconds, not the file's ten minutes.
    assert max(decoded) / SAMPLE_RATE < 20.0, decoded
    assert result.duration < 30.0


def test_an_outro_streams_its_music_to_the_end_in_blocks(
    tmp_path: Path, fake_voices: Path, write_script, monkeypatch: pytest.MonkeyPatch
) -> None:
    music = _music(tmp_path / "two-minutes.wav", 120.0)
    writes: list[int] = []
    real = mixdown.MasteringStream.write

    def spy(self: mixdown.MasteringStream, samples: np.ndarray) -> None:
        writes.append(samples.size)
        real(self, samples)

    monkeypatch.setattr(mixdown.MasteringStream, "write", spy)
    outro = Bumper(audio=str(music), text="Thanks for listening.")
    result = render(
        write_script(SCRIPT), _options(tmp_path, fake_voices, outro=outro, use_intro=False)
    )
    assert result.duration > 120.0  # all of it plays
    # Clips and the music in pieces of seconds: never the two minutes in one piece.
    assert max(writes) / SAMPLE_RATE < 10.0, max(writes) / SAMPLE_RATE


PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_rss_kb(*args: str | Path) -> int:
    cmd = [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "audiocast", *map(str, args)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.parametrize("kind", ["intro", "outro"])
def test_a_long_music_file_costs_little_more_memory_than_a_short_one(
    tmp_path: Path, fake_voices: Path, write_script, kind: str
) -> None:
    script = write_script(SCRIPT)
    peaks = {}
    for name, seconds in {"short": 5.0, "long": 300.0}.items():
        music = _music(tmp_path / f"{name}.wav", seconds, rate=44_100)
        config = tmp_path / f"{name}.yaml"
        config.write_text(f"{kind}:\n  audio: {music}\n  text: Welcome to the show.\n", "utf-8")
        peaks[name] = _peak_rss_kb(
            "render", script, "--config", config, "-o", tmp_path / f"{name}.wav", "-q",
            "--engine", "fake", "--voices", fake_voices, "-j", "1",
            "--no-sidecars", "--no-page", f"--no-{'outro' if kind == 'intro' else 'intro'}",
        )  # fmt: skip
    # Five minutes of float32 at 44.1 kHz is 53 MB a copy; held whole it cost 10 copies and more.
    assert peaks["long"] - peaks["short"] < 60_000, peaks
