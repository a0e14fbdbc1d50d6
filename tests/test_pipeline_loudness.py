"""The loudness safety net: an encoded episode that missed the target is corrected once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.signal import butter, lfilter

from audiocast import master
from audiocast.export.audio import Encoder
from audiocast.export.loudness import correct_loudness
from audiocast.export.probe import measure_file
from audiocast.model import SAMPLE_RATE


def _speechlike(seconds: float, lufs: float) -> np.ndarray:
    """Noise bursts shaped like syllables, band-limited like eSpeak's 22 kHz output, at ``lufs``.

    (Full-band white noise makes MP3 overshoot its peaks by more than the headroom kept for
    speech; that is not what an episode holds.)
    """
    rng = np.random.default_rng(7)
    n = int(seconds * SAMPLE_RATE)
    envelope = (np.sin(np.arange(n) * 2 * np.pi * 4 / SAMPLE_RATE) > 0).astype(np.float32)
    b, a = butter(4, 5000, fs=SAMPLE_RATE)
    x = lfilter(b, a, rng.standard_normal(n)).astype(np.float32) * envelope
    measured = master.measure(x, SAMPLE_RATE)
    assert measured.integrated is not None
    return master.apply_gain(x, lufs - measured.integrated)


def _encode(samples: np.ndarray, path: Path) -> Path:
    with Encoder(path, SAMPLE_RATE) as encoder:
        encoder.write(samples)
    return path


def test_a_quiet_episode_is_brought_to_the_target_and_under_the_ceiling(tmp_path: Path) -> None:
    episode = _encode(_speechlike(12.0, -21.0), tmp_path / "ep.mp3")
    before = measure_file(episode).integrated
    assert before is not None and before < -20.0
    gain = correct_loudness(episode, -16.0, -1.0, 96)
    after = measure_file(episode)
    assert gain > 4.0
    assert after.integrated is not None and abs(after.integrated + 16.0) <= 0.5
    assert after.true_peak_db <= -1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.mp3"]


def test_an_episode_on_target_is_left_alone(tmp_path: Path) -> None:
    episode = _encode(_speechlike(12.0, -16.0 + 0.45), tmp_path / "ep.mp3")
    data = episode.read_bytes()
    assert correct_loudness(episode, -16.0, -1.0, 96) == 0.0
    assert episode.read_bytes() == data
