"""Mastering gain: the gain to a loudness target, before and after the limiter.

Loudness is a linear function of gain, so the gain follows from a measurement;
:func:`master_gain` also adds back what the limiter will take, predicted from the
measurement's peak histogram.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from .meter import _HIST_LOW_DB, _HIST_STEP_DB, Measurement
from .truepeak import FloatArray


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
    scaled: npt.NDArray[np.float32] = (
        np.asarray(samples, dtype=np.float32) * np.float32(10.0 ** (db / 20.0))
    ).astype(np.float32)
    return scaled
