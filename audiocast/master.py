"""Loudness mastering: an ITU-R BS.1770-4 / EBU R128 meter, gain, and a true-peak limiter.

Built for streaming: :func:`measure` keeps a clip's K-weighted energy per 100 ms sub-block (a
small array), so measurements of many clips :func:`combine` into the episode's loudness without a
second pass over the audio; :class:`Meter` does the same for one long stream fed chunk by chunk.
Loudness is a linear function of gain, so the mastering gain follows from the combined
measurement (:func:`master_gain` also adds back what the limiter will take, predicted from a
small peak histogram), and :class:`Limiter` then holds the true peak under the ceiling in one
pass. ``Measurement.with_gain`` gives the measurement after a gain exactly, without re-metering.

Cheap enough to run beside the encoder (see scripts/bench_master.py): true peaks come from a
polyphase 4x interpolator in float32; the limiter oversamples only where a peak could reach its
threshold (:data:`OVERSHOOT`) and reports its output's true peak itself
(:attr:`Limiter.output_true_peak`), so a stream's :class:`Meter` can skip oversampling
(``true_peak=False``) and further meters of parts of the same stream can share its
K-weighting (:meth:`Meter.feed_part`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, lfilter

FloatArray = npt.NDArray[np.float64]

SUB_BLOCK = 0.1
"""Seconds per sub-block: the 75 % overlap of 400 ms gating blocks (and the 10 Hz short-term
rate of EBU Tech 3342) both step by 100 ms, so every block is a sum of whole sub-blocks."""
_BLOCK_SUBS = 4  # 400 ms momentary / gating block
_SHORT_TERM_SUBS = 30  # 3 s short-term window for the loudness range
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
LRA_RELATIVE_GATE = -20.0
OVERSAMPLE = 4

LOOKAHEAD = 0.005
"""The limiter's default look-ahead, seconds: how early its gain starts to fall before a peak."""
HOLD = 0.02
"""The limiter's default hold, seconds: how long its gain stays down after a peak."""

# The peak histogram: K-weighted energy by the level of the loudest (4x-oversampled) peak
# around it, so the loudness a limiter will take away can be predicted without the audio.
_HIST_LOW_DB = -80.0
_HIST_STEP_DB = 0.25
_HIST_BINS = 440  # -80 .. +30 dBFS
_HIST_FRAME = 0.0025  # seconds of audio summarised by one (energy, peak) pair


def k_weighting(rate: int) -> tuple[tuple[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]:
    """The two K-weighting biquads ``((b, a) shelf, (b, a) high-pass)`` for any sample rate.

    The analogue prototypes (centre frequency, gain, Q) are those that reproduce the
    BS.1770-4 table coefficients exactly at 48 kHz, re-derived through the bilinear transform
    with frequency pre-warping for ``rate``.
    """
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf_b = np.array([vh + vb * k / q + k * k, 2.0 * (k * k - vh), vh - vb * k / q + k * k]) / a0
    shelf_a = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0])

    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1.0 + k / q + k * k
    hp_b = np.array([1.0, -2.0, 1.0])
    hp_a = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0])
    return (shelf_b, shelf_a), (hp_b, hp_a)


def _lufs(mean_square: FloatArray | float) -> FloatArray:
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(np.asarray(mean_square, dtype=np.float64))


def _db(linear: float) -> float:
    return 20.0 * math.log10(linear) if linear > 0 else -math.inf


def _as_mono(samples: npt.ArrayLike) -> FloatArray:
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"expected mono samples (1-D array), got shape {x.shape}")
    return x


def _interpolator(taps: int, beta: float) -> npt.NDArray[np.float64]:
    """Phases 1..3 of a 4x Kaiser-windowed-sinc interpolator, ``taps`` coefficients each.

    Row ``p - 1`` holds the weights of ``x[n - taps // 2 + 1 .. n + taps // 2]`` for the
    point ``p / 4`` of a sample after ``x[n]``. The sinc's zeros fall on the input samples, so
    phase 0 is the sample itself and needs no filter.
    """
    h = firwin(4 * taps + 1, 1.0 / OVERSAMPLE, window=("kaiser", beta)) * OVERSAMPLE
    half = taps // 2
    return np.array(
        [[h[-4 * e + p + 2 * taps] for e in range(1 - half, half + 1)] for p in (1, 2, 3)]
    )


# 20 taps per phase: the very filter scipy's resample_poly(x, 4, 1) designs (81-tap Kaiser,
# beta 5), so peaks match it within float32 rounding even on full-band audio, where a
# 12-tap filter (as BS.1770-4 Annex 2's) reads single peaks up to 0.8 dB apart. Phase 2 is
# symmetric and phase 3 is phase 1 reversed, so the three phases cost two thirds of three
# plain FIRs (see _interp).
_TAPS = 20
_BEFORE = _TAPS // 2 - 1  # input samples each output needs before it ...
_AFTER = _TAPS // 2  # ... and after it
_PHASES = _interpolator(_TAPS, 5.0)
OVERSHOOT = float(np.abs(_PHASES).sum(axis=1).max())
"""Most an interpolated point can exceed the largest input sample within the filter's reach
(the sum of a phase's absolute weights, about 2.24 = 7.0 dB): stretches whose samples all
stay under ``level / OVERSHOOT`` cannot have a true peak reaching ``level``."""
_HALF = _TAPS // 2
_SUM13 = (_PHASES[0, :_HALF] + _PHASES[0, ::-1][:_HALF]).astype(np.float32)
_DIF13 = (_PHASES[0, :_HALF] - _PHASES[0, ::-1][:_HALF]).astype(np.float32)
_MID = _PHASES[1, :_HALF].astype(np.float32)
_BLOCK = 1 << 15  # samples per pass: the temporaries stay in the CPU cache


def _interp(xs: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Largest magnitude among the three interpolated points after each sample, along the last
    axis of ``xs`` (``_BEFORE`` samples of context first, ``_AFTER`` last; 1-D or 2-D)."""
    n = xs.shape[-1] - (_TAPS - 1)
    u = np.zeros((*xs.shape[:-1], n), dtype=np.float32)  # phase 1 + phase 3
    v = np.zeros_like(u)  # phase 1 - phase 3
    w = np.zeros_like(u)  # phase 2
    s, d, t = np.empty_like(u), np.empty_like(u), np.empty_like(u)
    for j in range(_HALF):
        a, b = xs[..., j : j + n], xs[..., _TAPS - 1 - j : _TAPS - 1 - j + n]
        np.add(a, b, out=s)
        np.subtract(a, b, out=d)
        u += np.multiply(s, _SUM13[j], out=t)
        w += np.multiply(s, _MID[j], out=t)
        v += np.multiply(d, _DIF13[j], out=t)
    # max(|p1|, |p3|) = (|p1 + p3| + |p1 - p3|) / 2
    np.abs(u, out=u)
    np.abs(v, out=v)
    u += v
    u *= np.float32(0.5)
    np.abs(w, out=w)
    return np.maximum(u, w, out=u)


def _padded(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return np.concatenate(
        (np.zeros(_BEFORE, dtype=np.float32), x, np.zeros(_AFTER, dtype=np.float32))
    )


def _peaks_of(xs: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Per-sample 4x peaks of the 1-D ``xs`` with its context (see :func:`_interp`)."""
    n = xs.size - (_TAPS - 1)
    out = np.abs(xs[_BEFORE : _BEFORE + n])
    for lo in range(0, n, _BLOCK):
        hi = min(n, lo + _BLOCK)
        np.maximum(out[lo:hi], _interp(xs[lo : hi + _TAPS - 1]), out=out[lo:hi])
    return out


def oversampled_peaks(samples: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Per input sample, the largest magnitude among its 4x-oversampled points (and itself).

    The signal is taken as zero before and after ``samples``.
    """
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim != 1:
        raise ValueError(f"expected mono samples (1-D array), got shape {x.shape}")
    if x.size == 0:
        return np.zeros(0, dtype=np.float32)
    return _peaks_of(_padded(x))


@dataclass(frozen=True)
class Measurement:
    """What the meter knows about a stretch of audio; combine several with :func:`combine`.

    ``energy[i]`` is the sum of squared K-weighted samples of sub-block ``i`` and ``counts[i]``
    its sample count (100 ms, less for a clip's last sub-block). Arrays must not be mutated.
    """

    rate: int
    energy: FloatArray = field(repr=False)
    counts: npt.NDArray[np.int64] = field(repr=False)
    peak: float
    """Largest sample magnitude (linear)."""
    true_peak: float
    """Largest 4x-oversampled magnitude (linear); the sample peak when metered by a
    ``Meter(rate, true_peak=False)``."""
    peak_energy: FloatArray = field(default_factory=lambda: np.zeros(_HIST_BINS), repr=False)
    """K-weighted energy by the level of the highest true peak within the limiter's reach
    (look-ahead + hold) of it, in 0.25 dB bins from -80 dBFS: what :func:`limited_loudness`
    uses to predict the limiter's effect."""

    @property
    def frames(self) -> int:
        return int(self.counts.sum())

    @property
    def duration(self) -> float:
        return self.frames / self.rate if self.rate else 0.0

    def _windows(self, subs: int) -> tuple[FloatArray, FloatArray]:
        """(energy, count) of every window of ``subs`` consecutive sub-blocks (hop 100 ms)."""
        if self.energy.size < subs:
            # Too short for one full window: the whole stretch is one block, so a 0.2 s
            # "Yeah." still has a loudness (a gating block that is merely shorter).
            return np.array([self.energy.sum()]), np.array([float(self.counts.sum())])
        e = np.concatenate(([0.0], np.cumsum(self.energy)))
        c = np.concatenate(([0.0], np.cumsum(self.counts.astype(np.float64))))
        return e[subs:] - e[:-subs], c[subs:] - c[:-subs]

    def _block_loudness(self, subs: int) -> FloatArray:
        energy, count = self._windows(subs)
        keep = count > 0
        return _lufs(energy[keep] / count[keep])

    @property
    def integrated(self) -> float | None:
        """Gated integrated loudness in LUFS; ``None`` when every block is below -70 LUFS."""
        energy, count = self._windows(_BLOCK_SUBS)
        keep = count > 0
        power = energy[keep] / count[keep]
        loud = _lufs(power)
        power = power[loud > ABSOLUTE_GATE]
        if power.size == 0:
            return None
        threshold = float(_lufs(power.mean())) + RELATIVE_GATE
        power = power[_lufs(power) > threshold]
        return float(_lufs(power.mean())) if power.size else None

    @property
    def loudness_range(self) -> float:
        """EBU Tech 3342 loudness range in LU (0.0 when too short or too quiet to tell)."""
        if self.energy.size < _SHORT_TERM_SUBS:
            return 0.0
        st = self._block_loudness(_SHORT_TERM_SUBS)
        st = st[st > ABSOLUTE_GATE]
        if st.size == 0:
            return 0.0
        threshold = float(_lufs(float(np.mean(10.0 ** ((st + 0.691) / 10.0))))) + LRA_RELATIVE_GATE
        st = st[st > threshold]
        if st.size == 0:
            return 0.0
        low, high = np.percentile(st, [10.0, 95.0])
        return float(high - low)

    @property
    def true_peak_db(self) -> float:
        return _db(self.true_peak)

    @property
    def sample_peak_db(self) -> float:
        return _db(self.peak)

    def with_gain(self, db: float) -> Measurement:
        """The measurement of the same audio after :func:`apply_gain` (no clipping assumed)."""
        lin = 10.0 ** (db / 20.0)
        shift = round(db / _HIST_STEP_DB)
        hist = np.zeros(_HIST_BINS)
        idx = np.clip(np.arange(_HIST_BINS) + shift, 0, _HIST_BINS - 1)
        np.add.at(hist, idx, self.peak_energy * lin * lin)
        return Measurement(
            self.rate,
            self.energy * lin * lin,
            self.counts,
            self.peak * lin,
            self.true_peak * lin,
            hist,
        )


def _empty(rate: int) -> Measurement:
    return Measurement(rate, np.zeros(0), np.zeros(0, dtype=np.int64), 0.0, 0.0)


class Meter:
    """Measure one continuous stream chunk by chunk, exactly as :func:`measure` of the whole.

    Memory stays flat: only the 100 ms sub-block energies (80 bytes a second) are kept.
    With ``true_peak=False`` the meter skips 4x oversampling (about a third of its cost): the
    loudness and range are unchanged, but ``true_peak`` of the result is the sample peak and
    the peak histogram files energy by sample peaks (a slight under-estimate of the limiter's
    effect in :func:`limited_loudness`).
    """

    def __init__(self, rate: int, true_peak: bool = True) -> None:
        self.rate = rate
        self.true_peak = true_peak
        self._sub = max(1, round(rate * SUB_BLOCK))
        (b1, a1), (b2, a2) = k_weighting(rate)
        # Both biquads as one 4th-order filter: one pass (float64 keeps it exact to 1e-10).
        self._b, self._a = np.convolve(b1, b2), np.convolve(a1, a2)
        # The filter starts at rest, as lfilter's default; its state carries across chunks.
        self._zi = np.zeros(4)
        self._energies: list[FloatArray] = []
        self._partial_energy = 0.0
        self._partial_count = 0
        self._peak = 0.0
        self._true_peak = 0.0
        # The last input samples, so oversampling sees across chunk edges.
        self._tail = np.zeros(_BEFORE, dtype=np.float32)
        self._hist = np.zeros(_HIST_BINS)
        empty = np.zeros(0, dtype=np.float32)
        self._last: tuple[FloatArray, npt.NDArray[np.float32], npt.NDArray[np.float32]] = (
            np.zeros(0),
            empty,
            empty,
        )  # (K-weighted squares, magnitudes, peaks) of the last chunk, for feed_part
        self._frame = max(1, round(rate * _HIST_FRAME))
        # Width in frames (odd) of the limiter's reach around a peak: look-ahead before it,
        # hold and release after it.
        self._reach = 2 * math.ceil((2 * LOOKAHEAD + HOLD) / _HIST_FRAME / 2) + 1

    def feed(self, samples: npt.ArrayLike) -> None:
        x = _as_mono(samples)
        if x.size == 0:
            return
        y, self._zi = lfilter(self._b, self._a, x, zi=self._zi)
        sq = np.square(y, out=y)
        x32 = x.astype(np.float32)
        mags = np.abs(x32)
        peaks = mags
        if self.true_peak:
            ctx = np.concatenate((self._tail, x32))
            # The future is taken as silence: the chunk's last few peaks may read a little
            # differently than in the whole stream.
            peaks = _peaks_of(np.concatenate((ctx, np.zeros(_AFTER, dtype=np.float32))))
            self._true_peak = max(self._true_peak, float(peaks.max()))
            self._tail = ctx[ctx.size - _BEFORE :]
        self._last = (sq, mags, peaks)
        self._add(sq, mags, peaks)

    def feed_part(self, source: Meter, start: int, stop: int) -> None:
        """Feed samples ``start:stop`` of the chunk last fed to ``source`` without filtering
        them again: the same as ``feed(chunk[start:stop])`` except that the K-weighting's
        state is the source's (the audio that really came before), and the peaks are the
        source's (sample peaks when ``source`` has ``true_peak=False``).

        For metering parts of one stream (each speaker's stretches) at the cost of one meter.
        """
        if source.rate != self.rate:
            raise ValueError("cannot feed a meter from one at another sample rate")
        sq, mags, peaks = source._last
        if stop > start:
            part_peaks = peaks[start:stop]
            if self.true_peak:
                self._true_peak = max(self._true_peak, float(part_peaks.max()))
            self._add(sq[start:stop], mags[start:stop], part_peaks)

    def _add(
        self, sq: FloatArray, mags: npt.NDArray[np.float32], peaks: npt.NDArray[np.float32]
    ) -> None:
        # Complete the pending partial sub-block first, then whole sub-blocks, keep the rest.
        need = self._sub - self._partial_count
        head = sq[:need]
        self._partial_energy += float(head.sum())
        self._partial_count += head.size
        rest = sq[need:]
        if self._partial_count == self._sub:
            self._energies.append(np.array([self._partial_energy]))
            self._partial_energy, self._partial_count = 0.0, 0
            whole = rest.size // self._sub * self._sub
            if whole:
                self._energies.append(rest[:whole].reshape(-1, self._sub).sum(axis=1))
            left = rest[whole:]
            self._partial_energy, self._partial_count = float(left.sum()), left.size
        self._peak = max(self._peak, float(mags.max()))
        self._add_to_histogram(sq, peaks)

    def _add_to_histogram(self, sq: FloatArray, peaks: npt.NDArray[np.float32]) -> None:
        # Summarise 2.5 ms frames (energy, peak), spread each peak over the limiter's reach,
        # and file the energy under that level. Chunk edges only blur the reach a little.
        n = sq.size // self._frame * self._frame
        frames_sq = sq[:n].reshape(-1, self._frame).sum(axis=1)
        frames_pk = peaks[:n].reshape(-1, self._frame).max(axis=1)
        if n < sq.size:
            frames_sq = np.append(frames_sq, sq[n:].sum())
            frames_pk = np.append(frames_pk, peaks[n:].max())
        reach = maximum_filter1d(frames_pk, size=self._reach, mode="nearest")
        with np.errstate(divide="ignore"):
            level = 20.0 * np.log10(reach.astype(np.float64))
        idx = np.clip((level - _HIST_LOW_DB) / _HIST_STEP_DB, 0, _HIST_BINS - 1).astype(np.int64)
        self._hist += np.bincount(idx, weights=frames_sq, minlength=_HIST_BINS)

    def result(self) -> Measurement:
        """The measurement so far (feeding may continue afterwards)."""
        energies = [*self._energies]
        if self._partial_count:
            energies.append(np.array([self._partial_energy]))
        if not energies:
            return _empty(self.rate)
        energy = np.concatenate(energies)
        counts = np.full(energy.size, self._sub, dtype=np.int64)
        if self._partial_count:
            counts[-1] = self._partial_count
        return Measurement(
            self.rate,
            energy,
            counts,
            self._peak,
            max(self._true_peak, self._peak),
            self._hist.copy(),
        )


def measure(samples: npt.ArrayLike, rate: int) -> Measurement:
    """Measure one clip (mono, -1..1 floats) of any length, even shorter than 400 ms."""
    meter = Meter(rate)
    meter.feed(samples)
    return meter.result()


def combine(measurements: Sequence[Measurement]) -> Measurement:
    """The measurement of the clips played back to back, in order.

    Gating blocks span clip boundaries as they would in the concatenated audio (shifted by
    less than 100 ms at each boundary); silences between clips fall under the absolute gate,
    so leaving them out changes nothing but the duration.
    """
    parts = [m for m in measurements if m.energy.size]
    if not parts:
        return _empty(measurements[0].rate if measurements else 44100)
    rate = parts[0].rate
    if any(m.rate != rate for m in parts):
        raise ValueError("cannot combine measurements made at different sample rates")
    return Measurement(
        rate,
        np.concatenate([m.energy for m in parts]),
        np.concatenate([m.counts for m in parts]),
        max(m.peak for m in parts),
        max(m.true_peak for m in parts),
        np.sum([m.peak_energy for m in parts], axis=0),
    )


def gain_db(current_lufs: float | None, target_lufs: float) -> float:
    """The gain that moves ``current_lufs`` to ``target_lufs``; 0.0 for silence (nothing to do)."""
    if current_lufs is None or not math.isfinite(current_lufs):
        return 0.0
    return target_lufs - current_lufs


def limited_loudness(
    m: Measurement, gain: float = 0.0, ceiling_db: float = -1.0, margin_db: float = 0.5
) -> float | None:
    """Predicted integrated loudness of ``m``'s audio after ``gain`` dB and a default
    :class:`Limiter` with this ceiling and margin (typically within 0.2 LU for speech).

    The limiter pulls every stretch whose nearby true peak would exceed the threshold down to
    it; the energy lost there comes from the measurement's peak histogram.
    """
    integrated = m.integrated
    if integrated is None:
        return None
    return _Prediction(m.peak_energy, integrated, ceiling_db - margin_db).after(gain)


class _Prediction:
    """:func:`limited_loudness` for one measurement at many gains (the bins filled once)."""

    def __init__(self, peak_energy: FloatArray, integrated: float, threshold_db: float) -> None:
        used = np.flatnonzero(peak_energy)
        self._energy = peak_energy[used]
        self._total = float(self._energy.sum())
        self._levels = _HIST_LOW_DB + (used + 0.5) * _HIST_STEP_DB
        self._integrated = integrated
        self._threshold = threshold_db

    def after(self, gain: float) -> float:
        if self._total <= 0.0:
            return self._integrated + gain
        cut_db = np.minimum(0.0, self._threshold - gain - self._levels)
        kept = float(self._energy @ 10.0 ** (cut_db / 10.0)) / self._total
        return self._integrated + gain + 10.0 * math.log10(kept)


def master_gain(
    m: Measurement,
    target_lufs: float,
    ceiling_db: float = -1.0,
    margin_db: float = 0.5,
    max_extra_db: float = 6.0,
) -> float:
    """The gain that lands on ``target_lufs`` *after* the limiter, not before it.

    Speech synthesizers have a high peak-to-loudness ratio (eSpeak NG about 18 dB), so at
    -16 LUFS the limiter removes most of 1 LU; this adds it back, up to ``max_extra_db`` more
    than :func:`gain_db` would give. 0.0 for silence.
    """
    integrated = m.integrated
    base = gain_db(integrated, target_lufs)
    if integrated is None:
        return base
    predict = _Prediction(m.peak_energy, integrated, ceiling_db - margin_db)
    if predict.after(base) >= target_lufs - 0.01:
        return base
    low, high = base, base + max_extra_db
    for _ in range(40):  # loudness after limiting rises monotonically with gain
        mid = (low + high) / 2.0
        if predict.after(mid) < target_lufs:
            low = mid
        else:
            high = mid
    return high


def apply_gain(samples: npt.ArrayLike, db: float) -> npt.NDArray[np.float32]:
    """``samples`` scaled by ``db`` decibels, as float32 (no clipping: the limiter's job)."""
    return (np.asarray(samples, dtype=np.float32) * np.float32(10.0 ** (db / 20.0))).astype(
        np.float32
    )


_COMPRESS_CELL = 32


def compress_peaks(
    samples: npt.ArrayLike,
    rate: int,
    loudness: float,
    peak_to_loudness: float = 10.0,
    ratio: float = 4.0,
    knee_db: float = 6.0,
    lookahead: float = 0.005,
    release_db_per_s: float = 100.0,
) -> npt.NDArray[np.float32]:
    """Turn down peaks more than ``peak_to_loudness`` dB over the clip's ``loudness``.

    eSpeak NG's voices peak 19-21 dB over their loudness; at -16 LUFS under a -1 dBTP ceiling
    only ~15 dB fit, so without this the limiter would cut 10 dB and more, pulse by pulse. This
    compressor follows the peaks' envelope instead: it reaches each peak ``lookahead`` early
    and lets go at ``release_db_per_s``, so its gain moves at the pace of syllables, not of
    the voice's pitch, and leaves the limiter only the odd stray peak. Peaks below the knee
    pass untouched (gain exactly 1). Vectorised: the release is a running maximum in dB.
    """
    x = np.asarray(samples, dtype=np.float32)
    if x.size == 0:
        return x
    # The gain moves at syllable pace, so it is worked out on 32-sample cells (0.7 ms at
    # 44.1 kHz) and spread back over their samples: 30x less work than per sample.
    cells = -(-x.size // _COMPRESS_CELL)
    padded = np.zeros(cells * _COMPRESS_CELL, dtype=np.float32)
    padded[: x.size] = np.abs(x)
    peaks = padded.reshape(cells, _COMPRESS_CELL).max(axis=1)
    cell_rate = rate / _COMPRESS_CELL
    n = max(1, round(lookahead * cell_rate))
    ahead = maximum_filter1d(peaks, size=2 * n + 1, mode="nearest")
    level = 20.0 * np.log10(ahead.astype(np.float64) + 1e-9)
    # y[i] = max over k <= i of (level[k] - decay * (i - k)): a peak hold that falls linearly
    # in dB, computed as one running maximum of level[k] + decay * k.
    ramp = np.arange(cells, dtype=np.float64) * (release_db_per_s / cell_rate)
    envelope = np.maximum.accumulate(level + ramp) - ramp
    over = envelope - (loudness + peak_to_loudness)
    slope = 1.0 / ratio - 1.0
    half = knee_db / 2.0
    cut = np.where(
        over <= -half,
        0.0,
        np.where(over >= half, slope * over, slope * (over + half) ** 2 / (2.0 * knee_db)),
    )
    if not cut.any():
        return x
    # A short moving average turns the look-ahead's step down into a ramp (no click), and
    # linear interpolation between cell centres keeps the gain smooth sample to sample.
    cut = uniform_filter1d(cut, size=n, mode="nearest")
    centres = (np.arange(cells) + 0.5) * _COMPRESS_CELL
    gain = np.interp(np.arange(x.size, dtype=np.float32), centres, 10.0 ** (cut / 20.0))
    return (x * gain).astype(np.float32)


class Limiter:
    """A look-ahead true-peak limiter for a mono stream processed in chunks.

    ``process`` returns the samples whose gain is decided (the stream delayed by ``latency``
    samples), ``flush`` returns the rest: the concatenation of all returned chunks has exactly
    the input's length and alignment (no leading delay). Gain is exactly 1.0 wherever no
    4x-oversampled peak within ``lookahead + hold`` exceeds ``ceiling_db - margin_db``;
    ``margin_db`` is headroom for the MP3 encoder, whose reconstruction overshoots peaks a
    little. Gain falls over ``lookahead`` before a peak, holds ``hold`` after it, then recovers
    over ``lookahead``. The output does not depend on how the input is cut into chunks.

    Cost follows what needs limiting: only stretches whose samples come within
    :data:`OVERSHOOT` of the threshold (or of the loudest output so far) are oversampled, and
    the gain is smoothed only around peaks over the threshold.
    """

    _CONTEXT = 16  # input samples after a sample before its required gain is decided
    _CELL = 32  # samples per unit of the "could this reach the threshold?" test

    def __init__(
        self,
        rate: int = 44100,
        ceiling_db: float = -1.0,
        margin_db: float = 0.5,
        lookahead: float = LOOKAHEAD,
        hold: float = HOLD,
    ) -> None:
        self.rate = rate
        self.ceiling_db = ceiling_db
        self.threshold = 10.0 ** ((ceiling_db - margin_db) / 20.0)
        self._ahead = max(1, round(lookahead * rate))
        self._hold = max(0, round(hold * rate))
        # A raised-cosine kernel as long as the look-ahead (+1): any non-negative normalised
        # kernel of that length keeps the smoothed gain under each peak's need (see _gains).
        n = self._ahead + 1
        kernel = 0.5 - 0.5 * np.cos(2.0 * np.pi * (np.arange(n) + 1) / (n + 1))
        self._kernel = kernel / kernel.sum()
        self.latency = self._ahead + self._CONTEXT
        """Samples ``process`` holds back until later input (or ``flush``) decides them."""
        self._out_peak = 0.0
        self._reset()

    @property
    def output_true_peak(self) -> float:
        """Largest 4x-oversampled magnitude (linear) of everything output so far, across
        flushes: the input's oversampled peaks times the gain applied to them (within 0.1 dB
        of oversampling the output itself), so the output needs no true-peak meter."""
        return self._out_peak

    @property
    def output_true_peak_db(self) -> float:
        return _db(self._out_peak)

    def _reset(self) -> None:
        self._buf = np.zeros(0, dtype=np.float32)  # raw input from stream index _buf0 on
        self._buf0 = 0
        # Required gains under 1.0 (few): stream positions from _req0 on, and the gains.
        self._over = np.zeros(0, dtype=np.int64)
        self._over_gain = np.zeros(0)
        self._pk = np.zeros(0, dtype=np.float32)  # peaks (lower bounds, see _required)
        self._req0 = 0  # stream index of _pk[0]; required gains are known up to _req_done
        self._req_done = 0
        self._start = 0  # stream index of the next sample to output
        self._received = 0

    def process(self, chunk: npt.ArrayLike) -> npt.NDArray[np.float32]:
        x = _as_mono(chunk)
        self._buf = np.concatenate((self._buf, x.astype(np.float32)))
        self._received += x.size
        return self._emit(final=False)

    def flush(self) -> npt.NDArray[np.float32]:
        """Everything still held back; the limiter is ready for a new stream afterwards."""
        out = self._emit(final=True)
        self._reset()
        return out

    def _emit(self, final: bool) -> npt.NDArray[np.float32]:
        c, end = self._CONTEXT, self._received
        # 1. Required gain for every sample whose interpolation context is now complete.
        req_end = end if final else end - c
        if req_end > self._req_done:
            lo = max(self._req_done - _BEFORE, 0)
            hi = min(end, req_end + _AFTER)
            seg = self._buf[lo - self._buf0 : hi - self._buf0]
            # Zeros stand for the signal before the stream's start and after its end.
            xs = np.concatenate(
                (
                    np.zeros(lo - (self._req_done - _BEFORE), dtype=np.float32),
                    seg,
                    np.zeros(req_end + _AFTER - hi, dtype=np.float32),
                )
            )
            over, gain, pk = self._required(xs)
            self._over = np.concatenate((self._over, over + self._req_done))
            self._over_gain = np.concatenate((self._over_gain, gain))
            self._pk = np.concatenate((self._pk, pk))
            self._req_done = req_end
        # 2. Output every sample whose look-ahead is known.
        out_end = end if final else self._req_done - self._ahead
        if out_end <= self._start:
            return np.zeros(0, dtype=np.float32)
        x = self._buf[self._start - self._buf0 : out_end - self._buf0]
        pk = self._pk[self._start - self._req0 : out_end - self._req0]
        y = x.copy()
        stretches = self._gains(self._start, out_end)
        if stretches:
            pk = pk.copy()
            for o0, o1, gains in stretches:
                y[o0:o1] = x[o0:o1] * gains
                pk[o0:o1] *= gains
        top = float(pk.max())
        self._out_peak = max(self._out_peak, top)
        self._start = out_end
        # 3. Forget what no later output needs.
        buf0 = max(self._buf0, out_end - c)
        self._buf, self._buf0 = self._buf[buf0 - self._buf0 :], buf0
        req0 = max(self._req0, out_end - self._ahead - self._hold)
        self._pk, self._req0 = self._pk[req0 - self._req0 :], req0
        keep = int(np.searchsorted(self._over, req0))
        self._over, self._over_gain = self._over[keep:], self._over_gain[keep:]
        return y

    def _required(
        self, xs: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.int64], FloatArray, npt.NDArray[np.float32]]:
        """For the samples of ``xs`` that have their full context: the indices whose peak
        exceeds the threshold, the gain each requires, and every sample's peak.

        Only cells that could reach ``level`` are oversampled: the threshold (so the required
        gain is exact), or the loudest output so far (so ``output_true_peak`` is exact). The
        peak of any other sample is its magnitude, a lower bound that stays under ``level``.
        """
        n = xs.size - (_TAPS - 1)
        cell = self._CELL
        cells = -(-n // cell)
        mag = np.zeros((cells + 1) * cell, dtype=np.float32)
        np.abs(xs, out=mag[: xs.size])
        pk = mag[_BEFORE : _BEFORE + n].copy()
        level = min(self.threshold, max(self._out_peak, float(pk.max())))
        # Output cell k reads input cells k and k + 1 (the filter is shorter than a cell).
        loud = mag.reshape(-1, cell).max(axis=1) * OVERSHOOT >= level
        todo = np.flatnonzero(loud[:-1] | loud[1:])
        if todo.size * 2 > cells:
            np.maximum(pk, _peaks_of(xs), out=pk)
        elif todo.size:
            padded = np.concatenate((xs, np.zeros(2 * cell, dtype=np.float32)))
            starts = todo * cell
            peaks = _interp(padded[starts[:, None] + np.arange(cell + _TAPS - 1)]).ravel()
            pos = (starts[:, None] + np.arange(cell)).ravel()
            keep = pos < n
            pos = pos[keep]
            pk[pos] = np.maximum(pk[pos], peaks[keep])
        over = np.flatnonzero(pk > self.threshold)
        return over, self.threshold / pk[over].astype(np.float64), pk

    def _gains(self, lo: int, hi: int) -> list[tuple[int, int, FloatArray]]:
        """``(start, stop, gains)`` for the stretches of output samples ``[lo, hi)`` (offsets
        from ``lo``) whose gain is not 1.0; never above the gain any sample requires.

        ``h[k]`` is the least required gain over ``[k - hold, k + ahead]``; the gain at ``m``
        is a weighted mean of ``h`` over ``[m - ahead, m]``, and each of those windows
        contains ``m``, so the gain at ``m`` is at most what ``m`` itself requires. Both are
        computed only around required gains under 1.0, output by output, so the result does
        not depend on where chunks begin.
        """
        a, hold = self._ahead, self._hold
        base = lo - a - hold  # output o reads required gains at base + o .. base + o + span
        span = 2 * a + hold
        first_over, end_over = np.searchsorted(self._over, (base, hi + a))
        over = self._over[first_over:end_over] - base
        gain = self._over_gain[first_over:end_over]
        if over.size == 0:
            return []
        # Group the peaks whose reaches touch and smooth each group's stretch alone.
        breaks = np.flatnonzero(np.diff(over) > span) + 1
        stretches = []
        for i, j in zip(np.r_[0, breaks], np.r_[breaks, over.size], strict=True):
            o0, o1 = max(0, int(over[i]) - span), min(hi - lo, int(over[j - 1]) + 1)
            window = np.ones(o1 - o0 + span)
            window[over[i:j] - o0] = gain[i:j]
            h = _window_min(window, hold + a + 1)
            stretches.append((o0, o1, np.convolve(h, self._kernel, mode="valid")))
        return stretches


def _window_min(values: FloatArray, size: int) -> FloatArray:
    """``out[i] = min(values[i : i + size])`` for every full window."""
    if values.size < size:
        return np.zeros(0)
    centred = minimum_filter1d(values, size=size, mode="nearest")
    # minimum_filter1d centres the window: index j covers j - size // 2 .. j + (size - 1) // 2,
    # so the window that starts at i is centred at i + size // 2.
    return centred[size // 2 : size // 2 + values.size - size + 1]


@dataclass(frozen=True)
class SpeakerLevel:
    name: str
    before: float | None
    """Integrated LUFS of the speaker's clips as synthesized."""
    after: float | None
    """Integrated LUFS after levelling (and the master gain)."""


@dataclass(frozen=True)
class LoudnessReport:
    """What mastering did, for the render summary and ``--json``."""

    integrated: float | None
    true_peak: float
    loudness_range: float
    target: float
    gain: float
    speakers: tuple[SpeakerLevel, ...] = ()

    def format(self) -> str:
        """A few lines for humans: the episode's levels, then one line per speaker."""
        lines = [
            f"loudness {_fmt(self.integrated)} LUFS (target {self.target:.1f}), "
            f"true peak {_fmt(self.true_peak)} dBTP, range {self.loudness_range:.1f} LU, "
            f"gain {self.gain:+.1f} dB"
        ]
        width = max((len(s.name) for s in self.speakers), default=0)
        for s in self.speakers:
            lines.append(f"  {s.name:<{width}}  {_fmt(s.before)} -> {_fmt(s.after)} LUFS")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "integrated": self.integrated,
            "true_peak": self.true_peak,
            "loudness_range": self.loudness_range,
            "target": self.target,
            "gain": self.gain,
            "speakers": {s.name: {"before": s.before, "after": s.after} for s in self.speakers},
        }


def _fmt(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-inf"
    return f"{value:.1f}"
