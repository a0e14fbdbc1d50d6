"""Median fundamental frequency of speech, for tests that compare voices (autocorrelation)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def read_mono(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data.astype(np.float64) / 32768.0, w.getframerate()


def median_f0(path: Path, low: float = 50.0, high: float = 400.0) -> float:
    """Median F0 in Hz over the voiced 40 ms frames of a WAV file (the YIN method).

    A frame is voiced when it is within 30 dB of the loudest frame and its cumulative mean
    normalised difference dips below 0.2 at some lag in the pitch range; the first such dip
    gives the period, which avoids YIN's octave errors.
    """
    samples, rate = read_mono(path)
    size, hop = int(0.04 * rate), int(0.01 * rate)
    max_lag, min_lag = int(rate / low), int(rate / high)
    frames = [samples[i : i + size + max_lag] for i in range(0, samples.size - size - max_lag, hop)]
    energy = np.array([np.sqrt(np.mean(f[:size] ** 2)) for f in frames])
    floor = energy.max() * 10 ** (-30 / 20)
    found = []
    for frame, level in zip(frames, energy, strict=True):
        if level < floor:
            continue
        base = frame[:size]
        # sum over j of (x[j] - x[j + lag])^2, expanded: two energies less twice the overlap
        cross = np.correlate(frame[: size + max_lag], base, mode="valid")
        squares = np.concatenate([[0.0], np.cumsum(frame**2)])
        shifted = squares[size : size + max_lag + 1] - squares[: max_lag + 1]
        diff = np.maximum(squares[size] + shifted - 2 * cross, 0.0)
        cumulative = np.cumsum(diff[1:])
        cmnd = np.ones_like(diff)
        cmnd[1:] = diff[1:] * np.arange(1, max_lag + 1) / np.maximum(cumulative, 1e-12)
        below = np.nonzero(cmnd[min_lag:] < 0.2)[0]
        if below.size == 0:
            continue
        lag = min_lag + int(below[0])
        while lag + 1 <= max_lag and cmnd[lag + 1] < cmnd[lag]:
            lag += 1
        if 1 <= lag < max_lag:
            a, b, c = cmnd[lag - 1], cmnd[lag], cmnd[lag + 1]
            shift = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) else 0.0
            found.append(rate / (lag + shift))
    return float(np.median(found)) if found else 0.0
