"""The loudness safety net: measure the encoded episode and, if it missed, correct it once.

The mastering stream lands on the target in one pass for any episode long enough for its bias
estimate to settle; this catches the rest by decoding the file, applying the correcting gain
through the limiter and encoding it again.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..master import Limiter, Measurement, master_gain
from ..master.stream import Mastering
from .audio import format_for
from .ceiling import reencode
from .probe import measure_file

LOUDNESS_TOLERANCE = 0.5
"""LU the streamed episode may miss the loudness target by before the encoded file is measured
and, if it misses too, corrected by a second pass. The stream corrects for its gaps, music beds
and codec as it goes, so this is a safety net for episodes too short for that to settle."""


def correct_loudness(
    path: Path, loudness: float, true_peak: float, bitrate: int, level: float | None = None
) -> float:
    """Measure the encoded episode at ``path``; if it (or its speech, at ``level`` LUFS when
    given) misses ``loudness`` by more than the tolerance, re-encode it once with the correcting
    gain, through the limiter, under the ``true_peak`` ceiling. Returns the gain applied in dB
    (0.0 when already on target)."""
    measured = measure_file(path)
    whole = measured.integrated
    if whole is None:
        return 0.0
    if level is not None:
        # The speech, not the whole (music included), is what the target is for.
        measured = measured.with_gain(level - whole)
    if measured.integrated is None:
        return 0.0
    if abs(loudness - measured.integrated) <= LOUDNESS_TOLERANCE:
        return 0.0
    fmt = format_for(path)
    ceiling = true_peak - fmt.headroom_db
    # The gain that lands on the target after the limiter and the codec (as the stream aims).
    gain = master_gain(measured, loudness - fmt.gain_db, ceiling_db=ceiling)
    limiter = Limiter(fmt.rate, ceiling_db=ceiling)
    fixed = path.with_name(f"{path.stem}.level{path.suffix}")
    try:
        reencode(path, fixed, limiter, bitrate, gain)
        os.replace(fixed, path)
    except BaseException:
        fixed.unlink(missing_ok=True)
        raise
    return gain


def settle_loudness(
    path: Path,
    streamed: Measurement,
    mastering: Mastering,
    bitrate: int,
    speech: float | None = None,
) -> tuple[Measurement, float]:
    """The episode's final measurement and the second-pass gain (0.0 when none was needed).

    ``streamed`` is what the mastering stream measured, ``speech`` the level of its speech (the
    target's measure; the whole is used without it); only when that is off the target by more
    than the tolerance is the encoded file at ``path`` measured, and corrected if it missed too.
    """
    if not mastering.enabled:
        return streamed, 0.0
    level = speech if speech is not None else streamed.integrated
    off = abs((level or mastering.loudness) - mastering.loudness)
    if off <= LOUDNESS_TOLERANCE:
        return streamed, 0.0
    correction = correct_loudness(path, mastering.loudness, mastering.true_peak, bitrate, speech)
    return (measure_file(path) if correction else streamed), correction
