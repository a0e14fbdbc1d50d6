"""Benchmark the mastering DSP: CPU seconds per minute of 44.1 kHz mono audio, before and after.

Usage: python scripts/bench_master.py [--before REV] [--minutes M] [--noise]

"before" is audiocast/master.py as of git revision REV (default: the last commit before the
fast true-peak work), loaded from ``git show``; "after" is the working tree's module. Input is
fed as the render pipeline feeds it, in ~3 s pieces: speech (real eSpeak NG at 22,050 Hz,
upsampled 2x and levelled to -16 LUFS like the pipeline does, so the limiter works), and a
full-band music-like signal at the same level. ``--noise`` replaces the speech with
band-limited noise bursts (no engine needed). Times are process CPU time, best of 3.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
from scipy.signal import lfilter, resample_poly

RATE = 44100
CHUNK = 3 * RATE
DEFAULT_BEFORE = "ee691e4"

SYNTH = """
import sys, pyttsx3
from audiocast.runtime import prepare_espeak
prepare_espeak()
engine = pyttsx3.init()
for i, sentence in enumerate(sys.argv[2:]):
    engine.save_to_file(sentence, f"{sys.argv[1]}/{i}.wav")
    engine.runAndWait()
"""

SENTENCES = (
    "We measured the loudness of every sentence, then combined the measurements.",
    "The limiter only has work to do where a peak comes near the ceiling, which is rare.",
    "Most of a conversation is quiet compared with its loudest syllables.",
    "Yes, and the pauses between the turns are quieter still.",
)


def _load(rev: str) -> ModuleType:
    root = Path(__file__).resolve().parent.parent
    src = subprocess.run(
        ["git", "-C", str(root), "show", f"{rev}:audiocast/master.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "master_before.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("master_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _espeak(seconds: float) -> np.ndarray | None:
    """Real eSpeak NG speech (synthesized in a child process, a sentence at a time),
    repeated to ``seconds``; ``None`` if the engine does not deliver."""
    clips, rate = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-c", SYNTH, tmp, *SENTENCES], check=True, capture_output=True
        )
        time.sleep(0.5)  # runAndWait can return before the last file is complete
        for i in range(len(SENTENCES)):
            try:
                with wave.open(str(Path(tmp) / f"{i}.wav")) as w:
                    rate, frames = w.getframerate(), w.readframes(w.getnframes())
            except (wave.Error, EOFError, FileNotFoundError):
                continue
            clips.append(np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0)
    if not clips:
        return None
    voice = resample_poly(np.concatenate(clips), RATE, rate)
    reps = int(np.ceil(seconds * RATE / voice.size))
    rng = np.random.default_rng(0)
    # Each repetition at its own level, as different sentences and voices would be.
    return np.concatenate([voice * rng.uniform(0.5, 1.0) for _ in range(reps)])[
        : round(seconds * RATE)
    ]


def _noise_speech(seconds: float) -> np.ndarray:
    """Noise band-limited to 11 kHz with syllable-like envelopes and pauses."""
    rng = np.random.default_rng(1)
    n = round(seconds * RATE)
    x = resample_poly(lfilter([1.0], [1.0, -0.7], rng.standard_normal(n // 2 + 1)), 2, 1)[:n]
    syllables = rng.choice([0.0, 0.1, 0.5, 1.0], size=n // (RATE // 8) + 1)
    env = np.repeat(syllables, RATE // 8)[:n]
    env = np.convolve(env, np.hanning(800) / np.hanning(800).sum(), mode="same")
    return 0.2 * x * env


def _music(seconds: float) -> np.ndarray:
    """Full-band: pink-ish noise plus bright harmonic tones with sharp attacks."""
    rng = np.random.default_rng(2)
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    tones = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate((220, 1760, 7040, 15000), 1))
    hits = (np.arange(n) % (RATE // 2) < 2000) * np.exp(-(np.arange(n) % (RATE // 2)) / 500)
    return 0.05 * lfilter([1.0], [1.0, -0.5], rng.standard_normal(n)) + 0.2 * tones * (0.3 + hits)


def _levelled(m: ModuleType, x: np.ndarray) -> np.ndarray:
    """Each ~3 s clip through measure + master_gain to -16 LUFS, as the pipeline does."""
    out = []
    for clip in np.array_split(x, max(1, x.size // CHUNK)):
        measured = m.measure(clip, RATE)
        gain = m.master_gain(measured, -16.0) if measured.integrated is not None else 0.0
        out.append(m.apply_gain(clip, gain))
    return np.concatenate(out)


def _cpu(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _tasks(m: ModuleType, x: np.ndarray) -> dict[str, Callable[[], object]]:
    chunks = np.array_split(x.astype(np.float32), max(1, x.size // CHUNK))

    def measure() -> None:
        for c in chunks:
            m.master_gain(m.measure(c, RATE), -16.0)

    def meter(**kw: bool) -> Callable[[], None]:
        def run() -> None:
            meter = m.Meter(RATE, **kw)
            for c in chunks:
                meter.feed(c)
            meter.result()

        return run

    def limiter() -> None:
        lim = m.Limiter(RATE)
        for c in chunks:
            lim.process(c)
        lim.flush()

    def speakers() -> None:
        # The pipeline's per-speaker meters: every chunk split between two speakers.
        stream = m.Meter(RATE, true_peak=False)
        ada, grace = m.Meter(RATE, true_peak=False), m.Meter(RATE, true_peak=False)
        for c in chunks:
            stream.feed(c)
            ada.feed_part(stream, 0, c.size // 2)
            grace.feed_part(stream, c.size // 2, c.size)
        stream.result(), ada.result(), grace.result()

    def peaks_chunks() -> None:
        for c in chunks:
            m.oversampled_peaks(c)

    tasks = {
        "measure+master_gain per clip": measure,
        "Meter.feed": meter(),
        "Meter.feed true_peak=False": meter(true_peak=False),
        "stream+speaker Meters (feed_part)": speakers,
        "Limiter": limiter,
        "oversampled_peaks (3 s chunks)": peaks_chunks,
        "oversampled_peaks (one array)": lambda: m.oversampled_peaks(x),
    }
    if not hasattr(m.Meter, "feed_part"):
        del tasks["Meter.feed true_peak=False"], tasks["stream+speaker Meters (feed_part)"]
    return tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="git revision to compare")
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--noise", action="store_true", help="noise bursts instead of eSpeak")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from audiocast import master as after

    before = _load(args.before)
    seconds = 60.0 * args.minutes
    raw = None if args.noise else _espeak(seconds)
    if raw is None:
        if not args.noise:
            print("eSpeak NG gave no audio: using noise bursts instead")
        raw = _noise_speech(seconds)
    signals = {"speech": raw, "music": _music(seconds)}
    print(f"CPU seconds per minute of audio ({seconds:.0f} s fed in 3 s pieces, best of 3)")
    print(f"before = {args.before}, after = working tree\n")
    for name, signal in signals.items():
        x = _levelled(after, signal)
        print(
            f"{name}: {100 * float(np.mean(np.abs(x) > after.Limiter(RATE).threshold)):.2f} %"
            " of samples over the limiter's threshold"
        )
        print(f"  {'function':<34}{'before':>8}{'after':>8}{'speed-up':>10}")
        old_tasks, new_tasks = _tasks(before, x), _tasks(after, x)
        for label, task in new_tasks.items():
            new = _cpu(task) / args.minutes
            if label in old_tasks:
                old = _cpu(old_tasks[label]) / args.minutes
                print(f"  {label:<34}{old:8.3f}{new:8.3f}{old / max(new, 1e-9):9.1f}x")
            else:
                print(f"  {label:<34}{'-':>8}{new:8.3f}")
        print()


if __name__ == "__main__":
    main()
