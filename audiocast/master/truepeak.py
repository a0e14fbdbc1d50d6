"""True peak: a polyphase 4x interpolator (ITU-R BS.1770-4 Annex 2, with a longer filter).

Float32 and vectorised, so it is cheap enough to run beside the encoder; :data:`OVERSHOOT` lets
the limiter skip oversampling wherever no peak could reach its threshold.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.signal import firwin

FloatArray = npt.NDArray[np.float64]

OVERSAMPLE = 4


def db(linear: float) -> float:
    """``linear`` (a magnitude) in dB; ``-inf`` for 0."""
    return 20.0 * math.log10(linear) if linear > 0 else -math.inf


def as_mono(samples: npt.ArrayLike) -> FloatArray:
    """``samples`` as a 1-D float64 array; a ``ValueError`` for anything else."""
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


_SKIP_CELL = 32
"""Samples per unit of :func:`peaks_reaching`'s "could this reach the level?" test."""


def peaks_reaching(
    xs: npt.NDArray[np.float32], floor: float, ceiling: float = math.inf
) -> npt.NDArray[np.float32]:
    """Per-sample peaks of the 1-D ``xs`` with its context (see :func:`_interp`), oversampled
    only where they could reach ``level``: ``floor`` or the largest sample, whichever is
    higher, but no higher than ``ceiling``. Elsewhere a sample's peak is its magnitude, a lower
    bound that stays under ``level``, so every peak at or over ``level`` is exact.

    Speech leaves most of its samples far under its loudest peaks, and oversampling is most
    of a true-peak meter's cost.
    """
    n = xs.size - (_TAPS - 1)
    if n <= 0:
        return np.zeros(0, dtype=np.float32)
    cell = _SKIP_CELL
    cells = -(-n // cell)
    mag = np.zeros((cells + 1) * cell, dtype=np.float32)
    np.abs(xs, out=mag[: xs.size])
    # Whole cells of peaks, so a cell's are one row; what lies past n is cut off at the end.
    pk: npt.NDArray[np.float32] = mag[_BEFORE : _BEFORE + cells * cell].copy()
    level = min(ceiling, max(floor, float(pk[:n].max())))
    # Output cell k reads input cells k and k + 1 (the filter is shorter than a cell).
    loud = mag.reshape(-1, cell).max(axis=1) * OVERSHOOT >= level
    todo = np.flatnonzero(loud[:-1] | loud[1:])
    if todo.size * 2 > cells:
        np.maximum(pk[:n], _peaks_of(xs), out=pk[:n])
    elif todo.size:
        padded = np.zeros(cells * cell + _TAPS, dtype=np.float32)
        padded[: xs.size] = xs
        windows = np.lib.stride_tricks.sliding_window_view(padded, cell + _TAPS - 1)[::cell]
        rows = pk.reshape(cells, cell)
        rows[todo] = np.maximum(rows[todo], _interp(windows[todo]))
    return pk[:n]


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
