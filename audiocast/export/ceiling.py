"""The true-peak ceiling, kept on the encoded file rather than on the stream fed to the codec.

A lossy codec rebuilds the waveform with overshoot of its own: on speech LAME added up to 1 dB
over the limited stream, AAC and Opus as much on loud stretches, and Opus also resamples to
48 kHz. So the limiter's figure is not what a player, or ffmpeg's ``ebur128=peak=true``, reads.
The encoded file is decoded and metered the way ffmpeg meters it (4x oversampling of the
decoded audio, every channel the decoder outputs); when it is over the ceiling it is encoded
again from the first encode's audio through a limiter set lower by what the codec added, and
measured again, until it is under.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import AudioError
from ..master import Limiter, Measurement, apply_gain
from .audio import Encoder, format_for
from .probe import decode_frames, file_levels

AIM_DB = 0.1
"""How far under the ceiling a corrected file aims: meters that round to 0.1 dB (ffmpeg's
summary) and small differences of resampler still read it at or under the ceiling."""
ATTEMPTS = 4
_CHUNK_SECONDS = 10.0


def keep_ceiling(path: Path, ceiling_db: float, bitrate: int) -> Measurement:
    """The measurement of the encoded file at ``path``, re-encoded first if its true peak is
    over ``ceiling_db`` dBTP so that it is not. Raises ``AudioError`` if it cannot be."""
    levels = file_levels(path, peak_histogram=False)  # for the ceiling and the report
    measured = levels.measurement
    if measured.true_peak_db <= ceiling_db:
        return measured
    fmt = format_for(path)
    source = path.with_name(f"{path.stem}.first{path.suffix}")
    os.replace(path, source)
    lower = fmt.headroom_db
    try:
        for _ in range(ATTEMPTS):
            lower += measured.true_peak_db - ceiling_db + AIM_DB
            reencode(source, path, Limiter(levels.rate, ceiling_db=ceiling_db - lower), bitrate)
            measured = file_levels(path, peak_histogram=False).measurement
            if measured.true_peak_db <= ceiling_db:
                return measured
    finally:
        source.unlink(missing_ok=True)
    raise AudioError(
        f"the encoded episode stays over the {ceiling_db:.1f} dBTP ceiling "
        f"({measured.true_peak_db:.2f} dBTP after {ATTEMPTS} corrections)",
        path=path,
        hint="try another format or a higher --bitrate",
    )


def reencode(source: Path, out: Path, limiter: Limiter, bitrate: int, gain_db: float = 0.0) -> None:
    """Encode ``source``'s decoded audio again into ``out``, with ``gain_db``, through
    ``limiter`` (whose rate is the one decoded at)."""
    with Encoder(out, limiter.rate, bitrate=bitrate) as encoder:
        for frames in decode_frames(source, limiter.rate, 1, _CHUNK_SECONDS):
            encoder.write(limiter.process(apply_gain(frames[:, 0], gain_db)))
        encoder.write(limiter.flush())
