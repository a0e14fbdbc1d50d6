"""The loudness meter against pyloudnorm and ffmpeg's ebur128, and the limiter's guarantees."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pyloudnorm as pyln
import pytest
from scipy.signal import lfilter

from audiocast import master
from audiocast.master import truepeak
from audiocast.runtime import find_ffmpeg

RATE = 44100


def _sine(freq: float, dbfs: float, seconds: float, rate: int = RATE, phase: float = 0.0):
    t = np.arange(round(seconds * rate)) / rate
    return 10.0 ** (dbfs / 20.0) * np.sin(2.0 * np.pi * freq * t + phase)


def _pinkish(seconds: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = lfilter([1.0], [1.0, -0.9], rng.standard_normal(round(seconds * RATE)))
    return 0.1 * x / np.abs(x).max()


def _speechlike(seconds: float, seed: int = 1) -> np.ndarray:
    """Noise bursts with pauses: loud and quiet blocks, so both gates do something."""
    rng = np.random.default_rng(seed)
    x = _pinkish(seconds, seed)
    levels = rng.choice([0.0, 0.05, 0.5, 1.0], size=math.ceil(seconds * 10))
    return x * np.repeat(levels, RATE // 10)[: x.size]


SPEECH_SCRIPT = """
import sys, pyttsx3
from audiocast.runtime import prepare_espeak
prepare_espeak()
engine = pyttsx3.init()
engine.save_to_file(sys.argv[2], sys.argv[1])
engine.runAndWait()
"""


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, int]:
    """Real eSpeak NG speech, synthesized in a child process (never in the test process)."""
    out = tmp_path_factory.mktemp("speech") / "speech.wav"
    text = "Loudness is measured in blocks of four hundred milliseconds, then gated twice."
    for _ in range(20):
        subprocess.run(
            [sys.executable, "-c", SPEECH_SCRIPT, str(out), text],
            check=True,
            capture_output=True,
            timeout=120,
        )
        # runAndWait can return before the file is complete: wait for a readable WAV.
        try:
            with wave.open(str(out)) as w:
                rate, frames = w.getframerate(), w.readframes(w.getnframes())
            if len(frames) > rate:
                break
        except (wave.Error, EOFError, FileNotFoundError):
            pass
    pcm = np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0
    return pcm, rate


@pytest.mark.parametrize(
    "signal",
    [
        pytest.param(lambda: _sine(440.0, -12.0, 3.0), id="sine"),
        pytest.param(lambda: _pinkish(5.0), id="pinkish"),
        pytest.param(lambda: _speechlike(8.0), id="bursts"),
    ],
)
def test_integrated_matches_pyloudnorm(signal) -> None:
    x = signal()
    expected = pyln.Meter(RATE).integrated_loudness(x)
    assert master.measure(x, RATE).integrated == pytest.approx(expected, abs=0.1)


def test_real_speech_matches_pyloudnorm(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    expected = pyln.Meter(rate).integrated_loudness(x)
    assert master.measure(x, rate).integrated == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize("rate", [44100, 48000])
def test_reference_level_per_bs1770(rate: int) -> None:
    # BS.1770-4 Annex 1: a 0 dBFS 1 kHz sine in one channel reads -3.01 LKFS (the -0.691
    # offset cancels the K-filter's +0.691 dB gain at 997 Hz), so -20 dBFS reads -23.01.
    m = master.measure(_sine(997.0, -20.0, 5.0, rate), rate)
    assert m.integrated == pytest.approx(-23.01, abs=0.02)


def test_k_weighting_matches_the_standard_table_at_48k() -> None:
    (b1, a1), (b2, a2) = master.k_weighting(48000)
    assert b1 == pytest.approx([1.53512485958697, -2.69169618940638, 1.19839281085285])
    assert a1 == pytest.approx([1.0, -1.69065929318241, 0.73248077421585])
    assert b2 == pytest.approx([1.0, -2.0, 1.0])
    assert a2 == pytest.approx([1.0, -1.99004745483398, 0.99007225036621])


def test_combine_of_pieces_equals_the_whole() -> None:
    x = _speechlike(12.0)
    cuts = np.sort(np.random.default_rng(3).integers(0, x.size, 25))
    pieces = [master.measure(p, RATE) for p in np.split(x, cuts)]
    whole = master.measure(x, RATE)
    combined = master.combine(pieces)
    assert combined.integrated == pytest.approx(whole.integrated, abs=0.2)
    assert combined.duration == pytest.approx(whole.duration)
    assert combined.true_peak_db == pytest.approx(whole.true_peak_db, abs=0.1)


def test_streaming_meter_equals_measure_exactly() -> None:
    x = _speechlike(6.0)
    meter = master.Meter(RATE)
    for chunk in np.array_split(x, 17):
        meter.feed(chunk)
    streamed, whole = meter.result(), master.measure(x, RATE)
    assert streamed.integrated == pytest.approx(whole.integrated, abs=1e-9)
    assert streamed.loudness_range == pytest.approx(whole.loudness_range, abs=1e-9)


def test_short_clip_gets_a_loudness() -> None:
    yeah = _sine(997.0, -20.0, 0.2)
    with pytest.raises(ValueError):
        pyln.Meter(RATE).integrated_loudness(yeah)
    m = master.measure(yeah, RATE)
    # The whole 0.2 s is one block, read like the long reference tone (less the filter's
    # start-up transient).
    assert m.integrated == pytest.approx(-23.01, abs=0.1)
    assert m.duration == pytest.approx(0.2)


def test_silence_is_gated_out() -> None:
    m = master.measure(np.zeros(RATE), RATE)
    assert m.integrated is None
    assert master.gain_db(m.integrated, -16.0) == 0.0
    assert m.true_peak_db == -math.inf


def test_true_peak_sees_inter_sample_peaks() -> None:
    # fs/4 at 45 degrees: every sample sits at 1/sqrt(2) of the waveform's crest.
    x = _sine(RATE / 4, -6.0, 1.0, phase=math.pi / 4)
    m = master.measure(x, RATE)
    assert m.true_peak_db - m.sample_peak_db == pytest.approx(3.01, abs=0.2)


@pytest.mark.parametrize("chunks", [2, 37, 500])
def test_true_peak_fed_in_chunks_is_the_true_peak_of_the_whole(chunks: int) -> None:
    # A slow loud wave: a chunk's edge taken as a cut to silence rings over its real crest.
    x = _sine(50.0, -3.0, 1.0)
    whole = master.measure(x, RATE).true_peak
    meter = master.Meter(RATE)
    for part in np.array_split(x, chunks):
        meter.feed(part)
    assert meter.result().true_peak == pytest.approx(whole, rel=1e-5)


def test_loudness_range_of_a_two_level_signal() -> None:
    # EBU Tech 3342 case: 20 s at -20 LUFS then 20 s at -30 LUFS reads 10 LU.
    x = np.concatenate((_sine(1000.0, -20.0, 20.0), _sine(1000.0, -30.0, 20.0)))
    assert master.measure(x, RATE).loudness_range == pytest.approx(10.0, abs=0.2)


def test_gain_moves_loudness_exactly() -> None:
    x = _pinkish(3.0)
    before = master.measure(x, RATE).integrated
    assert before is not None
    db = master.gain_db(before, -16.0)
    after = master.measure(master.apply_gain(x, db), RATE)
    assert after.integrated == pytest.approx(-16.0, abs=0.01)
    assert master.measure(x, RATE).with_gain(db).integrated == pytest.approx(-16.0, abs=1e-9)


def _limit(x: np.ndarray, chunks: int, **kwargs) -> np.ndarray:
    lim = master.Limiter(RATE, **kwargs)
    parts = [lim.process(c) for c in np.array_split(x, chunks)]
    return np.concatenate([*parts, lim.flush()])


@pytest.mark.parametrize("chunks", [1, 7, 300])
def test_limiter_holds_the_ceiling_and_keeps_length(chunks: int) -> None:
    x = master.apply_gain(_speechlike(4.0), 26.0)
    assert master.measure(x, RATE).true_peak_db > 3.0  # peaks far over the ceiling
    y = _limit(x, chunks)
    assert y.size == x.size
    assert master.measure(y, RATE).true_peak_db <= -1.0
    # It limits peaks, not the whole signal: samples with no peak over the threshold within
    # 40 ms (more than look-ahead + hold + release) pass unchanged.
    from scipy.ndimage import maximum_filter1d

    near = maximum_filter1d(master.oversampled_peaks(x), size=2 * round(0.04 * RATE) + 1)
    calm = near < 10 ** (-1.5 / 20)
    assert calm.mean() > 0.2
    assert np.array_equal(y[calm], x[calm])


def test_limiter_is_transparent_below_the_ceiling() -> None:
    x = _speechlike(3.0).astype(np.float32)
    assert master.measure(x, RATE).true_peak_db < -1.5
    y = _limit(x, 11)
    assert np.array_equal(y, x)


def test_limiter_output_is_aligned_with_its_input() -> None:
    x = _sine(200.0, -30.0, 1.0)
    x[RATE // 2] = 1.0  # one spike, limited locally
    y = _limit(x, 5)
    assert np.allclose(y[: RATE // 4], x[: RATE // 4], atol=1e-6)
    assert abs(y[RATE // 2]) < 0.9


EBUR128 = ("-af", "ebur128=peak=true", "-f", "null", "-")


def _ebur128(path: Path) -> tuple[float, float, float]:
    proc = subprocess.run(
        [find_ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), *EBUR128],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = proc.stderr[proc.stderr.rindex("Summary:") :]

    def value(label: str) -> float:
        match = re.search(rf"{label}:\s+(-?[\d.]+|-inf)", summary)
        assert match, summary
        return float(match.group(1))

    return value("I"), value("Peak"), value("LRA")


def _encode(samples: np.ndarray, dest: Path, rate: int = RATE) -> None:
    subprocess.run(
        [
            find_ffmpeg(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "f32le",
            "-ar",
            str(rate),
            "-ac",
            "1",
            "-i",
            "-",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "128k",
            str(dest),
        ],
        input=np.asarray(samples, dtype="<f4").tobytes(),
        check=True,
    )


def test_mastered_mp3_measures_the_same_with_ffmpeg(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    voice, rate = speech
    # The speech, resampled to 44.1 kHz as the mixer does, quiet, with one loud outburst.
    from scipy.signal import resample_poly

    x = resample_poly(voice, RATE, rate) * 0.3
    x = np.concatenate((x, np.zeros(RATE // 2), x * 1.5, np.zeros(RATE // 2), x))
    measured = master.measure(x, RATE)
    assert measured.integrated is not None
    # master_gain adds back what the limiter will take, so the file lands on the target.
    y = master.apply_gain(x, master.master_gain(measured, -16.0))
    y = _limit(y, 40)
    out = tmp_path / "mastered.mp3"
    _encode(y, out)
    integrated, peak, lra = _ebur128(out)
    decoded = np.frombuffer(
        subprocess.run(
            [find_ffmpeg(), "-loglevel", "error", "-i", str(out), "-f", "f32le", "-"],
            capture_output=True,
            check=True,
        ).stdout,
        dtype="<f4",
    )
    ours = master.measure(decoded, RATE)
    assert ours.integrated == pytest.approx(integrated, abs=0.5)
    assert ours.loudness_range == pytest.approx(lra, abs=1.0)
    assert integrated == pytest.approx(-16.0, abs=1.0)
    assert peak <= -1.0


@pytest.mark.parametrize("target", [-23.0, -19.0, -16.0])
def test_master_gain_lands_on_the_target_after_the_limiter(
    speech: tuple[np.ndarray, int], target: float
) -> None:
    from scipy.signal import resample_poly

    x = resample_poly(speech[0], RATE, speech[1])
    m = master.measure(x, RATE)
    plain = master.gain_db(m.integrated, target)
    gain = master.master_gain(m, target)
    assert gain >= plain
    y = _limit(master.apply_gain(x, gain), 9)
    after = master.measure(y, RATE)
    assert after.integrated == pytest.approx(target, abs=0.5)
    assert after.true_peak_db <= -1.0
    predicted = master.limited_loudness(m, plain)
    actual = master.measure(_limit(master.apply_gain(x, plain), 9), RATE).integrated
    assert predicted == pytest.approx(actual, abs=0.3)


def test_peak_histogram_survives_gain_and_combine() -> None:
    x = _speechlike(4.0)
    whole = master.measure(x, RATE)
    halves = master.combine([master.measure(h, RATE) for h in np.array_split(x, 2)])
    assert halves.peak_energy.sum() == pytest.approx(whole.peak_energy.sum(), rel=1e-6)
    louder = whole.with_gain(6.0)
    assert master.limited_loudness(louder) == pytest.approx(
        master.limited_loudness(whole, 6.0), abs=0.05
    )


def test_speaker_gains_and_report() -> None:
    quiet, loud = _pinkish(3.0, seed=5) * 0.2, _pinkish(3.0, seed=6)
    per = {"Ada": master.measure(quiet, RATE), "Grace": master.measure(loud, RATE)}
    gains = {name: master.gain_db(m.integrated, -16.0) for name, m in per.items()}
    assert gains["Ada"] > gains["Grace"]
    after = {n: per[n].with_gain(g).integrated for n, g in gains.items()}
    assert after == pytest.approx({"Ada": -16.0, "Grace": -16.0}, abs=1e-6)
    report = master.LoudnessReport(
        integrated=-16.04,
        true_peak=-1.52,
        loudness_range=3.21,
        target=-16.0,
        gain=4.0,
        speakers=tuple(
            master.SpeakerLevel(n, per[n].integrated, after[n]) for n in ("Ada", "Grace")
        ),
        speech=-15.96,
    )
    text = report.format()
    assert text.splitlines()[0].startswith("speech -16.0 LUFS (target -16.0), episode -16.0")
    assert "true peak -1.5 dBTP" in text and "range 3.2 LU" in text
    assert f"Ada    {per['Ada'].integrated:.1f} -> -16.0 LUFS" in text
    assert report.to_dict()["speakers"]["Grace"]["after"] == pytest.approx(-16.0)


def test_limiter_output_does_not_depend_on_chunking() -> None:
    # Chunks smaller than the latency (9 samples) included: the result is bit-identical.
    x = master.apply_gain(_speechlike(1.0, seed=9)[: RATE // 4], 26.0)
    whole = _limit(x, 1)
    assert not np.array_equal(whole, x)  # it did limit
    for chunks in (3, 700, x.size // 9):
        assert np.array_equal(_limit(x, chunks), whole)


# --- The fast paths against the long-filter reference -----------------------------------------


def _reference_peaks(x: np.ndarray) -> np.ndarray:
    """4x true peak per sample through scipy's long polyphase filter (81 taps)."""
    from scipy.signal import resample_poly

    up = np.abs(resample_poly(np.asarray(x, dtype=np.float64), 4, 1)).reshape(-1, 4).max(axis=1)
    return np.maximum(up, np.abs(x))


def _music(seconds: float, seed: int = 4) -> np.ndarray:
    """Full band: noise, bright tones up to 15 kHz and sharp attacks."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    tones = sum(
        np.sin(2 * np.pi * f * t + k) / k for k, f in enumerate((220, 1760, 7040, 15000), 1)
    )
    attack = np.exp(-(np.arange(n) % (RATE // 3)) / 400.0)
    return 0.05 * rng.standard_normal(n) + 0.15 * tones * (0.3 + attack)


FAST_TP_SIGNALS = [
    pytest.param(lambda: 0.1 * np.random.default_rng(11).standard_normal(3 * RATE), id="white"),
    pytest.param(lambda: _speechlike(3.0, seed=12), id="bursts"),
    pytest.param(lambda: _music(3.0), id="music"),
    pytest.param(lambda: _sine(RATE / 4, -6.0, 1.0, phase=math.pi / 4), id="inter-sample"),
    pytest.param(lambda: _sine(9000.0, -3.0, 1.0, phase=0.3), id="9k-sine"),
]


@pytest.mark.parametrize("signal", FAST_TP_SIGNALS)
def test_fast_true_peak_matches_the_long_filter(signal) -> None:
    x = signal()
    ref = 20 * math.log10(float(_reference_peaks(x).max()))
    assert 20 * math.log10(float(master.oversampled_peaks(x).max())) == pytest.approx(ref, abs=0.1)
    assert master.measure(x, RATE).true_peak_db == pytest.approx(ref, abs=0.1)


def test_fast_true_peak_matches_on_real_speech(speech: tuple[np.ndarray, int]) -> None:
    from scipy.signal import resample_poly

    x = resample_poly(speech[0], RATE, speech[1])  # band-limited to 11 kHz, as rendered
    ref = _reference_peaks(x)
    fast = master.oversampled_peaks(x)
    assert 20 * math.log10(fast.max() / ref.max()) == pytest.approx(0.0, abs=0.1)
    # Peak by peak, not only the largest: every 10 ms stretch within 0.1 dB.
    n = x.size // 441 * 441
    loud = ref[:n].reshape(-1, 441).max(axis=1) > 1e-3
    ratio = fast[:n].reshape(-1, 441).max(axis=1)[loud] / ref[:n].reshape(-1, 441).max(axis=1)[loud]
    assert np.abs(20 * np.log10(ratio)).max() < 0.1


def test_overshoot_bound_is_the_worst_case() -> None:
    # A signal whose samples are +-1 with the signs of one phase's weights reaches OVERSHOOT
    # exactly between two samples; random signals stay under it.
    phases = truepeak._PHASES
    worst = int(np.argmax(np.abs(phases).sum(axis=1)))
    x = np.sign(phases[worst]).astype(np.float32)
    assert float(master.oversampled_peaks(x).max()) == pytest.approx(master.OVERSHOOT, rel=1e-5)
    rng = np.random.default_rng(13)
    for _ in range(20):
        y = rng.uniform(-1.0, 1.0, 64)
        assert master.oversampled_peaks(y).max() <= master.OVERSHOOT * np.abs(y).max() + 1e-6


def test_meter_without_true_peak_reads_the_same_loudness() -> None:
    x = _speechlike(8.0, seed=14)
    full, fast = master.Meter(RATE), master.Meter(RATE, true_peak=False)
    for chunk in np.array_split(x, 9):
        full.feed(chunk)
        fast.feed(chunk)
    a, b = full.result(), fast.result()
    assert b.integrated == a.integrated
    assert b.loudness_range == a.loudness_range
    assert b.true_peak == pytest.approx(float(np.abs(x).max()), rel=1e-6)  # the sample peak
    assert a.true_peak >= b.true_peak


def test_feed_part_meters_a_stretch_like_its_own_meter() -> None:
    x = _speechlike(10.0, seed=15)
    stream, part, alone = (
        master.Meter(RATE, true_peak=False),
        master.Meter(RATE),
        master.Meter(RATE),
    )
    for chunk in np.array_split(x, 7):
        stream.feed(chunk)
        part.feed_part(stream, chunk.size // 3, chunk.size)
        alone.feed(chunk[chunk.size // 3 :])
    # Only the K filter's start-up at each stretch differs.
    assert part.result().integrated == pytest.approx(alone.result().integrated, abs=0.05)
    assert part.result().duration == pytest.approx(alone.result().duration)
    with pytest.raises(ValueError):
        master.Meter(48000).feed_part(stream, 0, 10)


@pytest.mark.parametrize("signal", [lambda: _speechlike(4.0, seed=16), lambda: _music(4.0)])
@pytest.mark.parametrize("chunks", [1, 13, 200])
def test_limited_output_stays_under_the_ceiling_by_the_reference(signal, chunks: int) -> None:
    x = master.apply_gain(signal(), 20.0)
    lim = master.Limiter(RATE)
    y = np.concatenate([*[lim.process(c) for c in np.array_split(x, chunks)], lim.flush()])
    true_peak = 20 * math.log10(float(_reference_peaks(y).max()))
    assert true_peak <= -1.0
    # The limiter reports its output's true peak without a meter (and -1.5 is where it aims).
    assert lim.output_true_peak_db == pytest.approx(true_peak, abs=0.1)
    assert lim.output_true_peak_db == pytest.approx(-1.5, abs=0.05)


def test_output_true_peak_of_a_stream_with_nothing_to_limit() -> None:
    x = _music(3.0) * 0.3
    lim = master.Limiter(RATE)
    y = np.concatenate([*[lim.process(c) for c in np.array_split(x, 10)], lim.flush()])
    assert np.array_equal(y, x.astype(np.float32))
    ref = 20 * math.log10(float(_reference_peaks(y).max()))
    assert lim.output_true_peak_db == pytest.approx(ref, abs=0.1)
    assert lim.output_true_peak_db < -1.5


def test_limiter_skipping_quiet_stretches_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # With an overshoot bound too large to ever skip, every sample is oversampled: the output
    # must be bit-identical, so the skipped stretches truly had nothing to limit.
    x = master.apply_gain(_speechlike(3.0, seed=17), 26.0)
    fast = _limit(x, 23)
    monkeypatch.setattr(truepeak, "OVERSHOOT", 1e9)  # read where the skipping is decided
    assert np.array_equal(_limit(x, 23), fast)
    assert not np.array_equal(fast, x)


def _pulse_train(seconds: float = 3.0, rate: int = 44100, f0: float = 100.0) -> np.ndarray:
    """A crude voiced sound: glottal-like pulses through a resonance, in syllables of which
    every third is stressed. Like eSpeak NG's voices it peaks ~20 dB over its loudness."""
    n = int(seconds * rate)
    x = np.zeros(n)
    x[:: int(rate / f0)] = 1.0
    from scipy.signal import lfilter as _lf

    r, w = 0.95, 2 * np.pi * 700 / rate
    voiced = _lf([1.0], [1.0, -2 * r * np.cos(w), r * r], x)
    t = np.arange(n) / rate
    syllables = (0.5 - 0.5 * np.cos(2 * np.pi * 3 * t)) * np.where(np.floor(t * 3) % 3, 0.25, 1)
    y = voiced * syllables
    return (0.5 * y / np.abs(y).max()).astype(np.float32)


def test_compress_peaks_lowers_the_peak_to_loudness_ratio_smoothly() -> None:
    rate = 44100
    x = _pulse_train()
    before = master.measure(x, rate)
    assert before.integrated is not None
    y = master.compress_peaks(x, rate, before.integrated, release_db_per_s=100.0)
    after = master.measure(y, rate)
    assert after.integrated is not None
    assert y.size == x.size
    plr_before = before.true_peak_db - before.integrated
    plr_after = after.true_peak_db - after.integrated
    assert plr_before - plr_after >= 3.0, (plr_before, plr_after)
    assert np.all(np.abs(y) <= np.abs(x) + 1e-7)  # it only ever turns down
    # The gain recovers no faster than the release rate: it follows syllables, not pulses.
    loud = np.abs(x) > 0.02
    gain_db = 20 * np.log10(np.abs(y[loud]) / np.abs(x[loud]))
    steps = np.diff(gain_db) / np.maximum(np.diff(np.flatnonzero(loud)), 1)
    assert steps.max() <= 100.0 / rate * 1.05 + 1e-4


def test_compress_peaks_leaves_calm_audio_bit_for_bit() -> None:
    rate = 44100
    t = np.arange(rate) / rate
    x = (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)  # a sine: peak 3 dB over rms
    loudness = master.measure(x, rate).integrated
    assert loudness is not None
    assert np.array_equal(master.compress_peaks(x, rate, loudness), x)


def test_a_meter_without_a_peak_histogram_reads_the_same_levels() -> None:
    rng = np.random.default_rng(3)
    audio = (0.3 * rng.standard_normal(48_000 * 3)).astype(np.float32)
    full, lean = master.Meter(48_000), master.Meter(48_000, peak_histogram=False)
    for part in np.array_split(audio, 7):
        full.feed(part)
        lean.feed(part)
    a, b = full.result(), lean.result()
    assert a.integrated == b.integrated and a.true_peak == b.true_peak
    assert a.loudness_range == b.loudness_range
    assert a.peak_energy.sum() > 0 and not b.peak_energy.any()


@pytest.mark.parametrize("floor", [0.0, 0.3, 2.0])
def test_peaks_reaching_are_exact_wherever_they_could_reach_the_level(floor: float) -> None:
    # A syllable-like signal leaves most cells far under its crest: those are skipped.
    x = _pulse_train(2.0)
    context = np.concatenate(
        (np.zeros(truepeak._BEFORE, np.float32), x, np.zeros(truepeak._AFTER, np.float32))
    )
    every = truepeak._peaks_of(context)
    some = truepeak.peaks_reaching(context, floor)
    level = max(floor, float(np.abs(x).max()))
    assert some.shape == every.shape
    assert np.all(some <= every) and np.all(some >= np.abs(x))
    assert np.array_equal(some[every >= level], every[every >= level])
    assert (some < every).any()  # cells were skipped, so the test tells the two paths apart


def test_a_meter_without_a_peak_histogram_reads_the_same_true_peak_of_speech() -> None:
    audio = np.concatenate([_pulse_train(2.0, f0=f0) * g for f0, g in ((90, 1), (140, 0.6))])
    full, lean = master.Meter(44_100), master.Meter(44_100, peak_histogram=False)
    for part in np.array_split(audio, 5):
        full.feed(part)
        lean.feed(part)
    assert full.result().true_peak == lean.result().true_peak > 0


def test_peaks_reaching_finds_a_worst_case_crest_between_quieter_samples() -> None:
    # Samples signed like the interpolator's widest phase ring up to OVERSHOOT times their
    # height: at 0.3 they crest at 0.67, over a lone 0.5 sample that is the largest sample.
    widest = truepeak._PHASES[np.abs(truepeak._PHASES).sum(axis=1).argmax()]
    x = np.zeros(4_000, np.float32)
    x[1_000:1_020] = 0.3 * np.sign(widest)
    x[3_000] = 0.5
    every = truepeak._peaks_of(x)
    assert every.max() == pytest.approx(0.3 * truepeak.OVERSHOOT, rel=1e-5)
    assert truepeak.peaks_reaching(x, 0.0).max() == every.max()
    lean = master.Meter(RATE, peak_histogram=False)
    lean.feed(x)
    assert lean.result().true_peak == pytest.approx(every.max(), rel=1e-6)
