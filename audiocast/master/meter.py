"""The ITU-R BS.1770-4 / EBU R128 loudness meter: integrated loudness, range, peaks.

Built for streaming: :func:`measure` keeps a clip's K-weighted energy per 100 ms sub-block (a
small array), so measurements of many clips :func:`combine` into the episode's loudness without a
second pass over the audio; :class:`Meter` does the same for one long stream fed chunk by chunk.
``Measurement.with_gain`` gives the measurement after a gain exactly, without re-metering. A
small peak histogram lets :mod:`.gain` predict what the limiter will take away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d
from scipy.signal import lfilter

from .dynamics import HOLD, LOOKAHEAD
from .truepeak import _AFTER, _BEFORE, FloatArray, _peaks_of, as_mono, db, peaks_reaching

SUB_BLOCK = 0.1
"""Seconds per sub-block: the 75 % overlap of 400 ms gating blocks (and the 10 Hz short-term
rate of EBU Tech 3342) both step by 100 ms, so every block is a sum of whole sub-blocks."""
_BLOCK_SUBS = 4  # 400 ms momentary / gating block
_SHORT_TERM_SUBS = 30  # 3 s short-term window for the loudness range
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
LRA_RELATIVE_GATE = -20.0


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
        return db(self.true_peak)

    @property
    def sample_peak_db(self) -> float:
        return db(self.peak)

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
    effect in :func:`limited_loudness`). With ``peak_histogram=False`` it keeps no histogram
    (the result's ``peak_energy`` is all zeros): for a meter whose result predicts no limiter,
    which saves about a quarter of its cost, and it oversamples only where a peak could beat
    the loudest so far (see :meth:`feed_part` for what that means to a meter fed from it).
    """

    def __init__(self, rate: int, true_peak: bool = True, peak_histogram: bool = True) -> None:
        self.rate = rate
        self.true_peak = true_peak
        self.peak_histogram = peak_histogram
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
        # The last input samples, so oversampling sees across chunk edges: the last _AFTER
        # samples' peaks are only known once the next chunk (or the end) has come, so they
        # are read again with it; until then their estimate (silence after them) is pending.
        self._tail = np.zeros(_BEFORE + _AFTER, dtype=np.float32)
        self._pending_peak = 0.0
        self._started = False
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
        x = as_mono(samples)
        if x.size == 0:
            return
        y, self._zi = lfilter(self._b, self._a, x, zi=self._zi)
        sq = np.square(y, out=y)
        x32 = x.astype(np.float32)
        mags = np.abs(x32)
        peaks = mags
        if self.true_peak:
            ctx = np.concatenate((self._tail, x32))
            # Peaks of the previous chunk's last _AFTER samples (now exact) and of this
            # chunk's samples, the last _AFTER of them with silence taken as their future.
            padded = np.concatenate((ctx, np.zeros(_AFTER, dtype=np.float32)))
            # Without a histogram only the largest peak counts: stretches that cannot beat
            # the loudest so far are not oversampled.
            every = (
                _peaks_of(padded)
                if self.peak_histogram
                else peaks_reaching(padded, self._true_peak)
            )
            exact = every[: every.size - _AFTER] if self._started else every[_AFTER:-_AFTER]
            if exact.size:
                self._true_peak = max(self._true_peak, float(exact.max()))
            self._pending_peak = float(every[-_AFTER:].max())
            self._started = True
            peaks = every[_AFTER:]
            self._tail = ctx[ctx.size - _BEFORE - _AFTER :]
        self._last = (sq, mags, peaks)
        self._add(sq, mags, peaks)

    def feed_part(self, source: Meter, start: int, stop: int) -> None:
        """Feed samples ``start:stop`` of the chunk last fed to ``source`` without filtering
        them again: the same as ``feed(chunk[start:stop])`` except that the K-weighting's
        state is the source's (the audio that really came before), and the peaks are the
        source's: sample peaks when ``source`` has ``true_peak=False``, and true peaks only
        where they could beat its loudest so far when it has ``peak_histogram=False``.

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
        if self.peak_histogram:
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
            max(self._true_peak, self._pending_peak, self._peak),
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
