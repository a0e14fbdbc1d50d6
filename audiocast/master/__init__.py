"""Loudness mastering: an ITU-R BS.1770-4 / EBU R128 meter, gain, and a true-peak limiter.

One module a job: :mod:`.meter` (loudness, range, peaks), :mod:`.truepeak` (4x oversampling),
:mod:`.gain` (the gain to a target, after the limiter), :mod:`.dynamics` (compressor, limiter),
:mod:`.stream` (the render's mastering stage) and :mod:`.report` (what mastering did). Cheap
enough to run beside the encoder: see scripts/bench_master.py.
"""

from __future__ import annotations

from .dynamics import HOLD, LOOKAHEAD, Limiter, compress_peaks
from .gain import apply_gain, gain_db, limited_loudness, master_gain
from .meter import (
    ABSOLUTE_GATE,
    LRA_RELATIVE_GATE,
    RELATIVE_GATE,
    SUB_BLOCK,
    Measurement,
    Meter,
    combine,
    k_weighting,
    measure,
)
from .report import LoudnessReport, SpeakerLevel
from .truepeak import OVERSAMPLE, OVERSHOOT, oversampled_peaks

__all__ = [
    "ABSOLUTE_GATE",
    "HOLD",
    "LOOKAHEAD",
    "LRA_RELATIVE_GATE",
    "OVERSAMPLE",
    "OVERSHOOT",
    "RELATIVE_GATE",
    "SUB_BLOCK",
    "Limiter",
    "LoudnessReport",
    "Measurement",
    "Meter",
    "SpeakerLevel",
    "apply_gain",
    "combine",
    "compress_peaks",
    "gain_db",
    "k_weighting",
    "limited_loudness",
    "master_gain",
    "measure",
    "oversampled_peaks",
]
